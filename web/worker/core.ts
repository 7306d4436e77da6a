/**
 * The one place where the worker meets the core (src/): reader pipeline, TCP analyzer, diagnoses,
 * chart series and detail decoder. The worker's engine only sees the `CoreAnalysis` interface, so a
 * change in a core API is fixed here and nowhere else.
 */
import { createCaptureReader } from '../../src/capture/index';
import type { CaptureInterface, CaptureWarning } from '../../src/capture/types';
import type { PacketColumns } from '../../src/decode/columns';
import { decodeDetail, type DetailLayer } from '../../src/decode/detail';
import { caveats, diagnose, renderFinding, renderMsg, type Caveat, type Finding } from '../../src/diagnose/index';
import { CaptureSession } from '../../src/pipeline';
import { findingNumbers, type FactValue } from '../../src/share/facts';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import type { TcpExplanation } from '../../src/tcp/explain';
import type { TcpStreamInfo } from '../../src/tcp/types';
import { buildStreamIndex, streamSeries, type StreamIndex, type StreamSeries } from '../../src/view/series';
import { streamSummary } from '../../src/view/streamSummary';
import type { Direction, InferredMtu, Severity } from './protocol';

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
  stream: number;
  dir: Direction | null;
  frames: number[];
  t0: number;
  t1: number;
  /** The path MTU this finding reveals (black-hole bracket, or an ICMP "too big" MTU), if any. */
  pathMtu?: InferredMtu;
  /** The finding's measurements by field name (src/share/facts.ts labels them for permalinks). */
  numbers(): Record<string, FactValue>;
  title(lang: string): string;
  text(lang: string): CoreFindingText;
}

/** Per-row TCP results (indexed like the packet columns) and the stream records. */
export interface CoreTcp {
  streams: readonly TcpStreamInfo[];
  stream: ArrayLike<number>;
  dir: ArrayLike<number>;
  seq: ArrayLike<number>;
  ack: ArrayLike<number>;
  window: ArrayLike<number>;
  flags: ArrayLike<number>;
  explain(row: number): TcpExplanation[];
}

export interface SeriesRequest {
  stream: number;
  dir: Direction;
  t0: number;
  t1: number;
  pixels: number;
  mtu: number;
}

export interface CoreAnalysis {
  columns: PacketColumns;
  warnings: readonly CaptureWarning[];
  /** What about the capture limits the analysis (message keys: the UI renders them in its language). */
  caveats: Caveat[];
  format: string;
  compressed: boolean;
  interfaces: readonly CaptureInterface[];
  linkTypes: readonly number[];
  encaps: number;
  tcp: CoreTcp;
  /** `mtu` 0: the user chose none, so the diagnoses use the path MTU they infer. */
  diagnose(mtu: number): CoreFinding[];
  series(req: SeriesRequest): StreamSeries;
  /** Distinct sequence holes of a stream, both directions, counted as the chart draws them. */
  holeCount(stream: number): number;
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

type Lang = Parameters<typeof renderFinding>[1];

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
    id: f.id, kind: f.kind, severity: f.severity, stream: f.stream, dir: f.direction, frames: f.frames, t0: f.t0, t1: f.t1,
    ...inferredMtuOf(f),
    numbers: () => findingNumbers(f),
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

function start(maxTableBytes: number, expectedBytes?: number): CoreRun {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({ processors: [analyzer], createReader: (sink) => createCaptureReader(sink), maxTableBytes, expectedBytes });
  return {
    push: (chunk) => session.push(chunk),
    packets: () => session.packets,
    finish(opts): CoreAnalysis {
      const before = session.warnings.length;
      session.end();
      const warnings = opts?.stopped ? session.warnings.slice(0, before) : session.warnings;
      const cols = session.columns;
      const out = analyzer.out;
      const tcp: CoreTcp = {
        streams: analyzer.streams, stream: out.stream, dir: out.dir, seq: out.seq, ack: out.ack, window: out.window, flags: out.flags,
        explain: (row) => analyzer.explain(row),
      };
      const view = { stream: out.stream, dir: out.dir, flags: out.flags, streams: analyzer.streams };
      let index: StreamIndex | null = null;
      const seriesTcp = { ...view, seq: out.seq, ack: out.ack, window: out.window };
      return {
        columns: cols,
        warnings,
        caveats: caveats({ cols, tcp: view, format: session.format, interfaces: session.interfaces.filter(Boolean), warnings, interfaceDrops: session.interfaceDrops }),
        format: session.format,
        compressed: session.formatInfo?.compressed ?? false,
        interfaces: session.interfaces.filter(Boolean),
        linkTypes: [...session.linkTypes.keys()],
        encaps: session.encapsSeen,
        tcp,
        diagnose: (mtu) => diagnose({ cols, tcp: view, format: session.format, interfaces: session.interfaces, warnings }, { pathMtu: mtu > 0 ? mtu : undefined }).map(toCoreFinding),
        series(req) {
          index ??= buildStreamIndex(seriesTcp, cols);
          return streamSeries({ cols, tcp: seriesTcp, index }, { stream: req.stream, dir: req.dir, t0: req.t0, t1: req.t1, pixels: req.pixels, pathMtu: req.mtu });
        },
        holeCount(stream) {
          index ??= buildStreamIndex(seriesTcp, cols);
          const h = streamSummary({ cols, tcp: seriesTcp, index }, stream).holeCount;
          return h[0] + h[1];
        },
      };
    },
  };
}

/** `maxTableBytes`: the packet table's budget (tests make it small). */
export function loadCore(opts: { maxTableBytes?: number } = {}): Core {
  return { start: (expectedBytes) => start(opts.maxTableBytes ?? BROWSER_TABLE_BYTES, expectedBytes), decodeDetail };
}
