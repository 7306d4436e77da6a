/**
 * The Chinese texts: no half-width comma, colon, semicolon or parenthesis beside a Chinese character
 * (the UI writes ，：；（）), in the app's catalogue, the core's and the capture points'; and every
 * packet-detail field the decoder names has a Chinese name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { zhCN as coreZh } from '../../src/i18n/messages.zh-CN';
import { zhCN as appZh } from '../../web/i18n/zh-CN';
import { fieldLabel, layerLabel, ZH_FIELDS } from '../../web/i18n/fieldNames';
import { POINTS_TEXTS } from '../../web/points/strings';
import { decodeDetail } from '../../src/decode/index';
import { TCP_FLAG_NAMES } from '../../src/tcp/index';
import { EN_RULES } from '../../web/i18n/rules';

const HAN = String.raw`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef`;
const HALF_RE = new RegExp(`[${HAN}]\\s?[,:;()]|[,:;()]\\s?[${HAN}]`);
/** Half-width punctuation beside Chinese; a function named in code ("send()") is not punctuation. */
const HALF = { test: (s: string) => HALF_RE.test(s.replace(/\w+\(\)/g, 'x')) };

function strings(o: unknown, at = ''): [string, string][] {
  if (typeof o === 'string') return [[at, o]];
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

describe('Chinese punctuation', () => {
  it.each([
    ['the core catalogue', coreZh],
    ['the app catalogue', appZh],
    ['the capture points', POINTS_TEXTS['zh-CN']],
  ] as const)('%s uses full-width punctuation beside Chinese', (_, table) => {
    const bad = strings(table).filter(([, v]) => HALF.test(v)).map(([k, v]) => `${k}: ${v}`);
    expect(bad).toEqual([]);
  });

  it('the check finds a half-width comma, colon or parenthesis between Chinese words', () => {
    for (const s of ['包(帧 1)被丢弃', '丢失,见下', '原因:未知', '时延 ;中位数']) expect(HALF.test(s)).toBe(true);
    for (const s of ['包（帧 1）被丢弃', '地址 198.18.1.2:39144 发往', 'SACK 块（帧 23:1744-3051）', '多次 send() 写出']) expect(HALF.test(s)).toBe(false);
  });
});

describe('packet-detail field names in Chinese', () => {
  // The sample's SYN (TCP options over IPv4 over Ethernet) and a data segment: the first and the
  // 21st packet of a classic pcap (24-byte file header, 16-byte record headers).
  const file = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tcp', 'pmtu-blackhole.node-eth0.pcap'));
  const packets: Uint8Array[] = [];
  for (let at = 24; at + 16 <= file.length && packets.length < 21;) {
    const len = file.readUInt32LE(at + 8);
    packets.push(new Uint8Array(file.subarray(at + 16, at + 16 + len)));
    at += 16 + len;
  }

  it('names every field of a decoded TCP/IPv4/Ethernet packet in Chinese, English unchanged', () => {
    const fields = [packets[0], packets[20]].flatMap((b) => decodeDetail(b, 1, 0)).flatMap((l) => l.fields);
    expect(fields.length).toBeGreaterThan(20);
    const english = fields.filter((f) => !/[\u4e00-\u9fff]/.test(fieldLabel(f, 'zh-CN')) && !/^[A-Z0-9-]+$/.test(f.name));
    expect(english.map((f) => `${f.key ?? ''} ${f.name}`)).toEqual([]);
    for (const f of fields) expect(fieldLabel(f, 'en')).toBe(f.name);
    expect(layerLabel('Truncated', 'zh-CN')).toBe('截断');
    expect(layerLabel('Truncated', 'en')).toBe('Truncated');
  });

  it('has no half-width punctuation in the field names', () => {
    expect(Object.values(ZH_FIELDS).filter((v) => HALF.test(v))).toEqual([]);
  });
});

describe('the frame\'s "why" box in Chinese', () => {
  it('has a Chinese word for every Wireshark flag and a Chinese sentence for every rule', () => {
    const flags = appZh.why.flag as Record<string, string>;
    const rules = appZh.why.rules as Record<string, string>;
    expect(TCP_FLAG_NAMES.filter((f) => !/[\u4e00-\u9fff]/.test(flags[f] ?? ''))).toEqual([]);
    expect(Object.keys(EN_RULES).filter((k) => !/[\u4e00-\u9fff]/.test(rules[k] ?? ''))).toEqual([]);
    expect(appZh.why.fate).toMatch(/[\u4e00-\u9fff]/);
  });
});
