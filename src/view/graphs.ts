/**
 * streamGraph: what the stream graphs under the time-sequence chart draw for one direction of one
 * stream in a time window, decimated to the plot's pixel width (StreamGraph, src/view/graphTypes.ts).
 * Runs in the worker; the answer is typed arrays only.
 *
 * Cost: one pass over the whole stream the first time a direction is asked for (its "track", cached:
 * every data segment's bytes as running sums, every RTT sample, window and in-flight point and mark,
 * each sorted by time), then per request binary searches for the window and work proportional to the
 * points inside it (a throughput bin costs two binary searches, whatever it holds).
 *
 * What each graph shows, and the rules behind it:
 * - Throughput: every data byte the direction sent (tcp.len of each captured segment, retransmissions
 *   and packets captured twice included: what tshark's io,stat sums), per bin. Bins are aligned on the
 *   capture start (bin k covers [k·w, (k+1)·w), as io,stat's intervals) and their width w is a 1-2-5
 *   step chosen so a bin spans a few pixels; the same width for the same zoom, so panning keeps the bins.
 * - Goodput: the bytes delivered for the first time, by the segments' fates (src/diagnose/delivery.ts):
 *   a transmission counts when its fate says it was delivered, is neither a spurious nor an offload
 *   copy, and only for bytes no earlier counted transmission carried; at the time it was sent.
 * - Moving average: of the throughput, over `average` seconds centred on each bin's middle.
 * - RTT: one sample per ACK that newly covers data (cumulatively, or by a SACK block: RFC 2018): the
 *   time from the segment that carried the highest byte the ACK newly covers to the ACK (a delayed
 *   ACK of two segments is timed from the second, as tshark times it). Bytes a
 *   SACK had covered before are not newly covered, so the cumulative ACK that fills a hole is timed
 *   from the repair, not from data SACKed long before. Karn's rule as the capture point sees it: no
 *   sample when that byte passed the capture point more than once before the ACK (any re-send,
 *   spurious or not); an offload copy or a packet captured twice is not a second passage, and a
 *   repair of a loss before the capture point passed it only once, so it gives a sample. D-SACK
 *   blocks (RFC 2883) cover nothing new. The SYN and the FIN take a sequence number each: their
 *   ACKs give samples too (the handshake's, the close's), under the same rules.
 * - Window: the receiver's advertised window (scaled when the scale is known) at each of its ACKs;
 *   bytes in flight at each data segment: the highest sequence sent so far minus the highest ACK,
 *   minus the bytes SACKed in between (what the sender knows has arrived; RFC 6675's "pipe" without
 *   its loss guess). It equals tshark's bytes_in_flight except where bytes were never captured: the
 *   sender sent them (the sequence numbers say so), so they count here, not in tshark's figure.
 * - Marks: the sequence chart's segment flags (SegFlag, with the fates applied as there) of every
 *   event segment, SegFlag.ZeroWindow for the receiver's ACKs advertising a zero window, and
 *   SegFlag.Rst for the receiver's resets.
 */

import { TcpFlag } from '../decode/columns';
import type { DirDelivery } from '../diagnose/delivery';
import { TcpFlagBit } from '../tcp/types';
import type { Direction } from '../types';
import type { GraphKind, GraphOptions, GraphPoints, StreamGraph } from './graphTypes';
import { segFlags } from './series';
import { SEG_EVENT_FLAGS, SegFlag } from './seriesTypes';
import { relativeTime, type StreamIndex } from './streamIndex';
import { captureStart, relativeEdge, streamSummary, unwrap, type SeriesInput } from './streamSummary';
import { applySegVerdict, SegVerdict } from './verdicts';

export * from './graphTypes';

export interface GraphInput extends SeriesInput {
  /** The fates of one direction's data (src/diagnose/delivery.ts): goodput reads them. */
  delivery?: (stream: number, dir: Direction) => DirDelivery | null;
}

/** Why an ACK that newly covered something gave no RTT sample. */
export const enum RttSkip {
  /** Karn's rule: the byte timed passed the capture point more than once before the ACK. */
  Karn = 1,
  /** The bytes newly covered were never captured (a hole, or data before the capture began). */
  Unseen = 2,
  /** The ACK is a second capture of one packet (another interface): its original was examined. */
  Copy = 3,
}

/** Point series of a track, at full resolution, sorted by time. */
export interface TrackPoints {
  count: number;
  time: Float64Array;
  value: Float64Array;
  /** 1-based frame of the point. */
  frame: Uint32Array;
}

/**
 * Everything the graphs of one direction of one stream draw, over the whole stream (the cached pass).
 * Exported for the oracles, the CLI and the benchmark; the UI gets windows of it through streamGraph.
 */
export interface GraphTrack {
  stream: number;
  dir: number;
  /** Capture-relative time of every row the direction sent, sorted (rowsInWindow). */
  rowTime: Float64Array;
  /** Data segments (tcp.len > 0): time in seconds and in integer nanoseconds, sorted by time. */
  dataTime: Float64Array;
  dataNs: Float64Array;
  /** Running sums in bytes: cumAll[i] = bytes of the data segments before i (length count + 1). */
  cumAll: Float64Array;
  cumGood: Float64Array;
  rtt: TrackPoints;
  /** Per RTT sample: the 1-based frame of the segment it was timed from. */
  rttFrom: Uint32Array;
  /** ACKs that newly covered data but gave no sample: frame and RttSkip. */
  rttSkipFrame: Uint32Array;
  rttSkipReason: Uint8Array;
  /** Median RTT sample in seconds (0: none). */
  rttMedian: number;
  window: TrackPoints;
  inFlight: TrackPoints;
  markTime: Float64Array;
  markFrame: Uint32Array;
  markFlags: Uint32Array;
  /** Largest RTT sample, and largest advertised window or bytes in flight. */
  rttMax: number;
  windowMax: number;
  /** Largest throughput bin (or moving average) over the whole stream, per bin width and average. */
  throughputMax: Map<string, number>;
}

/** Pixels per throughput bin (the bin width is the 1-2-5 step at or above this). */
const PX_PER_BIN = 4;
/** Points per pixel column above which a point series is decimated. */
const PLAIN_PER_PIXEL = 2;
/** Marks per pixel column above which marks merge (one per column per flag set). */
const MARKS_PER_PIXEL = 4;
/** Tracks kept per stream index (each holds a few arrays of the stream's size). */
const TRACKS_KEPT = 6;

const trackCache = new WeakMap<StreamIndex, Map<number, GraphTrack>>();

/** The cached track of one direction of one stream (built on first use). */
export function graphTrack(input: GraphInput, stream: number, dir: number): GraphTrack {
  let m = trackCache.get(input.index);
  if (!m) trackCache.set(input.index, (m = new Map()));
  const key = stream * 2 + (dir & 1);
  let t = m.get(key);
  if (t) {
    m.delete(key);
    m.set(key, t);
    return t;
  }
  t = buildTrack(input, stream, dir & 1);
  if (m.size >= TRACKS_KEPT) m.delete(m.keys().next().value as number);
  m.set(key, t);
  return t;
}

export function streamGraph(input: GraphInput, opts: GraphOptions): StreamGraph {
  const D = opts.dir & 1;
  const track = graphTrack(input, opts.stream, D);
  const extent = streamSummary(input, opts.stream).extent[D];
  let t0 = opts.t0, t1 = opts.t1;
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) {
    t0 = extent.t0;
    t1 = extent.t1 > extent.t0 ? extent.t1 : extent.t0 + 1e-3;
  }
  const pixels = Math.max(1, Math.min(16384, Math.round(opts.pixels) || 1));
  const kind: GraphKind = opts.kind;
  const base = {
    stream: opts.stream, dir: D, kind, t0, t1, pixels,
    rowsInWindow: upperBound(track.rowTime, t1) - lowerBound(track.rowTime, t0),
  };
  const marks = marksInWindow(track, t0, t1, pixels);
  if (kind === 'throughput') {
    const th = throughput(track, t0, t1, pixels, opts.binWidth ?? 0, opts.average);
    return { ...base, decimated: false, series: th.series, binT0: th.binT0, binWidth: th.binWidth, average: th.average, yMax: th.yMax, ...marks };
  }
  const list = kind === 'rtt' ? [track.rtt] : [track.window, track.inFlight];
  const series = list.map((p) => pointsInWindow(p, t0, t1, pixels));
  return {
    ...base, decimated: series.some((s) => s.decimated), series: series.map((s) => s.points), binT0: 0, binWidth: 0, average: 0,
    yMax: kind === 'rtt' ? track.rttMax : track.windowMax, ...marks,
  };
}

// ---- the whole-stream pass ----

/** A growable column of numbers. */
class Col {
  n = 0;
  a: Float64Array;
  constructor(cap = 64) { this.a = new Float64Array(Math.max(16, cap)); }
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  get(): Float64Array { return this.a.slice(0, this.n); }
}

class PointCol {
  time = new Col(); value = new Col(); frame = new Col();
  push(t: number, v: number, f: number): void { this.time.push(t); this.value.push(v); this.frame.push(f); }
}

/**
 * Disjoint, sorted byte ranges (a SACK scoreboard, or the bytes already counted as goodput). Ranges
 * mostly arrive at the top, where adding is constant time.
 */
export class RangeSet {
  private s: number[] = [];
  private e: number[] = [];
  /** Bytes covered. */
  total = 0;

  get size(): number { return this.s.length; }

  /** Adds [s, e); returns how many of its bytes were not covered yet. */
  add(s: number, e: number): number {
    if (!(e > s)) return 0;
    const n = this.s.length;
    if (n === 0 || s > this.e[n - 1]) { this.s.push(s); this.e.push(e); this.total += e - s; return e - s; }
    if (s >= this.s[n - 1]) {
      const grew = Math.max(0, e - this.e[n - 1]);
      this.e[n - 1] += grew;
      this.total += grew;
      return grew;
    }
    // First range ending at or after s, then merge every range that touches [s, e).
    let i = this.firstEndingFrom(s);
    let covered = 0, lo = s, hi = e;
    const from = i;
    while (i < n && this.s[i] <= e) {
      covered += Math.min(this.e[i], e) - Math.max(this.s[i], s);
      if (this.s[i] < lo) lo = this.s[i];
      if (this.e[i] > hi) hi = this.e[i];
      i++;
    }
    const added = e - s - Math.max(0, covered);
    this.s.splice(from, i - from, lo);
    this.e.splice(from, i - from, hi);
    this.total += added;
    return added;
  }

  /** The end (exclusive) of the highest stretch of [s, e) not covered, or -1 when all of it is. */
  highestUncovered(s: number, e: number): number {
    if (!(e > s)) return -1;
    let top = e;
    let i = this.firstEndingFrom(top) ;
    // Walk down from the range holding (or just above) the top.
    if (i >= this.s.length) i = this.s.length - 1;
    for (; i >= 0 && top > s; i--) {
      if (this.s[i] >= top) continue;
      if (this.e[i] < top) return top;
      top = this.s[i];
    }
    return top > s ? top : -1;
  }

  /** Drops every byte below x. */
  dropBelow(x: number): void {
    let k = 0;
    while (k < this.s.length && this.e[k] <= x) { this.total -= this.e[k] - this.s[k]; k++; }
    if (k) { this.s.splice(0, k); this.e.splice(0, k); }
    if (this.s.length && this.s[0] < x) { this.total -= x - this.s[0]; this.s[0] = x; }
  }

  private firstEndingFrom(x: number): number {
    let lo = 0, hi = this.s.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.e[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
}

/**
 * Where each byte of the direction first passed the capture point, and how often it passed before a
 * given moment: ranges appended in sequence order as new data arrives. A sequence gap (bytes never
 * seen) becomes a gap range whose later fills are kept in a small list of their own.
 */
class Passages {
  s = new Col(); e = new Col(); time = new Col(); row = new Col(); count = new Col();
  /** Fills of gap ranges, by range index: [s, e, time, row, count] each. */
  fills = new Map<number, number[][]>();
  top = -Infinity;

  pass(s: number, e: number, t: number, row: number): void {
    if (!(e > s)) return;
    if (s < this.top) {
      let i = this.find(s);
      const stop = Math.min(e, this.top);
      for (; i < this.s.n && this.s.a[i] < stop; i++) {
        if (Number.isNaN(this.time.a[i])) this.fillGap(i, Math.max(s, this.s.a[i]), Math.min(stop, this.e.a[i]), t, row);
        else this.count.a[i]++;
      }
    }
    if (e > this.top) {
      const from = this.top === -Infinity ? s : Math.max(s, this.top);
      if (s > this.top && this.top !== -Infinity) this.append(this.top, s, NaN, -1, 0);
      this.append(from, e, t, row, 1);
      this.top = e;
    }
  }

  /** First passage of the byte at x: [time, row, passages so far], or null when never seen. */
  lookup(x: number): [number, number, number] | null {
    if (this.s.n === 0 || x < this.s.a[0] || x >= this.top) return null;
    const i = this.find(x);
    if (i >= this.s.n || this.s.a[i] > x) return null;
    if (!Number.isNaN(this.time.a[i])) return [this.time.a[i], this.row.a[i], this.count.a[i]];
    for (const f of this.fills.get(i) ?? []) if (x >= f[0] && x < f[1]) return [f[2], f[3], f[4]];
    return null;
  }

  private append(s: number, e: number, t: number, row: number, count: number): void {
    this.s.push(s); this.e.push(e); this.time.push(t); this.row.push(row); this.count.push(count);
  }

  /** Index of the range holding x (the last one starting at or below it). */
  private find(x: number): number {
    let lo = 0, hi = this.s.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.e.a[mid] <= x) lo = mid + 1; else hi = mid; }
    return lo;
  }

  private fillGap(i: number, s: number, e: number, t: number, row: number): void {
    let list = this.fills.get(i);
    if (!list) this.fills.set(i, (list = []));
    // Bytes already filled pass again; the rest pass for the first time.
    const fresh: [number, number][] = [[s, e]];
    for (const f of list) {
      if (f[1] <= s || f[0] >= e) continue;
      f[4]++;
      for (let k = fresh.length - 1; k >= 0; k--) {
        const [a, b] = fresh[k];
        if (f[1] <= a || f[0] >= b) continue;
        fresh.splice(k, 1, ...([[a, Math.min(b, f[0])], [Math.max(a, f[1]), b]] as [number, number][]).filter(([x, y]) => y > x));
      }
    }
    for (const [a, b] of fresh) list.push([a, b, t, row, 1]);
  }
}

function buildTrack(input: GraphInput, stream: number, D: number): GraphTrack {
  const { cols, tcp } = input;
  const summary = streamSummary(input, stream);
  const rows = summary.rows;
  const [startSec, startNsec] = captureStart(input);
  const verdicts = input.verdicts?.(stream) ?? null;
  const vOk = verdicts && verdicts.length === rows.length ? verdicts : null;
  const dd = input.delivery?.(stream, D as Direction) ?? null;
  const txs = dd?.txs ?? null;

  const rowTime = new Col(rows.length);
  const dataTime = new Col(), dataNs = new Col(), bytesAll = new Col(), bytesGood = new Col();
  const rtt = new PointCol(), rttFrom = new Col(), skipFrame = new Col(), skipReason = new Col();
  const win = new PointCol(), flight = new PointCol();
  const markTime = new Col(), markFrame = new Col(), markFlags = new Col();
  const passages = new Passages();
  const sacked = new RangeSet();
  const counted = new RangeSet();
  let k = 0; // next transmission of the delivery records
  const ref = [0, 0];
  let cum = NaN; // highest cumulative ACK in D's sequence space
  let high = -Infinity; // highest sequence D sent
  let sorted = true, lastT = -Infinity;

  for (let p = 0; p < rows.length; p++) {
    const r = rows[p];
    const d = tcp.dir[r] & 1;
    const hdr = cols.tcpFlags[r];
    const seq = unwrap(tcp.seq[r], ref[d]);
    ref[d] = seq;
    const ack = hdr & TcpFlag.Ack ? unwrap(tcp.ack[r], ref[d ^ 1]) : NaN;
    if (!Number.isNaN(ack)) ref[d ^ 1] = ack;
    const t = relativeTime(cols, r, startSec, startNsec);
    const f = tcp.flags[r];
    const v = vOk ? vOk[p] : SegVerdict.None;
    // Every array below is in capture order: sorted by time unless the stream's clock goes back.
    if (t < lastT) sorted = false;
    lastT = t;
    if (d === D) {
      rowTime.push(t);
      const len = cols.tcpLen[r];
      const flags = applySegVerdict(segFlags(f, hdr, 0, 0, 0), v);
      if (flags & SEG_EVENT_FLAGS) { markTime.push(t); markFrame.push(r + 1); markFlags.push(flags); }
      // Passages: the SYN and the FIN take a sequence number each, so their ACKs are timed too. A
      // copy of a packet or an offload copy is the same passage, not another one.
      const syn = hdr & TcpFlag.Syn ? 1 : 0, fin = hdr & TcpFlag.Fin ? 1 : 0;
      if (v !== SegVerdict.Copy && v !== SegVerdict.Offload) passages.pass(seq, seq + syn + len + fin, t, r);
      if (len <= 0) continue;
      dataTime.push(t);
      dataNs.push((cols.tsSec[r] - startSec) * 1e9 + (cols.tsNsec[r] - startNsec));
      bytesAll.push(len);
      // Goodput: the fates of this direction's transmissions (capture copies are not among them).
      while (txs && k < txs.length && txs.row[k] < r) k++;
      let good = 0;
      if (txs) {
        if (k < txs.length && txs.row[k] === r) {
          if (txs.delivered(k) && !txs.spurious(k) && !txs.offload(k)) good = counted.add(txs.s[k], txs.e[k]);
          k++;
        }
      } else if (!(f & (TcpFlagBit.Retransmission | TcpFlagBit.FastRetransmission | TcpFlagBit.SpuriousRetransmission))) {
        good = counted.add(seq, seq + len);
      }
      bytesGood.push(good);
      if (seq + syn + len > high) high = seq + syn + len;
      if (Number.isNaN(cum)) cum = passages.s.n ? passages.s.a[0] : seq;
      const above = Math.max(0, high - cum);
      flight.push(t, Math.max(0, above - sacked.total), r + 1);
      continue;
    }
    // The receiver's packets: its reset, its window at each ACK, the data each ACK newly covers.
    if (hdr & TcpFlag.Rst && v !== SegVerdict.Copy) { markTime.push(t); markFrame.push(r + 1); markFlags.push(SegFlag.Rst); }
    if (Number.isNaN(ack)) continue;
    win.push(t, tcp.window[r], r + 1);
    if (f & TcpFlagBit.ZeroWindow) { markTime.push(t); markFrame.push(r + 1); markFlags.push(SegFlag.ZeroWindow); }
    if (v === SegVerdict.Copy) { skipFrame.push(r + 1); skipReason.push(RttSkip.Copy); continue; }
    let top = -1; // highest byte newly covered, exclusive
    const prev = Number.isNaN(cum) ? (passages.s.n ? passages.s.a[0] : ack) : cum;
    if (ack > prev) {
      top = sacked.highestUncovered(prev, ack);
      sacked.dropBelow(ack);
      cum = ack;
    } else if (Number.isNaN(cum)) cum = prev;
    const nBlocks = cols.sackCount[r], k0 = cols.sackIndex[r];
    for (let b = 0; b < nBlocks; b++) {
      const left = unwrap(relativeEdge(cols.sackEdges[k0 + 2 * b], cols.ackRaw[r], tcp.ack[r]), ack);
      const right = unwrap(relativeEdge(cols.sackEdges[k0 + 2 * b + 1], cols.ackRaw[r], tcp.ack[r]), ack);
      if (b === 0 && isDsack(cols.sackEdges, k0, nBlocks, right, ack)) continue;
      const lo = Math.max(left, cum);
      if (!(right > lo)) continue;
      const x = sacked.highestUncovered(lo, right);
      if (x > top) top = x;
      sacked.add(lo, right);
    }
    if (top < 0) continue;
    const at = passages.lookup(top - 1);
    if (!at) { skipFrame.push(r + 1); skipReason.push(RttSkip.Unseen); continue; }
    if (at[2] > 1) { skipFrame.push(r + 1); skipReason.push(RttSkip.Karn); continue; }
    // From the time stamps themselves: relative times far from the capture start lose nanoseconds.
    const s = at[1];
    rtt.push(t, cols.tsSec[r] - cols.tsSec[s] + (cols.tsNsec[r] - cols.tsNsec[s]) / 1e9, r + 1);
    rttFrom.push(at[1] + 1);
  }

  const rttPts = finishPoints(rtt, sorted);
  const rttFromArr = sorted ? rttFrom.get() : permute(rttFrom.get(), order(rtt.time.get()));
  const winPts = finishPoints(win, sorted), flightPts = finishPoints(flight, sorted);
  let rttMax = 0, windowMax = 0;
  for (let i = 0; i < rttPts.count; i++) if (rttPts.value[i] > rttMax) rttMax = rttPts.value[i];
  for (const s of [winPts, flightPts]) for (let i = 0; i < s.count; i++) if (s.value[i] > windowMax) windowMax = s.value[i];
  const sortedRtt = Float64Array.from(rttPts.value).sort();
  const rttMedian = sortedRtt.length ? sortedRtt[sortedRtt.length >> 1] : 0;

  // Data segments by time, with running sums.
  let dT = dataTime.get(), dN = dataNs.get(), bA = bytesAll.get(), bG = bytesGood.get();
  if (!sorted) {
    const o = order(dN);
    dT = permute(dT, o); dN = permute(dN, o); bA = permute(bA, o); bG = permute(bG, o);
  }
  const cumAll = new Float64Array(dT.length + 1), cumGood = new Float64Array(dT.length + 1);
  for (let i = 0; i < dT.length; i++) { cumAll[i + 1] = cumAll[i] + bA[i]; cumGood[i + 1] = cumGood[i] + bG[i]; }
  let mT = markTime.get(), mF = markFrame.get(), mG = markFlags.get();
  const rt = rowTime.get();
  if (!sorted) { const o = order(mT); mT = permute(mT, o); mF = permute(mF, o); mG = permute(mG, o); }
  if (!sorted) rt.sort();
  return {
    stream, dir: D, rowTime: rt, dataTime: dT, dataNs: dN, cumAll, cumGood,
    rtt: rttPts, rttFrom: Uint32Array.from(rttFromArr),
    rttSkipFrame: Uint32Array.from(skipFrame.get()), rttSkipReason: Uint8Array.from(skipReason.get()), rttMedian,
    window: winPts, inFlight: flightPts,
    markTime: mT, markFrame: Uint32Array.from(mF), markFlags: Uint32Array.from(mG),
    rttMax, windowMax, throughputMax: new Map(),
  };
}

/** RFC 2883: a first block at or below the ACK, or within the second block, reports duplicates. */
function isDsack(raw: ArrayLike<number>, k0: number, n: number, right: number, ack: number): boolean {
  if (right <= ack) return true;
  if (n < 2) return false;
  // Sequence differences in 32 bits: the first block [le1, re1) inside the second [le2, re2).
  const le1 = raw[k0], re1 = raw[k0 + 1], le2 = raw[k0 + 2], re2 = raw[k0 + 3];
  return ((le1 - le2) | 0) >= 0 && ((re2 - re1) | 0) >= 0;
}

/** Indices that sort `keys` (stable). */
function order(keys: Float64Array): Uint32Array {
  const o = new Uint32Array(keys.length);
  for (let i = 0; i < o.length; i++) o[i] = i;
  return o.sort((a, b) => keys[a] - keys[b] || a - b);
}

function permute(a: Float64Array, o: Uint32Array): Float64Array {
  const b = new Float64Array(a.length);
  for (let i = 0; i < o.length; i++) b[i] = a[o[i]];
  return b;
}

function finishPoints(p: PointCol, sorted: boolean): TrackPoints {
  let time = p.time.get(), value = p.value.get(), frame = p.frame.get();
  if (!sorted) {
    const o = order(time);
    time = permute(time, o); value = permute(value, o); frame = permute(frame, o);
  }
  return { count: time.length, time, value, frame: Uint32Array.from(frame) };
}

// ---- per request ----

/** First index with a[i] >= x. */
function lowerBound(a: Float64Array, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}

/** First index with a[i] > x. */
function upperBound(a: Float64Array, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] <= x) lo = mid + 1; else hi = mid; }
  return lo;
}

/** The 1-2-5 step at or above x (seconds; at least a microsecond). */
export function niceStep(x: number): number {
  if (!(x > 1e-6)) return 1e-6;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** The bin width a window of `span` seconds drawn `pixels` wide gets. */
export function binWidthFor(span: number, pixels: number): number {
  return niceStep((span * PX_PER_BIN) / Math.max(1, pixels));
}

interface Throughput {
  series: GraphPoints[];
  binT0: number;
  binWidth: number;
  average: number;
  yMax: number;
}

function throughput(track: GraphTrack, t0: number, t1: number, pixels: number, forcedWidth: number, average: number): Throughput {
  const w = forcedWidth > 0 ? forcedWidth : binWidthFor(t1 - t0, pixels);
  const wNs = Math.max(1, Math.round(w * 1e9));
  const k0 = Math.floor(t0 / w), k1 = Math.max(k0 + 1, Math.ceil(t1 / w));
  const bins = Math.min(k1 - k0, 1 << 20);
  const avg = average > 0 ? Math.max(average, w) : Math.max(w, track.rttMedian);
  const time = new Float64Array(bins), all = new Float64Array(bins), good = new Float64Array(bins), ma = new Float64Array(bins);
  const ns = track.dataNs;
  let from = lowerBound(ns, k0 * wNs);
  for (let i = 0; i < bins; i++) {
    const to = lowerBound(ns, (k0 + i + 1) * wNs, from);
    time[i] = (k0 + i) * w;
    all[i] = ((track.cumAll[to] - track.cumAll[from]) * 8) / w;
    good[i] = ((track.cumGood[to] - track.cumGood[from]) * 8) / w;
    ma[i] = movingAverage(track, (k0 + i + 0.5) * wNs, avg);
    from = to;
  }
  // Each series its own buffers: a transfer list may not name one twice.
  const series = [all, good, ma].map((value, s): GraphPoints => ({ count: bins, time: s ? time.slice() : time, value, frame: new Uint32Array(bins) }));
  return { series, binT0: k0 * w, binWidth: w, average: avg, yMax: throughputMax(track, wNs, avg) };
}

/** Bits per second over `avg` seconds centred on `midNs` (nanoseconds since the capture start). */
function movingAverage(track: GraphTrack, midNs: number, avg: number): number {
  const half = (avg * 1e9) / 2;
  const a = lowerBound(track.dataNs, midNs - half), b = lowerBound(track.dataNs, midNs + half, a);
  return ((track.cumAll[b] - track.cumAll[a]) * 8) / avg;
}

/** Largest bin and moving average over the whole stream at this bin width (cached). */
function throughputMax(track: GraphTrack, wNs: number, avg: number): number {
  const key = `${wNs}/${avg}`;
  const have = track.throughputMax.get(key);
  if (have !== undefined) return have;
  const ns = track.dataNs, cum = track.cumAll, n = ns.length;
  const half = (avg * 1e9) / 2;
  let max = 0;
  // One sweep: the bins in order, the average's edges moving forward with their centres.
  let pa = 0, pb = 0;
  for (let i = 0; i < n;) {
    const k = Math.floor(ns[i] / wNs);
    const end = (k + 1) * wNs;
    let j = i + 1;
    while (j < n && ns[j] < end) j++;
    const rate = ((cum[j] - cum[i]) * 8 * 1e9) / wNs;
    if (rate > max) max = rate;
    const mid = (k + 0.5) * wNs;
    while (pa < n && ns[pa] < mid - half) pa++;
    while (pb < n && ns[pb] < mid + half) pb++;
    const m = ((cum[pb] - cum[pa]) * 8) / avg;
    if (m > max) max = m;
    i = j;
  }
  if (track.throughputMax.size > 64) track.throughputMax.clear();
  track.throughputMax.set(key, max);
  return max;
}

/** The points of a series inside [t0, t1], decimated per pixel column (first, last, minimum, maximum). */
function pointsInWindow(p: TrackPoints, t0: number, t1: number, pixels: number): { points: GraphPoints; decimated: boolean } {
  const a = lowerBound(p.time, t0), b = upperBound(p.time, t1, a);
  const n = b - a;
  if (n <= pixels * PLAIN_PER_PIXEL) {
    return { points: { count: n, time: p.time.slice(a, b), value: p.value.slice(a, b), frame: p.frame.slice(a, b) }, decimated: false };
  }
  const keep = new Uint32Array(Math.min(n, pixels * 4));
  let m = 0;
  const scale = pixels / (t1 - t0);
  let i = a;
  while (i < b) {
    const c = Math.min(pixels - 1, Math.floor((p.time[i] - t0) * scale));
    let j = i, lo = i, hi = i;
    for (; j < b && Math.min(pixels - 1, Math.floor((p.time[j] - t0) * scale)) === c; j++) {
      if (p.value[j] < p.value[lo]) lo = j;
      if (p.value[j] > p.value[hi]) hi = j;
    }
    const last = j - 1;
    // In time order, each index once.
    const four = [i, lo, hi, last].sort((x, y) => x - y);
    for (let q = 0; q < 4; q++) if (q === 0 || four[q] !== four[q - 1]) keep[m++] = four[q];
    i = j;
  }
  const out: GraphPoints = { count: m, time: new Float64Array(m), value: new Float64Array(m), frame: new Uint32Array(m) };
  for (let q = 0; q < m; q++) { out.time[q] = p.time[keep[q]]; out.value[q] = p.value[keep[q]]; out.frame[q] = p.frame[keep[q]]; }
  return { points: out, decimated: true };
}

/** The marks inside [t0, t1]; past a budget, one per pixel column and flag set. */
function marksInWindow(track: GraphTrack, t0: number, t1: number, pixels: number): Pick<StreamGraph, 'markCount' | 'markTime' | 'markFrame' | 'markFlags'> {
  const a = lowerBound(track.markTime, t0), b = upperBound(track.markTime, t1, a);
  if (b - a <= pixels * MARKS_PER_PIXEL) {
    return { markCount: b - a, markTime: track.markTime.slice(a, b), markFrame: track.markFrame.slice(a, b), markFlags: track.markFlags.slice(a, b) };
  }
  const keep: number[] = [];
  const scale = pixels / (t1 - t0);
  let col = -1;
  const seen = new Set<number>();
  for (let i = a; i < b; i++) {
    const c = Math.floor((track.markTime[i] - t0) * scale);
    if (c !== col) { col = c; seen.clear(); }
    const fl = track.markFlags[i];
    if (seen.has(fl)) continue;
    seen.add(fl);
    keep.push(i);
  }
  const n = keep.length;
  const out = { markCount: n, markTime: new Float64Array(n), markFrame: new Uint32Array(n), markFlags: new Uint32Array(n) };
  keep.forEach((k, q) => { out.markTime[q] = track.markTime[k]; out.markFrame[q] = track.markFrame[k]; out.markFlags[q] = track.markFlags[k]; });
  return out;
}
