/**
 * Shared state of one diagnose() run: the stream models and each direction's delivery, built once.
 * The detectors look at the `active` streams only: diagnose() walks the capture batch by batch and
 * forgets the batch's deliveries before the next one, so the per-segment records of a million-packet
 * capture never all live at once.
 */
import type { PacketColumns } from '../decode/columns';
import { analyzeDirection, DeliveryScratch, type DirDelivery } from './delivery';
import type { StreamModel } from './streams';
import type { DiagnoseOptions } from './types';

export class Ctx {
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
    this.scratch.arena.reset();
    this.lo = lo;
    this.hi = hi;
    this.active = this.streams.slice(lo, hi);
  }

  isActive(stream: number): boolean {
    return stream >= this.lo && stream < this.hi;
  }

  delivery(m: StreamModel, d: 0 | 1): DirDelivery {
    const key = m.index * 2 + d;
    let dd = this.cache.get(key);
    if (!dd) { dd = analyzeDirection(this.cols, m, d, this.scratch, this.flags); this.cache.set(key, dd); }
    return dd;
  }

  /** Seconds since the capture's first packet. */
  at(row: number): number {
    return this.cols.time(row) - this.t0;
  }

  /** Seconds between two rows. */
  span(a: number, b: number): number {
    return this.cols.time(b) - this.cols.time(a);
  }
}

/** The last row of a stream that is not a copy. */
export function lastRow(m: StreamModel): number {
  for (let p = m.rows.length - 1; p >= 0; p--) if (!m.copy[p]) return m.rows[p];
  return m.rows[m.rows.length - 1];
}
