/**
 * Every finding and every caveat of every capture at hand, in English and Chinese, checked for the
 * faults that creep into sentences built from parameters: an empty list ("frames ."), a placeholder
 * left over, "NaN" and its kin, doubled punctuation, a list cut with a bare "…", English left in the
 * Chinese text, ASCII punctuation in Chinese prose, and a frame the text links (src/view/story.ts)
 * that is not among the finding's evidence.
 *
 * The captures: ../shared/captures, ../shared/corpus and ../shared/realworld/zeek when ../shared is
 * beside the checkout (skipped with a warning otherwise), and the project's tests/fixtures; each
 * file once (by content), through the analysis the CLI runs (loadCapture + buildPointsReport, so a
 * multi-interface capture brings its cross-point findings too, and the caveats as buildReport makes
 * them), each message rendered on its own so a fault names its key. Files that cannot be read, or hold
 * no packet, are skipped. One test per kind of caveat and of finding, each failing with a table of
 * its violations per rule and message key.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCapture } from '../../src/cli/analyze';
import { buildPointsReport } from '../../src/cli/analyzePoints';
import { caveats, type Caveat, type CaveatKind } from '../../src/diagnose/caveats';
import { diagnoseCapture } from '../../src/diagnose/index';
import { renderMsg } from '../../src/diagnose/render';
import type { Finding, FindingKind } from '../../src/diagnose/types';
import type { Lang } from '../../src/i18n/index';
import { splitFrameRefs } from '../../src/view/story';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(repoRoot, '..', 'shared');
const hasShared = existsSync(shared);
const DIRS = [
  ...(hasShared ? ['captures', 'corpus', path.join('realworld', 'zeek')].map((d) => path.join(shared, d)) : []),
  path.join(repoRoot, 'tests', 'fixtures'),
];
const LANGS: Lang[] = ['en', 'zh-CN'];
const CAVEAT_KINDS: CaveatKind[] = ['memory-limit', 'reader-warnings', 'capture-drops', 'mid-connection', 'duplicate-capture', 'decode-anomalies'];
const KINDS: FindingKind[] = [
  'pmtu-blackhole', 'oversized-df', 'icmp-ptb', 'retransmission-timeout', 'reset', 'handshake-failure',
  'zero-window-stall', 'high-loss', 'lost-between-points',
];

if (!hasShared) console.warn('findingTexts: ../shared is absent; checking the captures of tests/fixtures only');

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/i.test(name)) out.push(p);
  }
  return out.sort();
}

/** One rendered sentence and what it may link. */
interface Text {
  file: string;
  /** A finding kind, or "caveat <kind>". */
  owner: string;
  /** Message key. */
  key: string;
  lang: Lang;
  text: string;
  /** Frames its links may name; null: not checked. */
  frames: Set<number> | null;
  /** The capture's packet count: larger numbers are never links. */
  maxFrame: number;
}

interface Rule {
  name: string;
  /** The offending part of the text, or null. */
  find: (t: Text) => string | null;
}

const HAN = String.raw`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef`;
// Words of English sentences, not of names ("GRE in UDP", "Microsoft Network Monitor").
const COMMON = new Set([
  'the', 'of', 'and', 'or', 'to', 'by', 'with', 'from', 'is', 'are', 'was', 'were', 'be', 'not', 'this', 'that',
  'it', 'its', 'more', 'than', 'after', 'before', 'an', 'but', 'which', 'when', 'frame', 'frames', 'packets',
  'bytes', 'none',
]);

function first(re: RegExp, text: string): string | null {
  const m = re.exec(text);
  return m ? text.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20) : null;
}

const RULES: Rule[] = [
  {
    name: 'empty list',
    find: ({ text }) =>
      // A list's keyword, its space, and no list ("frames .", "(帧 )"), or list.none.
      first(/\b(?:frames?|streams?)\s+(?:(?=[.,;:)\]]|$)|none\b)/i, text) ??
      first(/(?:帧|流)\s+(?:(?=[。，；：）、,.;:)]|$)|无)/, text) ??
      first(/[,，、]\s*[,，、]|[(（]\s*[)）]/, text),
  },
  { name: 'placeholder left', find: ({ text }) => first(/\{\{|\}\}/, text) },
  { name: 'NaN/undefined/Infinity/null', find: ({ text }) => first(/\b(?:NaN|undefined|Infinity|null)\b/, text) },
  // ASCII ":" is left out: IPv6 addresses ("fe80::1") and times hold doubled ones.
  { name: 'doubled punctuation', find: ({ text }) => first(/[.。,，;；：!！?？…]\s*[.。,，;；：!！?？]/, text) },
  { name: 'list cut with a bare "…"', find: ({ text }) => first(/…(?!\s*(?:and [\d,]+ more|等 [\d,]+ 个))/, text) },
  {
    name: 'English in Chinese',
    find: ({ text, lang }) => {
      if (lang !== 'zh-CN') return null;
      for (const m of text.matchAll(/[A-Za-z']+(?:[ \t]+[A-Za-z']+){2,}/g)) {
        if (m[0].toLowerCase().split(/\s+/).some((w) => COMMON.has(w))) return m[0];
      }
      return null;
    },
  },
  {
    name: 'ASCII punctuation in Chinese',
    find: ({ text, lang }) => (lang !== 'zh-CN' ? null : first(new RegExp(`[${HAN}][,;:().]|[,;:()][${HAN}]`), text)),
  },
  {
    name: 'links a frame not in evidence',
    find: ({ text, frames, maxFrame }) => {
      if (!frames) return null;
      const bad = splitFrameRefs(text, maxFrame).flatMap((p) => ('frame' in p && !frames.has(p.frame) ? [p.frame] : []));
      return bad.length ? `frame ${bad.join(', ')} in: ${text}` : null;
    },
  },
];

/** The frames a finding's text may link: its evidence, and for a cross-point one the matched pairs it quotes. */
function linkable(f: Finding): Set<number> {
  const s = new Set<number>(f.frames);
  if (f.kind === 'lost-between-points') for (const [a, b] of f.matchedFrames) s.add(a).add(b);
  return s;
}

function findingTexts(f: Finding, file: string, maxFrame: number): Text[] {
  const out: Text[] = [];
  const frames = linkable(f);
  for (const m of [f.title, f.summary, ...f.story, ...f.remedy]) {
    for (const lang of LANGS) out.push({ file, owner: f.kind, key: m.key, lang, text: renderMsg(m, lang), frames, maxFrame });
  }
  return out;
}

function caveatTexts(list: Caveat[], file: string, maxFrame: number): Text[] {
  return list.flatMap((c) => {
    const frames = new Set(c.frames);
    const owner = `caveat ${c.kind}`;
    return [c.message, ...c.details].flatMap((m) => LANGS.map((lang) => ({ file, owner, key: m.key, lang, text: renderMsg(m, lang), frames, maxFrame })));
  });
}

async function collect(): Promise<{ texts: Text[]; files: number; read: number }> {
  const seen = new Set<string>();
  const texts: Text[] = [];
  let files = 0, read = 0;
  for (const file of DIRS.flatMap(captures)) {
    const digest = createHash('sha1').update(readFileSync(file)).digest('hex');
    if (seen.has(digest)) continue;
    seen.add(digest);
    files++;
    let loaded: Awaited<ReturnType<typeof loadCapture>>;
    try {
      loaded = await loadCapture(file);
    } catch {
      continue;
    }
    const maxFrame = loaded.columns.length;
    if (!maxFrame) continue;
    read++;
    const name = path.relative(repoRoot, file);
    // The findings as the CLI has them (cross-point ones included), and its caveats (buildReport's call).
    for (const f of buildPointsReport([loaded], [file], { lang: 'en' }).findings) texts.push(...findingTexts(f, name, maxFrame));
    const copies = diagnoseCapture(loaded.input).streams.reduce((sum, s) => sum + s.copies, 0);
    texts.push(...caveatTexts(caveats({ ...loaded.input, copies }), name, maxFrame));
  }
  return { texts, files, read };
}

interface Violation {
  rule: string;
  key: string;
  lang: Lang;
  file: string;
  example: string;
}

function violations(texts: Text[]): Violation[] {
  const out: Violation[] = [];
  for (const t of texts) {
    for (const r of RULES) {
      const bad = r.find(t);
      if (bad !== null) out.push({ rule: r.name, key: t.key, lang: t.lang, file: t.file, example: bad });
    }
  }
  return out;
}

/** One line per rule, key and language: how many, and the first example. */
function table(vs: Violation[]): string {
  const groups = new Map<string, { v: Violation; n: number }>();
  for (const v of vs) {
    const k = `${v.rule}\t${v.key}\t${v.lang}`;
    const g = groups.get(k);
    if (g) g.n++;
    else groups.set(k, { v, n: 1 });
  }
  const lines = [...groups.values()]
    .sort((a, b) => a.v.rule.localeCompare(b.v.rule) || a.v.key.localeCompare(b.v.key) || a.v.lang.localeCompare(b.v.lang))
    .map(({ v, n }) => `${v.rule.padEnd(30)} ${v.key.padEnd(28)} ${v.lang.padEnd(5)} ${String(n).padStart(5)}  ${v.example.replace(/\s+/g, ' ').slice(0, 160)}  [${v.file}]`);
  return [`${'rule'.padEnd(30)} ${'key'.padEnd(28)} ${'lang'.padEnd(5)} ${'count'.padStart(5)}  first example  [capture]`, ...lines].join('\n');
}

describe('finding and caveat texts over every capture', () => {
  let all: Text[] = [];
  let counts = { files: 0, read: 0 };

  beforeAll(async () => {
    const r = await collect();
    all = r.texts;
    counts = { files: r.files, read: r.read };
  }, 120_000);

  it('its rules catch the faults they are named after', () => {
    const bad: [string, Lang, string][] = [
      ['empty list', 'en', '1 other transmissions of that size or larger met the same fate (frames ).'],
      ['empty list', 'en', 'Re-sent 3 data segments, e.g. frames .'],
      ['empty list', 'zh-CN', '例如帧 。'],
      ['empty list', 'en', 'frames 1, , 3'],
      ['placeholder left', 'en', 'sent {{count}} times'],
      ['NaN/undefined/Infinity/null', 'en', 'delay NaN ms'],
      ['doubled punctuation', 'en', 'the capture was cut short..'],
      ['doubled punctuation', 'zh-CN', '被截断。。'],
      ['doubled punctuation', 'en', 'frames 1, 2, ….'],
      ['list cut with a bare "…"', 'en', '(frames 1, 2, …)'],
      ['English in Chinese', 'zh-CN', '帧 1 and 2 more of the frames'],
      ['ASCII punctuation in Chinese', 'zh-CN', '包(帧 1)被丢弃,见下'],
      ['links a frame not in evidence', 'en', 'SYN in frames 25, 457, 527, 100, 200 s apart'],
    ];
    for (const [rule, lang, text] of bad) {
      const r = RULES.find((x) => x.name === rule)!;
      expect(r.find({ file: '', owner: '', key: '', lang, text, frames: new Set([25, 457, 527]), maxFrame: 1000 }), `${rule}: ${text}`).not.toBeNull();
    }
    const good = [
      ['en', 'frames 21, 24-30, 40, … and 12 more (at [fe80::1]:443), 1.03 s.'],
      ['zh-CN', '帧 21、24-30、40…等 12 个（见 802.3 帧，tcpdump -i any，GRE in UDP）。'],
    ] as const;
    for (const [lang, text] of good) {
      const t = { file: '', owner: '', key: '', lang, text, frames: new Set([21, 24, 30, 40]), maxFrame: 1000 };
      expect(RULES.flatMap((r) => (r.find(t) === null ? [] : [r.name])), text).toEqual([]);
    }
  });

  it('reads the captures', () => {
    expect(counts.read, `${counts.read} of ${counts.files} captures read`).toBeGreaterThan(hasShared ? 1000 : 10);
  });

  for (const kind of CAVEAT_KINDS) {
    it(`caveats: ${kind}`, () => {
      const vs = violations(all.filter((t) => t.owner === `caveat ${kind}`));
      expect(vs.length, `${kind} caveat texts:\n${table(vs)}`).toBe(0);
    });
  }

  for (const kind of KINDS) {
    it(`findings: ${kind}`, () => {
      const vs = violations(all.filter((t) => t.owner === kind));
      expect(vs.length, `${kind} texts:\n${table(vs)}`).toBe(0);
    });
  }
});
