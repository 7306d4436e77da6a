/**
 * The chart's arithmetic, free of React: visible ranges, zoom and pan of the time window, and which
 * mark is under the pointer. Kept pure so the unit tests exercise it without a browser.
 */
import { SegFlag, type StreamSeries } from '../../src/view/index';

export interface Window {
  t0: number;
  t1: number;
}

/** Smallest time span the chart zooms to: a microsecond is the finest capture clock in common use. */
export const MIN_SPAN = 1e-6;

/** The whole stream with a small margin, so the first SYN and the last RST are not on the axes. */
export function paddedExtent(s: StreamSeries): Window {
  const span = Math.max(s.extent.t1 - s.extent.t0, 1e-3);
  return { t0: s.extent.t0 - span * 0.02, t1: s.extent.t1 + span * 0.02 };
}

/** Zoom by `factor` (< 1 zooms in) keeping time `at` under the pointer. */
export function zoomAt(w: Window, at: number, factor: number): Window {
  const span = Math.max((w.t1 - w.t0) * factor, MIN_SPAN);
  const f = w.t1 > w.t0 ? (at - w.t0) / (w.t1 - w.t0) : 0.5;
  return { t0: at - f * span, t1: at - f * span + span };
}

export function panBy(w: Window, dt: number): Window {
  return { t0: w.t0 + dt, t1: w.t1 + dt };
}

/** A window from two times in any order, never narrower than MIN_SPAN. */
export function windowBetween(a: number, b: number): Window {
  const t0 = Math.min(a, b), t1 = Math.max(a, b);
  return t1 - t0 >= MIN_SPAN ? { t0, t1 } : { t0: (t0 + t1 - MIN_SPAN) / 2, t1: (t0 + t1 + MIN_SPAN) / 2 };
}

/**
 * Sequence range to show for the time window: data, ACKs, SACK blocks and holes in view; the
 * receive-window line only when asked (it is often far above the data and would flatten it).
 */
export function visibleSeqRange(s: StreamSeries, w: Window, withWindow: boolean): [number, number] {
  let lo = Infinity, hi = -Infinity;
  const take = (a: number, b: number) => {
    if (a < lo) lo = a;
    if (b > hi) hi = b;
  };
  const inView = (t: number) => t >= w.t0 && t <= w.t1;
  for (let i = 0; i < s.segCount; i++) if (inView(s.segTime[i])) take(s.segSeq[i], s.segEnd[i]);
  for (let i = 0; i < s.ackCount; i++) {
    // An ACK before the window still draws its step into the window.
    const next = i + 1 < s.ackCount ? s.ackTime[i + 1] : Infinity;
    if (s.ackTime[i] <= w.t1 && next >= w.t0) {
      take(s.ackSeq[i], s.ackSeq[i]);
      if (withWindow) take(s.ackWin[i], s.ackWin[i]);
    }
  }
  for (let i = 0; i < s.sackCount; i++) if (inView(s.sackTime[i])) take(s.sackLeft[i], s.sackRight[i]);
  for (let i = 0; i < s.holes.count; i++) if (s.holes.t1[i] >= w.t0 && s.holes.t0[i] <= w.t1) take(s.holes.seq0[i], s.holes.seq1[i]);
  for (let i = 0; i < s.markCount; i++) if (inView(s.markTime[i])) take(s.markSeq[i], s.markSeq[i]);
  if (!Number.isFinite(lo)) return [0, 1];
  const pad = Math.max((hi - lo) * 0.04, 1);
  return [lo - pad, hi + pad];
}

export type HitKind = 'seg' | 'ack' | 'sack' | 'hole' | 'mark';

export interface Hit {
  kind: HitKind;
  index: number;
}

type Scale = (v: number) => number;

/** Pixel distance from a point to a vertical bar. */
function barDistance(px: number, py: number, x: number, ya: number, yb: number): number {
  const top = Math.min(ya, yb), bottom = Math.max(ya, yb);
  const dy = py < top ? top - py : py > bottom ? py - bottom : 0;
  return Math.hypot(px - x, dy);
}

/**
 * The mark nearest to the pointer within `radius` pixels: segments and connection marks first (what
 * a click selects), then ACK points and SACK blocks; a hole band when the pointer is inside one.
 */
export function hitTest(s: StreamSeries, px: number, py: number, x: Scale, y: Scale, radius = 8): Hit | null {
  let best: Hit | null = null, bestD = radius;
  const consider = (kind: HitKind, index: number, d: number) => {
    if (d <= bestD) { best = { kind, index }; bestD = d; }
  };
  for (let i = 0; i < s.segCount; i++) {
    // Flagged segments win ties: they are what the user is looking for.
    const bias = s.segFlags[i] & SegFlag.Envelope ? 0.5 : 0;
    consider('seg', i, barDistance(px, py, x(s.segTime[i]), y(s.segSeq[i]), y(s.segEnd[i])) + bias);
  }
  for (let i = 0; i < s.markCount; i++) consider('mark', i, Math.hypot(px - x(s.markTime[i]), py - y(s.markSeq[i])) + 1);
  if (best) return best;
  for (let i = 0; i < s.ackCount; i++) consider('ack', i, Math.hypot(px - x(s.ackTime[i]), py - y(s.ackSeq[i])) + 1);
  for (let i = 0; i < s.sackCount; i++) consider('sack', i, barDistance(px, py, x(s.sackTime[i]), y(s.sackLeft[i]), y(s.sackRight[i])) + 1);
  if (best) return best;
  for (let i = 0; i < s.holes.count; i++) {
    const inX = px >= x(s.holes.t0[i]) && px <= x(s.holes.t1[i]);
    const ya = y(s.holes.seq0[i]), yb = y(s.holes.seq1[i]);
    if (inX && py >= Math.min(ya, yb) && py <= Math.max(ya, yb)) return { kind: 'hole', index: i };
  }
  return null;
}

/** Frame a hit stands for, when it has one to select. */
export function frameOf(s: StreamSeries, h: Hit): number {
  switch (h.kind) {
    case 'seg': return s.segFrame[h.index];
    case 'ack': return s.ackFrame[h.index];
    case 'sack': return s.sackFrame[h.index];
    case 'hole': return s.holes.frame[h.index];
    case 'mark': return s.markFrame[h.index];
  }
}

/** Where a frame is drawn in this series: time and sequence of its mark, or null when not in view. */
export function locateFrame(s: StreamSeries, frame: number): { t: number; y0: number; y1: number } | null {
  for (let i = 0; i < s.segCount; i++) {
    if (s.segFrame[i] === frame && s.segN[i] === 1) return { t: s.segTime[i], y0: s.segSeq[i], y1: s.segEnd[i] };
  }
  for (let i = 0; i < s.markCount; i++) if (s.markFrame[i] === frame) return { t: s.markTime[i], y0: s.markSeq[i], y1: s.markSeq[i] };
  for (let i = 0; i < s.ackCount; i++) if (s.ackFrame[i] === frame) return { t: s.ackTime[i], y0: s.ackSeq[i], y1: s.ackSeq[i] };
  return null;
}

/** Decimals that tell ticks `step` seconds apart from each other. */
export function timeDecimals(span: number): number {
  if (!(span > 0)) return 3;
  return Math.min(9, Math.max(0, Math.ceil(-Math.log10(span / 8))));
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [lo];
  const raw = (hi - lo) / count;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const r = raw / p;
  const step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}
