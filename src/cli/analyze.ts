/**
 * `analyze FILE [FILE ...] [--mtu N] [--lang en|zh-CN] [--format json|text]`: the capture summary, the
 * stream table and the findings, as a readable report or as JSON (stable, documented in
 * docs/analyze-json.md). Several files are capture points of one path (see analyzePoints.ts).
 */
import { openAnalysis, type Analysis } from '../analysis';
import { renderCaveat, renderFinding, type Caveat, type CaveatKind, type CaptureSummary, type Finding, type RateVerdict } from '../diagnose/index';
import { listParams } from '../diagnose/text';
import { isLang, translate, type Lang } from '../i18n/index';
import { renderWarning } from '../i18n/warnings';
import { CLI_TABLE_BYTES } from '../pipeline';
import { TCP_FLAG_NAMES } from '../tcp/types';
import { asStreamId } from '../types';
import type { StreamStats } from '../view/streamStats';
import type { CliIo } from './io';
import { buildPointsReport, formatPoints } from './analyzePoints';
import { filterCaptureFile, filterErrorText } from './filter';
import { FilterError, type FilterResult } from '../filter/index';
import { fileSize, readCaptureFileIntoAnalysis } from './readFile';
import { udpJson, type UdpJson } from './udpJson';

export const ANALYZE_USAGE = 'analyze FILE [FILE ...] [--mtu N] [--lang en|zh-CN] [--format json|text] [--max-packets N] [-Y FILTER]';
export const ANALYZE_JSON_VERSION = 1;

export interface AnalyzeOptions {
  /** The first file (point 0). */
  file: string;
  /** Every file, in argument order (capture points 0, 1, ...). */
  files?: string[];
  mtu?: number;
  lang: Lang;
  format: 'json' | 'text';
  /** Stop reading each file after this many packets (what was read is analysed, and a caveat says so). */
  maxPackets?: number;
  /**
   * `-Y`: a display filter (one file only). The report keeps the streams that have a matching packet
   * and the findings about them (or citing a matching frame); the summary and caveats stay the
   * whole capture's. tshark's -Y keeps frames; a stream table keeps streams.
   */
  filter?: string;
}

export function parseAnalyzeArgs(args: string[]): AnalyzeOptions | string {
  const files: string[] = [];
  let mtu: number | undefined, lang: Lang = 'en', format: 'json' | 'text' = 'text', maxPackets: number | undefined;
  let filter: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-Y') {
      if (args[k + 1] === undefined) return 'option -Y needs a display filter';
      filter = args[++k];
      continue;
    }
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++k]);
    const name = a.split('=')[0];
    if (['--mtu', '--lang', '--format', '--max-packets'].includes(name) && !a.includes('=') && args[k + 1] === undefined) {
      return `option ${name} needs a value`;
    }
    if (a === '--mtu' || a.startsWith('--mtu=')) {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 68 || v > 65535) return 'the MTU must be a whole number of bytes between 68 and 65535';
      mtu = v;
    } else if (a === '--lang' || a.startsWith('--lang=')) {
      const v = value() ?? '';
      if (!isLang(v)) return `unknown language "${v}" (en, zh-CN)`;
      lang = v;
    } else if (a === '--format' || a.startsWith('--format=')) {
      const v = value();
      if (v !== 'json' && v !== 'text') return `unknown format "${v}" (json, text)`;
      format = v;
    } else if (a === '--max-packets' || a.startsWith('--max-packets=')) {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) return 'the packet limit must be a whole number above 0';
      maxPackets = v;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else files.push(a);
  }
  if (!files.length) return 'FILE is missing';
  if (filter !== undefined && files.length > 1) return 'a display filter (-Y) applies to one file';
  // `files` only when there are several, so a one-file call keeps its documented shape.
  return { file: files[0], ...(files.length > 1 ? { files } : {}), mtu, lang, format, ...(maxPackets ? { maxPackets } : {}), ...(filter !== undefined ? { filter } : {}) };
}

/** Read a capture file through the core's one entry point (src/analysis.ts), with the CLI's memory budget. */
export async function loadCapture(path: string, opts: { maxPackets?: number } = {}): Promise<Analysis> {
  const run = openAnalysis({ maxPackets: opts.maxPackets, maxTableBytes: CLI_TABLE_BYTES, expectedBytes: fileSize(path) });
  return readCaptureFileIntoAnalysis(path, run);
}

export interface StreamJson {
  index: number;
  a: string;
  b: string;
  packets: number;
  bytes: { aToB: number; bToA: number };
  duration: number;
  /** Data sent again (spurious re-sends included; reordering and offload copies are not). */
  retransmissions: number;
  /** Segments lost (after or before the capture point), by their fates. */
  lost: number;
  /** Re-sends the receiver did not need. */
  spurious: number;
  holes: number;
  /** Sequence gaps acknowledged but never captured (the capture missed them). */
  notCaptured: number;
  flags: { syn: boolean; synAck: boolean; fin: [boolean, boolean]; rst: [boolean, boolean]; counts: Record<string, number> };
  findings: string[];
  /** The stream's numbers (src/view/streamStats.ts): round trips, rates, options, retransmission rate, close. */
  stats: StreamStats | null;
  /** What limited each direction's rate (src/diagnose/rate.ts), [A→B, B→A]; null for a direction without data. */
  rate: [RateVerdict | null, RateVerdict | null];
}

export interface AnalyzeJson {
  version: number;
  file: string;
  lang: Lang;
  pathMtu: number | null;
  capture: Omit<CaptureSummary, 'warnings'> & { frames: number; linkTypeNames: string[]; warnings: WarningJson[] };
  streams: StreamJson[];
  /** The UDP conversations (udp.stream numbers), at most 1,000 of them: the most bytes first. */
  udp: UdpJson;
  findings: Record<string, unknown>[];
  /** What about the capture limits the analysis (src/diagnose/caveats.ts), most consequential first. */
  caveats: CaveatJson[];
  /** With -Y: the display filter, the frames it selected, the streams kept. */
  filter?: { expression: string; frames: number; streams: number };
}

/** A reader warning: `message` stays English (stable for scripts), `text` is the same in `lang`. */
export type WarningJson = CaptureSummary['warnings'][number] & { text: string };

export interface CaveatJson {
  kind: CaveatKind;
  severity: 'warning' | 'info';
  count: number;
  text: string;
  details: string[];
  frames: number[];
  streams?: number[];
}

export function caveatJson(c: Caveat, lang: Lang): CaveatJson {
  const r = renderCaveat(c, lang);
  return { kind: c.kind, severity: c.severity, count: c.count, text: r.text, details: r.details, frames: c.frames, ...(c.streams ? { streams: c.streams } : {}) };
}

/** A finding as JSON: its numbers, with the messages rendered in `lang`. */
export function findingJson(f: Finding, lang: Lang): Record<string, unknown> {
  const r = renderFinding(f, lang);
  const { title: _t, summary: _s, story: _st, remedy: _r, ...numbers } = f;
  return { ...numbers, title: r.title, summary: r.summary, text: [r.summary, ...r.story].join('\n\n'), story: r.story, remedy: r.remedy };
}

/**
 * The report of one capture: everything in it comes from the analysis (summary, stream table,
 * diagnosis, caveats), computed there once, as the app's worker reads it too.
 */
export function buildReport(analysis: Analysis, file: string, opts: { mtu?: number; lang: Lang }): { json: AnalyzeJson; findings: Finding[] } {
  const d = analysis.diagnosis(opts.mtu ?? 0);
  const summary = analysis.summary();
  const table = analysis.streamTable(opts.mtu ?? 0);
  const streams: StreamJson[] = analysis.tcp.streams.map((s, i) => {
    const row = table[i];
    const fact = d.facts[s.index];
    const counts: Record<string, number> = {};
    TCP_FLAG_NAMES.forEach((name, bit) => { if (s.flagCounts[bit]) counts[name] = s.flagCounts[bit]; });
    return {
      index: s.index,
      a: row.a,
      b: row.b,
      packets: s.packets,
      bytes: { aToB: s.bytesDir[0], bToA: s.bytesDir[1] },
      duration: row.duration,
      retransmissions: row.retrans,
      lost: fact ? fact.lost : 0,
      spurious: fact ? fact.spurious : 0,
      holes: row.holes,
      notCaptured: fact ? fact.notCaptured : 0,
      flags: { syn: s.synSeen, synAck: s.synAckSeen, fin: [s.finSeen[0], s.finSeen[1]], rst: [s.rstSeen[0], s.rstSeen[1]], counts },
      findings: (d.byStream.get(s.index) ?? []).map((f) => f.id),
      stats: analysis.streamStats(asStreamId(s.index)),
      rate: fact ? fact.rate : [null, null],
    };
  });
  const { compressed: _c, sllIfIndexes: _s, linkTypeNames, ...capture } = summary;
  const all = analysis.warnings;
  const json: AnalyzeJson = {
    version: ANALYZE_JSON_VERSION,
    file,
    lang: opts.lang,
    pathMtu: opts.mtu ?? null,
    capture: {
      ...capture, frames: capture.packets, linkTypeNames,
      // summary.warnings lists the reader's warnings in order.
      warnings: capture.warnings.map((w, i) => ({ ...w, text: renderWarning(all[i], opts.lang, all) })),
    },
    streams,
    udp: udpJson(analysis, d.findings),
    findings: d.findings.map((f) => findingJson(f, opts.lang)),
    caveats: d.caveats.map((c) => caveatJson(c, opts.lang)),
  };
  // A copy: the points report annotates and re-sorts its findings, the analysis keeps its own.
  return { json, findings: [...d.findings] };
}

/** Terminal columns a character takes (CJK and full-width forms take two). */
function cells(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return n;
}

/** Wrap at spaces and between CJK characters, never inside a Latin word or a number. */
function wrap(text: string, indent: string, width = 100): string {
  // A CJK character is a token of its own, and takes the closing punctuation after it along: a
  // line never starts with "," "。" ")" and the like.
  const tokens = text.match(/[\u2e80-\ua4cf\uff00-\uffe6][,.;:!?)\]、。,;:!?)」』]*|[^\s\u2e80-\ua4cf\uff00-\uffe6]+|\s+/gu) ?? [];
  const out: string[] = [];
  let line = '';
  const room = width - indent.length;
  for (const tok of tokens) {
    if (line && cells(line) + cells(tok) > room && !/^\s+$/.test(tok)) { out.push(indent + line.trimEnd()); line = ''; }
    if (!line && /^\s+$/.test(tok)) continue;
    line += tok;
  }
  if (line.trim()) out.push(indent + line.trimEnd());
  return out.join('\n');
}

export function formatText(rep: AnalyzeJson, findings: Finding[], lang: Lang): string {
  const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate(lang, k, p);
  const c = rep.capture;
  const lines: string[] = [];
  lines.push(`${t('cli.capture')}: ${rep.file}`);
  lines.push(`  ${t('cli.format')}: ${c.format}   ${t('cli.packets')}: ${c.frames}   ${t('cli.duration')}: ${c.duration.toFixed(3)} s   ${t('cli.linkTypes')}: ${c.linkTypeNames.join(', ') || t('cli.none')}   ${t('cli.tunnels')}: ${c.tunnels.join(', ') || t('cli.none')}`);
  // The reader's warnings are among the caveats, each with what was still read.
  if (rep.caveats?.length) lines.push('', `${t('cli.caveats')} (${rep.caveats.length})`);
  for (const cv of rep.caveats ?? []) {
    lines.push(wrap(cv.text, '    ').replace(/^ {4}/, cv.severity === 'warning' ? '  ! ' : '  * '));
    for (const d of cv.details) lines.push(wrap(d, '      ').replace(/^ {6}/, '    - '));
  }
  if (rep.filter) lines.push('', t('cli.filtered', { expression: rep.filter.expression, frames: rep.filter.frames }));
  lines.push('', `${t('cli.streams')} (${rep.streams.length})`);
  const shown = rep.streams.slice(0, 50);
  lines.push('  ' + ['#', 'A', 'B', t('cli.col.packets'), t('cli.col.bytesAB'), t('cli.col.bytesBA'), t('cli.col.duration'), t('cli.col.retransmissions'), t('cli.col.holes'), t('cli.col.findings')].join('\t'));
  for (const s of shown) {
    lines.push('  ' + [s.index, s.a, s.b, s.packets, s.bytes.aToB, s.bytes.bToA, s.duration.toFixed(3), s.retransmissions, s.holes, s.findings.length].join('\t'));
  }
  if (rep.streams.length > shown.length) lines.push(`  … ${rep.streams.length - shown.length}`);
  lines.push(...statsLines(rep.streams, lang));
  lines.push('', `${t('cli.findings')} (${findings.length})`);
  if (!findings.length) lines.push(`  ${t('cli.noFindings')}`);
  for (const f of findings) {
    const r = renderFinding(f, lang);
    lines.push('', `[${t(`severity.${f.severity}`).toUpperCase()}] ${r.title}   (${f.id})`);
    lines.push(wrap(r.summary, '  '));
    if (f.kind === 'pmtu-blackhole') lines.push(`  ${t('cli.pathMtu', { min: f.pathMtu.min, max: f.pathMtu.max })}`);
    for (const p of r.story) lines.push('', wrap(p, '  '));
    if (r.remedy.length) {
      lines.push('', `  ${t('cli.remedy')}:`);
      for (const m of r.remedy) lines.push(wrap(m, '    ').replace(/^ {4}/, '  - '));
    }
    // In the finding's order (the most telling first), so as texts, not sorted into ranges.
    if (f.frames.length) lines.push('', `  ${t('cli.evidence', listParams('frames', f.frames.map(String), 30))}`);
  }
  return lines.join('\n') + '\n';
}

/** Streams whose numbers the text report prints: those with findings, at most this many. */
const STATS_SHOWN = 20;

/** The text report's numbers of the streams with findings (all of them are in the JSON's `stats`). */
function statsLines(streams: StreamJson[], lang: Lang): string[] {
  const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate(lang, k, p);
  const shown = streams.filter((s) => s.findings.length && s.stats).slice(0, STATS_SHOWN);
  if (!shown.length) return [];
  const ms = (v: number | null) => (v === null ? '-' : (v * 1000).toFixed(3));
  const rate = (v: number | null) => (v === null ? '-' : `${Math.round(v)} B/s`);
  const yes = (v: boolean | null) => t(v === null ? 'cli.stats.unknown' : v ? 'cli.stats.yes' : 'cli.stats.no');
  const pair = (a: number | null, b: number | null) => `${a ?? '-'}/${b ?? '-'}`;
  const lines = ['', t('cli.stats')];
  for (const s of shown) {
    const st = s.stats!;
    const side = (d: 0 | 1 | null) => (d === null ? '-' : d === 0 ? 'A' : 'B');
    lines.push('', `  ${t('cli.stats.stream', { index: s.index, a: s.a, b: s.b, duration: st.duration.toFixed(3) })}`);
    const h = st.handshake;
    if (h.total === null) lines.push(`    ${t('cli.stats.noHandshake')}`);
    else {
      const near = h.nearer === null ? '' : t('cli.stats.nearer', { side: side(h.nearer) });
      lines.push(`    ${t('cli.stats.handshake', { total: ms(h.total), server: ms(h.synToSynAck), client: ms(h.synAckToAck) })}${near}`);
    }
    for (const d of [0, 1] as const) {
      const x = st.sides[d], r = x.ackRtt;
      lines.push(wrap(t('cli.stats.dir', {
        dir: d === 0 ? 'A→B' : 'B→A', bytes: x.bytes, packets: x.packets, retrans: x.retransmittedSegments,
        rate: x.retransmissionRate === null ? '-' : `${(x.retransmissionRate * 100).toFixed(1)}%`,
        rtt: `${ms(r.min)}/${ms(r.median)}/${ms(r.max)}`, throughput: rate(x.throughput), goodput: rate(x.goodput),
      }), '      ').replace(/^ {6}/, '    '));
    }
    const [a, b] = st.sides;
    lines.push(`    ${t('cli.stats.options', {
      mss: pair(a.mss, b.mss), wscale: pair(a.wscale, b.wscale), sack: yes(st.negotiated.sack), ts: yes(st.negotiated.timestamps),
      zero: `${a.zeroWindows}/${b.zeroWindows}`,
    })}`);
    const c = st.close;
    lines.push(`    ${t(`cli.stats.close.${c.kind}`, { by: side(c.kind === 'reset' ? c.firstRst : c.firstFin) })}`);
  }
  return lines;
}

export async function runAnalyze(opts: AnalyzeOptions, io: CliIo): Promise<number> {
  const files = opts.files ?? [opts.file];
  const loaded = [];
  for (const file of files) {
    let l: Awaited<ReturnType<typeof loadCapture>>;
    try {
      l = await loadCapture(file, opts);
    } catch (e) {
      // The system's reason (ENOENT, EACCES, ...) as Node words it.
      io.err(`analyze: ${translate(opts.lang, 'cli.cannotRead', { file, message: (e as Error).message })}\n`);
      return 1;
    }
    // Not a capture, or damaged before its first packet: nothing to analyse is an error, not an empty report.
    const warnings = l.warnings;
    const fatal = warnings.find((w) => w.fatal);
    if (l.columns.length === 0 && fatal) {
      io.err(`analyze: ${translate(opts.lang, 'cli.unreadable', { file, message: renderWarning(fatal, opts.lang, warnings) })}\n`);
      return 1;
    }
    loaded.push(l);
  }
  const rep = buildPointsReport(loaded, files, opts);
  if (opts.filter !== undefined) {
    let r: FilterResult;
    try {
      r = await filterCaptureFile(loaded[0], files[0], opts.filter);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      io.err(`analyze: ${filterErrorText(e, opts.filter, opts.lang)}`);
      return 2;
    }
    restrictReport(rep, r, loaded[0]);
  }
  if (opts.format === 'json') io.out(JSON.stringify(rep.json, null, 2) + '\n');
  else io.out(formatText(rep.json, rep.findings, opts.lang) + ('points' in rep.json ? formatPoints(rep.json, opts.lang) : ''));
  return 0;
}

/**
 * Keep, in a report, the streams having a packet the filter selected and the findings about them
 * (or citing a selected frame); `filter` in the JSON says what was kept.
 */
export function restrictReport(rep: { json: AnalyzeJson; findings: Finding[] }, r: FilterResult, analysis?: Analysis): void {
  const streams = r.streams();
  const keep = (f: { stream: number; streams?: number[]; frames: number[] }) =>
    (f.streams?.length ? f.streams : [f.stream]).some((s) => s >= 0 && streams[s] === 1) || f.frames.some((fr) => r.mask[fr - 1] === 1);
  rep.findings = rep.findings.filter((f) => keep(f));
  const ids = new Set(rep.findings.map((f) => f.id));
  rep.json.streams = rep.json.streams.filter((s) => streams[s.index] === 1);
  rep.json.findings = rep.json.findings.filter((f) => ids.has(f.id as string));
  rep.json.filter = { expression: r.text, frames: r.count, streams: rep.json.streams.length };
  if (analysis) {
    // The conversations having a selected packet.
    const u = analysis.udp(), has = new Uint8Array(u.count);
    for (let row = 0; row < r.mask.length; row++) if (r.mask[row] && u.stream[row] >= 0) has[u.stream[row]] = 1;
    rep.json.udp = udpJson(analysis, rep.findings, (c) => has[c] === 1);
  }
}
