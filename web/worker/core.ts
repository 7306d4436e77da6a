/**
 * The one place where the worker meets the core (src/): reader pipeline, TCP analyzer, diagnoses,
 * chart series and detail decoder. The worker's engine only sees the `CoreAnalysis` interface, so a
 * change in a core API is fixed here and nowhere else.
 */
import { createCaptureReader } from '../../src/capture/index';
import type { CaptureInterface, CaptureWarning } from '../../src/capture/types';
import type { PacketColumns } from '../../src/decode/columns';
import { decodeDetail, type DetailLayer } from '../../src/decode/detail';
import {
  caveats, diagnoseCapture, FateIndex, notCapturedOf, renderFinding, renderMsg,
  type Caveat, type CaveatInput, type DiagnoseInput, type Finding, type Msg, type StreamFacts,
} from '../../src/diagnose/index';
import { CaptureSession } from '../../src/pipeline';
import { findingNumbers, type FactValue } from '../../src/share/facts';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import type { TcpExplanation } from '../../src/tcp/explain';
import { TcpFlagBit, type TcpStreamInfo } from '../../src/tcp/types';
import { buildStreamIndex, streamSeries, streamVerdicts, type StreamIndex, type StreamSeries } from '../../src/view/series';
import { rowsOfStream } from '../../src/view/streamIndex';
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
  /** The stream told in detail (a grouped finding's representative). */
  stream: number;
  /** Every stream the finding is about: `[stream]`, or the members of a grouped finding. */
  streams: number[];
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

/** One diagnosis: its findings, and the per-stream numbers it measured (the stream table's counts). */
export interface CoreDiagnosis {
  findings: CoreFinding[];
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
  /** `mtu` 0: the user chose none, so the diagnoses use the path MTU they infer. */
  diagnose(mtu: number): CoreDiagnosis;
  series(req: SeriesRequest): StreamSeries;
  /**
   * What became of the packet in `row` (0-based), as the diagnoses decided it, in `lang`; null for a
   * packet without data (unless it is a copy of another) or not TCP. Worded against Wireshark's
   * flags where they disagree (a copy Wireshark calls a retransmission says it is none).
   */
  fate(row: number, lang: string): CoreFate | null;
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
    id: f.id, kind: f.kind, severity: f.severity, stream: f.stream, streams: f.streams?.length ? f.streams : [f.stream],
    dir: f.direction, frames: f.frames, t0: f.t0, t1: f.t1,
    ...inferredMtuOf(f),
    numbers: () => findingNumbers(f),
    title: (lang) => renderMsg(f.title, langOf(lang)),
    text(lang) {
      const r = renderFinding(f, langOf(lang));
      return { title: r.title, paragraphs: [r.summary, ...r.story].filter(Boolean), remedy: r.remedy };
    },
  };
}

const RETRANS_BITS = TcpFlagBit.Retransmission | TcpFlagBit.FastRetransmission | TcpFlagBit.SpuriousRetransmission;

/**
 * The fate's message, worded against Wireshark's flags of the same packet where the two disagree,
 * so the "why" box never holds two contradicting statements: a copy Wireshark compares with the
 * first one (and calls a retransmission, a duplicate ACK, out of order) says it is none of them; a
 * re-send Wireshark calls out of order (it came soon after later data) says why it is a
 * retransmission all the same; bytes Wireshark calls retransmitted that the capture shows for the
 * first time (a later packet or their ACK was captured before them) say why they are not.
 */
export function reconcileFate(fate: Msg, wireshark: number): Msg[] {
  if (fate.key === 'fate.copy') {
    if (wireshark & RETRANS_BITS) return [{ key: 'fate.copyRetrans', params: fate.params }];
    if (wireshark & TcpFlagBit.DuplicateAck) return [{ key: 'fate.copyDupAck', params: fate.params }];
    if (wireshark & TcpFlagBit.OutOfOrder) return [{ key: 'fate.copyOutOfOrder', params: fate.params }];
    return [fate];
  }
  if (fate.key === 'fate.deliveredRepair' && wireshark & TcpFlagBit.OutOfOrder && !(wireshark & RETRANS_BITS)) return [fate, { key: 'fate.note.notReordered' }];
  if (fate.key === 'fate.delivered' && wireshark & RETRANS_BITS) return [fate, { key: 'fate.note.firstSeen' }];
  return [fate];
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
      const input: DiagnoseInput = { cols, tcp: view, format: session.format, interfaces: session.interfaces, warnings };
      const caveatInput: CaveatInput = { cols, tcp: view, format: session.format, interfaces: session.interfaces.filter(Boolean), warnings, interfaceDrops: session.interfaceDrops };
      // The fates of single packets, for the "why" box and the chart's marks: built when first asked.
      let fates: FateIndex | null = null;
      const fateOf = (row: number): Msg | null => (fates ??= new FateIndex(input)).fate(row);
      const verdicts = new Map<number, Uint8Array>();
      const indexed = () => (index ??= buildStreamIndex(seriesTcp, cols));
      return {
        columns: cols,
        warnings,
        caveats: caveats(caveatInput),
        format: session.format,
        compressed: session.formatInfo?.compressed ?? false,
        interfaces: session.interfaces.filter(Boolean),
        linkTypes: [...session.linkTypes.keys()],
        encaps: session.encapsSeen,
        tcp,
        diagnose(mtu) {
          const d = diagnoseCapture(input, { pathMtu: mtu > 0 ? mtu : undefined });
          const streams: (StreamFacts | undefined)[] = [];
          for (const f of d.streams) streams[f.index] = f;
          const all = caveats({ ...caveatInput, copies: d.streams.reduce((n, f) => n + f.copies, 0), notCaptured: notCapturedOf(d.streams) });
          return { findings: d.findings.map(toCoreFinding), streams, caveats: all };
        },
        series(req) {
          const verdictsOf = (stream: number) => {
            let v = verdicts.get(stream);
            if (!v) verdicts.set(stream, (v = streamVerdicts(rowsOfStream(indexed(), stream), out.dir, (row) => fateOf(row)?.key ?? null)));
            return v;
          };
          return streamSeries(
            { cols, tcp: seriesTcp, index: indexed(), verdicts: verdictsOf },
            { stream: req.stream, dir: req.dir, t0: req.t0, t1: req.t1, pixels: req.pixels, pathMtu: req.mtu },
          );
        },
        fate(row, lang) {
          const msg = fateOf(row);
          if (!msg) return null;
          const l = langOf(lang);
          const text = reconcileFate(msg, out.flags[row]).map((m) => renderMsg(m, l)).join(l === 'zh-CN' ? '' : ' ');
          return { key: msg.key, text };
        },
      };
    },
  };
}

/** `maxTableBytes`: the packet table's budget (tests make it small). */
export function loadCore(opts: { maxTableBytes?: number } = {}): Core {
  return { start: (expectedBytes) => start(opts.maxTableBytes ?? BROWSER_TABLE_BYTES, expectedBytes), decodeDetail };
}
