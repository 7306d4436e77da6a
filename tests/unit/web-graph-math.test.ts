/** The stream graphs' arithmetic (web/chart/graphMath.ts): units, averages, paths, what the pointer is on. */
import { describe, expect, it } from 'vitest';
import type { GraphPoints, StreamGraph } from '../../src/view/index';
import {
  AVERAGE_CHOICES, averageLabel, dotsPath, graphHitFrame, graphHitPoint, graphHitTest, graphPointCount, graphUnit, graphYDomain, seriesPath,
} from '../../web/chart/graphMath';

function pts(time: number[], value: number[], frame: number[] = time.map(() => 0)): GraphPoints {
  return { count: time.length, time: Float64Array.from(time), value: Float64Array.from(value), frame: Uint32Array.from(frame) };
}

function graph(kind: StreamGraph['kind'], series: GraphPoints[], marks: [number, number, number][] = []): StreamGraph {
  return {
    stream: 0, dir: 0, kind, t0: 0, t1: 10, pixels: 100, rowsInWindow: 0, decimated: false, series, binT0: 0, binWidth: 0, average: 0,
    yMax: Math.max(0, ...series.flatMap((s) => [...s.value])),
    markCount: marks.length, markTime: Float64Array.from(marks.map((m) => m[0])), markFrame: Uint32Array.from(marks.map((m) => m[1])),
    markFlags: Uint32Array.from(marks.map((m) => m[2])),
  };
}

/** 10 px per second from x = 0, 1 px per unit upwards from y = 100. */
const x = (t: number) => t * 10;
const y = (v: number) => 100 - v;

describe('graph units', () => {
  it('scales rates to bit/s … Gbit/s, RTT to ms, windows to B … MiB', () => {
    expect(graphUnit('throughput', 500)).toEqual({ div: 1, key: 'bps' });
    expect(graphUnit('throughput', 12_000)).toEqual({ div: 1e3, key: 'kbps' });
    expect(graphUnit('throughput', 95e6)).toEqual({ div: 1e6, key: 'mbps' });
    expect(graphUnit('throughput', 2.5e9)).toEqual({ div: 1e9, key: 'gbps' });
    expect(graphUnit('rtt', 0.2)).toEqual({ div: 1e-3, key: 'ms' });
    expect(graphUnit('window', 900)).toEqual({ div: 1, key: 'bytes' });
    expect(graphUnit('window', 65_535)).toEqual({ div: 1024, key: 'kib' });
    expect(graphUnit('window', 6 * 1024 * 1024)).toEqual({ div: 1024 * 1024, key: 'mib' });
    expect(graphUnit('throughput', NaN)).toEqual({ div: 1, key: 'bps' });
  });

  it('names the average choices', () => {
    expect(AVERAGE_CHOICES[0]).toBe(0);
    expect(averageLabel(0)).toEqual({ key: 'auto', v: 0 });
    expect(averageLabel(0.01)).toEqual({ key: 'ms', v: 10 });
    expect(averageLabel(0.001)).toEqual({ key: 'ms', v: 1 });
    expect(averageLabel(1)).toEqual({ key: 's', v: 1 });
    expect(averageLabel(10)).toEqual({ key: 's', v: 10 });
  });

  it('keeps the y axis from zero to a little above the whole stream\'s largest value', () => {
    expect(graphYDomain(null)).toEqual([0, 1]);
    expect(graphYDomain(graph('rtt', []))).toEqual([0, 1e-3]);
    const [lo, hi] = graphYDomain(graph('throughput', [pts([0, 1], [5e6, 10e6])]));
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(10.6e6, 0);
  });
});

describe('graph paths', () => {
  const box = { x0: 0, x1: 100, y0: 0, y1: 100 };
  it('draws lines, steps and dots, clamped near the plot', () => {
    const p = pts([1, 2, 3], [10, 20, 500]);
    expect(seriesPath(p, x, y, box, false)).toBe('M10.0 90.0L20.0 80.0L30.0 -10.0');
    expect(seriesPath(p, x, y, box, true)).toBe('M10.0 90.0H20.0V80.0H30.0V-10.0');
    expect(seriesPath(pts([], []), x, y, box, false)).toBe('');
    expect(dotsPath(pts([1], [10]), x, y, 1)).toBe('M9.0 89.0h2v2h-2Z');
  });
});

describe('what the pointer is on', () => {
  const g = graph('rtt', [pts([1, 5], [30, 40], [11, 15])], [[5, 21, 1]]);
  const band = { y0: 0, y1: 9 };
  it('a mark in the band at the top first, else the nearest point within reach', () => {
    const mark = graphHitTest(g, 51, 4, x, y, band);
    expect(mark).toEqual({ series: -1, index: 0 });
    expect(graphHitFrame(g, mark!)).toBe(21);
    expect(graphHitPoint(g, mark!)).toEqual({ t: 5, v: null });
    const point = graphHitTest(g, 12, 71, x, y, band);
    expect(point).toEqual({ series: 0, index: 0 });
    expect(graphHitFrame(g, point!)).toBe(11);
    expect(graphHitPoint(g, point!)).toEqual({ t: 1, v: 30 });
    expect(graphHitTest(g, 80, 50, x, y, band)).toBeNull();
  });

  it('a bin has no frame to select', () => {
    const t = graph('throughput', [pts([0, 1], [10, 20])]);
    const hit = graphHitTest(t, 10, 80, x, y, band);
    expect(hit && graphHitFrame(t, hit)).toBe(0);
    expect(graphPointCount(t)).toBe(2);
  });
});
