/**
 * The worker's side of the core's one entry point (src/analysis.ts): a reading through openAnalysis,
 * and its results as the engine presents them (findings with their text rendered when asked, in the
 * language asked). Everything computed comes from the analysis, as the CLI's report does; the
 * engine only sees the `CoreAnalysis` interface.
 */
import {
  asStreamId, openAnalysis, reconcileFate,
  type Analysis, type AnalysisSummary, type AnalysisTcp, type Frame, type Row, type SeriesRequest,
} from '../../src/index';
import type { CaptureInterface, CaptureWarning } from '../../src/capture/index';
import { decodeDetail, type DetailLayer, type PacketColumns } from '../../src/decode/index';
import { renderFinding, renderMsg, type Caveat, type Finding, type StreamFacts } from '../../src/diagnose/index';
import type { Lang } from '../../src/i18n/index';
import { findingNumbers, type FactValue } from '../../src/share/index';
import type { GraphOptions, StreamGraph, StreamIndex, StreamRow, StreamSeries, StreamStats } from '../../src/view/index';
import type { Direction, InferredMtu, Severity } from './protocol';

export { reconcileFate, type SeriesRequest };

/** A finding's text in one language: title, the paragraphs of its explanation, what to do. */
export interface CoreFindingText {
  title: string;
  paragraphs: string[];
  remedy: string[];
}

/**
 * A diagnosis as the worker keeps it. The text is rendered when asked, in the language asked: the
 * list needs only titles, and one diagnosis serves both languages (a language switch re-renders,
 * it does not diagnose again).
 */
export interface CoreFinding {
  id: string;
  kind: string;
  severity: Severity;
  /** The stream told in detail (a grouped finding's representative). */
  stream: number;
  /** Every stream the finding is about: `[stream]`, or the members of a grouped finding. */
  streams: number[];
  dir: Direction | null;
  frames: Frame[];
  t0: number;
  t1: number;
  /** The path MTU this finding reveals (black-hole bracket, or an ICMP "too big" MTU), if any. */
  pathMtu?: InferredMtu;
  /** The finding's measurements by field name (src/share/facts.ts labels them for permalinks). */
  numbers(): Record<string, FactValue>;
  title(lang: string): string;
  text(lang: string): CoreFindingText;
  /** The diagnosis's finding itself (an export of its evidence names it). */
  source: Finding;
}

/** Per-row TCP results (indexed like the packet columns) and the stream records. */
export type CoreTcp = AnalysisTcp;

/** One diagnosis: its findings, and the per-stream numbers it measured (the stream table's counts). */
export interface CoreDiagnosis {
  /** The path MTU asked for (0: inferred). */
  mtu: number;
  /** Most severe first, as the analysis sorted them (the CLI's order). */
  findings: CoreFinding[];
  /** The findings about each stream, a grouped finding under each stream it covers. */
  byStream: Map<number, CoreFinding[]>;
  /** Streams with at least one finding. */
  problemStreams: number;
  /** By stream index (undefined for a stream the diagnoses did not examine). */
  streams: (StreamFacts | undefined)[];
  /**
   * The caveats with what only the diagnoses know (packets captured twice as they counted them,
   * data acknowledged but never captured), as the CLI reports them.
   */
  caveats: Caveat[];
}

/** A packet's fate in words (src/diagnose/fates.ts): its message key and its text in one language. */
export interface CoreFate {
  key: string;
  text: string;
}

export interface CoreAnalysis {
  /** The analysis itself (src/analysis.ts): what the CLI reads too. */
  analysis: Analysis;
  columns: PacketColumns;
  warnings: readonly CaptureWarning[];
  /**
   * What about the capture limits the analysis (message keys: the UI renders them in its language),
   * before any diagnosis; a diagnosis brings them complete (CoreDiagnosis.caveats).
   */
  caveats: Caveat[];
  format: string;
  compressed: boolean;
  interfaces: readonly CaptureInterface[];
  linkTypes: readonly number[];
  encaps: number;
  tcp: CoreTcp;
  summary(): AnalysisSummary;
  /** `mtu` 0: the user chose none, so the diagnoses use the path MTU they infer. */
  diagnose(mtu: number): CoreDiagnosis;
  /** The stream table at this MTU (the diagnosis's retransmissions, holes and findings per stream). */
  streamTable(mtu: number): StreamRow[];
  series(req: SeriesRequest): StreamSeries;
  /** A stream graph (src/view/graphs.ts), decimated to the plot's width. */
  graph(req: GraphOptions): StreamGraph;
  /** The rows of every stream, in capture order (the analysis's, which the chart reads too). */
  streamIndex(): StreamIndex;
  /** A stream's numbers (the CLI's `stats`), with or without findings; null for no such stream. */
  streamStats(stream: number): StreamStats | null;
  /**
   * What became of the packet in `row` (0-based), as the diagnoses decided it, in `lang`; null for a
   * packet without data (unless it is a copy of another) or not TCP. Worded against Wireshark's
   * flags where they disagree (a copy Wireshark calls a retransmission says it is none).
   */
  fate(row: Row, lang: string): CoreFate | null;
}

/** A reading in progress: feed chunks, then finish. */
export interface CoreRun {
  push(chunk: Uint8Array): void;
  packets(): number;
  /**
   * End the reading. `stopped`: the user cancelled, so the file "ends" wherever reading stopped and
   * what the reader says about that end (a packet cut in half, a short gzip stream) is not damage.
   */
  finish(opts?: { stopped?: boolean }): CoreAnalysis;
}

export interface Core {
  /** A new analysis; `expectedBytes` (the file's size) lets the packet table grow once, to fit. */
  start(expectedBytes?: number): CoreRun;
  decodeDetail(bytes: Uint8Array, linkType: number, fcsLen: number): DetailLayer[];
}


function langOf(lang: string): Lang {
  return (lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en') as Lang;
}

function inferredMtuOf(f: Finding): { pathMtu?: InferredMtu } {
  if (f.kind === 'pmtu-blackhole') return { pathMtu: { min: f.pathMtu.min, max: f.pathMtu.max, source: 'blackhole' } };
  if (f.kind === 'icmp-ptb') return { pathMtu: { min: f.mtu, max: f.mtu, source: 'icmp' } };
  return {};
}

function toCoreFinding(f: Finding): CoreFinding {
  return {
    id: f.id, kind: f.kind, severity: f.severity, stream: f.stream, streams: f.streams?.length ? f.streams : [f.stream],
    dir: f.direction, frames: f.frames, t0: f.t0, t1: f.t1,
    ...inferredMtuOf(f),
    numbers: () => findingNumbers(f),
    source: f,
    title: (lang) => renderMsg(f.title, langOf(lang)),
    text(lang) {
      const r = renderFinding(f, langOf(lang));
      return { title: r.title, paragraphs: [r.summary, ...r.story].filter(Boolean), remedy: r.remedy };
    },
  };
}

/**
 * Memory budget of the packet table in a browser tab: 768 MiB, about 6.2 million packets at 130 bytes
 * a row. With the TCP analysis's per-packet results the whole analysis keeps about 224 bytes a packet
 * (docs/benchmarks.md), so ~1.3 GiB at the limit: what a 64-bit browser tab holds without being
 * killed. A larger capture is analysed up to there, and says so (a 'memory-limit' warning).
 */
export const BROWSER_TABLE_BYTES = 768 * 2 ** 20;

function coreOf(a: Analysis): CoreAnalysis {
  const wrapped = new WeakMap<object, CoreDiagnosis>();
  return {
    analysis: a,
    columns: a.columns,
    warnings: a.warnings,
    caveats: a.caveats(),
    format: a.format,
    compressed: a.compressed,
    interfaces: a.interfaces,
    linkTypes: a.linkTypes,
    encaps: a.encaps,
    tcp: a.tcp,
    summary: () => a.summary(),
    diagnose(mtu) {
      const d = a.diagnosis(mtu);
      let cd = wrapped.get(d);
      if (!cd) {
        const of = new Map(d.findings.map((f) => [f, toCoreFinding(f)]));
        const byStream = new Map([...d.byStream].map(([s, list]) => [s, list.map((f) => of.get(f)!)]));
        cd = { mtu, findings: [...of.values()], byStream, problemStreams: d.problemStreams, streams: d.facts, caveats: d.caveats };
        wrapped.set(d, cd);
      }
      return cd;
    },
    streamTable: (mtu) => a.streamTable(mtu),
    series: (req) => a.series(req),
    graph: (req) => a.graph(req),
    streamIndex: () => a.streamIndex(),
    streamStats: (stream) => a.streamStats(asStreamId(stream)),
    fate(row, lang) {
      const f = a.fate(row);
      if (!f) return null;
      const l = langOf(lang);
      return { key: f.key, text: f.messages.map((m) => renderMsg(m, l)).join(l === 'zh-CN' ? '' : ' ') };
    },
  };
}

function start(maxTableBytes: number, expectedBytes?: number): CoreRun {
  const run = openAnalysis({ maxTableBytes, expectedBytes });
  return {
    push: (chunk) => run.push(chunk),
    packets: () => run.packets,
    finish: (opts) => coreOf(run.finish(opts)),
  };
}

/** `maxTableBytes`: the packet table's budget (tests make it small). */
export function loadCore(opts: { maxTableBytes?: number } = {}): Core {
  return { start: (expectedBytes) => start(opts.maxTableBytes ?? BROWSER_TABLE_BYTES, expectedBytes), decodeDetail };
}
