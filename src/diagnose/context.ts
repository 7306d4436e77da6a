/**
 * Shared state of one diagnose() run: the stream models and each direction's delivery, built once.
 * The detectors look at the `active` streams only: diagnose() walks the capture batch by batch and
 * forgets the batch's deliveries before the next one, so the per-segment records of a million-packet
 * capture never all live at once.
 */
import type { PacketColumns } from '../decode/columns';
import { analyzeDirection, DeliveryScratch, type DirDelivery } from './delivery';
import { rateOf, type RateDetail } from './rate';
import type { StreamModel } from './streams';
import type { PtbMessage } from './icmp';
import type { DiagnoseOptions } from './types';
import type { Direction } from '../types';

/** A silence of the whole capture this long is a gap in what it watched, not a quiet network. */
const LONG_SILENCE = 300;

export class DiagnoseContext {
  private readonly cache = new Map<number, DirDelivery>();
  private readonly scratch = new DeliveryScratch();
  /** Time of the capture's first packet, the origin of finding windows. */
  readonly t0: number;

  /** Streams the detectors examine now: a contiguous run of `streams` (all of them by default). */
  active: StreamModel[];
  private lo = 0;
  private hi: number;

  /** `flags`: the TCP analyzer's flag bits per row, when it ran (its out-of-order verdict is used). */
  constructor(readonly cols: PacketColumns, readonly streams: StreamModel[], readonly options: DiagnoseOptions, readonly flags?: ArrayLike<number>) {
    this.t0 = cols.length > 0 ? cols.time(0) : 0;
    this.active = streams;
    this.hi = streams.length;
  }

  /** Examine streams [lo, hi) next, forgetting the deliveries built so far. */
  focus(lo: number, hi: number): void {
    this.cache.clear();
    this.rates.clear();
    this.scratch.arena.reset();
    this.lo = lo;
    this.hi = hi;
    this.active = this.streams.slice(lo, hi);
  }

  isActive(stream: number): boolean {
    return stream >= this.lo && stream < this.hi;
  }

  private readonly rates = new Map<number, RateDetail | null>();

  /** What limited the rate of direction `d` (rate.ts), built once per batch. */
  rate(m: StreamModel, d: Direction): RateDetail | null {
    const key = m.index * 2 + d;
    let r = this.rates.get(key);
    if (r === undefined) { r = rateOf(this.cols, m, d, this.delivery(m, d)); this.rates.set(key, r); }
    return r;
  }

  delivery(m: StreamModel, d: Direction): DirDelivery {
    const key = m.index * 2 + d;
    let dd = this.cache.get(key);
    if (!dd) { dd = analyzeDirection(this.cols, m, d, this.scratch, this.flags); this.cache.set(key, dd); }
    return dd;
  }

  /** Seconds since the capture's first packet. */
  at(row: number): number {
    return this.cols.time(row) - this.t0;
  }

  private silences: Int32Array | null = null;
  /** ICMP "too big" messages matched to their stream direction (set once by diagnoseCapture). */
  ptb: PtbMessage[] = [];

  /** Smallest MTU an ICMP "too big" reported for this stream direction, Infinity when none. */
  ptbMtu(stream: number, d: Direction): number {
    let min = Infinity;
    for (const x of this.ptb) if (x.stream === stream && x.dir === d && x.mtu > 0 && x.mtu < min) min = x.mtu;
    return min;
  }


  /**
   * Seconds the capture watched after `row`: up to its last packet, or up to the first silence of
   * the whole capture longer than LONG_SILENCE (a file merged from pieces, a capture paused): what
   * happened in such a silence was not watched.
   */
  coveredAfter(row: number): number {
    if (!this.silences) {
      const out: number[] = [];
      for (let i = 1; i < this.cols.length; i++) if (this.cols.time(i) - this.cols.time(i - 1) > LONG_SILENCE) out.push(i);
      this.silences = Int32Array.from(out);
    }
    const s = this.silences;
    let lo = 0, hi = s.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (s[mid] <= row) lo = mid + 1; else hi = mid; }
    const end = lo < s.length ? s[lo] - 1 : this.cols.length - 1;
    return Math.max(0, this.span(row, end));
  }

  /** Seconds between two rows. */
  span(a: number, b: number): number {
    return this.cols.time(b) - this.cols.time(a);
  }
}

/**
 * Only one direction of the stream is in the capture: what the other side sent (its ACKs above all)
 * cannot be seen, so nothing about delivery can be judged.
 */
export function oneWay(m: StreamModel): boolean {
  for (let p = 1; p < m.dir.length; p++) if (m.dir[p] !== m.dir[0]) return false;
  return true;
}

/** The last row of a stream that is not a copy. */
export function lastRow(m: StreamModel): number {
  for (let p = m.rows.length - 1; p >= 0; p--) if (!m.copy[p]) return m.rows[p];
  return m.rows[m.rows.length - 1];
}
