/**
 * State of one direction of a TCP connection, the way Wireshark's sequence analysis keeps it:
 * what we expect next, the last ACK/window this side sent, its duplicate-ACK run, its SACK blocks
 * and the list of its segments not yet acknowledged. One object per direction per stream; nothing
 * here is allocated per packet (the unacked list lives in growable typed arrays).
 */
import { gtSeq, ltSeq, leSeq } from './seq';

// Local copies: imported bindings are getter calls when modules are not bundled (Node).
const gt = gtSeq, lt = ltSeq, le = leSeq;

/** Wireshark keeps at most this many unacknowledged segments per direction. */
export const MAX_UNACKED = 10000;

const EMPTY_U32 = new Uint32Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);

export class TcpFlow {
  baseSet = false;
  baseSeq = 0;
  /** Shift count, or -1 unknown, -2 not in use. */
  winScale = -1;
  /** Last raw window sent by this side; -1 before any packet (never equal to a real window). */
  window = -1;
  /** This side's last window came from its SYN (not scaled yet). */
  isFirstAck = true;
  mss = -1;
  /** Highest seq + len seen (0 = nothing seen yet, as in Wireshark). */
  nextseq = 0;
  nextseqFrame = -1;
  nextseqTime = 0;
  /** Highest contiguous sequence number seen. */
  maxSeqToBeAcked = 0;
  lastack = 0;
  lastackTime = 0;
  dupAckNum = 0;
  lastNonDupAck = -1;
  /** Analysis flags of the previous packet sent by this side. */
  lastSegmentFlags = 0;
  /** Payload length of the last packet that advanced nextseq. */
  lastAckLen = 0;
  validBif = true;
  sackCount = 0;
  /** SACK blocks (raw edges) of the last packet this side sent; sackCount of them are valid. */
  readonly sackLe = new Uint32Array(4);
  readonly sackRe = new Uint32Array(4);

  // Unacknowledged segments, oldest first, in [head, tail). Allocated on the first segment: a
  // capture with many short or idle connections should not pay for buffers it never fills.
  private segSeq = EMPTY_U32;
  private segNext = EMPTY_U32;
  private segFrame = EMPTY_I32;
  private segTime = EMPTY_F64;
  private head = 0;
  private tail = 0;
  /** Entries are in increasing seq and nextseq order, so ACKs remove a prefix (the common case). */
  private ordered = true;

  get segmentCount(): number {
    return this.tail - this.head;
  }

  pushSegment(frame: number, seq: number, nextseq: number, time: number): void {
    if (this.tail === this.segSeq.length) this.makeRoom();
    const t = this.tail;
    if (t > this.head && (lt(seq, this.segSeq[t - 1]) || lt(nextseq, this.segNext[t - 1]))) this.ordered = false;
    this.segSeq[t] = seq;
    this.segNext[t] = nextseq;
    this.segFrame[t] = frame;
    this.segTime[t] = time;
    this.tail = t + 1;
  }

  private makeRoom(): void {
    const n = this.tail - this.head;
    if (this.head > 0 && n <= this.segSeq.length >> 1) {
      this.segSeq.copyWithin(0, this.head, this.tail);
      this.segNext.copyWithin(0, this.head, this.tail);
      this.segFrame.copyWithin(0, this.head, this.tail);
      this.segTime.copyWithin(0, this.head, this.tail);
    } else {
      const c = Math.max(8, this.segSeq.length * 2);
      const s = new Uint32Array(c), x = new Uint32Array(c), f = new Int32Array(c), tm = new Float64Array(c);
      s.set(this.segSeq.subarray(this.head, this.tail));
      x.set(this.segNext.subarray(this.head, this.tail));
      f.set(this.segFrame.subarray(this.head, this.tail));
      tm.set(this.segTime.subarray(this.head, this.tail));
      this.segSeq = s; this.segNext = x; this.segFrame = f; this.segTime = tm;
    }
    this.head = 0;
    this.tail = n;
  }

  /** Set by applyAck when an unacked segment ends exactly at the ACK: its frame and time. */
  ackedFrame = -1;
  ackedTime = 0;

  /**
   * The other side acknowledged `ack`: drop the segments it covers, trim partly covered ones, and
   * note the oldest segment that ends exactly at `ack` (that is what the ACK "acks", for the RTT).
   */
  applyAck(ack: number): void {
    this.ackedFrame = -1;
    if (this.tail === this.head) return;
    if (this.ordered) {
      let h = this.head;
      while (h < this.tail && le(this.segNext[h], ack)) {
        if (this.ackedFrame < 0 && this.segNext[h] === ack) {
          this.ackedFrame = this.segFrame[h];
          this.ackedTime = this.segTime[h];
        }
        h++;
      }
      // Partly acknowledged segments (several when one was sent twice) start at the ACK now.
      for (let i = h; i < this.tail && gt(ack, this.segSeq[i]); i++) this.segSeq[i] = ack;
      this.head = h;
    } else {
      let w = this.head;
      let ordered = true;
      for (let r = this.head; r < this.tail; r++) {
        const next = this.segNext[r];
        if (le(next, ack)) {
          if (this.ackedFrame < 0 && next === ack) {
            this.ackedFrame = this.segFrame[r];
            this.ackedTime = this.segTime[r];
          }
          continue;
        }
        let seq = this.segSeq[r];
        if (gt(ack, seq)) seq = ack;
        if (w > this.head && (lt(seq, this.segSeq[w - 1]) || lt(next, this.segNext[w - 1]))) ordered = false;
        this.segSeq[w] = seq;
        this.segNext[w] = next;
        this.segFrame[w] = this.segFrame[r];
        this.segTime[w] = this.segTime[r];
        w++;
      }
      this.tail = w;
      this.ordered = ordered;
    }
    if (this.head === this.tail) {
      this.head = this.tail = 0;
      this.ordered = true;
    }
  }

  /** Span of unacknowledged data: highest nextseq − lowest seq; 0 when none. */
  unackedSpan(): number {
    if (this.tail === this.head) return 0;
    if (this.ordered) return (this.segNext[this.tail - 1] - this.segSeq[this.head]) >>> 0;
    let lo = this.segSeq[this.head], hi = this.segNext[this.head];
    for (let i = this.head + 1; i < this.tail; i++) {
      if (lt(this.segSeq[i], lo)) lo = this.segSeq[i];
      if (gt(this.segNext[i], hi)) hi = this.segNext[i];
    }
    return (hi - lo) >>> 0;
  }
}
