/**
 * streamSeries: what the time-sequence chart draws for one direction of one stream in a time window,
 * decimated to the chart's pixel width. Runs in the worker; the answer is typed arrays only.
 *
 * Cost: the stream's summary pass once (cached), then per request a binary search for the window, a
 * scan from the checkpoint before it, and work proportional to the rows inside it. Decimation buckets
 * rows by pixel column: unflagged segments of a column merge into one envelope bar (their minimum
 * seq to their maximum end), ACK points keep their first, last, minimum and maximum per column, SACK
 * blocks keep the widest per left edge; anything flagged is always kept as it is.
 */

import { TcpFlag } from '../decode/columns';
import { TcpFlagBit } from '../tcp/types';
import type { HoleBands } from './holes';
import { lowerBoundTime, relativeTime, upperBoundTime } from './streamIndex';
import {
  CHECKPOINT_EVERY, CHECKPOINT_WIDTH, captureStart, relativeEdge, streamSummary, unwrap,
  type SeriesInput, type StreamSummary,
} from './streamSummary';
import {
  ACK_EVENT_FLAGS, AckFlag, MarkKind, SEG_EVENT_FLAGS, SEG_RARE_EVENT_FLAGS, SegFlag, type StreamSeries,
} from './seriesTypes';
import { applyAckVerdict, applySegVerdict } from './verdicts';

export { buildStreamIndex, type StreamIndex } from './streamIndex';
export type { SeriesInput, TcpRowSource } from './streamSummary';
export * from './seriesTypes';
export * from './verdicts';

export interface SeriesOptions {
  stream: number;
  /** Direction of the data examined: 0 = A→B, 1 = B→A. */
  dir: number;
  /** Seconds since the capture start; a non-finite or empty window means the whole stream. */
  t0: number;
  t1: number;
  /** Width of the plot in pixels: the decimation's column count. */
  pixels: number;
  /** Path MTU for the oversized marks; 0 for none. */
  pathMtu: number;
}

/** Marks per pixel column below which nothing is merged. */
const PLAIN_PER_PIXEL = 2;

/** Temporary columns of the rows found in the window, before decimation (typed, grown by doubling). */
class Found {
  n = 0;
  time: Float64Array;
  /**
   * The row's two values: a segment's sequence number and end (seq + length); an ACK's number and
   * its window's right edge (ack + window); a SACK block's left and right edge; a mark's sequence
   * number and side (`hi`: 0 data, 1 ACK).
   */
  lo: Float64Array;
  hi: Float64Array;
  row: Uint32Array;
  flags: Uint32Array;
  /** Segments: the IP total length. */
  ipLen: Uint32Array;
  constructor(cap: number) {
    const c = Math.max(16, cap);
    this.time = new Float64Array(c); this.lo = new Float64Array(c); this.hi = new Float64Array(c);
    this.row = new Uint32Array(c); this.flags = new Uint32Array(c); this.ipLen = new Uint32Array(c);
  }
  push(time: number, lo: number, hi: number, row: number, flags: number, ipLen = 0): void {
    const i = this.n;
    if (i === this.time.length) this.grow();
    this.time[i] = time; this.lo[i] = lo; this.hi[i] = hi; this.row[i] = row; this.flags[i] = flags; this.ipLen[i] = ipLen;
    this.n = i + 1;
  }
  private grow(): void {
    const c = this.time.length * 2;
    const more = <T extends Float64Array | Uint32Array>(x: T, ctor: { new (n: number): T }): T => { const y = new ctor(c); y.set(x); return y; };
    this.time = more(this.time, Float64Array); this.lo = more(this.lo, Float64Array); this.hi = more(this.hi, Float64Array);
    this.row = more(this.row, Uint32Array); this.flags = more(this.flags, Uint32Array); this.ipLen = more(this.ipLen, Uint32Array);
  }
}

export function streamSeries(input: SeriesInput, opts: SeriesOptions): StreamSeries {
  const summary = streamSummary(input, opts.stream);
  const D = opts.dir & 1;
  const extent = summary.extent[D];
  let t0 = opts.t0, t1 = opts.t1;
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) {
    t0 = extent.t0;
    t1 = extent.t1 > extent.t0 ? extent.t1 : extent.t0 + 1e-3;
  }
  const pixels = Math.max(1, Math.min(16384, Math.round(opts.pixels) || 1));
  const verdicts = input.verdicts?.(opts.stream) ?? null;
  const found = scanWindow(input, summary, D, t0, t1, opts.pathMtu, verdicts?.length === summary.rows.length ? verdicts : null);
  const col = (t: number) => Math.min(pixels - 1, Math.max(0, Math.floor(((t - t0) / (t1 - t0)) * pixels)));
  const budget = pixels * PLAIN_PER_PIXEL;
  const seg = found.seg.n > budget ? decimateSegments(found.seg, col, pixels) : plainSegments(found.seg);
  const ackKeep = found.ack.n > budget ? decimateAcks(found.ack, col) : null;
  const sackKeep = found.sack.n > budget ? decimateSacks(found.sack, col) : null;
  const { cols } = input;
  /** The kept entries of a temporary column (all when `keep` is null), plus `add` (row → frame). */
  const pick = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(
    ctor: { new (n: number): T }, f: Found, src: ArrayLike<number>, keep: number[] | null, add = 0,
  ): T => {
    const n = keep ? keep.length : f.n;
    const out = new ctor(n);
    for (let i = 0; i < n; i++) out[i] = src[keep ? keep[i] : i] + add;
    return out;
  };
  const { ack, sack, mark } = found;
  const segN = seg.n;
  const out: StreamSeries = {
    stream: opts.stream, dir: D, t0, t1, pixels, pathMtu: opts.pathMtu, extent: { ...extent },
    segmentsInWindow: found.seg.n, decimated: seg.decimated || ackKeep !== null || sackKeep !== null,
    segCount: segN,
    segTime: Float64Array.from(seg.time), segSeq: Float64Array.from(seg.seq), segEnd: Float64Array.from(seg.end),
    segFrame: Uint32Array.from(seg.frame), segLen: new Uint32Array(segN), segIpLen: Uint32Array.from(seg.ipLen),
    segFlags: Uint32Array.from(seg.flags), segN: Uint32Array.from(seg.count),
    ackCount: ackKeep ? ackKeep.length : found.ack.n,
    ackTime: pick(Float64Array, ack, ack.time, ackKeep), ackSeq: pick(Float64Array, ack, ack.lo, ackKeep),
    ackWin: pick(Float64Array, ack, ack.hi, ackKeep), ackFrame: pick(Uint32Array, ack, ack.row, ackKeep, 1),
    ackFlags: pick(Uint16Array, ack, ack.flags, ackKeep),
    sackCount: sackKeep ? sackKeep.length : found.sack.n,
    sackTime: pick(Float64Array, sack, sack.time, sackKeep), sackLeft: pick(Float64Array, sack, sack.lo, sackKeep),
    sackRight: pick(Float64Array, sack, sack.hi, sackKeep), sackFrame: pick(Uint32Array, sack, sack.row, sackKeep, 1),
    sackDsack: pick(Uint8Array, sack, sack.flags, sackKeep),
    holes: holesInWindow(summary.holes[D], t0, t1),
    markCount: mark.n,
    markTime: pick(Float64Array, mark, mark.time, null), markSeq: pick(Float64Array, mark, mark.lo, null),
    markKind: pick(Uint8Array, mark, mark.flags, null), markDir: pick(Uint8Array, mark, mark.hi, null),
    markFrame: pick(Uint32Array, mark, mark.row, null, 1),
  };
  for (let i = 0; i < segN; i++) {
    out.segLen[i] = out.segFlags[i] & SegFlag.Envelope ? out.segEnd[i] - out.segSeq[i] : cols.tcpLen[out.segFrame[i] - 1];
  }
  return out;
}

interface WindowRows {
  seg: Found;
  ack: Found;
  sack: Found;
  mark: Found;
}

function scanWindow(input: SeriesInput, s: StreamSummary, D: number, t0: number, t1: number, mtu: number, verdicts: Uint8Array | null): WindowRows {
  const { cols, tcp } = input;
  const [startSec, startNsec] = captureStart(input);
  const rows = s.rows;
  const R = D ^ 1;
  let pStart = 0, pEnd = rows.length;
  if (s.monotonic) {
    pStart = lowerBoundTime(cols, rows, t0, startSec, startNsec);
    pEnd = upperBoundTime(cols, rows, t1, startSec, startNsec);
  }
  const cp = Math.floor(pStart / CHECKPOINT_EVERY);
  const c = cp * CHECKPOINT_WIDTH;
  const ref = [s.checkpoints[c] ?? 0, s.checkpoints[c + 1] ?? 0];
  let prevAck = s.checkpoints[c + 2 + R] ?? -1;
  // Rows in the window bound what is found; start near that and grow if SACK blocks need more.
  const est = Math.min(pEnd - cp * CHECKPOINT_EVERY, 1 << 16);
  const out: WindowRows = { seg: new Found(est), ack: new Found(est), sack: new Found(64), mark: new Found(16) };
  let lastAck = -1;
  let beforeDone = false;
  for (let p = cp * CHECKPOINT_EVERY; p < pEnd; p++) {
    const r = rows[p];
    const d = tcp.dir[r] & 1;
    const hdr = cols.tcpFlags[r];
    const seq = unwrap(tcp.seq[r], ref[d]);
    ref[d] = seq;
    const ack = hdr & TcpFlag.Ack ? unwrap(tcp.ack[r], ref[d ^ 1]) : -1;
    if (ack >= 0) ref[d ^ 1] = ack;
    const t = p >= pStart ? relativeTime(cols, r, startSec, startNsec) : -Infinity;
    if (!(t >= t0 && t <= t1)) {
      if (d === R && ack >= 0 && (p < pStart || t < t0)) prevAck = p;
      continue;
    }
    if (!beforeDone) {
      beforeDone = true;
      if (prevAck >= 0) lastAck = pushBeforeAck(input, rows[prevAck], ref[D], out.ack, startSec, startNsec);
    }
    const f = tcp.flags[r];
    const marks = (hdr & TcpFlag.Syn ? MarkKind.Syn : 0) | (hdr & TcpFlag.Fin ? MarkKind.Fin : 0) | (hdr & TcpFlag.Rst ? MarkKind.Rst : 0);
    if (d === D) {
      const len = cols.tcpLen[r];
      const probe = f & (TcpFlagBit.KeepAlive | TcpFlagBit.ZeroWindowProbe);
      if (len > 0 || marks || probe) {
        const end = seq + len + (hdr & TcpFlag.Syn ? 1 : 0) + (hdr & TcpFlag.Fin ? 1 : 0);
        const flags = segFlags(f, hdr, cols.ipDf[r], cols.ipLen[r], mtu);
        out.seg.push(t, seq, end, r, verdicts ? applySegVerdict(flags, verdicts[p]) : flags, cols.ipLen[r]);
      }
      if (marks) out.mark.push(t, seq, 0, r, marks);
      continue;
    }
    if (ack >= 0) {
      const k0 = cols.sackIndex[r], nBlocks = cols.sackCount[r];
      const flags = ackFlags(f, nBlocks);
      out.ack.push(t, ack, ack + tcp.window[r], r, verdicts ? applyAckVerdict(flags, verdicts[p]) : flags);
      lastAck = ack;
      for (let b = 0; b < nBlocks; b++) {
        const k = k0 + 2 * b;
        const left = unwrap(relativeEdge(cols.sackEdges[k], cols.ackRaw[r], tcp.ack[r]), ack);
        const right = unwrap(relativeEdge(cols.sackEdges[k + 1], cols.ackRaw[r], tcp.ack[r]), ack);
        out.sack.push(t, left, right, r, b === 0 && isDsack(cols, k0, nBlocks, right, ack) ? 1 : 0);
      }
    }
    if (marks) out.mark.push(t, ack >= 0 ? ack : Math.max(lastAck, 0), 1, r, marks);
  }
  return out;
}

function pushBeforeAck(input: SeriesInput, r: number, refD: number, into: Found, startSec: number, startNsec: number): number {
  const { cols, tcp } = input;
  const ack = unwrap(tcp.ack[r], refD);
  into.push(relativeTime(cols, r, startSec, startNsec), ack, ack + tcp.window[r], r, AckFlag.Before);
  return ack;
}

/** RFC 2883: a first block at or below the ACK, or within the second block, reports duplicates. */
function isDsack(cols: SeriesInput['cols'], k0: number, n: number, right: number, ack: number): boolean {
  if (right <= ack) return true;
  if (n < 2) return false;
  const re1 = cols.sackEdges[k0 + 1];
  const le2 = cols.sackEdges[k0 + 2], re2 = cols.sackEdges[k0 + 3];
  return ((le2 - re1) | 0) < 0 && ((re2 - re1) | 0) >= 0;
}

/** A data segment's mark flags from Wireshark's flags (TcpFlagBit) and its header (the stream graphs' marks read them too). */
export function segFlags(f: number, hdr: number, df: number, ipLen: number, mtu: number): number {
  let s = 0;
  if (f & TcpFlagBit.Retransmission) s |= SegFlag.Retransmission;
  if (f & TcpFlagBit.FastRetransmission) s |= SegFlag.FastRetransmission;
  if (f & TcpFlagBit.SpuriousRetransmission) s |= SegFlag.SpuriousRetransmission;
  if (f & TcpFlagBit.OutOfOrder) s |= SegFlag.OutOfOrder;
  if (f & TcpFlagBit.LostSegment) s |= SegFlag.LostSegment;
  if (f & TcpFlagBit.KeepAlive) s |= SegFlag.KeepAlive;
  if (f & TcpFlagBit.ZeroWindowProbe) s |= SegFlag.ZeroWindowProbe;
  if (f & TcpFlagBit.WindowFull) s |= SegFlag.WindowFull;
  if (df) s |= SegFlag.Df;
  if (df && mtu > 0 && ipLen > mtu) s |= SegFlag.Oversized;
  if (hdr & TcpFlag.Syn) s |= SegFlag.Syn;
  if (hdr & TcpFlag.Fin) s |= SegFlag.Fin;
  if (hdr & TcpFlag.Rst) s |= SegFlag.Rst;
  if (hdr & TcpFlag.Psh) s |= SegFlag.Psh;
  return s;
}

function ackFlags(f: number, sackBlocks: number): number {
  let a = 0;
  if (f & TcpFlagBit.DuplicateAck) a |= AckFlag.DuplicateAck;
  if (f & TcpFlagBit.ZeroWindow) a |= AckFlag.ZeroWindow;
  if (f & TcpFlagBit.AckLostSegment) a |= AckFlag.AckLostSegment;
  if (f & TcpFlagBit.WindowUpdate) a |= AckFlag.WindowUpdate;
  if (sackBlocks > 0) a |= AckFlag.Sack;
  return a;
}

interface SegOut {
  n: number;
  decimated: boolean;
  time: number[];
  seq: number[];
  end: number[];
  frame: number[];
  ipLen: number[];
  flags: number[];
  count: number[];
}

function newSegOut(): SegOut {
  return { n: 0, decimated: false, time: [], seq: [], end: [], frame: [], ipLen: [], flags: [], count: [] };
}

function pushSeg(o: SegOut, time: number, seq: number, end: number, frame: number, ipLen: number, flags: number, count: number): void {
  o.time.push(time); o.seq.push(seq); o.end.push(end); o.frame.push(frame); o.ipLen.push(ipLen);
  o.flags.push(flags); o.count.push(count); o.n++;
}

function plainSegments(f: Found): SegOut {
  const o = newSegOut();
  for (let i = 0; i < f.n; i++) pushSeg(o, f.time[i], f.lo[i], f.hi[i], f.row[i] + 1, f.ipLen[i], f.flags[i], 1);
  return o;
}

/**
 * Segments flagged only with a state-like flag (oversized, window full) a window may hold before they
 * too are merged, per column and per exact flag set so the marks keep their colour: a path MTU below
 * the real one makes every segment "oversized". Rare events (retransmissions...) are never merged.
 */
const EVENTS_PER_PIXEL = 4;

function decimateSegments(f: Found, col: (t: number) => number, pixels: number): SegOut {
  const o = newSegOut();
  o.decimated = true;
  let common = 0;
  for (let i = 0; i < f.n; i++) if (f.flags[i] & SEG_EVENT_FLAGS && !(f.flags[i] & SEG_RARE_EVENT_FLAGS)) common++;
  const mergeCommon = common > pixels * EVENTS_PER_PIXEL;
  // One bucket per flag set within the current column: unflagged ones share the bucket of 0.
  const buckets = new Map<number, { first: number; count: number; lo: number; hi: number; maxIp: number; flagsOr: number }>();
  let curCol = -1;
  const flush = () => {
    for (const [key, b] of buckets) {
      if (b.count === 1) pushSeg(o, f.time[b.first], f.lo[b.first], f.hi[b.first], f.row[b.first] + 1, f.ipLen[b.first], f.flags[b.first], 1);
      else pushSeg(o, f.time[b.first], b.lo, b.hi, f.row[b.first] + 1, b.maxIp, key | (b.flagsOr & (SegFlag.Df | SegFlag.Psh)) | SegFlag.Envelope, b.count);
    }
    buckets.clear();
  };
  for (let i = 0; i < f.n; i++) {
    const c = col(f.time[i]);
    if (c !== curCol) { flush(); curCol = c; }
    const key = f.flags[i] & SEG_EVENT_FLAGS;
    if (f.flags[i] & SEG_RARE_EVENT_FLAGS || (key && !mergeCommon)) {
      pushSeg(o, f.time[i], f.lo[i], f.hi[i], f.row[i] + 1, f.ipLen[i], f.flags[i], 1);
      continue;
    }
    const b = buckets.get(key);
    if (!b) { buckets.set(key, { first: i, count: 1, lo: f.lo[i], hi: f.hi[i], maxIp: f.ipLen[i], flagsOr: f.flags[i] }); continue; }
    b.count++;
    if (f.lo[i] < b.lo) b.lo = f.lo[i];
    if (f.hi[i] > b.hi) b.hi = f.hi[i];
    if (f.ipLen[i] > b.maxIp) b.maxIp = f.ipLen[i];
    b.flagsOr |= f.flags[i];
  }
  flush();
  return o;
}

/** Indices of the ACK points to keep: per column first, last, extremes of both lines, and every event. */
function decimateAcks(f: Found, col: (t: number) => number): number[] {
  const keep: number[] = [];
  let i = 0;
  while (i < f.n) {
    const c = col(f.time[i]);
    let j = i, minA = i, maxA = i, minW = i, maxW = i;
    const events: number[] = [];
    while (j < f.n && col(f.time[j]) === c) {
      if (f.lo[j] < f.lo[minA]) minA = j;
      if (f.lo[j] > f.lo[maxA]) maxA = j;
      if (f.hi[j] < f.hi[minW]) minW = j;
      if (f.hi[j] > f.hi[maxW]) maxW = j;
      if (f.flags[j] & (ACK_EVENT_FLAGS | AckFlag.Before)) events.push(j);
      j++;
    }
    const set = new Set([i, j - 1, minA, maxA, minW, maxW, ...events]);
    // Loops, not spreads: a spread of 100k+ values overflows the stack.
    for (const i of [...set].sort((x, y) => x - y)) keep.push(i);
    i = j;
  }
  return keep;
}

/** Indices of the SACK blocks to keep: per column, the widest block for each left edge; D-SACKs always. */
function decimateSacks(f: Found, col: (t: number) => number): number[] {
  const keep: number[] = [];
  let i = 0;
  while (i < f.n) {
    const c = col(f.time[i]);
    const widest = new Map<number, number>();
    let j = i;
    for (; j < f.n && col(f.time[j]) === c; j++) {
      if (f.flags[j]) { keep.push(j); continue; }
      const w = widest.get(f.lo[j]);
      if (w === undefined || f.hi[j] > f.hi[w]) widest.set(f.lo[j], j);
    }
    for (const i of widest.values()) keep.push(i);
    i = j;
  }
  return keep;
}

/** Copies of the bands that overlap the window (the summary's arrays are cached, never handed out). */
function holesInWindow(h: HoleBands, t0: number, t1: number): HoleBands {
  const idx: number[] = [];
  for (let i = 0; i < h.count; i++) if (h.t1[i] >= t0 && h.t0[i] <= t1) idx.push(i);
  const n = idx.length;
  const out: HoleBands = {
    count: n, t0: new Float64Array(n), t1: new Float64Array(n), seq0: new Float64Array(n), seq1: new Float64Array(n),
    kind: new Uint8Array(n), open: new Uint8Array(n), frame: new Uint32Array(n),
  };
  idx.forEach((k, i) => {
    out.t0[i] = h.t0[k]; out.t1[i] = h.t1[k]; out.seq0[i] = h.seq0[k]; out.seq1[i] = h.seq1[k];
    out.kind[i] = h.kind[k]; out.open[i] = h.open[k]; out.frame[i] = h.frame[k];
  });
  return out;
}
