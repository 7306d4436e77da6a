/**
 * The one typed protocol between the UI thread and the analysis worker. Every message either way is
 * a member of a discriminated union below; bump PROTOCOL_VERSION whenever a shape changes so a stale
 * cached worker script is refused instead of misread.
 *
 * Shape: the UI sends `{ v, id, req }`; the worker answers each with `{ kind: 'reply', id, ... }` and
 * announces loading progress with `{ kind: 'event', event }`. Errors are values, never thrown across.
 *
 * `streamSeries` answers with a `StreamSeries` (src/view/seriesTypes.ts), its typed arrays
 * transferred (not copied) to the UI; the chart (web/chart/SequenceChart.tsx) gets it through
 * ChartSlot's `requestSeries` prop. `streamGraph` answers likewise with a `StreamGraph`
 * (src/view/graphTypes.ts): the throughput, RTT or window graph of one direction, decimated.
 */

import type { WarningKind } from '../../src/capture/index';
import type { Caveat } from '../../src/diagnose/index';
import type {
  GraphKind, PacketListRow, PacketRow, PacketSortKey, Severity, StoryPart, StreamGraph, StreamRow, StreamSeries, StreamSortKey, StreamStats,
} from '../../src/view/index';

import type { UdpConversationRow, UdpSortKey, UdpTimeline } from '../../src/view/index';
import type { DetailField, DetailLayer } from '../../src/decode/index';
import type { FactValue } from '../../src/share/index';
import type { Direction, Frame, Row, StreamId } from '../../src/index';

export type { DetailField, DetailLayer, Direction, Frame, GraphKind, PacketSortKey, Row, Severity, StoryPart, StreamGraph, StreamId, StreamSeries, StreamSortKey, StreamStats };

export const PROTOCOL_VERSION = 10;

export type { UdpConversationRow, UdpSortKey, UdpTimeline };

/** A UDP conversation opened: its line, its timeline (decimated in the worker) and the findings citing its packets. */
export interface UdpConversationView {
  row: UdpConversationRow;
  timeline: UdpTimeline;
  findings: FindingView[];
}

export interface StreamSort {
  key: StreamSortKey;
  desc: boolean;
}

/** Numbers the core reports while reading. */
export interface ProgressView {
  bytes: number;
  totalBytes: number;
  packets: number;
  packetsPerSecond: number;
  elapsedMs: number;
}

export interface WarningView {
  kind: WarningKind;
  offset: number;
  frame?: number;
  message: string;
  key: string;
  params?: Record<string, string | number>;
  fatal: boolean;
}

/** The analysis's summary (src/analysis.ts, the CLI's `capture`: one rule for each number), with what only the app shows. */
export interface CaptureSummaryView {
  fileName: string;
  fileSize: number;
  format: string;
  /** Link types of the capture's interfaces, with their common names (e.g. "Ethernet", "Linux cooked v2"). */
  linkTypes: { linkType: number; name: string }[];
  interfaces: { id: number; name: string | null; linkType: number }[];
  /** Interface indexes seen in Linux cooked v2 headers (a `-i any` capture names no interface otherwise). */
  sllIfIndexes?: number[];
  packets: number;
  tcpPackets: number;
  /** Epoch seconds of the earliest and latest packet (0 when there are none). */
  firstTime: number;
  lastTime: number;
  streams: number;
  /** Streams that have at least one finding. */
  problemStreams: number;
  /** Tunnels peeled, e.g. ["IPIP", "VXLAN"] (a VLAN tag is no tunnel: it takes no room from the IP MTU). */
  tunnels: string[];
  warnings: WarningView[];
  /** Analysis caveats (src/diagnose/caveats.ts): message keys and parameters, rendered by the UI in its language. */
  caveats?: Caveat[];
  /** Bytes read before stopping (== fileSize unless cancelled or stopped by damage). */
  bytesRead: number;
  cancelled: boolean;
  /** The core pieces in use (false: only a part of the analysis is available in this build). */
  analysisAvailable: boolean;
  /** SHA-256 of the file's bytes (hex), for permalinks; '' when reading was cancelled. */
  fingerprint?: string;
}

/**
 * One row of the stream table (built by src/view/rows.ts); with the direction that carries the data
 * and when it moved, so that a stream opens there without the UI seeing any packet.
 */
export type StreamRowView = StreamRow;

/**
 * One line of the findings list: what the overview, the stream table's counts, the MTU inference and
 * a finding's link need. A big capture has thousands of findings, so their text stays in the worker
 * (a list of full stories made a multi-megabyte message whose reading held the page); a finding's
 * story, remedy and numbers come with `finding` or `streamFindings` when it is shown.
 */
export interface FindingItem {
  id: string;
  kind: string;
  severity: Severity;
  /** The stream told in detail: where the finding opens (a grouped finding's representative). */
  stream: number;
  /**
   * Every stream of a grouped finding (one pattern over several connections), `stream` among them;
   * absent when the finding is about `stream` alone.
   */
  streams?: number[];
  /** Direction of the data concerned, when the finding is about one direction. */
  dir: Direction | null;
  /** The first evidence frame (1-based): where the stream opens; null when there is none. */
  frame: Frame | null;
  /** Seconds since the capture start: the time window worth looking at. */
  t0: number;
  t1: number;
  title: string;
  /** The path MTU this finding reveals, if any: the app's "Inferred" MTU setting uses it. */
  pathMtu?: InferredMtu;
}

/** A finding in full, as the stream view, a snapshot and a report show it. */
export interface FindingView extends FindingItem {
  /** Evidence frames, the first being where to open the stream. */
  frames: Frame[];
  /** The finding's measurements by field name (bracket, MSS, counts, durations): a snapshot's "Numbers". */
  numbers: Record<string, FactValue>;
  /** Paragraphs of the explanation, frame numbers split out as links. */
  story: StoryPart[][];
  /** What to do about it, same form. */
  remedy: StoryPart[][];
}

/** A path MTU the diagnoses inferred: a black hole's bracket (IP bytes), or an ICMP "too big" MTU (min = max). */
export interface InferredMtu {
  min: number;
  max: number;
  source: 'blackhole' | 'icmp';
}

/** One row of a stream's packet table, relative numbers as Wireshark shows them (src/view/rows.ts). */
export type PacketRowView = PacketRow;

/**
 * Why the TCP analysis (Wireshark's rules) flagged a frame: the rule that fired, its sentence in
 * English, and the numbers it compared, so the UI words it in its own language.
 */
export interface WhyView {
  flag: string;
  rule: string;
  text: string;
  values: Record<string, number>;
}

/**
 * What became of the packet, as the diagnoses decided it (src/diagnose/fates.ts): the verdict the
 * stream table's counts and the findings rest on. Its text is in the language asked, frame numbers
 * split out as links.
 */
export interface FateView {
  /** The fate's message key, e.g. "fate.lost", "fate.copy". */
  key: string;
  parts: StoryPart[];
}

export interface PacketDetailView {
  frame: Frame;
  capturedLength: number;
  originalLength: number;
  layers: DetailLayer[];
  why: WhyView[];
  /** Null for a packet without data that is no copy of another, or not TCP. */
  fate: FateView | null;
  /** The captured bytes, re-read from the file. */
  bytes: Uint8Array;
  /** Why only hex is shown, when no decoder was available or decoding failed. */
  note: string | null;
}

/** One row of the list of every packet (src/view/packetList.ts): every time format, the texts of its columns. */
export type PacketListRowView = PacketListRow;

/**
 * What the list of every packet shows: its order, the packets displayed, the time references.
 * `filter`: a display filter (Wireshark's syntax), '' for every packet. `refs`: the frames marked
 * as time references (Wireshark's Ctrl+T); the relative time counts from the latest one before.
 */
export interface PacketListQuery {
  sort: { key: PacketSortKey; desc: boolean };
  filter: string;
  refs: Frame[];
}

/** What to follow: a TCP stream by index, or the UDP conversation of a frame (address/port pair, both ways). */
export type FollowTargetView = { tcp: number } | { udp: Frame };

/** Which directions of a followed stream: both, or one (0 = A→B). */
export type FollowDirs = 'both' | Direction;

/** A followed stream's plan, without its per-chunk columns. */
export interface FollowInfo {
  protocol: 'tcp' | 'udp';
  /** TCP stream index, -1 for UDP. */
  stream: number;
  a: { addr: string; port: number };
  b: { addr: string; port: number };
  /** Chunks of the plan (payload pieces and holes, both directions). */
  count: number;
  /** Payload bytes per direction, and bytes not captured per direction. */
  bytes: [number, number];
  notCaptured: [number, number];
}

/** One piece of a followed stream: payload bytes re-read from the File, or a hole of `length` bytes. */
export type FollowChunkView =
  | { index: number; dir: Direction; frame: Frame; kind: 'data'; bytes: Uint8Array }
  | { index: number; dir: Direction; frame: Frame; kind: 'gap'; length: number };

/** Which packets to export as pcapng. */
export type ExportTarget =
  | { stream: number }
  /** A finding's evidence frames (commented with its name), at the MTU of the list it is in. */
  | { finding: string; mtu: number; lang: string }
  /** The packets a display filter shows. */
  | { filter: string };

/** Requests from the UI, by name. */
export type Request =
  | { type: 'open'; file: File; mtu: number; lang: string }
  | { type: 'cancel' }
  | { type: 'summary' }
  /**
   * A page of the stream table. `filter`: free text (a piece of an endpoint, a stream number);
   * `display`: a display filter in Wireshark's syntax, keeping the streams that have a matching packet.
   */
  | { type: 'streams'; sort: StreamSort; filter: string; display?: string; problemsOnly: boolean; from: number; count: number }
  /** `mtu` 0: none chosen, the diagnoses infer it (findings then carry `pathMtu`). The list, titles only. */
  | { type: 'findings'; mtu: number; lang: string }
  /** One finding in full, by id (null when this MTU's diagnoses have no such finding). */
  | { type: 'finding'; id: string; mtu: number; lang: string }
  /** Every finding of one stream in full, in the list's order. */
  | { type: 'streamFindings'; stream: number; mtu: number; lang: string }
  | { type: 'packetRows'; stream: number; from: number; count: number; mtu: number }
  | { type: 'locateFrame'; frame: Frame }
  /** `lang`: the language of the packet's fate. */
  | { type: 'packetDetail'; frame: Frame; lang: string }
  | { type: 'streamSeries'; stream: number; dir: Direction; t0: number; t1: number; pixels: number; mtu: number }
  /**
   * A stream graph of one direction in a time window (seconds since the capture start; non-finite:
   * the whole stream), decimated to `pixels`; `average`: the throughput's moving average in seconds
   * (0: about a round trip).
   */
  | { type: 'streamGraph'; stream: number; dir: Direction; kind: GraphKind; t0: number; t1: number; pixels: number; average: number }
  /** A stream's numbers (src/view/streamStats.ts), with or without findings: round trips, rates, options, close. */
  | { type: 'streamStats'; stream: number }
  /** A page of the list of every packet, in the query's order; the rows' bytes re-read from the File where the Info needs them. */
  | { type: 'packetList'; query: PacketListQuery; from: number; count: number }
  /** Where a frame is in the list of that query (Go to packet). */
  | { type: 'packetListLocate'; query: PacketListQuery; frame: Frame }
  /**
   * A page of a followed stream from chunk `from` on: chunks of the directions asked, about
   * `maxBytes` of payload, read from the File by offset.
   */
  | { type: 'follow'; target: FollowTargetView; dirs: FollowDirs; from: number; maxBytes: number }
  /** The payload of the directions asked, in order, as one Blob (holes left out): "Save as…". */
  | { type: 'followSave'; target: FollowTargetView; dirs: FollowDirs }
  /** Packets as a pcapng file (interfaces, time stamps, a finding's comments kept). */
  | { type: 'exportPcapng'; target: ExportTarget }
  /**
   * A page of the UDP conversations (udp.stream numbers). `filter`: free text (endpoint pieces, a
   * number, the application); `display`: a display filter, keeping the conversations with a matching packet.
   */
  | { type: 'udpConversations'; sort: { key: UdpSortKey; desc: boolean }; filter: string; display?: string; from: number; count: number }
  /** One UDP conversation: its timeline at `pixels` wide, and the findings (in `lang`, at `mtu`) citing its packets. */
  | { type: 'udpConversation'; conversation: number; pixels: number; mtu: number; lang: string };

export type RequestType = Request['type'];

/** What each request answers with. */
export interface ResultMap {
  open: { summary: CaptureSummaryView };
  cancel: { cancelled: boolean };
  summary: { summary: CaptureSummaryView | null };
  /** `filterError`: the display filter could not be run (its message); the rows are then not filtered by it. */
  streams: { total: number; rows: StreamRowView[]; filterError?: string };
  findings: { findings: FindingItem[] };
  finding: { finding: FindingView | null };
  streamFindings: { findings: FindingView[] };
  packetRows: { total: number; rows: PacketRowView[] };
  /**
   * Where a frame lives: its stream, its position in that stream's packet list, and its time in
   * seconds since the capture start (the chart's time axis); null when it is not a TCP frame.
   */
  locateFrame: { stream: StreamId; position: number; dir: Direction; time: number } | null;
  packetDetail: { detail: PacketDetailView };
  streamSeries: { series: StreamSeries };
  streamGraph: { graph: StreamGraph };
  streamStats: { stats: StreamStats | null };
  /** `filterError`: the filter could not be used (its message); the rows are then every packet. */
  packetList: { total: number; rows: PacketListRowView[]; filterError?: string };
  /** The frame's position in the list; null when there is no such frame or it is not displayed. */
  packetListLocate: { position: number } | null;
  /** `info` null: no such stream, or the frame is not UDP. `next`: where the next page starts (`info.count` at the end). */
  follow: { info: FollowInfo | null; chunks: FollowChunkView[]; next: number };
  followSave: { blob: Blob; bytes: number };
  /** `error`: the filter could not be used (no file then). */
  exportPcapng: { blob: Blob | null; packets: number; error?: string };
  /** `total`: conversations listed (all of them: `all`); `filterError`: the display filter could not be run. */
  udpConversations: { total: number; all: number; rows: UdpConversationRow[]; filterError?: string };
  /** Null when there is no such conversation. */
  udpConversation: { view: UdpConversationView | null };
}

export type ErrorKind = 'no-capture' | 'bad-request' | 'read-failed' | 'internal' | 'version';

export interface ErrorView {
  kind: ErrorKind;
  message: string;
}

export interface RequestEnvelope {
  v: number;
  id: number;
  req: Request;
}

export type WorkerEvent =
  | { type: 'progress'; progress: ProgressView }
  | { type: 'ready'; version: number };

export type WorkerMessage =
  | { kind: 'reply'; id: number; ok: true; result: ResultMap[RequestType] }
  | { kind: 'reply'; id: number; ok: false; error: ErrorView }
  | { kind: 'event'; event: WorkerEvent };

/** Smallest interval between two progress events: fast enough to look live, rare enough to be free. */
export const PROGRESS_INTERVAL_MS = 100;
