/**
 * Per-frame results of the TCP analysis, struct of arrays indexed like PacketColumns (row = frame
 * number − 1). The row columns follow the packet table's capacity (which plans their growth); the
 * reason records grow by doubling. Never one object per packet.
 */

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = Math.max(a.length * 2, 1024);
  while (n < need) n *= 2;
  const b = new (a.constructor as { new (n: number): T })(n);
  b.set(a);
  return b;
}

/** A copy of `a` with room for exactly `n` entries. */
function resized<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as { new (n: number): T })(n);
  b.set(a);
  return b;
}

/** Values recorded for a flagged row so `explain` can say which numbers made the rule fire. */
export const enum WhyValue {
  Seq = 0, // relative seq of this packet
  NextSeq, // relative next expected seq of this direction, before this packet
  Ack, // relative ack of this packet
  Window, // raw window of this packet
  PrevWindow, // raw window of the previous packet of this direction
  RevAck, // relative last ACK sent by the other side
  RevWindowBytes, // other side's window in bytes as used by the window-full test
  RevDupAcks, // other side's duplicate-ACK count
  DtRevNs, // ns since the other side's last packet
  DtNextNs, // ns since the packet that set the highest sequence number
  ThresholdNs, // out-of-order threshold (iRTT, or 3 ms)
  MaxSeen, // relative highest contiguous seq of the other side, before this packet
  PrevStream, // stream replaced by port reuse
  ThresholdFromIrtt, // 1 when the OOO threshold is the iRTT
  Len,
}
export const WHY_STRIDE = 15;
/** One rule index per flag bit (15 flags, padded). */
export const WHY_RULES_STRIDE = 16;

export class TcpOutput {
  length = 0;
  /** tcp.stream, or -1 for rows that are not TCP. */
  stream = new Int32Array(0);
  /** 0 = sent by the stream's first sender (A→B), 1 = reverse. */
  dir = new Uint8Array(0);
  /** Relative tcp.seq / tcp.ack / tcp.nxtseq (raw when the base is unknown, as tshark shows it). */
  seq = new Uint32Array(0);
  ack = new Uint32Array(0);
  nxtseq = new Uint32Array(0);
  /** tcp.window_size: the window in bytes, scaled when the scale is known. */
  window = new Uint32Array(0);
  /** TcpFlagBit set. */
  flags = new Uint16Array(0);
  dupAckNum = new Uint32Array(0);
  /** Row (0-based) of the original ACK a duplicate repeats, or -1. */
  dupAckFrame = new Int32Array(0);
  /** Row (0-based) of the segment this packet acknowledges, or -1. */
  acksFrame = new Int32Array(0);
  /**
   * Seconds from the acknowledged segment to this ACK (0 included: a coarse but real sample), or
   * -1: no segment acked, or time stamps going backwards (not a sample). tshark's printed value
   * differs on both: tsharkAckRtt (tshark.ts).
   */
  ackRtt = new Float64Array(0);
  /** Unacknowledged bytes of this direction after this data packet, or -1. */
  bytesInFlight = new Int32Array(0);
  /** For an ICMP error quoting a packet of a known TCP stream: that stream, else -1. */
  icmpStream = new Int32Array(0);
  /** With the dedupe option: row this packet is a copy of (other interface), else -1. */
  copyOf = new Int32Array(0);
  /** Index of the row's reason record, or -1 when no flag was raised. */
  whyIndex = new Int32Array(0);
  whyRules = new Uint8Array(WHY_RULES_STRIDE * 64);
  whyValues = new Float64Array(WHY_STRIDE * 64);
  whyCount = 0;

  /** Room for `n` rows, exactly: the caller passes the packet table's capacity, which plans growth. */
  ensure(n: number): void {
    if (n <= this.stream.length) return;
    this.stream = resized(this.stream, n); this.dir = resized(this.dir, n); this.seq = resized(this.seq, n);
    this.ack = resized(this.ack, n); this.nxtseq = resized(this.nxtseq, n); this.window = resized(this.window, n);
    this.flags = resized(this.flags, n); this.dupAckNum = resized(this.dupAckNum, n);
    this.dupAckFrame = resized(this.dupAckFrame, n); this.acksFrame = resized(this.acksFrame, n);
    this.ackRtt = resized(this.ackRtt, n); this.bytesInFlight = resized(this.bytesInFlight, n);
    this.icmpStream = resized(this.icmpStream, n); this.copyOf = resized(this.copyOf, n); this.whyIndex = resized(this.whyIndex, n);
  }

  /** Reset row i to "nothing known". */
  clear(i: number): void {
    this.stream[i] = -1; this.dir[i] = 0; this.seq[i] = 0; this.ack[i] = 0; this.nxtseq[i] = 0; this.window[i] = 0;
    this.flags[i] = 0; this.dupAckNum[i] = 0; this.dupAckFrame[i] = -1; this.acksFrame[i] = -1; this.ackRtt[i] = -1;
    this.bytesInFlight[i] = -1; this.icmpStream[i] = -1; this.copyOf[i] = -1; this.whyIndex[i] = -1;
  }

  /** Start a reason record for row i; returns its index (rules and values zeroed). */
  newWhy(i: number): number {
    const k = this.whyCount++;
    this.whyRules = grow(this.whyRules, (k + 1) * WHY_RULES_STRIDE);
    this.whyValues = grow(this.whyValues, (k + 1) * WHY_STRIDE);
    this.whyRules.fill(0, k * WHY_RULES_STRIDE, (k + 1) * WHY_RULES_STRIDE);
    this.whyValues.fill(0, k * WHY_STRIDE, (k + 1) * WHY_STRIDE);
    this.whyIndex[i] = k;
    return k;
  }
}
