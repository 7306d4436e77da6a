/** Small helpers over a point's rows: its row list, times with a per-point base, rows per flow. */
import type { CapturePoint } from './types';
import { isTcp } from './signature';

export function pointRows(p: CapturePoint): ArrayLike<number> {
  if (p.rows) return p.rows;
  const all = new Int32Array(p.cols.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return all;
}

/**
 * Whole seconds of the point's first row: times are taken relative to it so that differences keep
 * nanosecond precision (epoch seconds as a float leave only about 0.2 µs).
 */
export function timeBase(p: CapturePoint, rows: ArrayLike<number>): number {
  return rows.length ? p.cols.tsSec[rows[0]] : 0;
}

export function relTime(p: CapturePoint, base: number, i: number): number {
  return (p.cols.tsSec[i] - base) + p.cols.tsNsec[i] * 1e-9;
}

/** TCP rows per flow: key stream * 2 + direction → rows in capture order. */
export function rowsByFlow(p: CapturePoint, rows: ArrayLike<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const { stream, dir } = p.tcp;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (!isTcp(p.cols, stream, i)) continue;
    const key = stream[i] * 2 + dir[i];
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(i);
  }
  return out;
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
