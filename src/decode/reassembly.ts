/**
 * IP reassembly: the fragments of one datagram (IPv4, or IPv6 with a fragment header) are gathered
 * until every byte from 0 to the end given by the last fragment (more-fragments clear) is there; the
 * fragment that fills the last gap gets the whole payload, for the decoder to read the TCP, UDP or
 * ICMP header it carries, as Wireshark shows the reassembled packet on the frame that completes it.
 *
 * Datagrams are keyed by IP version, source, destination, identification and protocol. Fragments may
 * come in any order, twice, or overlapping: where they overlap the bytes that came first are kept,
 * and the overlap is counted (an exact repeat counts as a duplicate, not an overlap). What is held is
 * bounded: a datagram is at most `maxDatagramBytes` long, all datagrams together hold at most
 * `maxBytes`, their bookkeeping included so that a flood of datagrams that can never complete is
 * bounded too (the least recently fed are evicted to make room), and a datagram that got no fragment
 * for `timeoutSeconds` of capture time is given up. Linux gives a datagram 30 s from its first
 * fragment; here the 30 s run from its latest one, since Wireshark sets no limit at all and a slow
 * trickle of fragments is still one datagram. Every datagram given up (evicted, timed out, too long,
 * or still waiting when the capture ends: flush()) is counted in the FragmentTally with the rows of
 * its fragments, for the caveat that says what could not be analysed.
 *
 * Only fragments come here: ordinary packets never touch it. A datagram's bytes are one buffer grown
 * by doubling; the reassembled payload is copied into `out`, one buffer reused from datagram to
 * datagram.
 */

/** What became of the fragments of a capture, for the caveats. */
export class FragmentTally {
  static readonly FIRST_ROWS = 5;
  /** Fragments handed to the reassembler. */
  fragments = 0;
  /** Datagrams reassembled, and the fragments they were made of. */
  reassembled = 0;
  reassembledFragments = 0;
  /** Fragments that overlapped bytes already held (an exact repeat is a duplicate instead); their first rows. */
  overlaps = 0;
  readonly overlapRows: number[] = [];
  /** Fragments that repeated bytes already held, exactly. */
  duplicates = 0;
  /** Datagrams never completed (a fragment missing, too long, timed out, evicted for room, or the capture ended). */
  incomplete = 0;
  /** Of those: given up after the timeout, evicted for room, longer than a datagram may be. */
  timedOut = 0;
  evicted = 0;
  tooLong = 0;
  /** Rows (0-based) of the fragments of datagrams never completed, in the order the datagrams were given up. */
  readonly incompleteRows: number[] = [];
}

export interface ReassemblerOptions {
  /** Bytes held by all pending datagrams together; the least recently fed are evicted beyond it. */
  maxBytes?: number;
  /** Longest datagram payload accepted (IPv4: 65,515 bytes; IPv6 without jumbograms: 65,535 + a last fragment's overrun). */
  maxDatagramBytes?: number;
  /** Capture seconds without a fragment after which a datagram is given up. */
  timeoutSeconds?: number;
}

export const REASSEMBLY_DEFAULTS: Required<ReassemblerOptions> = {
  maxBytes: 8 * 2 ** 20,
  maxDatagramBytes: 2 ** 17,
  timeoutSeconds: 30,
};

/** What a pending datagram costs besides its bytes (its record, its ranges), and each fragment's row. */
const DATAGRAM_COST = 256;
const ROW_COST = 8;

function cost(d: Datagram): number {
  return DATAGRAM_COST + ROW_COST * d.rows.length + d.data.length;
}

interface Datagram {
  /** Capture time of its latest fragment, seconds. */
  last: number;
  /** Payload length, known once the last fragment (more-fragments clear) came; -1 before. */
  total: number;
  data: Uint8Array;
  /** Byte ranges held, sorted and merged: start0, end0, start1, end1, ... */
  held: number[];
  rows: number[];
  /** Too long, or a fragment whose bytes were not all captured: it can never be completed. */
  lost: boolean;
}

export class Reassembler {
  readonly tally: FragmentTally;
  private readonly opts: Required<ReassemblerOptions>;
  /** Pending datagrams, least recently fed first (a fed datagram is moved to the end). */
  private readonly pending = new Map<string, Datagram>();
  private bytes = 0;
  /** The last reassembled payload, after `headroom` bytes (add()'s return value says how long). */
  out = new Uint8Array(2048);

  constructor(tally: FragmentTally = new FragmentTally(), opts: ReassemblerOptions = {}) {
    this.tally = tally;
    this.opts = { ...REASSEMBLY_DEFAULTS, ...opts };
  }

  /** Bytes held by pending datagrams, their bookkeeping included (a fixed cost each, and per fragment). */
  get bytesHeld(): number {
    return this.bytes;
  }

  /** Datagrams waiting for fragments. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Add one fragment: `key` names its datagram (version, addresses, identification, protocol), `now`
   * is its capture time in seconds, `row` its row in the packet table, `offset` where its bytes go in
   * the payload, `more` its more-fragments flag. Its `len` bytes are `src[start, start + len)`, of
   * which `captured` are there (fewer when the snap length cut the frame). Returns the reassembled
   * payload's length when this fragment completes the datagram (the payload is then in `out`, from
   * `headroom`), else -1.
   */
  add(key: string, now: number, row: number, offset: number, more: boolean, src: Uint8Array, start: number, len: number, captured: number, headroom = 0): number {
    const t = this.tally;
    t.fragments++;
    this.expire(now);
    let d = this.pending.get(key);
    if (d) this.pending.delete(key); // re-inserted below: the Map stays in order of last use
    else {
      d = { last: now, total: -1, data: new Uint8Array(0), held: [], rows: [], lost: false };
      this.bytes += DATAGRAM_COST;
    }
    this.pending.set(key, d);
    d.last = now;
    d.rows.push(row);
    this.bytes += ROW_COST;
    // Even a datagram that holds no bytes (lost) costs its bookkeeping: a flood of them is bounded too.
    this.fit(d, 0);
    if (d.lost) return -1;
    const end = offset + len;
    if (end > this.opts.maxDatagramBytes) { this.drop(d); t.tooLong++; return -1; }
    if (captured < len) { this.drop(d); return -1; }
    if (!more) {
      if (d.total < 0) d.total = end;
      // A second, different last fragment: the first one's end stands; the disagreement is an overlap.
      else if (d.total !== end) this.overlap(row);
    }
    if (len > 0) {
      if (!this.room(d, end)) return -1;
      this.place(d, row, offset, end, src, start);
    }
    if (d.total < 0 || d.held.length !== 2 || d.held[0] !== 0 || d.held[1] < d.total) return -1;
    // Complete.
    const total = d.total;
    if (this.out.length < headroom + total) this.out = new Uint8Array(Math.max(headroom + total, this.out.length * 2));
    this.out.set(d.data.subarray(0, total), headroom);
    this.bytes -= cost(d);
    this.pending.delete(key);
    t.reassembled++;
    t.reassembledFragments += d.rows.length;
    return total;
  }

  /** Give up every datagram still waiting (the capture ended). */
  flush(): void {
    for (const [key, d] of this.pending) this.lose(d, key);
  }

  /** Give up the datagrams idle for longer than the timeout (the Map's front holds the least recently fed). */
  private expire(now: number): void {
    const limit = now - this.opts.timeoutSeconds;
    for (const [key, d] of this.pending) {
      if (d.last >= limit) break;
      this.lose(d, key);
      this.tally.timedOut++;
    }
  }

  /** Evict the least recently fed datagrams other than `d` until `grow` more bytes fit; whether they do. */
  private fit(d: Datagram, grow: number): boolean {
    for (const [k, other] of this.pending) {
      if (this.bytes + grow <= this.opts.maxBytes) break;
      if (other === d) continue;
      this.lose(other, k);
      this.tally.evicted++;
    }
    return this.bytes + grow <= this.opts.maxBytes;
  }

  /** Make `d` able to hold `end` bytes within the memory budget; false when it cannot (then it is dropped). */
  private room(d: Datagram, end: number): boolean {
    if (d.data.length >= end) return true;
    let size = Math.max(256, d.data.length);
    while (size < end) size *= 2;
    size = Math.min(size, this.opts.maxDatagramBytes);
    const grow = size - d.data.length;
    if (!this.fit(d, grow)) { this.drop(d); this.tally.evicted++; return false; }
    const data = new Uint8Array(size);
    data.set(d.data);
    this.bytes += grow;
    d.data = data;
    return true;
  }

  /** Copy the fragment's bytes where nothing is held yet, and note a repeat or an overlap. */
  private place(d: Datagram, row: number, s: number, e: number, src: Uint8Array, start: number): void {
    const h = d.held;
    let covered = 0, same = true;
    const merged: number[] = [];
    let cur = s;
    let i = 0;
    // Ranges wholly before the fragment stay as they are.
    for (; i < h.length && h[i + 1] < s; i += 2) merged.push(h[i], h[i + 1]);
    let ms = s, me = e;
    for (; i < h.length && h[i] <= e; i += 2) {
      const hs = h[i], he = h[i + 1];
      // The gap before this held range is filled from the fragment.
      if (hs > cur) d.data.set(src.subarray(start + cur - s, start + hs - s), cur);
      const os = Math.max(hs, s), oe = Math.min(he, e);
      if (oe > os) {
        covered += oe - os;
        if (same) for (let k = os; k < oe; k++) if (d.data[k] !== src[start + k - s]) { same = false; break; }
      }
      cur = Math.max(cur, he);
      ms = Math.min(ms, hs);
      me = Math.max(me, he);
    }
    if (cur < e) d.data.set(src.subarray(start + cur - s, start + e - s), cur);
    merged.push(ms, me);
    for (; i < h.length; i++) merged.push(h[i]);
    d.held = merged;
    if (covered === 0) return;
    if (covered === e - s && same) this.tally.duplicates++;
    else this.overlap(row);
  }

  private overlap(row: number): void {
    const t = this.tally;
    t.overlaps++;
    if (t.overlapRows.length < FragmentTally.FIRST_ROWS) t.overlapRows.push(row);
  }

  /**
   * A datagram that can never be completed (too long, a fragment not captured in full, no room): its
   * bytes are freed, and it stays pending without them so that its later fragments join it, to be
   * counted once when it times out or the capture ends.
   */
  private drop(d: Datagram): void {
    d.lost = true;
    this.bytes -= d.data.length;
    d.data = new Uint8Array(0);
    d.held = [];
  }

  /** Give up a datagram: count it and its fragments' rows. */
  private lose(d: Datagram, key: string): void {
    const t = this.tally;
    t.incomplete++;
    for (const r of d.rows) t.incompleteRows.push(r);
    this.bytes -= cost(d);
    this.pending.delete(key);
  }
}
