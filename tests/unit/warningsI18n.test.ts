/**
 * The reader's warnings in both languages: every capture.* key is translated, English renders
 * exactly the reader's own message, Chinese renders Chinese, and `analyze --lang zh-CN` shows a
 * cut-short capture's warning in Chinese (text report, JSON `text`, caveat details, the error).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { captureMessages, capturePhrases, formatMessage, type CaptureMessageKey } from '../../src/capture/messages';
import { sniff } from '../../src/capture/sniff';
import type { CaptureWarning } from '../../src/capture/types';
import { runAnalyze } from '../../src/cli/analyze';
import { memoryIo } from '../../src/cli/io';
import { catalogues, LANGS, placeholders } from '../../src/i18n/index';
import { renderWarning } from '../../src/i18n/warnings';
import { bytes, PcapngBuilder } from './captureBuilders';
import { readBytes } from './captureHarness';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const capture = readFileSync(path.join(root, 'tests', 'fixtures', 'diagnose', 'pmtu-blackhole.node-eth0.pcap'));
const CJK = /[\u4e00-\u9fff]/;
const work = mkdtempSync(path.join(tmpdir(), 'warnings-i18n-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, data: Uint8Array): string {
  const p = path.join(work, name);
  writeFileSync(p, data);
  return p;
}

/** Damaged inputs of several kinds, and the warnings the reader gives for them. */
function damaged(): CaptureWarning[][] {
  const pcapng = new PcapngBuilder().shb().idb();
  for (let i = 0; i < 14; i++) pcapng.epb({ iface: 5, data: bytes(60, i) });
  return [
    capture.subarray(0, 2000), // cut inside a packet
    capture.subarray(0, 10), // cut inside the file header
    new Uint8Array(0),
    new TextEncoder().encode('frame 1: 74 bytes on wire\n'),
    new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]),
    gzipSync(capture).subarray(0, 900), // gzip cut short
    pcapng.build(), // 14 packets on an undescribed interface: 10 warnings, then "4 more"
  ].map((b) => readBytes(new Uint8Array(b)).warnings);
}

describe('reader warnings: the catalogue', () => {
  const keys = [...Object.keys(captureMessages), ...Object.keys(capturePhrases)];
  for (const lang of LANGS) {
    it(`${lang} has every capture.* key, with the reader's placeholders`, () => {
      const cat = catalogues[lang] as Record<string, string>;
      for (const k of keys) {
        expect(cat[k], k).toBeTypeOf('string');
        const english = (captureMessages as Record<string, string>)[k] ?? (capturePhrases as Record<string, string>)[k];
        expect(placeholders(cat[k]), k).toEqual(placeholders(english));
        if (lang === 'zh-CN') expect(cat[k], k).toMatch(CJK);
        else expect(cat[k], k).toBe(english);
      }
    });
  }

  it('every phrase the reader puts into "this is X, not a capture; do Y" has a key', () => {
    const heads = [[0x50, 0x4b, 3, 4], [0x42, 0x5a, 0x68, 0x39], [0xfd, 0x37, 0x7a, 0x58], [0x28, 0xb5, 0x2f, 0xfd],
      [0x37, 0x7a, 0xbc, 0xaf], [0x73, 0x6e, 0x6f, 0x6f], [0x47, 0x4d, 0x42, 0x55], [0x52, 0x54, 0x53, 0x53], [0x68, 0x69, 0x20, 0x0a]];
    const phrases = new Set<string>(Object.values(capturePhrases));
    for (const h of heads) {
      const s = sniff(new Uint8Array([...h, 0x41, 0x42, 0x43, 0x44]));
      if (s.kind !== 'other') throw new Error(`not recognised: ${h.join(' ')}`);
      expect(phrases.has(s.what), s.what).toBe(true);
      expect(phrases.has(s.hint), s.hint).toBe(true);
    }
  });
});

describe('reader warnings: rendering', () => {
  it('English is the reader\'s own message; Chinese is Chinese, for every warning of damaged inputs', () => {
    const all = damaged();
    const keys = new Set(all.flat().map((w) => w.key));
    for (const k of ['capture.truncatedRecord', 'capture.truncatedFileHeader', 'capture.empty', 'capture.otherFormat', 'capture.gzip', 'capture.unknownInterface', 'capture.suppressed']) {
      expect(keys, k).toContain(k);
    }
    for (const ws of all) {
      for (const w of ws) {
        expect(renderWarning(w, 'en', ws)).toBe(w.message);
        const zh = renderWarning(w, 'zh-CN', ws);
        expect(zh, w.message).toMatch(CJK);
        // No English sentence left: only names, numbers, byte values and commands.
        expect(zh, zh).not.toMatch(/\b(the|packet|capture|this|more|ends|unexpected|invalid)\b/);
      }
    }
  });

  it('"N more warnings like this one" names its first warning in the same language', () => {
    const first = { key: 'capture.unknownInterface' as CaptureMessageKey, params: { offset: 1234, frame: 3, iface: 5 } };
    const w1 = { ...first, message: formatMessage(first.key, first.params) };
    const more = { key: 'capture.suppressed', params: { count: 15, first: w1.message }, message: formatMessage('capture.suppressed', { count: 15, first: w1.message }) };
    expect(renderWarning(more, 'en', [w1, more])).toBe(more.message);
    expect(renderWarning(more, 'zh-CN', [w1, more])).toBe('另有 15 条同类警告没有列出：字节 1,234 处的数据包块引用了接口 5，但它所在的段（section）没有描述这个接口：已跳过，不编号（下一个读到的包是帧 3）');
  });

  it('a warning without its parameters, or with an unknown key, keeps its English message', () => {
    expect(renderWarning({ key: 'capture.truncatedRecord', message: 'cut' }, 'zh-CN')).toBe('cut');
    expect(renderWarning({ key: 'capture.nothing', params: {}, message: 'odd' }, 'zh-CN')).toBe('odd');
  });
});

describe('analyze --lang zh-CN on a cut-short capture', () => {
  const cut = file('cut.pcap', capture.subarray(0, 2000));

  it('the text report is Chinese, warning included', async () => {
    const io = memoryIo();
    expect(await runAnalyze({ file: cut, lang: 'zh-CN', format: 'text' }, io)).toBe(0);
    expect(io.stdout).toContain('文件已损坏：读取在字节 1,870 处停止');
    expect(io.stdout).toContain('- 文件在帧 18 的中间（字节 1,870 处）就结束了：抓包文件被截断');
    expect(io.stdout).not.toMatch(/the file ends|cut short|pkts|retr/);
  });

  it('the JSON keeps message in English and adds text in the language', async () => {
    const io = memoryIo();
    expect(await runAnalyze({ file: cut, lang: 'zh-CN', format: 'json' }, io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.capture.warnings).toEqual([{
      kind: 'truncated-record', offset: 1870, frame: 18, fatal: true,
      message: 'the file ends in the middle of packet 18 at byte 1,870: the capture was cut short',
      text: '文件在帧 18 的中间（字节 1,870 处）就结束了：抓包文件被截断',
    }]);
    expect(j.caveats[0].details[0]).toBe('文件在帧 18 的中间（字节 1,870 处）就结束了：抓包文件被截断');
  });

  it('a file that is no capture is an error, said in Chinese', async () => {
    const io = memoryIo();
    const text = file('notes.txt', new TextEncoder().encode('hello\n'));
    expect(await runAnalyze({ file: text, lang: 'zh-CN', format: 'json' }, io)).toBe(1);
    expect(io.stdout).toBe('');
    expect(io.stderr).toBe(`analyze: 无法分析 ${text}：这是一个文本文件，不是 pcap 或 pcapng 格式的抓包文件；可能是以文本形式打印出来的抓包内容；请保存抓包文件本身，例如用 tcpdump -w file.pcap\n`);
  });
});
