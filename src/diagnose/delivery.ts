/**
 * What became of each data segment one direction sent: its fate, decided here once and used by every
 * diagnosis, count and mark. A transmission is
 * - delivered: covered by the peer's cumulative ACK or SACK before the sender had to send those bytes again;
 * - lost after the capture point: seen here, never covered, and sent again (the repair is a later transmission);
 * - a repair of a loss before the capture point: it fills a sequence gap the sender had left, some time
 *   after the gap appeared (not a late original: those are reordered, see below);
 * - reordered: the original of bytes that came late, within the analyzer's out-of-order rule;
 * - a spurious copy: sent again although the receiver already had the bytes (a cumulative ACK or a
 *   SACK had covered them before it was sent, or the receiver reported it with a D-SACK, RFC 2883);
 * - an offload copy: the same bytes seen twice within microseconds at two sizes, one above Ethernet's
 *   1500 (a TSO/GSO super-segment and its MTU-sized pieces, or the reverse after GRO): neither a loss nor
 *   a retransmission;
 * - unresolved: never covered and never sent again (the capture or the connection ended first).
 * Sequence gaps no transmission ever filled but the receiver acknowledged were not captured: the
 * network delivered them and the capture point missed them (a caveat about the capture, not a loss).
 * Built from raw columns in one pass over the stream; the analyzer's out-of-order flag, when given,
 * decides what is reordered, so a packet's "why" and its fate agree.
 *
 * Sequence numbers are relative to the direction's ISN (0 = SYN, data starts at 1, as tshark shows
 * them) and kept as plain numbers: fine for the first 4 GiB of a stream.
 */
import { Anomaly, TcpFlag, type PacketColumns } from '../decode/columns';
import type { StreamModel } from './streams';
import type { Direction } from '../types';

/** One transmission as an object: what TxList.get() makes for the few a finding reports. */
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
  fate: Fate;
}

const AGAIN = 1, SPURIOUS = 2, DELIVERED = 4, REORDERED = 8, OFFLOAD = 16, DSACKED = 32, FILL = 64, BEYOND = 128, UNHEARD = 256;

/** The one fate of a transmission (see the file's header). */
export type Fate = 'delivered' | 'lost' | 'repair-before' | 'reordered' | 'spurious' | 'offload-copy' | 'beyond-window' | 'unresolved';

/** What became of a sequence gap ("previous segment not captured") at this capture point. */
export const enum GapFate {
  /** Filled later by a retransmission: lost before the capture point, and repaired. */
  LostBefore = 0,
  /** Filled by the late original, within the out-of-order rule: reordered, not lost. */
  Reordered = 1,
  /** Never filled in the capture, yet acknowledged: the capture missed these packets. */
  NotCaptured = 2,
  /** Never filled nor acknowledged before the capture or the connection ended. */
  Open = 3,
}

/** Two sightings of the same bytes this close, at two sizes with one above 1500, are an offload artefact. */
const OFFLOAD_SECONDS = 0.002;
const OFFLOAD_SIZE = 1500;
/** Without the analyzer's flags: a gap filled this soon was reordering (its default out-of-order threshold). */
const REORDER_SECONDS = 0.003;

/**
 * A direction's data segments in capture order, as columns sized exactly (index k = k-th
 * transmission; fields as in Tx). Typed arrays instead of one object per segment: a million-segment
 * capture would otherwise fill the JS heap with short-lived objects that only a full collection
 * returns. What the packet table already holds (lengths, encapsulation, DF) is read from it.
 */
export class TxList {
  readonly row: Int32Array;
  /** Relative sequence range [s, e): beyond 2^32 after a SYN or near the wrap, hence doubles. */
  readonly s: Float64Array;
  readonly e: Float64Array;
  readonly repeats: Int32Array;
  readonly supersededBy: Int32Array;
  readonly coverRow: Int32Array;
  /** AGAIN | SPURIOUS | DELIVERED | REORDERED | OFFLOAD | DSACKED | FILL | BEYOND | UNHEARD bits. */
  readonly bits: Uint16Array;

  /** `n` transmissions in views of `arena` from `at` (fresh arrays without an arena). */
  constructor(private readonly cols: PacketColumns, readonly length: number, arena: TxArena = new TxArena(length), at = 0) {
    const n = length, end = at + n;
    this.row = arena.row.subarray(at, end);
    this.s = arena.s.subarray(at, end);
    this.e = arena.e.subarray(at, end);
    this.repeats = arena.repeats.subarray(at, end).fill(-1);
    this.supersededBy = arena.supersededBy.subarray(at, end).fill(-1);
    this.coverRow = arena.coverRow.subarray(at, end).fill(-1);
    this.bits = arena.bits.subarray(at, end).fill(0);
  }

  ipLen(k: number): number {
    return this.cols.ipLen[this.row[k]];
  }

  /** IP length on the wire: the outermost header's when tunnelled. */
  outerLen(k: number): number {
    const r = this.row[k];
    return this.cols.outerIpLen[r] || this.cols.ipLen[r];
  }

  df(k: number): boolean {
    const r = this.row[k];
    return this.cols.ipVersion[r] === 6 || this.cols.ipDf[r] !== 0;
  }

  again(k: number): boolean {
    return (this.bits[k] & AGAIN) !== 0;
  }

  spurious(k: number): boolean {
    return (this.bits[k] & SPURIOUS) !== 0;
  }

  delivered(k: number): boolean {
    return (this.bits[k] & DELIVERED) !== 0;
  }

  /** Late original of bytes that arrived out of order: not a retransmission. */
  reordered(k: number): boolean {
    return (this.bits[k] & REORDERED) !== 0;
  }

  /** Copy of the same bytes made by segmentation offload (or GRO): not a retransmission, not a loss. */
  offload(k: number): boolean {
    return (this.bits[k] & OFFLOAD) !== 0;
  }

  /** A real retransmission: bytes sent before (or lost before the capture point) sent again. */
  retransmission(k: number): boolean {
    return (this.bits[k] & (AGAIN | REORDERED | OFFLOAD)) === AGAIN;
  }

  /** Fills bytes never seen before at this point (a gap): a repair of a loss before the capture point when not reordered. */
  fill(k: number): boolean {
    return (this.bits[k] & FILL) !== 0;
  }

  /**
   * Sent at or beyond the right edge of the receiver's advertised window: the receiver may discard
   * it (a window probe, or a sender overrunning the window), which is not loss on the way.
   */
  beyondWindow(k: number): boolean {
    return (this.bits[k] & BEYOND) !== 0;
  }

  /** Seen here, never delivered at this size, and sent again: lost after the capture point. */
  lost(k: number): boolean {
    return (this.bits[k] & (DELIVERED | SPURIOUS | OFFLOAD | BEYOND | UNHEARD)) === 0 && this.supersededBy[k] >= 0;
  }

  fate(k: number): Fate {
    const b = this.bits[k];
    if (b & OFFLOAD) return 'offload-copy';
    if (b & SPURIOUS) return 'spurious';
    if (b & REORDERED) return 'reordered';
    if (b & BEYOND && !(b & DELIVERED)) return 'beyond-window';
    if (this.lost(k)) return 'lost';
    if (b & FILL) return 'repair-before';
    if (b & DELIVERED) return 'delivered';
    return 'unresolved';
  }

  get(k: number): Tx {
    const r = this.row[k], c = this.cols;
    return {
      row: r, s: this.s[k], e: this.e[k], ipLen: c.ipLen[r], outerLen: this.outerLen(k), encap: c.encap[r],
      overhead: c.encapOverhead[r], df: this.df(k), again: this.again(k), repeats: this.repeats[k],
      supersededBy: this.supersededBy[k], coverRow: this.coverRow[k], spurious: this.spurious(k), delivered: this.delivered(k),
      fate: this.fate(k),
    };
  }
}

/**
 * Storage for the TxLists of one batch of streams, handed out in turn and taken back all at once
 * (reset) when the next batch starts: the batches reuse the same memory instead of leaving their
 * arrays to the collector.
 */
export class TxArena {
  row: Int32Array;
  s: Float64Array;
  e: Float64Array;
  repeats: Int32Array;
  supersededBy: Int32Array;
  coverRow: Int32Array;
  bits: Uint16Array;
  private used = 0;

  constructor(capacity = 0) {
    this.row = new Int32Array(capacity);
    this.s = new Float64Array(capacity);
    this.e = new Float64Array(capacity);
    this.repeats = new Int32Array(capacity);
    this.supersededBy = new Int32Array(capacity);
    this.coverRow = new Int32Array(capacity);
    this.bits = new Uint16Array(capacity);
  }

  /** Room for `n` more transmissions; returns where they start. */
  take(n: number): number {
    if (this.used + n > this.row.length) {
      // Lists already handed out keep the old arrays; later ones (and later batches) use new ones.
      const cap = Math.max(this.row.length * 2, this.used + n, 4096);
      this.row = new Int32Array(cap); this.s = new Float64Array(cap); this.e = new Float64Array(cap);
      this.repeats = new Int32Array(cap); this.supersededBy = new Int32Array(cap); this.coverRow = new Int32Array(cap);
      this.bits = new Uint16Array(cap);
      this.used = 0;
    }
    const at = this.used;
    this.used += n;
    return at;
  }

  /** Every list handed out so far is dropped: their storage is used again. */
  reset(): void {
    this.used = 0;
  }
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
  fate: GapFate;
  /** Row of the transmission that first filled it, or -1. */
  fillRow: number;
}

export interface DirDelivery {
  dir: Direction;
  /** Raw sequence number taken as relative 0. */
  base: number;
  txs: TxList;
  /** Highest cumulative ACK from the peer (relative), 0 when none. */
  cumAck: number;
  /** Row of the ACK that last advanced cumAck, -1 when none. */
  cumAckRow: number;
  /** Highest sequence sent + 1. */
  maxEnd: number;
  /** Rows of the peer's ACKs carrying SACK blocks. */
  sackRows: Int32Array;
  holes: SackHole[];
  gaps: SeqGap[];
  /** Header bytes (IP + TCP) of the latest data segment, to turn payload lengths into IP lengths. */
  headerLen: number;
  /** Largest payload in one segment. */
  maxPayload: number;
  /** Peer ACKs beyond every byte captured from this direction ("ACKed unseen segment"): the capture missed data. */
  ackedUnseen: number;
}

/**
 * Working arrays of analyzeDirection, needed only while one direction is built: one set, grown to
 * the largest direction and reused, so building a direction leaves only its result behind; and the
 * arena its transmissions are kept in.
 */
export class DeliveryScratch {
  /** Rows and values of the ACKs that advanced the cumulative ACK, ascending. */
  ackRows = new Int32Array(0);
  ackVals = new Float64Array(0);
  /** SACK blocks worth looking at (not D-SACK, not stale), in capture order. */
  sackRow = new Int32Array(0);
  sackL = new Float64Array(0);
  sackR = new Float64Array(0);
  /** Transmissions not yet cumulatively ACKed, mostly in sequence order. */
  outstanding = new Int32Array(0);
  /** Where the TxLists live until reset (the owner resets it between batches). */
  readonly arena = new TxArena();

  ensure(acks: number, sackBlocks: number, txs: number): void {
    if (this.ackRows.length < acks) {
      const n = grow(this.ackRows.length, acks);
      this.ackRows = new Int32Array(n);
      this.ackVals = new Float64Array(n);
    }
    if (this.sackRow.length < sackBlocks) {
      const n = grow(this.sackRow.length, sackBlocks);
      this.sackRow = new Int32Array(n);
      this.sackL = new Float64Array(n);
      this.sackR = new Float64Array(n);
    }
    if (this.outstanding.length < txs) this.outstanding = new Int32Array(grow(this.outstanding.length, txs));
  }
}

function grow(have: number, need: number): number {
  return Math.max(need, have + (have >> 1), 1024);
}

/**
 * `flags`: the TCP analyzer's flag bits per row (TcpFlagBit), when it ran: its out-of-order verdict
 * then decides which gap fillers are late originals.
 */
export function analyzeDirection(cols: PacketColumns, m: StreamModel, d: Direction, scratch = new DeliveryScratch(), flags?: ArrayLike<number>): DirDelivery {
  const base = baseOf(cols, m, d);
  const rel = (raw: number) => (raw - base) >>> 0;
  // Sequence numbers past 4 GiB wrap: each is taken as the value nearest to where the direction is.
  const near = (raw: number, ref: number) => unwrapNear(rel(raw), ref);
  // The receiver's window is known when both SYNs were seen (its scale, else unknown).
  const scaleKnown = m.isn[0] >= 0 && m.isn[1] >= 0;
  const peerScale = m.wscale[1 - d];
  let rightEdge = -1;
  // Count first so that every array is made once at its final size.
  let nTx = 0, nAck = 0, nSackRows = 0, nSackBlocks = 0;
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p];
    if (m.dir[p] === d) {
      if (dataLen(cols, i) !== 0) nTx++;
    } else if (cols.tcpFlags[i] & TcpFlag.Ack) {
      nAck++;
      const nb = cols.sackCount[i];
      if (nb > 0) { nSackRows++; nSackBlocks += nb; }
    }
  }
  scratch.ensure(nAck, nSackBlocks, nTx);
  const txs = new TxList(cols, nTx, scratch.arena, scratch.arena.take(nTx));
  const { row: txRow, s: txS, e: txE, repeats, supersededBy, bits } = txs;
  const { ackRows, ackVals, sackRow, sackL, sackR, outstanding } = scratch;
  const sackRows = new Int32Array(nSackRows);
  const holes: SackHole[] = [];
  const gaps: SeqGap[] = [];
  let nTxs = 0, nAcks = 0, nSacks = 0, nSackRowsSeen = 0, nOut = 0;
  let cumAck = 0, cumAckRow = -1, maxEnd = 0, headerLen = 0, maxPayload = 0, ackedUnseen = 0, lastPeerRow = -1;
  let head = 0;
  // D-SACK reports (RFC 2883): rows and ranges of bytes the receiver got twice.
  const dsack: number[] = [];
  let openHole: SackHole | null = null;

  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p];
    const f = cols.tcpFlags[i];
    if (m.dir[p] === d) {
      const len = dataLen(cols, i);
      if (len === 0) continue;
      const s = near(cols.seqRaw[i], maxEnd) + (f & TcpFlag.Syn ? 1 : 0);
      const e = s + len;
      const idx = nTxs++;
      txRow[idx] = i; txS[idx] = s; txE[idx] = e;
      if (rightEdge >= 0 && s >= rightEdge) bits[idx] |= BEYOND;
      if (maxEnd > 0 && s < maxEnd) {
        bits[idx] |= AGAIN;
        let offload = false;
        for (let k = head; k < nOut; k++) {
          const o = outstanding[k];
          if (txE[o] > s && txS[o] < e && txE[o] > cumAck) {
            if (repeats[idx] < 0 && isOffloadPair(cols, txRow[o], i)) offload = true;
            if (!offload && supersededBy[o] < 0) supersededBy[o] = idx;
            repeats[idx] = o;
          }
        }
        if (offload) bits[idx] |= OFFLOAD;
        else if (repeats[idx] < 0) {
          // Bytes never seen here before: they fill a gap (possibly bytes below every outstanding one).
          const g = gapAt(gaps, s);
          if (g) {
            bits[idx] |= FILL;
            const late = flags ? (flags[i] & OUT_OF_ORDER) !== 0 : cols.time(i) - cols.time(g.row) < REORDER_SECONDS;
            if (late) bits[idx] |= REORDERED;
            if (g.fillRow < 0) { g.fillRow = i; g.fate = late ? GapFate.Reordered : GapFate.LostBefore; }
          }
        }
      } else if (maxEnd > 0 && s > maxEnd) {
        gaps.push({ row: i, left: maxEnd, right: s, fate: GapFate.Open, fillRow: -1 });
      }
      if (e > maxEnd) maxEnd = e;
      if (!ipLenBeyondFrame(cols, i)) headerLen = cols.ipLen[i] - len;
      if (len > maxPayload) maxPayload = len;
      outstanding[nOut++] = idx;
    } else if (f & TcpFlag.Ack) {
      lastPeerRow = i;
      const a = near(cols.ackRaw[i], cumAck || maxEnd);
      if (scaleKnown && !(f & TcpFlag.Syn)) rightEdge = a + cols.winRaw[i] * 2 ** Math.max(0, peerScale);
      if (a > maxEnd + 1 && maxEnd > 0 && a - maxEnd < 0x40000000) ackedUnseen++;
      if (a > cumAck && a <= maxEnd + 1) {
        cumAck = a;
        cumAckRow = i;
        ackRows[nAcks] = i;
        ackVals[nAcks++] = a;
        while (head < nOut && txE[outstanding[head]] <= cumAck) head++;
        if (openHole && cumAck > openHole.left) { openHole.filledRow = i; openHole = null; }
      }
      const nb = cols.sackCount[i];
      if (nb > 0) {
        let firstLeft = Infinity;
        const at = cols.sackIndex[i];
        for (let b = 0; b < nb; b++) {
          const l = near(cols.sackEdges[at + 2 * b], a), r = near(cols.sackEdges[at + 2 * b + 1], a);
          if (b === 0 && r > l && isDsack(cols, at, nb, (x) => near(x, a), a, l, r)) { dsack.push(i, l, r); continue; }
          if (r <= l || r <= a) continue; // stale
          sackRow[nSacks] = i; sackL[nSacks] = l; sackR[nSacks++] = r;
          if (l > a && l < firstLeft) firstLeft = l;
        }
        sackRows[nSackRowsSeen++] = i;
        if (firstLeft < Infinity && a === cumAck) {
          if (!openHole || openHole.left !== a) {
            openHole = { left: a, right: firstLeft, firstRow: i, filledRow: -1 };
            holes.push(openHole);
          }
        }
      }
    }
  }
  resolveCoverage(txs, scratch, nAcks, nSacks, dsack);
  // Sent after the receiver's last word: nothing says whether it arrived (the receiver may be gone).
  // The head of the line (the first byte never acknowledged) is the exception: sent again and again
  // without an answer, it is the one loss the silence shows (the rest is go-back-N behind it).
  for (let k = txs.length - 1; k >= 0 && txRow[k] > lastPeerRow; k--) {
    if (!(bits[k] & DELIVERED) && !(txS[k] <= cumAck && txE[k] > cumAck)) bits[k] |= UNHEARD;
  }
  for (const g of gaps) if (g.fillRow < 0 && cumAck >= g.right) g.fate = GapFate.NotCaptured;
  return { dir: d, base, txs, cumAck, cumAckRow, maxEnd, sackRows, holes, gaps, headerLen, maxPayload, ackedUnseen };
}

const TWO32 = 2 ** 32;

/** The value congruent to `x` modulo 2^32 nearest to `ref`. */
function unwrapNear(x: number, ref: number): number {
  return x + Math.round((ref - x) / TWO32) * TWO32;
}

/**
 * The IP header claims more than the frame held on the wire (a damaged or fuzzed length field, not
 * a packet of that size; a frame merely cut by snaplen is not one). The decoder then takes the TCP
 * payload to end with the frame, as tshark does (tcp.len), and the diagnoses believe the same: the
 * segment's bytes are the frame's (dataLen), its IP length is no packet size (headerLen, below), and
 * the decode-anomalies caveat names these frames (caveats.ts).
 */
export function ipLenBeyondFrame(cols: PacketColumns, i: number): boolean {
  const orig = cols.origLen[i];
  return (cols.anomalies[i] & Anomaly.IpLenBeyondCaptured) !== 0 && orig > 0 && (cols.capLen[i] >= orig || cols.ipLen[i] > orig);
}

/** Payload bytes of a row as the diagnoses count them: the analysis' tcp.len (bounded by the frame, ipLenBeyondFrame). */
function dataLen(cols: PacketColumns, i: number): number {
  return cols.tcpLen[i];
}

/** TcpFlagBit.OutOfOrder (src/tcp/types.ts; a const enum member is not importable as a value here). */
const OUT_OF_ORDER = 1 << 3;

/** The gap (sorted by `left`, disjoint) that holds sequence `s`, or null. */
function gapAt(gaps: SeqGap[], s: number): SeqGap | null {
  let lo = 0, hi = gaps.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (gaps[mid].right <= s) lo = mid + 1; else hi = mid; }
  return lo < gaps.length && gaps[lo].left <= s ? gaps[lo] : null;
}

/** The same bytes at two sizes within microseconds, one above Ethernet's MTU: TSO/GSO or GRO at the capture point. */
function isOffloadPair(cols: PacketColumns, earlier: number, later: number): boolean {
  if (ipLenBeyondFrame(cols, earlier) || ipLenBeyondFrame(cols, later)) return false;
  const a = cols.ipLen[earlier], b = cols.ipLen[later];
  return a !== b && Math.max(a, b) > OFFLOAD_SIZE && cols.time(later) - cols.time(earlier) < OFFLOAD_SECONDS;
}

/**
 * RFC 2883: the first SACK block reports a duplicate when it lies below the cumulative ACK, or inside
 * the second block.
 */
function isDsack(cols: PacketColumns, at: number, nb: number, rel: (raw: number) => number, ack: number, l: number, r: number): boolean {
  if (r <= ack) return true;
  if (nb < 2) return false;
  const l2 = rel(cols.sackEdges[at + 2]), r2 = rel(cols.sackEdges[at + 3]);
  return l >= l2 && r <= r2;
}

function baseOf(cols: PacketColumns, m: StreamModel, d: Direction): number {
  if (m.isn[d] >= 0) return m.isn[d];
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (m.dir[p] === d) return (cols.seqRaw[i] - 1) >>> 0;
    if (cols.tcpFlags[i] & TcpFlag.Ack) return (cols.ackRaw[i] - 1) >>> 0;
  }
  return 0;
}

/** First index in ascending `vals[0, n)` with vals[k] >= x. */
function lowerBound(vals: Float64Array | Int32Array, n: number, x: number): number {
  let lo = 0, hi = n;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (vals[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}

function resolveCoverage(txs: TxList, sc: DeliveryScratch, nAcks: number, nSacks: number, dsack: number[]): void {
  const { ackRows, ackVals, sackRow, sackL, sackR } = sc;
  const { row, s, e, coverRow, supersededBy, repeats, bits } = txs;
  for (let k = 0; k < txs.length; k++) {
    const j0 = lowerBound(ackVals, nAcks, e[k]);
    let cover = j0 < nAcks ? ackRows[j0] : -1;
    if (cover >= 0 && cover < row[k]) { bits[k] |= SPURIOUS; coverRow[k] = cover; continue; }
    for (let j = lowerBound(sackRow, nSacks, row[k] + 1); j < nSacks; j++) {
      if (cover >= 0 && sackRow[j] >= cover) break;
      if (sackL[j] <= s[k] && sackR[j] >= e[k]) { cover = sackRow[j]; break; }
    }
    coverRow[k] = cover;
  }
  for (let k = 0; k < txs.length; k++) {
    if (bits[k] & SPURIOUS || coverRow[k] < 0) continue;
    const later = supersededBy[k];
    if (later < 0 || row[later] > coverRow[k]) bits[k] |= DELIVERED;
  }
  // A re-send of bytes already covered (by a SACK too) before it left: the receiver had them.
  for (let k = 0; k < txs.length; k++) {
    const o = repeats[k];
    if (o < 0 || bits[k] & (SPURIOUS | OFFLOAD)) continue;
    if (bits[o] & DELIVERED && coverRow[o] >= 0 && coverRow[o] < row[k]) bits[k] |= SPURIOUS;
  }
  // A D-SACK after a re-send names it a duplicate: the earlier copy had arrived.
  for (let j = 0; j < dsack.length; j += 3) {
    const at = dsack[j], l = dsack[j + 1], r = dsack[j + 2];
    // The latest transmission of those bytes before the report (looked for among the last few hundred).
    const before = lowerBound(row, txs.length, at);
    // Each report names one duplicate: the latest copy before it not already named by another.
    for (let k = before - 1; k >= 0 && k >= before - 512; k--) {
      if (!(bits[k] & AGAIN) || bits[k] & (OFFLOAD | REORDERED | DSACKED)) continue;
      if (s[k] >= r || e[k] <= l) continue;
      bits[k] |= SPURIOUS | DSACKED;
      const o = repeats[k];
      if (o >= 0 && !(bits[o] & SPURIOUS)) bits[o] |= DELIVERED;
      break;
    }
  }
}
