/**
 * Cuts a byte stream arriving in chunks of any size into the units of a format (file header,
 * record, block). A unit lying wholly inside the current chunk is handed on as a view of that chunk
 * (no copy); only a unit straddling a chunk boundary is gathered into a carry buffer, which is
 * reused, so the reader holds at most one partial unit and copies each byte at most once. Nothing
 * refers to a chunk once push() returns: the caller may read the next bytes into the same buffer.
 */

export interface UnitParser {
  /** Bytes needed at the start of the next unit before its length can be known. */
  headerBytes(): number;
  /**
   * Total length of the unit starting at `off` (at least headerBytes() are there), or -1 when the
   * stream cannot be read on (the parser has warned).
   */
  unitLength(view: DataView, buf: Uint8Array, off: number, streamOffset: number): number;
  /** Handle one complete unit; false stops reading (the parser has warned). */
  unit(buf: Uint8Array, view: DataView, off: number, len: number, streamOffset: number): boolean;
  /**
   * The stream ended with `have` bytes of an unfinished unit at `streamOffset` (`need` its full
   * length, or -1 when even its header was incomplete). Not called when the stream ended cleanly.
   */
  truncated(buf: Uint8Array, view: DataView, have: number, need: number, streamOffset: number): void;
  /** The stream ended (after truncated(), if any). */
  finished(streamOffset: number): void;
  /**
   * Units were handed on from `chunk` and the chunk goes back to its owner, who may reuse it:
   * copy whatever is still kept of it.
   */
  release?(chunk: Uint8Array): void;
}

export class Framer {
  private carry = new Uint8Array(0);
  private carryView = new DataView(this.carry.buffer);
  /**
   * The carry buffer before the current one: carry buffers alternate so that the unit handed on
   * last stays intact while the next one is gathered (a parser may look back at it to explain
   * damage, identically whatever the chunk sizes).
   */
  private spare = new Uint8Array(0);
  private spareView = new DataView(this.spare.buffer);
  private carryLen = 0;
  /** Length of the unit being gathered, -1 while its header is incomplete. */
  private need = -1;
  /** Stream offset of the next byte to arrive. */
  private pos = 0;
  private done = false;

  constructor(
    private readonly parser: UnitParser,
    private readonly isStopped: () => boolean,
  ) {}

  get bytesConsumed(): number {
    return this.pos;
  }

  push(chunk: Uint8Array): void {
    if (this.done || this.isStopped()) return;
    this.feed(chunk);
    this.parser.release?.(chunk);
  }

  private feed(chunk: Uint8Array): void {
    const n = chunk.length;
    const base = this.pos;
    this.pos += n;
    let i = 0;
    if (this.carryLen > 0) {
      i = this.fillCarry(chunk, 0, base);
      if (i < 0) return;
    }
    const p = this.parser;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const rem = n - i;
      if (rem === 0) return;
      if (rem < p.headerBytes()) break;
      const len = p.unitLength(view, chunk, i, base + i);
      if (len < 0 || this.isStopped()) return this.stop(base + i);
      if (rem < len) {
        this.startCarry(chunk, i, n);
        this.need = len;
        return;
      }
      if (!p.unit(chunk, view, i, len, base + i) || this.isStopped()) return this.stop(base + i);
      i += len;
    }
    this.startCarry(chunk, i, n);
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    if (this.isStopped()) return;
    if (this.carryLen > 0) {
      this.parser.truncated(this.carry, this.carryView, this.carryLen, this.need, this.pos - this.carryLen);
      this.carryLen = 0;
    }
    this.parser.finished(this.pos);
  }

  /** Reading stops at the unit starting at `at`: bytesConsumed then counts the bytes before it. */
  private stop(at: number): void {
    this.pos = at;
    this.done = true;
    this.carryLen = 0;
  }

  private startCarry(chunk: Uint8Array, from: number, to: number): void {
    const c = this.carry, cv = this.carryView;
    this.carry = this.spare; this.carryView = this.spareView;
    this.spare = c; this.spareView = cv;
    this.carryLen = 0;
    this.need = -1;
    this.append(chunk, from, to);
    // The header may already be complete (the unit just did not fit): learn its length now.
    const hb = this.parser.headerBytes();
    if (this.carryLen >= hb && this.need < 0) {
      const start = this.pos - this.carryLen;
      this.need = this.parser.unitLength(this.carryView, this.carry, 0, start);
      if (this.need < 0 || this.isStopped()) return this.stop(start);
      this.ensure(this.need);
    }
  }

  /** Complete the carried unit from `chunk`; returns where the chunk's unread bytes start, or -1. */
  private fillCarry(chunk: Uint8Array, from: number, base: number): number {
    let i = from;
    const n = chunk.length;
    const p = this.parser;
    if (this.need < 0) {
      const hb = p.headerBytes();
      const take = Math.min(hb - this.carryLen, n - i);
      this.append(chunk, i, i + take);
      i += take;
      if (this.carryLen < hb) return -1;
      const start = base + i - this.carryLen;
      this.need = p.unitLength(this.carryView, this.carry, 0, start);
      if (this.need < 0 || this.isStopped()) {
        this.stop(start);
        return -1;
      }
      this.ensure(this.need);
    }
    const take = Math.min(this.need - this.carryLen, n - i);
    this.append(chunk, i, i + take);
    i += take;
    if (this.carryLen < this.need) return -1;
    const start = base + i - this.carryLen;
    const len = this.need;
    this.carryLen = 0;
    this.need = -1;
    if (!p.unit(this.carry, this.carryView, 0, len, start) || this.isStopped()) {
      this.stop(start);
      return -1;
    }
    return i;
  }

  private ensure(size: number): void {
    if (size <= this.carry.length) return;
    let cap = Math.max(this.carry.length * 2, 4096);
    while (cap < size) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.carry.subarray(0, this.carryLen));
    this.carry = next;
    this.carryView = new DataView(next.buffer);
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const len = to - from;
    if (len <= 0) return;
    this.ensure(this.carryLen + len);
    this.carry.set(chunk.subarray(from, to), this.carryLen);
    this.carryLen += len;
  }
}
