/**
 * Holes in one direction's byte stream, as bands of (time, sequence) for the chart:
 * - SACK holes: bytes the receiver reported data beyond (SACK) but has not acknowledged; open from the
 *   ACK that first showed the gap until a later ACK no longer shows it (filled or cumulatively ACKed);
 * - uncaptured holes: "previous segment not captured", from the highest byte seen so far to the new
 *   segment's start; open until a segment covering it is seen or the receiver ACKs past it.
 * A hole still open when the stream ends is the interesting kind (a black hole, a stalled transfer).
 * Sequence numbers here are unwrapped relative numbers (plain doubles, never modulo 2^32).
 */

export const enum HoleKind {
  Sack = 1,
  Uncaptured = 2,
}

interface OpenHole {
  seq0: number;
  seq1: number;
  t0: number;
  frame: number;
  kind: number;
}

export interface HoleBands {
  count: number;
  t0: Float64Array;
  t1: Float64Array;
  seq0: Float64Array;
  seq1: Float64Array;
  /** HoleKind bits. */
  kind: Uint8Array;
  /** 1 when the hole was never closed before the stream ended. */
  open: Uint8Array;
  /** Frame number (1-based) of the packet that revealed the hole. */
  frame: Uint32Array;
}

export class HoleTracker {
  private cumAck = -Infinity;
  /** SACKed ranges above the cumulative ACK: sorted, disjoint [l, r) pairs. */
  private sacked: number[] = [];
  private active: OpenHole[] = [];
  private readonly done: (OpenHole & { t1: number })[] = [];
  private distinct = 0;

  /**
   * Distinct holes so far: a band that continues one that shrank or split (part filled, ACK
   * advanced) is the same hole drawn again; the stream table counts holes this way.
   */
  get holes(): number {
    return this.distinct;
  }

  /** A packet of the receiver with the ACK bit: cumulative ACK and `n` SACK edges (pairs l, r). */
  onAck(t: number, frame: number, ack: number, edges: ArrayLike<number>, n = edges.length): void {
    let changed = false;
    if (ack > this.cumAck) {
      this.cumAck = ack;
      this.trimSacked();
      this.closeUncapturedBelow(t, frame);
      changed = true;
    }
    for (let i = 0; i + 1 < n; i += 2) {
      const l = Math.max(edges[i], this.cumAck);
      const r = edges[i + 1];
      // Blocks at or below the cumulative ACK are D-SACKs (duplicates): no hole information.
      if (r > l && this.addSacked(l, r)) changed = true;
    }
    // Most ACKs of a loss episode only repeat the blocks or grow the last one: the gaps stay.
    if (changed) this.reconcileSackHoles(t, frame);
  }

  /** A data segment of the sender [seq, end); `lost`: flagged "previous segment not captured". */
  onData(t: number, frame: number, seq: number, end: number, lost: boolean, highestBefore: number): void {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const h = this.active[i];
      if (h.kind !== HoleKind.Uncaptured || seq > h.seq0 || end <= h.seq0) continue;
      this.close(i, t);
      if (end < h.seq1) this.active.push({ seq0: end, seq1: h.seq1, t0: t, frame, kind: HoleKind.Uncaptured });
    }
    if (lost && seq > highestBefore && Number.isFinite(highestBefore) && !this.findActive(highestBefore, seq)) {
      if (!overlapsAny(this.active, highestBefore, seq)) this.distinct++;
      this.active.push({ seq0: highestBefore, seq1: seq, t0: t, frame, kind: HoleKind.Uncaptured });
    }
  }

  /** Close the book at the stream's end; holes still open run to `tEnd`. */
  finish(tEnd: number): HoleBands {
    const all = [...this.done, ...this.active.map((h) => ({ ...h, t1: Math.max(tEnd, h.t0) }))];
    const openFrom = this.done.length;
    const n = all.length;
    const out: HoleBands = {
      count: n, t0: new Float64Array(n), t1: new Float64Array(n), seq0: new Float64Array(n),
      seq1: new Float64Array(n), kind: new Uint8Array(n), open: new Uint8Array(n), frame: new Uint32Array(n),
    };
    for (let i = 0; i < n; i++) {
      const h = all[i];
      out.t0[i] = h.t0; out.t1[i] = h.t1; out.seq0[i] = h.seq0; out.seq1[i] = h.seq1;
      out.kind[i] = h.kind; out.open[i] = i >= openFrom ? 1 : 0; out.frame[i] = h.frame;
    }
    return out;
  }

  private findActive(seq0: number, seq1: number): OpenHole | null {
    for (const h of this.active) if (h.seq0 === seq0 && h.seq1 === seq1) return h;
    return null;
  }

  private close(i: number, t: number): OpenHole {
    const [h] = this.active.splice(i, 1);
    this.done.push({ ...h, t1: t });
    return h;
  }

  private closeUncapturedBelow(t: number, frame: number): void {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const h = this.active[i];
      if (h.kind !== HoleKind.Uncaptured || this.cumAck <= h.seq0) continue;
      this.close(i, t);
      if (this.cumAck < h.seq1) this.active.push({ seq0: this.cumAck, seq1: h.seq1, t0: t, frame, kind: HoleKind.Uncaptured });
    }
  }

  private trimSacked(): void {
    const s = this.sacked;
    let k = 0;
    while (k < s.length && s[k + 1] <= this.cumAck) k += 2;
    if (k > 0) s.splice(0, k);
    if (s.length > 0 && s[0] < this.cumAck) s[0] = this.cumAck;
  }

  /** Add [l, r) to the SACKed ranges; false when the gaps between them cannot have changed. */
  private addSacked(l: number, r: number): boolean {
    const s = this.sacked;
    // Few ranges in practice (a handful of holes at a time): a linear merge is the cheapest.
    let i = 0;
    while (i < s.length && s[i + 1] < l) i += 2;
    if (i < s.length && s[i] <= l) {
      if (r <= s[i + 1]) return false;
      // Growing the last range's right edge moves no gap (nothing lies above it).
      if (i + 2 >= s.length) { s[i + 1] = r; return false; }
    }
    let j = i;
    while (j < s.length && s[j] <= r) {
      l = Math.min(l, s[j]);
      r = Math.max(r, s[j + 1]);
      j += 2;
    }
    s.splice(i, j - i, l, r);
    return true;
  }

  /** Gaps between the cumulative ACK and the SACKed ranges are the SACK holes now. */
  private readonly gaps: number[] = [];

  private reconcileSackHoles(t: number, frame: number): void {
    if (this.sacked.length === 0 && !this.active.some((h) => h.kind & HoleKind.Sack)) return;
    const gaps = this.gaps;
    gaps.length = 0;
    let from = this.cumAck;
    for (let i = 0; i < this.sacked.length; i += 2) {
      if (this.sacked[i] > from && Number.isFinite(from)) gaps.push(from, this.sacked[i]);
      from = this.sacked[i + 1];
    }
    const closedNow: OpenHole[] = [];
    for (let i = this.active.length - 1; i >= 0; i--) {
      const h = this.active[i];
      if (h.kind & HoleKind.Sack && indexOfPair(gaps, h.seq0, h.seq1) < 0) closedNow.push(this.close(i, t));
    }
    for (let i = 0; i < gaps.length; i += 2) {
      const same = this.findActive(gaps[i], gaps[i + 1]);
      if (same) same.kind |= HoleKind.Sack;
      else if (!overlapsAny(closedNow, gaps[i], gaps[i + 1]) && !overlapsAny(this.active, gaps[i], gaps[i + 1])) this.distinct++;
      if (!same) this.active.push({ seq0: gaps[i], seq1: gaps[i + 1], t0: t, frame, kind: HoleKind.Sack });
    }
  }
}

/** Does [a, b) overlap one of the holes? */
function overlapsAny(holes: readonly OpenHole[], a: number, b: number): boolean {
  for (const h of holes) if (h.seq0 < b && a < h.seq1) return true;
  return false;
}

/** Position of the pair (a, b) in a flat list of pairs, or -1. */
function indexOfPair(pairs: readonly number[], a: number, b: number): number {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === a && pairs[i + 1] === b) return i;
  return -1;
}
