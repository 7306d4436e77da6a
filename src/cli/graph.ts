/**
 * `graph FILE --stream N [--dir 0|1] [--kind throughput|rtt|window] [--from S] [--to S] [--bin S]
 * [--average S]`: a stream graph (src/view/graphs.ts) as tab-separated lines, for scripts.
 * Columns: time (seconds since the capture start), series, value, frame (and, for RTT samples, the
 * frame of the segment timed). Throughput: one line per bin and series (throughput, goodput, average;
 * bits per second; time = the bin's start; --bin its width, else a 1-2-5 step about 1/300 of the
 * span; --average the moving average's seconds, else about a round trip).
 * RTT (seconds) and window (window, in_flight; bytes): every point, not decimated.
 */
import { asStreamId, type Direction } from '../types';
import { GRAPH_KINDS, type GraphKind, type TrackPoints } from '../view/graphs';
import { loadCapture } from './analyze';
import type { CliIo } from './io';

export const GRAPH_USAGE = 'graph FILE --stream N [--dir 0|1] [--kind throughput|rtt|window] [--from S] [--to S] [--bin S] [--average S]';

export interface GraphCliOptions {
  file: string;
  stream: number;
  dir: Direction;
  kind: GraphKind;
  from: number;
  to: number;
  bin: number;
  average: number;
}

export function parseGraphArgs(args: string[]): GraphCliOptions | string {
  let file: string | undefined, stream: number | undefined;
  const o = { dir: 0 as Direction, kind: 'throughput' as GraphKind, from: NaN, to: NaN, bin: 0, average: 0 };
  const valued = ['--stream', '--dir', '--kind', '--from', '--to', '--bin', '--average'];
  for (let k = 0; k < args.length; k++) {
    let a = args[k];
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    if (valued.includes(a)) {
      v ??= args[++k];
      if (v === undefined) return `option ${a} needs a value`;
    }
    const num = (min: number) => {
      const x = Number(v);
      return v !== undefined && v.trim() !== '' && Number.isFinite(x) && x >= min ? x : null;
    };
    if (a === '--stream') {
      const x = num(0);
      if (x === null || !Number.isInteger(x)) return '--stream takes a whole number';
      stream = x;
    } else if (a === '--dir') {
      if (v !== '0' && v !== '1') return '--dir is 0 (A→B) or 1 (B→A)';
      o.dir = Number(v) as Direction;
    } else if (a === '--kind') {
      if (!GRAPH_KINDS.includes(v as GraphKind)) return `unknown kind "${v}" (${GRAPH_KINDS.join(', ')})`;
      o.kind = v as GraphKind;
    } else if (a === '--from' || a === '--to') {
      const x = num(-Infinity);
      if (x === null) return `${a} takes seconds since the capture start`;
      if (a === '--from') o.from = x;
      else o.to = x;
    } else if (a === '--bin' || a === '--average') {
      const x = num(0);
      if (x === null || (a === '--bin' && x < 1e-6)) return `${a} takes seconds${a === '--bin' ? ' (at least 0.000001)' : ''}`;
      if (a === '--bin') o.bin = x;
      else o.average = x;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `one FILE only (${a})`;
  }
  if (!file) return 'FILE is missing';
  if (stream === undefined) return 'say which stream: --stream N';
  return { file, stream, ...o };
}

/** Seconds to the nanosecond, other values to a thousandth (bytes are whole). */
const fmt = (v: number, seconds: boolean) => (seconds ? v.toFixed(9) : String(Number(v.toFixed(3))));

function pointLines(name: string, p: TrackPoints, t0: number, t1: number, from?: Uint32Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < p.count; i++) {
    const t = p.time[i];
    if (t < t0 || t > t1) continue;
    out.push(`${t.toFixed(9)}\t${name}\t${fmt(p.value[i], from !== undefined)}\t${p.frame[i]}${from ? `\t${from[i]}` : ''}`);
  }
  return out;
}

export async function runGraph(o: GraphCliOptions, io: CliIo): Promise<number> {
  const a = await loadCapture(o.file);
  if (o.stream >= a.tcp.streams.length) {
    io.err(`graph: there is no TCP stream ${o.stream}\n`);
    return 1;
  }
  const stream = asStreamId(o.stream);
  const track = a.graphTrack(stream, o.dir);
  const t0 = Number.isFinite(o.from) ? o.from : -Infinity, t1 = Number.isFinite(o.to) ? o.to : Infinity;
  const lines: string[] = [];
  if (o.kind === 'throughput') {
    lines.push('time\tseries\tbits_per_second\tframe');
    // Without --bin, the width a 1200-pixel plot of the span gets (bins of about 4 pixels).
    const g = a.graph({ stream, dir: o.dir, kind: 'throughput', t0: o.from, t1: o.to, pixels: 1200, average: o.average, binWidth: o.bin });
    const names = ['throughput', 'goodput', 'average'];
    for (let i = 0; i < g.series[0].count; i++) {
      for (let s = 0; s < 3; s++) lines.push(`${g.series[s].time[i].toFixed(9)}\t${names[s]}\t${fmt(g.series[s].value[i], false)}\t0`);
    }
  } else if (o.kind === 'rtt') {
    lines.push('time\tseries\tseconds\tframe\tfrom_frame', ...pointLines('rtt', track.rtt, t0, t1, track.rttFrom));
  } else {
    lines.push('time\tseries\tbytes\tframe', ...pointLines('window', track.window, t0, t1), ...pointLines('in_flight', track.inFlight, t0, t1));
  }
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
