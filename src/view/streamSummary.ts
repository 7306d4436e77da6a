/**
 * One pass over a whole stream, made the first time the chart asks for it and cached: the holes of
 * each direction (they depend on everything before any window), the extents, and checkpoints that
 * let a windowed request start its scan near the window instead of at the stream's first packet.
 */

import { TcpFlag, type PacketColumns } from '../decode/columns';
import { TcpFlagBit, type TcpStreamInfo } from '../tcp/types';
import { HoleTracker, type HoleBands } from './holes';
import { relativeTime, rowsOfStream, type StreamIndex, type StreamRowsSource } from './streamIndex';
import type { SeriesExtent } from './seriesTypes';

/** Per-row TCP analysis results (TcpAnalyzer provides these arrays; lengths >= the packet count). */
export interface TcpRowSource extends StreamRowsSource {
  /** 0 = A→B, 1 = B→A. */
  readonly dir: ArrayLike<number>;
  /** Relative sequence and acknowledgement numbers (modulo 2^32). */
  readonly seq: ArrayLike<number>;
  readonly ack: ArrayLike<number>;
  /** Receive window, scaled when the scale is known. */
  readonly window: ArrayLike<number>;
  /** TcpFlagBit bits. */
  readonly flags: ArrayLike<number>;
  readonly streams: readonly TcpStreamInfo[];
}

export interface SeriesInput {
  cols: PacketColumns;
  tcp: TcpRowSource;
  index: StreamIndex;
  /** Capture start; defaults to the first frame's time stamp (as Wireshark's relative time). */
  startSec?: number;
  startNsec?: number;
  /**
   * The diagnoses' verdict on each row of a stream (SegVerdict, src/view/verdicts.ts), aligned with
   * the stream's rows in capture order; without it (or null) the marks follow Wireshark's flags.
   */
  verdicts?: (stream: number) => Uint8Array | null;
}

/** Positions between two checkpoints: bounds the extra rows a windowed request scans. */
export const CHECKPOINT_EVERY = 1024;
/** Values stored per checkpoint: unwrap reference of both sequence spaces, last ACK position per sender. */
export const CHECKPOINT_WIDTH = 4;

export interface StreamSummary {
  rows: Uint32Array;
  monotonic: boolean;
  checkpoints: Float64Array;
  holes: [HoleBands, HoleBands];
  /** Distinct holes per direction (see HoleTracker.holes). */
  holeCount: [number, number];
  extent: [SeriesExtent, SeriesExtent];
}

/**
 * Unwrap a 32-bit relative number against a reference in the same sequence space: the nearest value
 * congruent modulo 2^32 (holds while consecutive values differ by less than 2 GiB, as TCP ensures).
 */
export function unwrap(rel: number, ref: number): number {
  return ref + ((rel - ref) | 0);
}

/** Relative SACK edge: the packet's own ACK gives the base of the peer's sequence space. */
export function relativeEdge(edge: number, ackRaw: number, ackRel: number): number {
  return (edge - ackRaw + ackRel) >>> 0;
}

export function captureStart(input: SeriesInput): [number, number] {
  if (input.startSec !== undefined) return [input.startSec, input.startNsec ?? 0];
  return input.cols.length > 0 ? [input.cols.tsSec[0], input.cols.tsNsec[0]] : [0, 0];
}

const cache = new WeakMap<StreamIndex, Map<number, StreamSummary>>();

export function streamSummary(input: SeriesInput, stream: number): StreamSummary {
  let perIndex = cache.get(input.index);
  if (!perIndex) cache.set(input.index, (perIndex = new Map()));
  let s = perIndex.get(stream);
  if (!s) perIndex.set(stream, (s = summarize(input, stream)));
  return s;
}

function summarize(input: SeriesInput, stream: number): StreamSummary {
  const { cols, tcp } = input;
  const [startSec, startNsec] = captureStart(input);
  const rows = rowsOfStream(input.index, stream);
  const n = rows.length;
  const checkpoints = new Float64Array(Math.ceil(n / CHECKPOINT_EVERY) * CHECKPOINT_WIDTH);
  const trackers = [new HoleTracker(), new HoleTracker()];
  const ref = [0, 0];
  const lastAckPos = [-1, -1];
  const highest = [-Infinity, -Infinity];
  const seqMin = [Infinity, Infinity], seqMax = [-Infinity, -Infinity], winMax = [-Infinity, -Infinity];
  let tMin = Infinity, tMax = -Infinity;
  const edges = new Float64Array(8); // at most 4 SACK blocks
  for (let p = 0; p < n; p++) {
    if (p % CHECKPOINT_EVERY === 0) {
      checkpoints.set([ref[0], ref[1], lastAckPos[0], lastAckPos[1]], (p / CHECKPOINT_EVERY) * CHECKPOINT_WIDTH);
    }
    const r = rows[p];
    const d = tcp.dir[r] & 1, o = d ^ 1;
    const t = relativeTime(cols, r, startSec, startNsec);
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    const hdr = cols.tcpFlags[r];
    const len = cols.tcpLen[r];
    const seq = unwrap(tcp.seq[r], ref[d]);
    ref[d] = seq;
    if (len > 0 || hdr & (TcpFlag.Syn | TcpFlag.Fin)) {
      const end = seq + len + (hdr & TcpFlag.Syn ? 1 : 0) + (hdr & TcpFlag.Fin ? 1 : 0);
      trackers[d].onData(t, r + 1, seq, end, (tcp.flags[r] & TcpFlagBit.LostSegment) !== 0, highest[d]);
      if (end > highest[d]) highest[d] = end;
      if (seq < seqMin[d]) seqMin[d] = seq;
      if (end > seqMax[d]) seqMax[d] = end;
    }
    if (hdr & TcpFlag.Ack) {
      const ack = unwrap(tcp.ack[r], ref[o]);
      ref[o] = ack;
      lastAckPos[d] = p;
      const k0 = cols.sackIndex[r], nEdges = Math.min(2 * cols.sackCount[r], edges.length);
      for (let k = 0; k < nEdges; k++) {
        const e = unwrap(relativeEdge(cols.sackEdges[k0 + k], cols.ackRaw[r], tcp.ack[r]), ack);
        edges[k] = e;
        if (e > seqMax[o]) seqMax[o] = e;
      }
      trackers[o].onAck(t, r + 1, ack, edges, nEdges);
      if (ack < seqMin[o]) seqMin[o] = ack;
      if (ack > seqMax[o]) seqMax[o] = ack;
      const w = ack + tcp.window[r];
      if (w > winMax[o]) winMax[o] = w;
    }
  }
  if (n === 0) tMin = tMax = 0;
  const extent = (d: number): SeriesExtent => ({
    t0: tMin, t1: tMax,
    seq0: Number.isFinite(seqMin[d]) ? seqMin[d] : 0,
    seq1: Number.isFinite(seqMax[d]) ? seqMax[d] : 0,
    win1: Number.isFinite(winMax[d]) ? winMax[d] : 0,
  });
  return {
    rows, monotonic: input.index.monotonic[stream] === 1, checkpoints,
    holes: [trackers[0].finish(tMax), trackers[1].finish(tMax)],
    holeCount: [trackers[0].holes, trackers[1].holes],
    extent: [extent(0), extent(1)],
  };
}
