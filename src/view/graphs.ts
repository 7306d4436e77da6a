/**
 * streamGraph: what the stream graphs under the time-sequence chart draw (throughput and goodput, RTT
 * samples, receive window against bytes in flight) for one direction of one stream in a time window,
 * decimated to the plot's pixel width. Runs in the worker; the answer is typed arrays only
 * (StreamGraph, src/view/graphTypes.ts).
 *
 * First version: the shape of the answer, computed simply over the rows of the window (RTT samples
 * and bytes in flight still empty).
 */

import { TcpFlag } from '../decode/columns';
import type { DirDelivery } from '../diagnose/delivery';
import type { Direction } from '../types';
import type { GraphOptions, GraphPoints, StreamGraph } from './graphTypes';
import { relativeTime } from './streamIndex';
import { captureStart, streamSummary, type SeriesInput } from './streamSummary';

export * from './graphTypes';

export interface GraphInput extends SeriesInput {
  /** The fates of one direction's data (src/diagnose/delivery.ts): goodput and the Karn rule read them. */
  delivery?: (stream: number, dir: Direction) => DirDelivery | null;
}

function points(time: number[], value: number[], frame: number[]): GraphPoints {
  return { count: time.length, time: Float64Array.from(time), value: Float64Array.from(value), frame: Uint32Array.from(frame) };
}

export function streamGraph(input: GraphInput, opts: GraphOptions): StreamGraph {
  const summary = streamSummary(input, opts.stream);
  const D = opts.dir & 1;
  const extent = summary.extent[D];
  let t0 = opts.t0, t1 = opts.t1;
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) {
    t0 = extent.t0;
    t1 = extent.t1 > extent.t0 ? extent.t1 : extent.t0 + 1e-3;
  }
  const pixels = Math.max(1, Math.min(16384, Math.round(opts.pixels) || 1));
  const { cols, tcp } = input;
  const [startSec, startNsec] = captureStart(input);
  const bins = Math.max(1, Math.floor(pixels / 4));
  const binWidth = (t1 - t0) / bins;
  const sent = new Float64Array(bins);
  const series: [number[], number[], number[]][] = [];
  const a: [number[], number[], number[]] = [[], [], []];
  const b: [number[], number[], number[]] = [[], [], []];
  let rowsInWindow = 0;
  for (const r of summary.rows) {
    const t = relativeTime(cols, r, startSec, startNsec);
    if (t < t0 || t > t1) continue;
    const d = tcp.dir[r] & 1;
    if (d === D) rowsInWindow++;
    if (opts.kind === 'throughput' && d === D && cols.tcpLen[r] > 0) {
      sent[Math.min(bins - 1, Math.floor((t - t0) / binWidth))] += cols.tcpLen[r] * 8;
    } else if (opts.kind === 'window') {
      if (d !== D && cols.tcpFlags[r] & TcpFlag.Ack) { a[0].push(t); a[1].push(tcp.window[r]); a[2].push(r + 1); }
    }
  }
  if (opts.kind === 'throughput') {
    const time: number[] = [], value: number[] = [];
    for (let i = 0; i < bins; i++) { time.push(t0 + i * binWidth); value.push(sent[i] / binWidth); }
    const zero = time.map(() => 0);
    series.push([time, value, zero], [time, value, zero], [time, value, zero]);
  } else if (opts.kind === 'rtt') series.push(a);
  else series.push(a, b);
  const out = series.map(([t, v, f]) => points(t, v, f));
  let yMax = 0;
  for (const s of out) for (let i = 0; i < s.count; i++) if (s.value[i] > yMax) yMax = s.value[i];
  return {
    stream: opts.stream, dir: D, kind: opts.kind, t0, t1, pixels, rowsInWindow, decimated: false,
    series: out, binT0: opts.kind === 'throughput' ? t0 : 0, binWidth: opts.kind === 'throughput' ? binWidth : 0,
    average: 0, yMax,
    markCount: 0, markTime: new Float64Array(0), markFrame: new Uint32Array(0), markFlags: new Uint32Array(0),
  };
}
