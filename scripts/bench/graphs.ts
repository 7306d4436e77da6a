/**
 * The stream graphs' cost (src/view/graphs.ts) on the capture's largest stream, as the app asks for
 * them: the first request of each direction (the whole-stream pass, cached), then each kind for the
 * whole stream and for zoomed windows at a 1 200-pixel width, each the median of `runs` requests.
 */
import type { Analysis } from '../../src/analysis';
import { asStreamId, type Direction } from '../../src/index';
import { GRAPH_KINDS, type GraphKind } from '../../src/view/graphs';

export interface GraphTiming {
  kind: GraphKind | 'first request';
  /** Share of the stream's time span asked (1: the whole stream). */
  window: number;
  /** Median wall and CPU milliseconds per request. */
  ms: number;
  cpuMs: number;
  /**
   * Wall milliseconds of the first request at this window: a new zoom level (for the throughput, a
   * new bin width, whose whole-stream maximum is computed then).
   */
  coldMs: number;
  /** Rows of the direction in the window, and points served (all series). */
  rows: number;
  points: number;
}

export interface GraphBench {
  stream: number;
  packets: number;
  dir: Direction;
  timings: GraphTiming[];
}

const PIXELS = 1200;
const WINDOWS = [1, 0.5, 0.1, 0.01, 0.001];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function benchGraphs(a: Analysis, runs = 9): GraphBench {
  const streams = a.tcp.streams;
  let big = 0;
  for (const s of streams) if (s.packets > streams[big].packets) big = s.index;
  const info = streams[big];
  const dir: Direction = info.bytesDir[1] > info.bytesDir[0] ? 1 : 0;
  const stream = asStreamId(big);
  const timings: GraphTiming[] = [];
  const ask = (kind: GraphKind, t0: number, t1: number) => a.graph({ stream, dir, kind, t0, t1, pixels: PIXELS, average: 0 });
  const measure = (kind: GraphTiming['kind'], window: number, f: () => ReturnType<typeof ask>, n: number) => {
    const ms: number[] = [], cpu: number[] = [];
    const w0 = performance.now();
    let g = f();
    const coldMs = performance.now() - w0;
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      g = f();
      ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    timings.push({ kind, window, ms: median(ms), cpuMs: median(cpu), coldMs, rows: g.rowsInWindow, points: g.series.reduce((x, s) => x + s.count, 0) });
  };
  // The first request pays the direction's whole-stream pass (and the fates it reads) once.
  {
    const c0 = process.cpuUsage(), t0 = performance.now();
    const g = ask('throughput', NaN, NaN);
    const c = process.cpuUsage(c0);
    const ms = performance.now() - t0;
    timings.push({ kind: 'first request', window: 1, ms, cpuMs: (c.user + c.system) / 1000, coldMs: ms, rows: g.rowsInWindow, points: g.series[0].count });
  }
  const whole = ask('throughput', NaN, NaN);
  const span = whole.t1 - whole.t0;
  for (const kind of GRAPH_KINDS) {
    for (const w of WINDOWS) {
      const t0 = w === 1 ? NaN : whole.t0 + span * 0.37, t1 = w === 1 ? NaN : t0 + span * w;
      // Each window slides a little at each request, as a zoom or a pan asks for new times.
      let k = 0;
      measure(kind, w, () => (w === 1 ? ask(kind, t0, t1) : ask(kind, t0 + (k++ % 7) * span * w * 0.01, t1 + (k % 7) * span * w * 0.01)), runs);
    }
  }
  return { stream: big, packets: info.packets, dir, timings };
}

export function formatGraphBench(b: GraphBench): string {
  const lines = [`Stream graphs, stream ${b.stream} (${b.packets} packets), direction ${b.dir}, ${PIXELS} px, median per request (first one at that window):`];
  for (const t of b.timings) {
    const win = t.window === 1 ? 'whole stream' : `${t.window * 100}% of it`;
    lines.push(`  ${t.kind.padEnd(14)} ${win.padEnd(14)} ${t.ms.toFixed(1).padStart(8)} ms (CPU ${t.cpuMs.toFixed(1).padStart(7)} ms, first ${t.coldMs.toFixed(1).padStart(7)} ms)  ${String(t.rows).padStart(8)} rows → ${String(t.points).padStart(6)} points`);
  }
  return lines.join('\n');
}
