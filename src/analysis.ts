/**
 * The one way into the core: read a capture chunk by chunk, then ask for what the CLI, the app's
 * worker, the points worker, the benchmark and the fuzzer all need. Each thing is computed once,
 * when first asked, and kept: the CLI and the app read the same numbers, so they cannot disagree.
 *
 *   const run = openAnalysis({ expectedBytes: file.size });
 *   for (const chunk of chunks) run.push(chunk);
 *   const a = run.finish();
 *   a.summary();          // format, link types, packets, time span, streams, tunnels (CaptureSummary)
 *   a.diagnosis(0);       // findings (most severe first), per-stream facts, caveats; 0: the inferred MTU
 *   a.streamTable(0);     // the stream table's rows, retransmissions and holes from the diagnosis
 *   a.series({ stream, dir, t0, t1, pixels, mtu });   // a chart's series, decimated to the width
 *   a.graph({ stream, dir, kind, t0, t1, pixels, average });   // throughput, RTT or window graph, decimated
 *   a.fate(row);          // what became of a packet, worded against Wireshark's flags
 *   a.streamStats(stream);  // a stream's numbers: RTTs, throughput, options, retransmission rate, close
 *   a.point('eth0');      // the capture as a capture point (src/points)
 *   a.follow({ tcp: stream });                  // a followed stream's plan; readFollow(plan, bytes, page) its bytes
 *   a.exportPcapng(a.exportRows({ stream }), bytes);   // pcapng parts of some packets
 *
 * Below this face: CaptureSession (src/pipeline.ts) runs reader → decoder → TcpAnalyzer; the
 * diagnoses (src/diagnose) and the views (src/view) read its columns.
 */
import { createCaptureReader } from './capture/index';
import { writePcapng } from './capture/pcapngWriter';
import type { CaptureBytes } from './capture/ranges';
import type { CaptureFormat, CaptureInterface, CaptureWarning } from './capture/types';
import type { PacketColumns, RowProcessor } from './decode/columns';
import { joinedDnsOf } from './decode/dnsTable';
import { LINK_TYPE_NAMES } from './decode/linkTypes';
import {
  caveats as caveatsOf, diagnoseCapture, FateIndex, notCapturedOf, summarizeCapture,
  type Caveat, type CaveatInput, type CaptureSummary, type Finding, type Msg, type StreamFacts, type TcpView,
} from './diagnose/index';
import { runFilter, runFilterFetching, type FilterData, type FilterResult, type FrameData, type FrameSource } from './filter/index';
import { CaptureSession, type ReaderFactory } from './pipeline';
import type { CapturePoint } from './points/types';
import { TcpAnalyzer } from './tcp/analyzer';
import type { TcpExplanation } from './tcp/explain';
import { TcpFlagBit, type TcpStreamInfo } from './tcp/types';
import { severityRank, streamDataSpans, streamRow, type Severity, type StreamFindingCount, type StreamRow } from './view/rows';
import { buildStreamIndex, streamSeries, streamVerdicts, type StreamIndex, type StreamSeries } from './view/series';
import { graphTrack, streamGraph, type GraphInput, type GraphOptions, type GraphTrack, type StreamGraph } from './view/graphs';
import { rowsOfStream } from './view/streamIndex';
import { buildUdpConversations, type UdpConversations } from './view/udp';
import { streamStats, type StreamStats } from './view/streamStats';
import { followChunks, followTcpPlan, followUdpPlan, readFollow, type FollowChunk, type FollowPage, type FollowPlan } from './view/follow';
import { renderFinding } from './diagnose/index';
import type { Lang } from './i18n/index';
import { asRow, frameAt, rowOf, type Direction, type Frame, type Row, type StreamId } from './types';

export interface AnalysisOptions {
  /** Row processors run after the TCP analyzer, on every row. */
  processors?: RowProcessor[];
  /** Memory budget of the packet table, bytes (the browser's 768 MiB, the CLI's 8 GiB): reading stops there, and says so. */
  maxTableBytes?: number;
  /** Size of the input when known: the packet table grows once, to fit (see CaptureSession). */
  expectedBytes?: number;
  /** Stop after this many packets (the CLI's --max-packets). */
  maxPackets?: number;
  /** How to make the capture reader (tests may inject one). */
  createReader?: ReaderFactory;
}

/** A reading in progress: push chunks, then finish. */
export interface AnalysisRun {
  push(chunk: Uint8Array): void;
  /** Packets read so far. */
  readonly packets: number;
  /** True once the reader stopped (damage it cannot read past, or the memory budget): later chunks are not needed. */
  readonly stopped: boolean;
  /**
   * End the reading. `stopped`: the caller stopped reading (a cancel), so the input "ends" wherever
   * it stopped and what the reader says about that end (a packet cut in half) is not damage.
   */
  finish(opts?: { stopped?: boolean }): Analysis;
}

/** Per-row TCP results (indexed like the packet columns) and the stream records. */
export interface AnalysisTcp extends TcpView {
  streams: TcpStreamInfo[];
  stream: ArrayLike<number>;
  dir: ArrayLike<number>;
  seq: ArrayLike<number>;
  ack: ArrayLike<number>;
  window: ArrayLike<number>;
  flags: ArrayLike<number>;
  /** tcp.analysis.duplicate_ack_num per row (0: none), and the row of the ACK it repeats (-1: none). */
  dupAckNum: ArrayLike<number>;
  dupAckFrame: ArrayLike<number>;
  /** Why Wireshark's rules flagged the packet in `row`. */
  explain(row: Row): TcpExplanation[];
}

/** The summary every face shows: the CLI's `capture`, the app's summary panel. */
export interface AnalysisSummary extends CaptureSummary {
  /** Names of `linkTypes`, in their order ("Ethernet", "Linux cooked v2"; the number for one without a name). */
  linkTypeNames: string[];
  /** The input was gzip-compressed. */
  compressed: boolean;
  /** Interface indexes seen in Linux cooked v2 headers (a `-i any` capture names no interface otherwise), ascending. */
  sllIfIndexes: number[];
}

/** One diagnosis, at one path MTU. */
export interface Diagnosis {
  /** The path MTU asked for; 0: none, the diagnoses use the one they infer. */
  mtu: number;
  /** Most severe first, then by stream, then by first evidence frame (sorted once, in src/diagnose). */
  findings: Finding[];
  /** Per-stream numbers the diagnoses measured (segment fates), by stream index; undefined for a stream not examined. */
  facts: (StreamFacts | undefined)[];
  /** The caveats, with what only the diagnoses know (packets captured twice, data never captured). */
  caveats: Caveat[];
  /** The findings about each stream, in the findings' order; a grouped finding under each stream it covers. */
  byStream: Map<number, Finding[]>;
  /** Streams with at least one finding. */
  problemStreams: number;
}

export interface SeriesRequest {
  stream: StreamId;
  dir: Direction;
  /** Seconds since the first frame. */
  t0: number;
  t1: number;
  pixels: number;
  /** Path MTU the chart marks oversized packets against. */
  mtu: number;
}

/** What to follow: a TCP stream, or the UDP conversation (address/port pair, both ways) of a frame. */
export type FollowTarget = { tcp: StreamId } | { udp: Frame };

/** Which packets to export. */
export type ExportSelection =
  /** Rows (0-based, e.g. the displayed packets), ascending. */
  | { rows: ArrayLike<number> }
  | { stream: StreamId }
  /** Frame numbers (1-based), in any order; each written once, in capture order. */
  | { frames: readonly Frame[] }
  /**
   * A finding's evidence frames, each with a comment naming the finding, and a section comment
   * saying so; `streams`: every packet of the finding's streams, the evidence commented.
   */
  | { finding: Finding; lang?: Lang; streams?: boolean };

/** Packets to write, in capture order, with their comments. */
export interface ExportRequest {
  rows: Uint32Array;
  /** Packet comments (opt_comment) by row. */
  comments?: ReadonlyMap<number, string>;
  /** The section's comment. */
  sectionComment?: string;
}

/** What became of one packet: its fate (src/diagnose/fates.ts) and the messages that tell it. */
export interface PacketFate {
  /** The fate's own message key (fate.delivered, fate.copy, ...). */
  key: string;
  /** The fate worded against Wireshark's flags of the same packet (reconcileFate), to render in a language. */
  messages: Msg[];
}

export interface Analysis {
  readonly columns: PacketColumns;
  readonly tcp: AnalysisTcp;
  /** The reader's warnings (without the cut a cancel made). */
  readonly warnings: readonly CaptureWarning[];
  readonly format: CaptureFormat;
  readonly compressed: boolean;
  /** The capture's interfaces, by position (no gaps). */
  readonly interfaces: readonly CaptureInterface[];
  /** Link types of the packets read. */
  readonly linkTypes: readonly number[];
  /** Union of the encapsulation bits (src/decode Encap) of every packet. */
  readonly encaps: number;
  /** Packets the capturing side reported dropped, per interface id. */
  readonly interfaceDrops: ReadonlyMap<number, number>;
  /** Seconds of the first frame: the clock of the stream table's start times and the chart. */
  readonly t0: number;
  /** What the diagnoses and the caveats read (the packet table, the TCP view, the reader's findings). */
  readonly input: CaveatInput;
  summary(): AnalysisSummary;
  /** The caveats before any diagnosis; a diagnosis brings them complete (Diagnosis.caveats). */
  caveats(): Caveat[];
  /** The diagnosis at this path MTU (0: inferred); the last two MTUs asked are kept. */
  diagnosis(mtu?: number): Diagnosis;
  /** The stream table at this path MTU: every stream, retransmissions and holes as the diagnosis counted them. */
  streamTable(mtu?: number): StreamRow[];
  series(req: SeriesRequest): StreamSeries;
  /** A stream graph (src/view/graphs.ts): throughput and goodput, RTT samples, or window against bytes in flight. */
  graph(req: GraphOptions): StreamGraph;
  /** A direction's graphs at full resolution over the whole stream (the oracles, the CLI, the benchmark). */
  graphTrack(stream: StreamId, dir: Direction): GraphTrack;
  /** The rows of every stream in capture order (src/view/streamIndex.ts): a stream's packets and its chart read it. */
  streamIndex(): StreamIndex;
  /** The UDP conversations (src/view/udp.ts), numbered as tshark's udp.stream; made when first asked. */
  udp(): UdpConversations;
  /** What became of the packet in `row`; null for a packet without data (unless a copy) or not TCP. */
  fate(row: Row): PacketFate | null;
  /**
   * A stream's numbers, with or without findings (src/view/streamStats.ts): handshake and ACK round
   * trips, bytes, throughput and goodput, the SYNs' options, retransmissions by the same fates as
   * the stream table, zero windows, how it closed; null for no such stream. The last few are kept.
   */
  streamStats(stream: StreamId): StreamStats | null;
  /**
   * The capture as a capture point of src/points; with `interfaces` by id, for splitByInterface (one
   * point per interface of a `-i any` capture or a multi-interface pcapng).
   */
  point(name: string): CapturePoint & { interfaces: (CaptureInterface | undefined)[] };
  /**
   * The packets a display filter in Wireshark's syntax selects (src/filter); throws FilterError (with
   * offsets to underline and a reason in any language). Fields the columns do not hold are read from
   * the frames' bytes: `frames(row)` gives them synchronously (null when it cannot); without it such
   * a filter throws, and `filterFetching` is the way.
   */
  filter(expr: string, frames?: (row: Row) => Uint8Array | null): FilterResult;
  /**
   * The same, the bytes fetched asynchronously: `read(rows)` answers the captured bytes of the rows
   * asked (only those whose columns could not decide, ascending; read them at `frameRange(row)`), by row.
   */
  filterFetching(expr: string, read: (rows: Uint32Array) => Promise<ReadonlyMap<number, Uint8Array>>): Promise<FilterResult>;
  /** Where the captured bytes of `row` are in the (decompressed) file. */
  frameRange(row: Row): { offset: number; length: number };
  /**
   * The plan of a followed stream (src/view/follow.ts): its chunks (frame, direction, sequence
   * range, holes) from the packet table alone; null for a frame that is not UDP. The last one is kept.
   */
  follow(target: FollowTarget): FollowPlan | null;
  /** One page of a followed stream with its bytes, re-read from the capture (`bytes`: src/capture/ranges.ts). */
  readFollow(plan: FollowPlan, bytes: CaptureBytes, page?: FollowPage): Promise<FollowChunk[]>;
  /** Every chunk of a followed stream, page by page (the CLI, a save to a file). */
  followChunks(plan: FollowPlan, bytes: CaptureBytes, pageBytes?: number): AsyncGenerator<FollowChunk>;
  /** The rows (and comments) of a selection, for exportPcapng. */
  exportRows(sel: ExportSelection): ExportRequest;
  /**
   * The packets as pcapng, in parts of about `chunkBytes` (1 MiB): the interfaces used, time stamps
   * at the source's resolution, the bytes re-read from the capture by offset, the comments.
   */
  exportPcapng(req: ExportRequest, bytes: CaptureBytes, opts?: { chunkBytes?: number }): AsyncGenerator<Uint8Array>;
}

/** Stream numbers kept (the app asks again for the stream shown; the CLI asks once for each). */
const STATS_KEPT = 16;

/** Diagnoses kept: the one shown and the one before (the app switches between a chosen MTU and the inferred one). */
const DIAGNOSES_KEPT = 2;

export function openAnalysis(options: AnalysisOptions = {}): AnalysisRun {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({
    processors: [analyzer, ...(options.processors ?? [])],
    createReader: options.createReader ?? ((sink) => createCaptureReader(sink)),
    maxTableBytes: options.maxTableBytes,
    maxPackets: options.maxPackets,
    expectedBytes: options.expectedBytes,
  });
  return {
    push: (chunk) => session.push(chunk),
    get packets() { return session.packets; },
    get stopped() { return session.stopped; },
    finish(opts) {
      const before = session.warnings.length;
      session.end();
      return finished(session, analyzer, opts?.stopped ? session.warnings.slice(0, before) : session.warnings);
    },
  };
}

function finished(session: CaptureSession, analyzer: TcpAnalyzer, warnings: CaptureWarning[]): Analysis {
  const cols = session.columns;
  const out = analyzer.out;
  const streams = analyzer.streams;
  const tcp: AnalysisTcp = {
    streams, stream: out.stream, dir: out.dir, seq: out.seq, ack: out.ack, window: out.window, flags: out.flags,
    dupAckNum: out.dupAckNum, dupAckFrame: out.dupAckFrame,
    explain: (row) => analyzer.explain(row),
  };
  const view: TcpView = { stream: out.stream, dir: out.dir, flags: out.flags, streams };
  const interfaces = session.interfaces.filter(Boolean);
  const input: CaveatInput = { cols, tcp: view, format: session.format, interfaces, warnings, interfaceDrops: session.interfaceDrops };
  const t0 = cols.length > 0 ? cols.time(0) : 0;
  const filterData: FilterData = {
    cols, tcp: { ...out, streams }, pcapng: session.format === 'pcapng',
    interfaceName: (id) => session.interfaces[id]?.name ?? 'unknown',
    udpStream: () => udp().stream,
  };
  let udpKept: UdpConversations | null = null;
  const udp = () => (udpKept ??= buildUdpConversations(cols));
  /** A row's bytes with what decoding them needs: the link type, the frame check sequence's length, what snaplen cut. */
  const frameData = (row: number, data: Uint8Array): FrameData => {
    const iface = session.interfaces[cols.iface[row]];
    const fcsLen = iface ? Math.max(0, Math.min(iface.fcsLen - (cols.origLen[row] - cols.capLen[row]), data.length)) : 0;
    const uncaptured = Math.max(0, cols.origLen[row] - cols.capLen[row] - (iface ? iface.fcsLen : 0));
    return { data, linkType: iface?.linkType ?? 1, fcsLen, uncaptured, dnsJoined: joinedDnsOf(cols, row) };
  };
  const frameSource = (frames: (row: Row) => Uint8Array | null): FrameSource => (row) => {
    const b = frames(asRow(row));
    return b ? frameData(row, b) : null;
  };

  let summary: AnalysisSummary | null = null;
  let plainCaveats: Caveat[] | null = null;
  let diagnoses: Diagnosis[] = [];
  const tables = new WeakMap<Diagnosis, StreamRow[]>();
  let spans: Float64Array | null = null;
  let index: StreamIndex | null = null;
  const indexed = () => (index ??= buildStreamIndex(tcp, cols));
  let fates: FateIndex | null = null;
  const verdicts = new Map<number, Uint8Array>();
  const fateMsg = (row: number): Msg | null => (fates ??= new FateIndex(input)).fate(row);
  const statsKept = new Map<number, StreamStats>();
  const graphInput = (): GraphInput => {
    const f = (fates ??= new FateIndex(input));
    return { cols, tcp, index: indexed(), verdicts: verdictsOf, delivery: (stream, d) => f.direction(stream, d) };
  };
  const verdictsOf = (stream: number) => {
    let v = verdicts.get(stream);
    if (!v) verdicts.set(stream, (v = streamVerdicts(rowsOfStream(indexed(), stream), out.dir, (row) => fateMsg(row)?.key ?? null)));
    return v;
  };
  let lastFollow: { key: string; plan: FollowPlan | null } | null = null;

  const diagnosis = (mtu = 0): Diagnosis => {
    const kept = diagnoses.find((d) => d.mtu === mtu);
    if (kept) {
      diagnoses = [kept, ...diagnoses.filter((d) => d !== kept)];
      return kept;
    }
    const d = diagnose(input, mtu);
    diagnoses = [d, ...diagnoses].slice(0, DIAGNOSES_KEPT);
    return d;
  };

  return {
    columns: cols,
    tcp,
    warnings,
    format: session.format,
    compressed: session.formatInfo?.compressed ?? false,
    interfaces,
    linkTypes: [...session.linkTypes.keys()],
    encaps: session.encapsSeen,
    interfaceDrops: session.interfaceDrops,
    t0,
    input,
    summary: () => (summary ??= {
      ...withNames(summarizeCapture(input, streams.length)),
      compressed: session.formatInfo?.compressed ?? false,
      sllIfIndexes: sllIfIndexes(cols),
    }),
    caveats: () => (plainCaveats ??= caveatsOf(input)),
    diagnosis,
    streamTable(mtu = 0) {
      const d = diagnosis(mtu);
      let rows = tables.get(d);
      if (!rows) {
        // The data spans depend on the packets only: made once, with the first table.
        spans ??= streamDataSpans(cols, tcp, streams.length);
        const sp = spans;
        rows = streams.map((s) => {
          const f = d.facts[s.index];
          return streamRow(s, cols, t0, findingCount(d.byStream.get(s.index)), f ? { retrans: f.retransmitted, holes: f.holes } : undefined, sp);
        });
        tables.set(d, rows);
      }
      return rows;
    },
    streamIndex: indexed,
    udp,
    series(req) {
      const idx = indexed();
      return streamSeries(
        { cols, tcp, index: idx, verdicts: verdictsOf },
        { stream: req.stream, dir: req.dir, t0: req.t0, t1: req.t1, pixels: req.pixels, pathMtu: req.mtu },
      );
    },
    graph: (req) => streamGraph(graphInput(), req),
    graphTrack: (stream, dir) => graphTrack(graphInput(), stream, dir),
    fate(row) {
      const msg = fateMsg(row);
      return msg ? { key: msg.key, messages: reconcileFate(msg, out.flags[row]) } : null;
    },
    streamStats(stream) {
      if (!(Number.isInteger(stream) && stream >= 0 && stream < streams.length)) return null;
      let st = statsKept.get(stream);
      if (!st) {
        const f = (fates ??= new FateIndex(input));
        st = streamStats({
          cols, tcp: out, info: streams[stream], rows: rowsOfStream(indexed(), stream), t0,
          delivery: (d) => f.direction(stream, d),
        });
        if (statsKept.size >= STATS_KEPT) statsKept.delete(statsKept.keys().next().value as number);
        statsKept.set(stream, st);
      }
      return st;
    },
    point: (name) => ({ name, cols, tcp: view, interfaces: session.interfaces }),
    filter: (expr, frames) => runFilter(expr, filterData, frames ? frameSource(frames) : undefined),
    async filterFetching(expr, read) {
      return runFilterFetching(expr, filterData, async (rows) => {
        const got = await read(rows);
        const res = new Map<number, FrameData>();
        for (const [row, bytes] of got) res.set(row, frameData(row, bytes));
        return res;
      });
    },
    frameRange: (row) => ({ offset: cols.fileOffset[row] + cols.dataDelta[row], length: cols.capLen[row] }),
    follow(target) {
      const key = 'tcp' in target ? `t${target.tcp}` : `u${target.udp}`;
      if (lastFollow?.key === key) return lastFollow.plan;
      let plan: FollowPlan | null;
      if ('tcp' in target) {
        if (!(target.tcp >= 0 && target.tcp < streams.length)) return null;
        plan = followTcpPlan(cols, tcp, target.tcp, rowsOfStream(indexed(), target.tcp));
      } else plan = followUdpPlan(cols, rowOf(target.udp));
      lastFollow = { key, plan };
      return plan;
    },
    readFollow: (plan, bytes, page) => readFollow(plan, { cols, interfaces, bytes }, page),
    followChunks: (plan, bytes, pageBytes) => followChunks(plan, { cols, interfaces, bytes }, pageBytes),
    exportRows: (sel) => exportRows(sel, cols, indexed),
    exportPcapng(req, bytes, opts) {
      const used = [...new Set(Array.from(req.rows, (r) => cols.iface[r]))].sort((x, y) => x - y);
      const comments = req.comments;
      const pcapng = session.format === 'pcapng';
      function* packets() {
        for (const r of req.rows) {
          yield {
            iface: cols.iface[r], tsSec: cols.tsSec[r], tsNsec: cols.tsNsec[r], dataOffset: cols.fileOffset[r] + cols.dataDelta[r],
            capLen: cols.capLen[r], origLen: cols.origLen[r], comment: comments?.get(r),
            blockOffset: pcapng ? cols.fileOffset[r] : undefined,
          };
        }
      }
      return writePcapng({ interfaces, used, packets: packets(), bytes, sectionComment: req.sectionComment, chunkBytes: opts?.chunkBytes });
    },
  };
}

/** Rows of a selection, ascending, each once, within the table. */
function exportRows(sel: ExportSelection, cols: PacketColumns, indexed: () => StreamIndex): ExportRequest {
  const sorted = (list: Iterable<number>) => {
    const rows = Uint32Array.from(new Set([...list].filter((r) => Number.isInteger(r) && r >= 0 && r < cols.length)));
    return rows.sort();
  };
  if ('rows' in sel) return { rows: sorted(Array.from(sel.rows)) };
  if ('stream' in sel) return { rows: Uint32Array.from(rowsOfStream(indexed(), sel.stream)) };
  if ('frames' in sel) return { rows: sorted(sel.frames.map((f) => rowOf(f))) };
  const f = sel.finding;
  const name = renderFinding(f, sel.lang ?? 'en').title;
  const evidence = f.frames.map((fr) => rowOf(fr) as number);
  const comments = new Map<number, string>(evidence.map((r) => [r, name]));
  let rows = evidence;
  if (sel.streams) {
    rows = [...evidence];
    for (const s of f.streams?.length ? f.streams : [f.stream]) if (s >= 0) rows.push(...Array.from(rowsOfStream(indexed(), s)));
  }
  const frames = evidence.map((r) => frameAt(r)).join(', ');
  return { rows: sorted(rows), comments, sectionComment: `${name} (${f.id}); evidence: frames ${frames} of the original capture` };
}

function diagnose(input: CaveatInput, mtu: number): Diagnosis {
  const d = diagnoseCapture(input, { pathMtu: mtu > 0 ? mtu : undefined });
  const facts: (StreamFacts | undefined)[] = [];
  for (const f of d.streams) facts[f.index] = f;
  const byStream = new Map<number, Finding[]>();
  for (const f of d.findings) {
    for (const s of f.streams?.length ? f.streams : [f.stream]) {
      const list = byStream.get(s);
      if (!list) byStream.set(s, [f]);
      else if (list[list.length - 1] !== f) list.push(f);
    }
  }
  const all = caveatsOf({ ...input, copies: d.streams.reduce((n, f) => n + f.copies, 0), notCaptured: notCapturedOf(d.streams) });
  return { mtu, findings: d.findings, facts, caveats: all, byStream, problemStreams: [...byStream.keys()].filter((s) => s >= 0).length };
}

function withNames(s: CaptureSummary): CaptureSummary & { linkTypeNames: string[] } {
  return { ...s, linkTypeNames: s.linkTypes.map((l) => LINK_TYPE_NAMES[l] ?? String(l)) };
}

function findingCount(list: Finding[] | undefined): StreamFindingCount | undefined {
  if (!list) return undefined;
  let worst: Severity | null = null;
  for (const f of list) if (severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return { count: list.length, worst };
}

/** Interface indexes of Linux cooked v2 packets (a `-i any` capture), ascending. */
function sllIfIndexes(cols: PacketColumns): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < cols.length; i++) if (cols.sllIfIndex[i] >= 0) seen.add(cols.sllIfIndex[i]);
  return [...seen].sort((x, y) => x - y);
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
