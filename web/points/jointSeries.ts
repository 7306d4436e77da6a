/**
 * What the joint chart draws for one connection: the packets of both points on point 0's clock
 * (point 1's times corrected by the estimated offset), sequence numbers relative to point 0's base,
 * each packet linked to its copy at the other point, the lost ones marked.
 */
import type { CapturePoint, PointPair } from '../../src/points/index';

export interface JointStream {
  /** Stream index at point 0 and at point 1. */
  stream0: number;
  stream1: number;
  /** Per packet (both points, point 0 first, capture order within a point). */
  point: number[];
  frame: number[];
  /** Seconds since point 0's first packet, on point 0's clock. */
  t: number[];
  /** Relative sequence number (point 0's base of that direction) and payload length. */
  seq: number[];
  len: number[];
  /** Direction in point 0's terms. */
  dir: number[];
  /** Index of the same packet at the other point, or -1. */
  peer: number[];
  /** Seen here, never at the next point of its path. */
  lost: boolean[];
  /** Packets beyond this many per stream are left out of the joint view. */
  truncated: boolean;
}

const MAX_PACKETS = 20_000;

export function jointStreams(p0: CapturePoint, p1: CapturePoint, pair: PointPair): Record<number, JointStream> {
  const lost0 = new Set<number>(), lost1 = new Set<number>();
  for (const f of pair.flows) for (const r of f.lost) (f.from === 0 ? lost0 : lost1).add(r);
  const c0 = p0.cols, c1 = p1.cols;
  // Seconds since point 0's first packet, as the stream view's time axis counts.
  const t0 = c0.length ? c0.tsSec[0] : 0, n0 = c0.length ? c0.tsNsec[0] : 0;
  const time0 = (i: number) => (c0.tsSec[i] - t0) + (c0.tsNsec[i] - n0) * 1e-9;
  // pair.offset = clock of point 1 minus clock of point 0.
  const time1 = (j: number) => (c1.tsSec[j] - t0 - pair.offset) + (c1.tsNsec[j] - n0) * 1e-9;
  const out: Record<number, JointStream> = {};
  const wanted = new Map<number, { s1: number; flipped: boolean }>();
  for (const s of pair.streams) wanted.set(s.streamA, { s1: s.streamB, flipped: s.flipped });
  const js = new Map<number, JointStream>();
  const at0 = new Map<number, number>();
  const base = (s0: number, dir: number): number => p0.tcp.streams[s0]?.isn[dir] ?? -1;
  const push = (j: JointStream, point: number, frame: number, t: number, seqRaw: number, len: number, dir: number, lost: boolean): number => {
    const b = base(j.stream0, dir);
    j.point.push(point); j.frame.push(frame); j.t.push(t);
    j.seq.push(b >= 0 ? (seqRaw - b) >>> 0 : seqRaw);
    j.len.push(len); j.dir.push(dir); j.peer.push(-1); j.lost.push(lost);
    return j.point.length - 1;
  };
  for (let i = 0; i < c0.length; i++) {
    const s0 = p0.tcp.stream[i];
    const w = s0 >= 0 ? wanted.get(s0) : undefined;
    if (!w) continue;
    let j = js.get(s0);
    if (!j) {
      j = { stream0: s0, stream1: w.s1, point: [], frame: [], t: [], seq: [], len: [], dir: [], peer: [], lost: [], truncated: false };
      js.set(s0, j);
    }
    if (j.point.length >= MAX_PACKETS) { j.truncated = true; continue; }
    at0.set(i, push(j, 0, i + 1, time0(i), c0.seqRaw[i], c0.tcpLen[i], p0.tcp.dir[i], lost0.has(i)));
  }
  const by1 = new Map<number, { s0: number; flipped: boolean }>();
  for (const [s0, w] of wanted) by1.set(w.s1, { s0, flipped: w.flipped });
  for (let k = 0; k < c1.length; k++) {
    const s1 = p1.tcp.stream[k];
    const w = s1 >= 0 ? by1.get(s1) : undefined;
    const j = w ? js.get(w.s0) : undefined;
    if (!w || !j) continue;
    if (j.point.length >= MAX_PACKETS) { j.truncated = true; continue; }
    const dir = w.flipped ? 1 - p1.tcp.dir[k] : p1.tcp.dir[k];
    const idx = push(j, 1, k + 1, time1(k), c1.seqRaw[k], c1.tcpLen[k], dir, lost1.has(k));
    const i = pair.matchB[k];
    const other = i >= 0 ? at0.get(i) : undefined;
    if (other !== undefined) { j.peer[idx] = other; j.peer[other] = idx; }
  }
  for (const [s0, j] of js) out[s0] = j;
  return out;
}
