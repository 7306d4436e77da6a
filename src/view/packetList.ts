/**
 * The list of every packet (Wireshark's packet list): an order over the displayed rows, computed on
 * request as one Uint32Array permutation, and the rows of one page with their texts. The displayed
 * rows are all of them, or a set a display filter chose (`displayed`: ascending rows).
 *
 * Sort keys and what they compare:
 * - number: the frame number; time: the time stamp (then the number);
 * - source, destination: the innermost IP address in address order (IPv4 before IPv6, numerically);
 *   frames without IP (ARP, LLDP, ...) have no address in the packet table and sort first, among
 *   themselves by number;
 * - protocol: the protocol the packet table tells (listProto): frames without IP sort first, together;
 * - length: the frame's length on the wire;
 * - info: a documented limit: by the protocol, then the ports (TCP, UDP) or the type and code (ICMP),
 *   then the number: not by the text, which needs the bytes of every frame.
 * Ties keep the frame order; descending reverses the whole order.
 */

import { L4, type PacketColumns } from '../decode/columns';
import { encapNames } from '../diagnose/text';
import { frameAt, type Frame } from '../types';
import { listProto, rowText, type FrameView, type ListSource } from './packetInfo';

export const PACKET_SORT_KEYS = ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'] as const;
export type PacketSortKey = (typeof PACKET_SORT_KEYS)[number];

/** Rows 0..n-1, or the displayed ones, ascending. */
function baseRows(n: number, displayed: Uint32Array | null): Uint32Array {
  if (displayed) return Uint32Array.from(displayed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** A 32-hex-digit form of an IPv6 address's text (what sorts numerically as text). */
function expandV6(text: string): string {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...new Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

/** Rank of each interned address id in address order (id 0, "none": rank 0). */
export function addressRanks(cols: PacketColumns): Uint32Array {
  const { text, family } = cols.addresses;
  const n = text.length;
  const keys: string[] = new Array<string>(n);
  for (let id = 1; id < n; id++) {
    if (family[id] === 4) {
      const p = text[id].split('.').map(Number);
      keys[id] = '4' + (((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0).toString(16).padStart(8, '0');
    } else keys[id] = '6' + expandV6(text[id]);
  }
  const ids = Array.from({ length: n - 1 }, (_, k) => k + 1);
  ids.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
  const rank = new Uint32Array(n);
  ids.forEach((id, k) => { rank[id] = k + 1; });
  return rank;
}

/** Rows sorted by an integer key per row (0 ≤ key < 2^30), ties by row: one native numeric sort. */
function sortByIntKey(rows: Uint32Array, key: (row: number) => number): Uint32Array {
  const n = rows.length;
  const SHIFT = 2 ** 23;
  if (n <= SHIFT) {
    let maxRow = 0;
    for (let i = 0; i < n; i++) if (rows[i] > maxRow) maxRow = rows[i];
    if (maxRow < SHIFT) {
      const packed = new Float64Array(n);
      for (let i = 0; i < n; i++) packed[i] = key(rows[i]) * SHIFT + rows[i];
      packed.sort();
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = packed[i] % SHIFT;
      return out;
    }
  }
  const keys = new Float64Array(n);
  const pos = new Uint32Array(n);
  for (let i = 0; i < n; i++) { keys[i] = key(rows[i]); pos[i] = i; }
  pos.sort((a, b) => keys[a] - keys[b] || rows[a] - rows[b]);
  return pos.map((p) => rows[p]);
}

/**
 * The displayed rows in the order of `key` (see the file's comment), as a new permutation.
 * `displayed`: the rows a filter selected, ascending; null: every row.
 */
export function sortPacketList(src: ListSource, displayed: Uint32Array | null, key: PacketSortKey, desc: boolean): Uint32Array {
  const { cols } = src;
  const rows = baseRows(cols.length, displayed);
  let out: Uint32Array;
  switch (key) {
    case 'number': out = rows; break;
    case 'time': {
      let ordered = true;
      for (let i = 1; i < rows.length && ordered; i++) {
        const a = rows[i - 1], b = rows[i];
        ordered = cols.tsSec[a] < cols.tsSec[b] || (cols.tsSec[a] === cols.tsSec[b] && cols.tsNsec[a] <= cols.tsNsec[b]);
      }
      out = ordered ? rows : rows.sort((a, b) => cols.tsSec[a] - cols.tsSec[b] || cols.tsNsec[a] - cols.tsNsec[b] || a - b);
      break;
    }
    case 'source': case 'destination': {
      const rank = addressRanks(cols);
      const col = key === 'source' ? cols.src : cols.dst;
      out = sortByIntKey(rows, (r) => rank[col[r]]);
      break;
    }
    case 'protocol': out = sortByIntKey(rows, (r) => listProto(cols, r)); break;
    case 'length': out = sortByIntKey(rows, (r) => Math.min(cols.origLen[r], 2 ** 30 - 1)); break;
    case 'info': {
      const n = rows.length;
      const proto = new Uint8Array(n);
      for (let i = 0; i < n; i++) proto[i] = listProto(cols, rows[i]);
      const a2 = (r: number) => (cols.l4[r] === L4.Icmp || cols.l4[r] === L4.Icmpv6 ? cols.icmpType[r] * 256 + cols.icmpCode[r] : cols.srcPort[r]);
      const b2 = (r: number) => (cols.l4[r] === L4.Icmp || cols.l4[r] === L4.Icmpv6 ? 0 : cols.dstPort[r]);
      const pos = new Uint32Array(n);
      for (let i = 0; i < n; i++) pos[i] = i;
      pos.sort((x, y) => proto[x] - proto[y] || a2(rows[x]) - a2(rows[y]) || b2(rows[x]) - b2(rows[y]) || rows[x] - rows[y]);
      out = pos.map((p) => rows[p]);
      break;
    }
  }
  return desc ? out.reverse() : out;
}

/** Position of `row` in an order (-1 when it is not displayed). */
export function positionInList(order: Uint32Array, row: number, ascendingByNumber: boolean): number {
  if (ascendingByNumber) {
    let lo = 0, hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (order[mid] === row) return mid;
      if (order[mid] < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  return order.indexOf(row);
}

/** The greatest value of an ascending list below `row`, or -1. */
function before(list: Uint32Array, row: number): number {
  let lo = 0, hi = list.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < row) { best = list[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

/** One row of the packet list, with every time format (the UI picks one) and its texts. */
export interface PacketListRow {
  frame: Frame;
  /** The time stamp: epoch seconds and nanoseconds (absolute times, UTC or local). */
  tsSec: number;
  tsNsec: number;
  /** Seconds since the capture's first packet, or since the latest time reference at or before this packet. */
  rel: number;
  /** This packet is a time reference (shown "*REF*"). */
  ref: boolean;
  /** Seconds since the previous displayed packet (in frame order). */
  delta: number;
  /** Seconds since its TCP stream's first packet; null when not TCP. */
  streamRel: number | null;
  src: string;
  dst: string;
  protocol: string;
  /** Bytes on the wire. */
  length: number;
  info: string;
  /** Its TCP stream, or -1. */
  stream: number;
  /** 0 = A→B, 1 = B→A within its stream. */
  dir: 0 | 1;
  /** The TCP analysis flagged it (retransmission, lost segment, ...). */
  flagged: boolean;
  /** The tunnels it came through ("VXLAN", "IPIP"), outermost first; '' for none. */
  tunnel: string;
  /** The MTU an ICMP "fragmentation needed" or ICMPv6 "packet too big" announces; 0 otherwise. */
  mtu: number;
}

/** What the rows' times are measured from: the displayed rows and the time references, both ascending. */
export interface ListTimes {
  displayed: Uint32Array | null;
  refs: Uint32Array;
}

function secondsBetween(cols: PacketColumns, from: number, to: number): number {
  return cols.tsSec[to] - cols.tsSec[from] + (cols.tsNsec[to] - cols.tsNsec[from]) / 1e9;
}

/** Row `row` as the list shows it; `frame`: its bytes and decode when `needsFrame(row)` (else null). */
export function packetListRow(src: ListSource, row: number, frame: FrameView | null, times: ListTimes): PacketListRow {
  const { cols, tcp } = src;
  const text = rowText(src, row, frame);
  const isRef = times.refs.length > 0 && positionInList(times.refs, row, true) >= 0;
  const refBefore = isRef ? row : before(times.refs, row + 1);
  const prev = times.displayed ? before(times.displayed, row) : row - 1;
  const stream = tcp.stream[row];
  const first = stream >= 0 ? tcp.streams[stream]?.firstRow ?? -1 : -1;
  return {
    frame: frameAt(row),
    tsSec: cols.tsSec[row],
    tsNsec: cols.tsNsec[row],
    rel: cols.length ? secondsBetween(cols, refBefore >= 0 ? refBefore : 0, row) : 0,
    ref: isRef,
    delta: prev >= 0 ? secondsBetween(cols, prev, row) : 0,
    streamRel: first >= 0 ? secondsBetween(cols, first, row) : null,
    src: text.src,
    dst: text.dst,
    protocol: text.protocol,
    length: cols.origLen[row],
    info: text.info,
    stream,
    dir: tcp.dir[row] ? 1 : 0,
    flagged: stream >= 0 && tcp.flags[row] !== 0,
    tunnel: encapNames(cols.encap[row] & ~32).join(', '),
    mtu: cols.l4[row] === L4.Icmp || cols.l4[row] === L4.Icmpv6 ? cols.icmpMtu[row] : 0,
  };
}
