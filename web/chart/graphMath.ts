/**
 * The stream graphs' arithmetic, free of React: the unit of the y axis for a graph's largest value,
 * the moving-average choices, the step and line paths, and which point is under the pointer. Kept
 * pure so unit tests exercise it without a browser.
 */
import type { GraphKind, GraphPoints, StreamGraph } from '../../src/view/index';

/** What a graph's values are divided by for its axis, and the unit's message key (graph.unit.*). */
export interface GraphUnit {
  div: number;
  key: string;
}

/**
 * The axis unit for a graph whose largest value is `max`: throughput in bit/s up to Gbit/s (values
 * are bits per second), RTT in ms (values are seconds), the window in bytes up to MiB (the units the
 * tables use, web/format.ts).
 */
export function graphUnit(kind: GraphKind, max: number): GraphUnit {
  const m = Number.isFinite(max) ? max : 0;
  switch (kind) {
    case 'throughput':
      if (m >= 1e9) return { div: 1e9, key: 'gbps' };
      if (m >= 1e6) return { div: 1e6, key: 'mbps' };
      if (m >= 1e3) return { div: 1e3, key: 'kbps' };
      return { div: 1, key: 'bps' };
    case 'rtt':
      return { div: 1e-3, key: 'ms' };
    case 'window':
      if (m >= 1024 * 1024) return { div: 1024 * 1024, key: 'mib' };
      if (m >= 1024) return { div: 1024, key: 'kib' };
      return { div: 1, key: 'bytes' };
  }
}

/** The throughput's moving-average windows offered, in seconds (0: the worker's choice, about a round trip). */
export const AVERAGE_CHOICES: readonly number[] = [0, 0.001, 0.01, 0.1, 1, 10];

/** An average choice as words: "auto", "10 ms", "1 s". */
export function averageLabel(seconds: number): { key: 'auto' | 'ms' | 's'; v: number } {
  if (!(seconds > 0)) return { key: 'auto', v: 0 };
  return seconds < 1 ? { key: 'ms', v: +(seconds * 1000).toPrecision(6) } : { key: 's', v: +seconds.toPrecision(6) };
}

/** The y domain: zero to a little above the whole stream's largest value (stable while zooming). */
export function graphYDomain(g: StreamGraph | null): [number, number] {
  const max = g && Number.isFinite(g.yMax) && g.yMax > 0 ? g.yMax : 0;
  if (max > 0) return [0, max * 1.06];
  // Nothing in the stream: a unit-sized empty axis.
  return [0, g?.kind === 'rtt' ? 1e-3 : 1];
}

type Scale = (v: number) => number;

/** Keep a pixel coordinate near the plot, so huge values do not overflow SVG. */
function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * An SVG path through the points: a polyline, or steps (each value held until the next point) for
 * quantities that hold between samples (the advertised window, bytes in flight, a bin's rate).
 * `x0`/`x1` bound the plot horizontally, `y0`/`y1` vertically (coordinates are clamped a little
 * outside them).
 */
export function seriesPath(p: GraphPoints, x: Scale, y: Scale, box: { x0: number; x1: number; y0: number; y1: number }, step: boolean): string {
  if (p.count === 0) return '';
  const xl = box.x0 - 20, xr = box.x1 + 20, yt = box.y0 - 10, yb = box.y1 + 10;
  const xx = (t: number) => clamp(x(t), xl, xr).toFixed(1);
  const yy = (v: number) => clamp(y(v), yt, yb).toFixed(1);
  let d = `M${xx(p.time[0])} ${yy(p.value[0])}`;
  for (let i = 1; i < p.count; i++) {
    d += step ? `H${xx(p.time[i])}V${yy(p.value[i])}` : `L${xx(p.time[i])} ${yy(p.value[i])}`;
  }
  return d;
}

/** Dots at each sample (RTT samples are points, not a curve): one path of tiny squares. */
export function dotsPath(p: GraphPoints, x: Scale, y: Scale, r = 1.6): string {
  let d = '';
  for (let i = 0; i < p.count; i++) {
    const cx = x(p.time[i]), cy = y(p.value[i]);
    d += `M${(cx - r).toFixed(1)} ${(cy - r).toFixed(1)}h${2 * r}v${2 * r}h${-2 * r}Z`;
  }
  return d;
}

export interface GraphHit {
  /** Index of the series, or -1 for a retransmission or event mark. */
  series: number;
  index: number;
}

/**
 * The point nearest to the pointer within `radius` pixels, marks first (what a click on the band at
 * the top selects), then the series' points (a point with a frame wins a near tie over a bin).
 */
export function graphHitTest(g: StreamGraph, px: number, py: number, x: Scale, y: Scale, markBand: { y0: number; y1: number }, radius = 8): GraphHit | null {
  let best: GraphHit | null = null, bestD = radius;
  if (py >= markBand.y0 - radius && py <= markBand.y1 + radius) {
    for (let i = 0; i < g.markCount; i++) {
      const d = Math.abs(px - x(g.markTime[i]));
      if (d <= bestD) { best = { series: -1, index: i }; bestD = d; }
    }
    if (best) return best;
  }
  g.series.forEach((s, k) => {
    for (let i = 0; i < s.count; i++) {
      const d = Math.hypot(px - x(s.time[i]), py - y(s.value[i])) + (s.frame[i] > 0 ? 0 : 0.5);
      if (d <= bestD) { best = { series: k, index: i }; bestD = d; }
    }
  });
  return best;
}

/** The frame a hit stands for (0: none, e.g. a throughput bin). */
export function graphHitFrame(g: StreamGraph, h: GraphHit): number {
  if (h.series < 0) return g.markFrame[h.index] ?? 0;
  return g.series[h.series]?.frame[h.index] ?? 0;
}

/** The time and value of a hit (a mark has no value). */
export function graphHitPoint(g: StreamGraph, h: GraphHit): { t: number; v: number | null } {
  if (h.series < 0) return { t: g.markTime[h.index], v: null };
  const s = g.series[h.series];
  return { t: s.time[h.index], v: s.value[h.index] };
}

/** Points of every series and marks in a graph: what the info line counts. */
export function graphPointCount(g: StreamGraph): number {
  return g.series.reduce((n, s) => n + s.count, 0);
}
