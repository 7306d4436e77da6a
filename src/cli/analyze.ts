/**
 * `analyze FILE [FILE ...] [--mtu N] [--lang en|zh-CN] [--format json|text]`: the capture summary, the
 * stream table and the findings, as a readable report or as JSON (stable, documented in
 * docs/analyze-json.md). Several files are capture points of one path (see analyzePoints.ts).
 */
import { createCaptureReader } from '../capture/index';
import { LINK_TYPE_NAMES } from '../decode/linkTypes';
import {
  caveats, diagnoseCapture, notCapturedOf, renderCaveat, renderFinding, summarizeCapture,
  type Caveat, type CaveatInput, type CaveatKind, type CaptureSummary, type DiagnoseInput, type Finding,
} from '../diagnose/index';
import { listParams } from '../diagnose/text';
import { isLang, translate, type Lang } from '../i18n/index';
import { renderWarning } from '../i18n/warnings';
import { CaptureSession, CLI_TABLE_BYTES } from '../pipeline';
import { TcpAnalyzer } from '../tcp/analyzer';
import { TCP_FLAG_NAMES } from '../tcp/types';
import type { CliIo } from './io';
import { buildPointsReport, formatPoints } from './analyzePoints';
import { fileSize, readCaptureFileIntoSession } from './readFile';

export const ANALYZE_USAGE = 'analyze FILE [FILE ...] [--mtu N] [--lang en|zh-CN] [--format json|text] [--max-packets N]';
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
}

export function parseAnalyzeArgs(args: string[]): AnalyzeOptions | string {
  const files: string[] = [];
  let mtu: number | undefined, lang: Lang = 'en', format: 'json' | 'text' = 'text', maxPackets: number | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
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
  // `files` only when there are several, so a one-file call keeps its documented shape.
  return { file: files[0], ...(files.length > 1 ? { files } : {}), mtu, lang, format, ...(maxPackets ? { maxPackets } : {}) };
}

/** Read a capture file through the pipeline with the TCP analyzer. */
export async function loadCapture(path: string, opts: { maxPackets?: number } = {}): Promise<{ session: CaptureSession; analyzer: TcpAnalyzer; input: CaveatInput }> {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({
    processors: [analyzer], createReader: (sink) => createCaptureReader(sink), maxPackets: opts.maxPackets, maxTableBytes: CLI_TABLE_BYTES,
    expectedBytes: fileSize(path),
  });
  await readCaptureFileIntoSession(path, session);
  const input: CaveatInput = {
    cols: session.columns,
    tcp: { stream: analyzer.out.stream, dir: analyzer.out.dir, flags: analyzer.out.flags, streams: analyzer.streams },
    format: session.format,
    interfaces: session.interfaces.filter(Boolean),
    warnings: session.warnings,
    interfaceDrops: session.interfaceDrops,
  };
  return { session, analyzer, input };
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
}

export interface AnalyzeJson {
  version: number;
  file: string;
  lang: Lang;
  pathMtu: number | null;
  capture: Omit<CaptureSummary, 'warnings'> & { frames: number; linkTypeNames: string[]; warnings: WarningJson[] };
  streams: StreamJson[];
  findings: Record<string, unknown>[];
  /** What about the capture limits the analysis (src/diagnose/caveats.ts), most consequential first. */
  caveats: CaveatJson[];
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

function endpointOf(input: DiagnoseInput, addr: number, port: number): string {
  const t = input.cols.addresses.text[addr] ?? '?';
  return input.cols.addresses.family[addr] === 6 ? `[${t}]:${port}` : `${t}:${port}`;
}

/** A finding as JSON: its numbers, with the messages rendered in `lang`. */
export function findingJson(f: Finding, lang: Lang): Record<string, unknown> {
  const r = renderFinding(f, lang);
  const { title: _t, summary: _s, story: _st, remedy: _r, ...numbers } = f;
  return { ...numbers, title: r.title, summary: r.summary, text: [r.summary, ...r.story].join('\n\n'), story: r.story, remedy: r.remedy };
}

export function buildReport(input: CaveatInput, file: string, opts: { mtu?: number; lang: Lang }): { json: AnalyzeJson; findings: Finding[] } {
  const { findings, streams: facts } = diagnoseCapture(input, opts.mtu ? { pathMtu: opts.mtu } : {});
  const infos = input.tcp?.streams ?? [];
  const summary = summarizeCapture(input, infos.length || facts.length);
  const byStream = new Map<number, string[]>();
  for (const f of findings) for (const k of f.streams ?? [f.stream]) byStream.set(k, [...(byStream.get(k) ?? []), f.id]);
  const streams: StreamJson[] = infos.map((s) => {
    const fact = facts[s.index];
    const counts: Record<string, number> = {};
    TCP_FLAG_NAMES.forEach((name, bit) => { if (s.flagCounts[bit]) counts[name] = s.flagCounts[bit]; });
    const c = input.cols;
    return {
      index: s.index,
      a: endpointOf(input, s.addrA, s.portA),
      b: endpointOf(input, s.addrB, s.portB),
      packets: s.packets,
      bytes: { aToB: s.bytesDir[0], bToA: s.bytesDir[1] },
      duration: c.time(s.lastFrame) - c.time(s.firstFrame),
      retransmissions: fact ? fact.retransmitted : 0,
      lost: fact ? fact.lost : 0,
      spurious: fact ? fact.spurious : 0,
      holes: fact ? fact.holes : 0,
      notCaptured: fact ? fact.notCaptured : 0,
      flags: { syn: s.synSeen, synAck: s.synAckSeen, fin: [s.finSeen[0], s.finSeen[1]], rst: [s.rstSeen[0], s.rstSeen[1]], counts },
      findings: byStream.get(s.index) ?? [],
    };
  });
  const json: AnalyzeJson = {
    version: ANALYZE_JSON_VERSION,
    file,
    lang: opts.lang,
    pathMtu: opts.mtu ?? null,
    capture: {
      ...summary, frames: summary.packets, linkTypeNames: summary.linkTypes.map((l) => LINK_TYPE_NAMES[l] ?? String(l)),
      warnings: summary.warnings.map((w, i) => ({ ...w, text: warningText(input, i, opts.lang) })),
    },
    streams,
    findings: findings.map((f) => findingJson(f, opts.lang)),
    caveats: caveats({ ...input, copies: facts.reduce((s, f) => s + f.copies, 0), notCaptured: notCapturedOf(facts) }).map((c) => caveatJson(c, opts.lang)),
  };
  return { json, findings };
}

/** The i-th reader warning in `lang` (summary.warnings lists input.warnings in order). */
function warningText(input: CaveatInput, i: number, lang: Lang): string {
  const all = input.warnings ?? [];
  return renderWarning(all[i], lang, all);
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
  lines.push('', `${t('cli.streams')} (${rep.streams.length})`);
  const shown = rep.streams.slice(0, 50);
  lines.push('  ' + ['#', 'A', 'B', t('cli.col.packets'), t('cli.col.bytesAB'), t('cli.col.bytesBA'), t('cli.col.duration'), t('cli.col.retransmissions'), t('cli.col.holes'), t('cli.col.findings')].join('\t'));
  for (const s of shown) {
    lines.push('  ' + [s.index, s.a, s.b, s.packets, s.bytes.aToB, s.bytes.bToA, s.duration.toFixed(3), s.retransmissions, s.holes, s.findings.length].join('\t'));
  }
  if (rep.streams.length > shown.length) lines.push(`  … ${rep.streams.length - shown.length}`);
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
    const warnings = l.session.warnings;
    const fatal = warnings.find((w) => w.fatal);
    if (l.session.packets === 0 && fatal) {
      io.err(`analyze: ${translate(opts.lang, 'cli.unreadable', { file, message: renderWarning(fatal, opts.lang, warnings) })}\n`);
      return 1;
    }
    loaded.push(l);
  }
  const rep = buildPointsReport(loaded, files, opts);
  if (opts.format === 'json') io.out(JSON.stringify(rep.json, null, 2) + '\n');
  else io.out(formatText(rep.json, rep.findings, opts.lang) + ('points' in rep.json ? formatPoints(rep.json, opts.lang) : ''));
  return 0;
}
