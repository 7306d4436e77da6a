/**
 * What became of each data segment one direction sent: was it ever delivered (covered by the peer's
 * cumulative ACK or SACK before the sender had to send those bytes again), sent again, or never
 * acknowledged at all. Built from raw columns in one pass over the stream, so the diagnoses do not
 * depend on the analyzer's internals.
 *
 * Sequence numbers are relative to the direction's ISN (0 = SYN, data starts at 1, as tshark shows
 * them) and kept as plain numbers: fine for the first 4 GiB of a stream.
 */
import { TcpFlag, type PacketColumns } from '../decode/columns';
import type { StreamModel } from './streams';

export interface Tx {
  row: number;
  /** Relative sequence range [s, e). */
  s: number;
  e: number;
  ipLen: number;
  outerLen: number;
  encap: number;
  overhead: number;
  df: boolean;
  /** True when some of these bytes had been sent before (retransmission or hole filling). */
  again: boolean;
  /** Index of the earlier transmission of the same bytes this one repeats, or -1. */
  repeats: number;
  /** Index of the first later transmission that sent some of the same bytes again, or -1. */
  supersededBy: number;
  /** Row of the first ACK or SACK that covered all of [s, e) after this was sent, or -1. */
  coverRow: number;
  /** Covered by a cumulative ACK before it was even sent (spurious retransmission). */
  spurious: boolean;
  /** Delivered at this size: covered before the bytes had to be sent again. */
  delivered: boolean;
}

export interface SackHole {
  /** Relative range the receiver was missing: [cumulative ACK, first SACK left edge). */
  left: number;
  right: number;
  firstRow: number;
  /** Row of the ACK that moved past it, or -1 when it stayed open. */
  filledRow: number;
}

export interface SeqGap {
  /** Row of the segment that arrived beyond the highest sequence seen ("previous segment not captured"). */
  row: number;
  left: number;
  right: number;
}

export interface DirDelivery {
  dir: 0 | 1;
  /** Raw sequence number taken as relative 0. */
  base: number;
  txs: Tx[];
  /** Highest cumulative ACK from the peer (relative), 0 when none. */
  cumAck: number;
  /** Row of the ACK that last advanced cumAck, -1 when none. */
  cumAckRow: number;
  /** Highest sequence sent + 1. */
  maxEnd: number;
  /** Rows of the peer's ACKs carrying SACK blocks. */
  sackRows: number[];
  holes: SackHole[];
  gaps: SeqGap[];
  /** Header bytes (IP + TCP) of the latest data segment, to turn payload lengths into IP lengths. */
  headerLen: number;
  /** Largest payload in one segment. */
  maxPayload: number;
}

interface SackEvent { row: number; l: number; r: number }

export function analyzeDirection(cols: PacketColumns, m: StreamModel, d: 0 | 1): DirDelivery {
  const base = baseOf(cols, m, d);
  const rel = (raw: number) => (raw - base) >>> 0;
  const txs: Tx[] = [];
  const ackRows: number[] = [];
  const ackVals: number[] = [];
  const sacks: SackEvent[] = [];
  const sackRows: number[] = [];
  const holes: SackHole[] = [];
  const gaps: SeqGap[] = [];
  let cumAck = 0, cumAckRow = -1, maxEnd = 0, headerLen = 0, maxPayload = 0;
  let outstanding: number[] = []; // tx indices not yet cumulatively ACKed, mostly in sequence order
  let head = 0;
  let openHole: SackHole | null = null;

  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p];
    const f = cols.tcpFlags[i];
    if (m.dir[p] === d) {
      const len = cols.tcpLen[i];
      if (len === 0) continue;
      const s = rel(cols.seqRaw[i]) + (f & TcpFlag.Syn ? 1 : 0);
      const e = s + len;
      const tx: Tx = {
        row: i, s, e, ipLen: cols.ipLen[i], outerLen: cols.outerIpLen[i] || cols.ipLen[i], encap: cols.encap[i],
        overhead: cols.encapOverhead[i], df: cols.ipVersion[i] === 6 || cols.ipDf[i] !== 0, again: false,
        repeats: -1, supersededBy: -1, coverRow: -1, spurious: false, delivered: false,
      };
      const idx = txs.length;
      if (maxEnd > 0 && s < maxEnd) {
        tx.again = true;
        for (let k = head; k < outstanding.length; k++) {
          const o = txs[outstanding[k]];
          if (o.e > s && o.s < e && o.e > cumAck) {
            if (o.supersededBy < 0) o.supersededBy = idx;
            tx.repeats = outstanding[k];
          }
        }
      } else if (maxEnd > 0 && s > maxEnd) {
        gaps.push({ row: i, left: maxEnd, right: s });
      }
      if (e > maxEnd) maxEnd = e;
      headerLen = cols.ipLen[i] - len;
      if (len > maxPayload) maxPayload = len;
      txs.push(tx);
      outstanding.push(idx);
    } else if (f & TcpFlag.Ack) {
      const a = rel(cols.ackRaw[i]);
      if (a > cumAck && a <= maxEnd + 1) {
        cumAck = a;
        cumAckRow = i;
        ackRows.push(i);
        ackVals.push(a);
        while (head < outstanding.length && txs[outstanding[head]].e <= cumAck) head++;
        if (head > 1024 && head * 2 > outstanding.length) { outstanding = outstanding.slice(head); head = 0; }
        if (openHole && cumAck > openHole.left) { openHole.filledRow = i; openHole = null; }
      }
      const nb = cols.sackCount[i];
      if (nb > 0) {
        let firstLeft = Infinity;
        const at = cols.sackIndex[i];
        for (let b = 0; b < nb; b++) {
          const l = rel(cols.sackEdges[at + 2 * b]), r = rel(cols.sackEdges[at + 2 * b + 1]);
          if (r <= l || r <= a) continue; // D-SACK or stale
          sacks.push({ row: i, l, r });
          if (l > a && l < firstLeft) firstLeft = l;
        }
        sackRows.push(i);
        if (firstLeft < Infinity && a === cumAck) {
          if (!openHole || openHole.left !== a) {
            openHole = { left: a, right: firstLeft, firstRow: i, filledRow: -1 };
            holes.push(openHole);
          }
        }
      }
    }
  }
  resolveCoverage(txs, ackRows, ackVals, sacks);
  return { dir: d, base, txs, cumAck, cumAckRow, maxEnd, sackRows, holes, gaps, headerLen, maxPayload };
}

function baseOf(cols: PacketColumns, m: StreamModel, d: 0 | 1): number {
  if (m.isn[d] >= 0) return m.isn[d];
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (m.dir[p] === d) return (cols.seqRaw[i] - 1) >>> 0;
    if (cols.tcpFlags[i] & TcpFlag.Ack) return (cols.ackRaw[i] - 1) >>> 0;
  }
  return 0;
}

/** First index in ascending `vals` with vals[k] >= x. */
function lowerBound(vals: number[], x: number): number {
  let lo = 0, hi = vals.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (vals[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}

function resolveCoverage(txs: Tx[], ackRows: number[], ackVals: number[], sacks: SackEvent[]): void {
  const sackRowList = sacks.map((x) => x.row);
  for (const tx of txs) {
    const k = lowerBound(ackVals, tx.e);
    let cover = k < ackVals.length ? ackRows[k] : -1;
    if (cover >= 0 && cover < tx.row) { tx.spurious = true; tx.coverRow = cover; continue; }
    for (let j = lowerBound(sackRowList, tx.row + 1); j < sacks.length; j++) {
      const sk = sacks[j];
      if (cover >= 0 && sk.row >= cover) break;
      if (sk.l <= tx.s && sk.r >= tx.e) { cover = sk.row; break; }
    }
    tx.coverRow = cover;
  }
  for (const tx of txs) {
    if (tx.spurious || tx.coverRow < 0) continue;
    tx.delivered = tx.supersededBy < 0 || txs[tx.supersededBy].row > tx.coverRow;
  }
}
