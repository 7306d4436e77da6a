/**
 * Table views over the packet columns and the TCP analysis: the stream table (sort, filter,
 * problems only) and a stream's packet rows in relative numbers. Framework-free so the worker builds
 * exactly the rows a screen shows, and tests check them in Node.
 */
import type { PacketColumns } from '../decode/columns';
import { TCP_FLAG_NAMES, type TcpStreamInfo } from '../tcp/types';
import type { Severity } from '../diagnose/types';
import { asRow, asStreamId, frameOf, type Direction, type Frame, type StreamId } from '../types';
import { relativeTime, type TimeColumns } from './streamIndex';

export type { Severity };
export type StreamSortKey = 'index' | 'start' | 'packets' | 'bytes' | 'duration' | 'retrans' | 'holes' | 'findings' | 'severity';

export interface StreamRow {
  index: StreamId;
  a: string;
  b: string;
  packets: number;
  bytes: number;
  startTime: number;
  duration: number;
  retrans: number;
  holes: number;
  flags: string;
  findings: number;
  worst: Severity | null;
  /**
   * Raw initial sequence number per direction [A, B], null when not taken from a SYN: with the
   * 5-tuple it names the connection in a permalink (an inferred base is not durable).
   */
  isn: [number | null, number | null];
  /** The direction that carries the data: the one with more payload bytes (A→B on a tie). */
  dataDir: Direction;
  /**
   * Seconds since the capture start of the first and the last data segment of `dataDir`
   * (keep-alive probes aside): where the stream view opens. Null when that direction sent no data.
   */
  dataSpan: [number, number] | null;
}

export interface PacketRow {
  frame: Frame;
  time: number;
  dir: Direction;
  seq: number;
  ack: number;
  len: number;
  ipLen: number;
  df: boolean;
  win: number;
  tcpFlags: string;
  analysis: string[];
  oversized: boolean;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, error: 3, warning: 2, info: 1 };

export function severityRank(s: Severity | null): number {
  return s ? SEVERITY_RANK[s] : 0;
}

/** Bit positions in TcpFlagBit (see src/tcp/types.ts); kept as numbers here so no const enum crosses files. */
const BIT = { retrans: 0, fast: 1, spurious: 2, ooo: 3, lost: 4, ackLost: 5, dupAck: 6, zeroWin: 7, keepAlive: 12 } as const;

/** "host:port", IPv6 in brackets so the port stays readable. */
export function endpointText(addr: string, family: number, port: number): string {
  return family === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
}

const TCP_HEADER_FLAGS: [number, string][] = [
  [0x02, 'SYN'], [0x10, 'ACK'], [0x08, 'PSH'], [0x01, 'FIN'], [0x04, 'RST'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'], [0x100, 'AE'],
];

export function tcpFlagsText(bits: number): string {
  const out: string[] = [];
  for (const [bit, name] of TCP_HEADER_FLAGS) if (bits & bit) out.push(name);
  return out.join(' ');
}

/** Names (tshark spelling, without "tcp.analysis.") of the analysis bits set. */
export function analysisNames(bits: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < TCP_FLAG_NAMES.length; b++) if (bits & (1 << b)) out.push(TCP_FLAG_NAMES[b]);
  return out;
}

/** Short summary of a stream's flags: how it began and ended, then the counts that matter. */
export function streamFlagsText(s: TcpStreamInfo): string {
  const parts: string[] = [];
  if (s.synSeen) parts.push(s.synAckSeen ? 'SYN' : 'SYN?');
  if (s.finSeen[0] || s.finSeen[1]) parts.push('FIN');
  if (s.rstSeen[0] || s.rstSeen[1]) parts.push('RST');
  const c = s.flagCounts;
  const counts: [number, string][] = [
    [c[BIT.retrans] ?? 0, 'R'], [c[BIT.fast] ?? 0, 'F'], [c[BIT.ooo] ?? 0, 'O'], [c[BIT.lost] ?? 0, 'L'],
    [c[BIT.dupAck] ?? 0, 'D'], [c[BIT.zeroWin] ?? 0, 'Z'],
  ];
  const shown = counts.filter(([n]) => n > 0).map(([n, k]) => `${k}${n}`);
  return [parts.join(' '), shown.join(' ')].filter(Boolean).join(' · ');
}

export interface StreamFindingCount {
  count: number;
  worst: Severity | null;
}

/** The direction with more payload bytes; A→B when both sent as much (or nothing). */
export function dataDirection(s: Pick<TcpStreamInfo, 'bytesDir'>): Direction {
  return s.bytesDir[1] > s.bytesDir[0] ? 1 : 0;
}

/** Per-row TCP results the data spans read: stream, direction and analysis bits of each row. */
export interface DataSpanColumns {
  stream: ArrayLike<number>;
  dir: ArrayLike<number>;
  flags: ArrayLike<number>;
}

/** Values per stream in `streamDataSpans`: first and last data time of A→B, then of B→A. */
export const DATA_SPAN_WIDTH = 4;

/**
 * When each direction of every stream sent data, in one pass over the packet table: for stream s,
 * `[first A→B, last A→B, first B→A, last B→A]` at `s * DATA_SPAN_WIDTH`, in seconds since the first
 * frame (the chart's clock), NaN for a direction that sent none. A data segment is one with payload;
 * keep-alive probes (a byte below the next sequence number) are not data, or one probe an hour
 * after a transfer would stretch the stream's data over the hour. Retransmissions are data.
 */
export function streamDataSpans(cols: TimeColumns & { tcpLen: ArrayLike<number> }, tcp: DataSpanColumns, streams: number): Float64Array {
  const out = new Float64Array(streams * DATA_SPAN_WIDTH).fill(NaN);
  if (cols.length === 0) return out;
  const sec = cols.tsSec[0], nsec = cols.tsNsec[0];
  const keepAlive = 1 << BIT.keepAlive;
  for (let i = 0; i < cols.length; i++) {
    const s = tcp.stream[i];
    if (!(s >= 0 && s < streams) || cols.tcpLen[i] === 0 || tcp.flags[i] & keepAlive) continue;
    const k = s * DATA_SPAN_WIDTH + (tcp.dir[i] ? 2 : 0);
    const t = relativeTime(cols, i, sec, nsec);
    // NaN compares false: the first data segment sets both ends.
    if (!(t >= out[k])) out[k] = t;
    if (!(t <= out[k + 1])) out[k + 1] = t;
  }
  return out;
}

/**
 * Retransmissions and holes of a stream as the diagnoses counted them from each segment's fate
 * (src/diagnose StreamFacts: `retransmitted`, `holes`), the numbers the CLI reports.
 */
export interface StreamCounts {
  retrans: number;
  holes: number;
}

/**
 * `counts`: the diagnoses' retransmissions and holes; without them (no diagnosis ran), the frames
 * Wireshark flags as retransmissions, and those flagged as after or ACKing a lost segment.
 * `spans`: streamDataSpans of the capture; without it the row names no data span.
 */
export function streamRow(
  s: TcpStreamInfo, cols: PacketColumns, t0: number, f: StreamFindingCount | undefined, counts?: StreamCounts, spans?: Float64Array,
): StreamRow {
  const text = cols.addresses.text;
  const fam = cols.addresses.family;
  const c = s.flagCounts;
  const start = cols.time(s.firstRow);
  const dataDir = dataDirection(s);
  const k = s.index * DATA_SPAN_WIDTH + dataDir * 2;
  const first = spans?.[k] ?? NaN, last = spans?.[k + 1] ?? NaN;
  return {
    index: asStreamId(s.index),
    a: endpointText(text[s.addrA] ?? '?', fam[s.addrA] ?? 4, s.portA),
    b: endpointText(text[s.addrB] ?? '?', fam[s.addrB] ?? 4, s.portB),
    packets: s.packets,
    bytes: s.bytesDir[0] + s.bytesDir[1],
    startTime: start - t0,
    duration: cols.time(s.lastRow) - start,
    // Without the diagnoses, the frames Wireshark flags tcp.analysis.retransmission: fast and
    // spurious retransmissions carry that flag too, so adding their counts would count them twice.
    retrans: counts ? counts.retrans : c[BIT.retrans] ?? 0,
    holes: counts ? counts.holes : (c[BIT.lost] ?? 0) + (c[BIT.ackLost] ?? 0),
    flags: streamFlagsText(s),
    findings: f?.count ?? 0,
    worst: f?.worst ?? null,
    isn: [s.isnFromSyn[0] && s.isn[0] >= 0 ? s.isn[0] : null, s.isnFromSyn[1] && s.isn[1] >= 0 ? s.isn[1] : null],
    dataDir,
    dataSpan: Number.isFinite(first) && Number.isFinite(last) ? [first, last] : null,
  };
}

/**
 * Does a row match the filter text? Every whitespace-separated token must match: a number equal to
 * the stream index, or a piece of either endpoint ("198.18.1.2", ":9090", "2001:db8::1").
 */
export function matchesFilter(row: StreamRow, filter: string): boolean {
  const tokens = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  for (const t of tokens) {
    const bare = t.replace(/^#/, '');
    const isIndex = /^\d+$/.test(bare) && Number(bare) === row.index;
    if (!isIndex && !row.a.toLowerCase().includes(t) && !row.b.toLowerCase().includes(t)) return false;
  }
  return true;
}

function sortValue(r: StreamRow, key: StreamSortKey): number {
  switch (key) {
    case 'index': return r.index;
    case 'start': return r.startTime;
    case 'packets': return r.packets;
    case 'bytes': return r.bytes;
    case 'duration': return r.duration;
    case 'retrans': return r.retrans;
    case 'holes': return r.holes;
    case 'findings': return r.findings;
    case 'severity': return severityRank(r.worst) * 1e6 + r.findings;
  }
}

/** Positions (into rows) of the rows to show, in display order; ties keep stream order. */
export function selectStreams(
  rows: readonly StreamRow[],
  opts: { sort: { key: StreamSortKey; desc: boolean }; filter: string; problemsOnly: boolean },
): number[] {
  const out: number[] = [];
  const hasFilter = opts.filter.trim() !== '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (opts.problemsOnly && r.findings === 0 && r.retrans === 0 && r.holes === 0) continue;
    if (hasFilter && !matchesFilter(r, opts.filter)) continue;
    out.push(i);
  }
  const { key, desc } = opts.sort;
  const sign = desc ? -1 : 1;
  out.sort((x, y) => sign * (sortValue(rows[x], key) - sortValue(rows[y], key)) || rows[x].index - rows[y].index);
  return out;
}

/** Rows of every stream in capture order: rows[offsets[s] .. offsets[s+1]) belong to stream s. */
export interface StreamRowIndex {
  offsets: Uint32Array;
  rows: Uint32Array;
}

export function indexRowsByStream(streamOf: (row: number) => number, rows: number, streams: number): StreamRowIndex {
  const offsets = new Uint32Array(streams + 1);
  for (let i = 0; i < rows; i++) {
    const s = streamOf(i);
    if (s >= 0 && s < streams) offsets[s + 1]++;
  }
  for (let s = 0; s < streams; s++) offsets[s + 1] += offsets[s];
  const fill = offsets.slice(0, streams);
  const byStream = new Uint32Array(offsets[streams]);
  for (let i = 0; i < rows; i++) {
    const s = streamOf(i);
    if (s >= 0 && s < streams) byStream[fill[s]++] = i;
  }
  return { offsets, rows: byStream };
}

/** Position of a row within its stream's list (binary search: the list is in capture order). */
export function positionInStream(index: StreamRowIndex, stream: number, row: number): number {
  let lo = index.offsets[stream], hi = index.offsets[stream + 1] - 1;
  const base = lo;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = index.rows[mid];
    if (v === row) return mid - base;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Per-row TCP analysis results the packet rows read (TcpAnalyzer's output columns). */
export interface TcpRowColumns {
  dir: ArrayLike<number>;
  seq: ArrayLike<number>;
  ack: ArrayLike<number>;
  window: ArrayLike<number>;
  flags: ArrayLike<number>;
}

/** Row i as the packet table shows it; `t0` is the capture start in seconds. */
export function packetRow(cols: PacketColumns, tcp: TcpRowColumns, i: number, mtu: number, t0: number): PacketRow {
  const flags = cols.tcpFlags[i];
  // The path MTU is set in inner IP bytes (as the diagnoses and the chart read it), so compare inner lengths.
  const ipLen = cols.ipLen[i];
  const df = cols.ipDf[i] !== 0;
  return {
    frame: frameOf(asRow(i)),
    time: cols.time(i) - t0,
    dir: tcp.dir[i] ? 1 : 0,
    seq: tcp.seq[i],
    ack: flags & 0x10 ? tcp.ack[i] : 0,
    len: cols.tcpLen[i],
    ipLen,
    df,
    win: tcp.window[i],
    tcpFlags: tcpFlagsText(flags),
    analysis: analysisNames(tcp.flags[i]),
    oversized: df && ipLen > mtu,
  };
}
