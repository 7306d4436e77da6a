/**
 * Per-stream view of the packet table for the diagnoses: the rows of each TCP stream in capture
 * order, their direction, the endpoints, and which rows are mere copies of a packet already seen at
 * another capture point (tcpdump -i any, multi-interface pcapng: a forwarded packet shows up on the
 * way in and on the way out, and must count once).
 */
import { L4, TcpFlag, type PacketColumns } from '../decode/columns';
import type { TcpView } from './types';

export interface StreamModel {
  index: number;
  /** Rows (0-based) of this stream in capture order. */
  rows: Int32Array;
  /** Direction per position in `rows`: 0 = A→B, 1 = B→A. */
  dir: Uint8Array;
  /** 1 where the row repeats a packet already seen at another capture point. */
  copy: Uint8Array;
  addrA: number;
  portA: number;
  addrB: number;
  portB: number;
  ipVersion: number;
  /** Direction that sent the pure SYN (the client), or -1 when no SYN was captured. */
  clientDir: number;
  /** MSS option of each direction's SYN, 0 when not seen. */
  mss: [number, number];
  /** Raw ISN per direction from its SYN, or -1. */
  isn: [number, number];
  /** Window scale shift per direction (0 when not in use or unknown). */
  wscale: [number, number];
}

/**
 * Stream numbers when the analyzer did not run: one stream per address/port pair in order of first
 * appearance, a new one when a SYN with a new ISN (or after FIN/RST) reuses the pair — the rule
 * Wireshark's tcp.stream follows, so indices agree with it on ordinary captures.
 */
export function assignStreams(cols: PacketColumns): TcpView {
  const n = cols.length;
  const stream = new Int32Array(n).fill(-1);
  const dir = new Uint8Array(n);
  const byKey = new Map<string, number>();
  const first: { addr: number; port: number; synIsn: number; closed: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    if (cols.l4[i] !== L4.Tcp) continue;
    const s = cols.src[i], d = cols.dst[i], sp = cols.srcPort[i], dp = cols.dstPort[i];
    const key = s < d || (s === d && sp <= dp) ? `${s}:${sp}-${d}:${dp}` : `${d}:${dp}-${s}:${sp}`;
    const f = cols.tcpFlags[i];
    let idx = byKey.get(key);
    const syn = (f & TcpFlag.Syn) !== 0;
    if (idx !== undefined && syn) {
      const st = first[idx];
      const pureSyn = (f & TcpFlag.Ack) === 0;
      if (st.closed || (pureSyn && st.synIsn >= 0 && st.synIsn !== cols.seqRaw[i])) idx = undefined;
    }
    if (idx === undefined) {
      idx = first.length;
      first.push({ addr: s, port: sp, synIsn: -1, closed: false });
      byKey.set(key, idx);
    }
    const st = first[idx];
    if (syn && (f & TcpFlag.Ack) === 0 && st.synIsn < 0) st.synIsn = cols.seqRaw[i];
    if (f & (TcpFlag.Fin | TcpFlag.Rst)) st.closed = true;
    stream[i] = idx;
    dir[i] = st.addr === s && st.port === sp ? 0 : 1;
  }
  return { stream, dir, streams: [] };
}

/** Capture point of a row: interface and, for Linux cooked captures, the interface index. */
function pointOf(cols: PacketColumns, i: number): number {
  return cols.iface[i] * 65536 + (cols.sllIfIndex[i] + 1);
}

export function buildStreams(cols: PacketColumns, view: TcpView): StreamModel[] {
  const n = cols.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (view.stream[i] >= count) count = view.stream[i] + 1;
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) if (view.stream[i] >= 0) sizes[view.stream[i]]++;
  const models: StreamModel[] = [];
  for (let k = 0; k < count; k++) {
    models.push({
      index: k, rows: new Int32Array(sizes[k]), dir: new Uint8Array(sizes[k]), copy: new Uint8Array(sizes[k]),
      addrA: 0, portA: 0, addrB: 0, portB: 0, ipVersion: 0, clientDir: -1, mss: [0, 0], isn: [-1, -1], wscale: [0, 0],
    });
  }
  const fill = new Int32Array(count);
  let multiPoint = false;
  const p0 = n > 0 ? pointOf(cols, 0) : 0;
  for (let i = 0; i < n; i++) {
    const k = view.stream[i];
    if (k < 0) continue;
    const m = models[k];
    const at = fill[k]++;
    const d = view.dir[i] ? 1 : 0;
    m.rows[at] = i;
    m.dir[at] = d;
    if (!multiPoint && pointOf(cols, i) !== p0) multiPoint = true;
    if (at === 0) {
      m.ipVersion = cols.ipVersion[i];
      if (d === 0) { m.addrA = cols.src[i]; m.portA = cols.srcPort[i]; m.addrB = cols.dst[i]; m.portB = cols.dstPort[i]; }
      else { m.addrB = cols.src[i]; m.portB = cols.srcPort[i]; m.addrA = cols.dst[i]; m.portA = cols.dstPort[i]; }
    }
    const f = cols.tcpFlags[i];
    if (f & TcpFlag.Syn) {
      if (cols.mss[i] && !m.mss[d]) m.mss[d] = cols.mss[i];
      if (m.isn[d] < 0) { m.isn[d] = cols.seqRaw[i]; m.wscale[d] = cols.wscale[i]; }
      if (!(f & TcpFlag.Ack) && m.clientDir < 0) m.clientDir = d;
    }
  }
  // Scaling is in use only when both SYNs offered it.
  for (const m of models) if (m.wscale[0] < 0 || m.wscale[1] < 0 || m.isn[0] < 0 || m.isn[1] < 0) m.wscale = [0, 0];
  if (multiPoint) for (const m of models) markCopies(cols, m);
  for (const m of models) markRepeats(cols, m);
  return models;
}

/** Packets back in the same stream compared with each one for capture duplicates. */
const REPEAT_LOOKBACK = 4;

/**
 * Capture duplicates at one point (a mirror port sending each packet twice, a capture on a bridge and
 * its ports, a merged file): a packet identical in every header value (SACK blocks included) to one
 * just before it. A real retransmission differs: a new IP ID (when the stack numbers its packets), a
 * new TSval or a later time. Copies at one point arrive microseconds to a few milliseconds apart, a
 * re-send waits for a retransmission timeout (200 ms or more) or for duplicate ACKs: so the same IP
 * ID counts within 100 ms, an IP ID of 0 only within a microsecond. Some senders (and middleboxes
 * re-sending for them) keep the IP ID of the packet they re-send: a segment whose bytes the receiver
 * acknowledged between the two is a re-send, not a copy, whatever the time.
 */
function markRepeats(cols: PacketColumns, m: StreamModel): void {
  const rows = m.rows;
  for (let p = 1; p < rows.length; p++) {
    if (m.copy[p]) continue;
    const i = rows[p];
    for (let q = p - 1; q >= 0 && q >= p - REPEAT_LOOKBACK; q--) {
      const j = rows[q];
      if (m.dir[q] !== m.dir[p] || cols.seqRaw[i] !== cols.seqRaw[j] || cols.ackRaw[i] !== cols.ackRaw[j] || cols.tcpLen[i] !== cols.tcpLen[j]
        || cols.tcpFlags[i] !== cols.tcpFlags[j] || cols.ipId[i] !== cols.ipId[j] || cols.tsval[i] !== cols.tsval[j] || cols.winRaw[i] !== cols.winRaw[j]
        || cols.ipLen[i] !== cols.ipLen[j] || cols.ipTtl[i] !== cols.ipTtl[j] || !sameSack(cols, i, j)) continue;
      const dt = cols.time(i) - cols.time(j);
      const numbered = cols.ipVersion[i] === 4 && cols.ipId[i] !== 0;
      if (dt <= 1e-6 || (numbered && dt < 0.1 && !ackedBetween(cols, m, q, p))) { m.copy[p] = 1; break; }
    }
  }
}

function sameSack(cols: PacketColumns, i: number, j: number): boolean {
  const n = cols.sackCount[i];
  if (n !== cols.sackCount[j]) return false;
  const a = cols.sackIndex[i], b = cols.sackIndex[j];
  for (let k = 0; k < 2 * n; k++) if (cols.sackEdges[a + k] !== cols.sackEdges[b + k]) return false;
  return true;
}

/** Whether the other side acknowledged all of the data at position q of the stream between positions q and p. */
function ackedBetween(cols: PacketColumns, m: StreamModel, q: number, p: number): boolean {
  const i = m.rows[q];
  const len = cols.tcpLen[i] + (cols.tcpFlags[i] & TcpFlag.Syn ? 1 : 0) + (cols.tcpFlags[i] & TcpFlag.Fin ? 1 : 0);
  if (len === 0) return false;
  const end = (cols.seqRaw[i] + len) | 0;
  for (let r = q + 1; r < p; r++) {
    const k = m.rows[r];
    if (m.dir[r] !== m.dir[q] && cols.tcpFlags[k] & TcpFlag.Ack && ((cols.ackRaw[k] - end) | 0) >= 0) return true;
  }
  return false;
}

/**
 * A copy has the same TCP header values and IP ID as a packet seen shortly before at another
 * capture point. A real retransmission differs: Linux gives it a new IP ID and a new TSval.
 */
function markCopies(cols: PacketColumns, m: StreamModel): void {
  const recent = new Map<string, number>();
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    const key = `${m.dir[p]}:${cols.seqRaw[i]}:${cols.ackRaw[i]}:${cols.tcpLen[i]}:${cols.tcpFlags[i]}:${cols.ipId[i]}:${cols.tsval[i]}:${cols.winRaw[i]}`;
    const prev = recent.get(key);
    if (prev !== undefined) {
      const j = m.rows[prev];
      if (pointOf(cols, j) !== pointOf(cols, i) && Math.abs(cols.time(i) - cols.time(j)) < 1) {
        m.copy[p] = 1;
        continue;
      }
    }
    recent.set(key, p);
  }
}
