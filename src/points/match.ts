/**
 * Match the same TCP packets across capture points (points in path order 0, 1, ...): pair the
 * connections by signature, then the packets, estimate each point's clock offset, and per
 * connection and direction of travel list the packets seen at one point and never at the next
 * (lost in between), with the per-hop delay, reordering and duplication. O(n) in packets.
 *
 *   const r = matchPoints([{ name: 'node eth0', cols, tcp }, { name: 'pod', cols: cols2, tcp: tcp2 }]);
 *   r.pairs[0].flows  // per direction of travel: lost rows, delay min/median, ...
 */
import { estimateClock, type FlowDeltas } from './clock';
import { pairStreams } from './pairStreams';
import { median, pointRows, relTime, rowsByFlow, timeBase } from './rows';
import { matchSegments } from './segments';
import { SegmentIndex, sameSegment, segmentKey } from './signature';
import type { PacketColumns } from '../decode/columns';
import type { CapturePoint, HopFlow, PointPair, PointsResult } from './types';
import type { Direction } from '../types';

export type * from './types';

/** Match point a with point b (b further along the path for the flows a sends). */
export function matchPair(a: CapturePoint, b: CapturePoint, ia = 0, ib = 1): PointPair {
  const rowsA = pointRows(a), rowsB = pointRows(b);
  const idxA = new SegmentIndex(a.cols, a.tcp.stream, rowsA);
  const idxB = new SegmentIndex(b.cols, b.tcp.stream, rowsB);
  const pairing = pairStreams(a, rowsA, b, idxB);
  const { matchA, matchB, matched } = matchSegments(a, rowsA, b, idxB, pairing);
  const baseA = timeBase(a, rowsA), baseB = timeBase(b, rowsB);
  const flowsA = rowsByFlow(a, rowsA), flowsB = rowsByFlow(b, rowsB);

  const deltas: FlowDeltas[] = [];
  for (const p of pairing) {
    for (const dirA of [0, 1] as const) {
      const list = flowsA.get(p.streamA * 2 + dirA) ?? [];
      const ds: number[] = [];
      for (const i of list) if (matchA[i] >= 0) ds.push(relTime(b, baseB, matchA[i]) - relTime(a, baseA, i));
      deltas.push({ streamA: p.streamA, dirA, deltas: ds });
    }
  }
  const same = a.clockGroup !== undefined && a.clockGroup === b.clockGroup;
  const clock = estimateClock(deltas, same);
  // Offsets are computed on relative times; restore the whole seconds the two bases differ by.
  const relOffset = clock.offset;
  const offset = same ? 0 : relOffset + (baseB - baseA);

  const flows: HopFlow[] = [];
  for (const p of pairing) {
    for (const dirA of [0, 1] as const) {
      const dirB = (p.flipped ? 1 - dirA : dirA) as Direction;
      const down = clock.downstream.get(p.streamA * 2 + dirA) ?? !(clock.downstream.get(p.streamA * 2 + 1 - dirA) ?? dirA === 1);
      const ctx = down
        ? { from: a, to: b, fromIdx: ia, toIdx: ib, fromRows: flowsA.get(p.streamA * 2 + dirA) ?? [], toRows: flowsB.get(p.streamB * 2 + dirB) ?? [],
            match: matchA, back: matchB, fromIndex: idxA, toAll: rowsB, fromBase: baseA, toBase: baseB, shift: relOffset,
            sFrom: p.streamA, dFrom: dirA, sTo: p.streamB, dTo: dirB }
        : { from: b, to: a, fromIdx: ib, toIdx: ia, fromRows: flowsB.get(p.streamB * 2 + dirB) ?? [], toRows: flowsA.get(p.streamA * 2 + dirA) ?? [],
            match: matchB, back: matchA, fromIndex: idxB, toAll: rowsA, fromBase: baseB, toBase: baseA, shift: -relOffset,
            sFrom: p.streamB, dFrom: dirB, sTo: p.streamA, dTo: dirA };
      if (!ctx.fromRows.length) continue;
      flows.push(hopFlow(ctx));
    }
  }
  return {
    a: ia, b: ib, offset, offsetMethod: clock.method, matchA, matchB, matched,
    streams: pairing.map((p) => ({ ...p })), flows,
  };
}

interface HopCtx {
  from: CapturePoint; to: CapturePoint; fromIdx: number; toIdx: number;
  fromRows: number[]; toRows: number[];
  /** from row → to row, and back. */
  match: Int32Array; back: Int32Array;
  /** Index of the `from` point's rows (to tell a copy made in between from a packet never seen). */
  fromIndex: SegmentIndex;
  toAll: ArrayLike<number>;
  fromBase: number; toBase: number;
  /** Clock of `to` minus clock of `from`, relative to the bases. */
  shift: number;
  sFrom: number; dFrom: Direction; sTo: number; dTo: Direction;
}

function hopFlow(x: HopCtx): HopFlow {
  const delays: number[] = [];
  let reordered = 0, maxTo = -1;
  for (const i of x.fromRows) {
    const j = x.match[i];
    if (j < 0) continue;
    delays.push(relTime(x.to, x.toBase, j) - relTime(x.from, x.fromBase, i) - x.shift);
    if (j < maxTo) reordered++;
    else maxTo = j;
  }
  const delayMin = delays.length ? Math.min(...delays) : NaN;
  const delayMedian = median(delays);
  // An unmatched packet counts as lost only if the next point surely could have seen it: it would
  // arrive (after at least the minimum delay) after that point started capturing, and (after the
  // median delay) before it stopped.
  const toFirst = x.toAll.length ? relTime(x.to, x.toBase, x.toAll[0]) : 0;
  const toLast = x.toAll.length ? relTime(x.to, x.toBase, x.toAll[x.toAll.length - 1]) : -Infinity;
  const early = Number.isFinite(delayMin) ? Math.max(0, delayMin) : 0;
  const late = Number.isFinite(delayMedian) ? Math.max(0, delayMedian) : 0;
  const lost: number[] = [];
  const pieces = unmatchedData(x);
  for (const i of x.fromRows) {
    if (x.match[i] >= 0) continue;
    const at = relTime(x.from, x.fromBase, i) + x.shift;
    if (at + early >= toFirst && at + late <= toLast && !carriedInPieces(x.from.cols, i, x.to.cols, pieces)) lost.push(i);
  }
  const packets = delays.length + lost.length;
  let duplicated = 0, unexplained = 0;
  for (const j of x.toRows) {
    if (x.back[j] >= 0) continue;
    let seen = false;
    for (let i = x.fromIndex.head.get(segmentKey(x.to.cols, j)) ?? -1, n = 0; i >= 0 && n < 64; i = x.fromIndex.next[i], n++) {
      if (x.from.tcp.stream[i] === x.sFrom && sameSegment(x.from.cols, i, x.to.cols, j)) { seen = true; break; }
    }
    if (seen) duplicated++;
    else unexplained++;
  }
  return {
    from: x.fromIdx, to: x.toIdx, streamFrom: x.sFrom, dirFrom: x.dFrom, streamTo: x.sTo, dirTo: x.dTo,
    packets, matched: delays.length, lost, duplicated, unexplained, reordered,
    delayMin, delayMedian,
  };
}

/** The data packets of the next point nothing was matched with: where re-cut bytes would be. */
function unmatchedData(x: HopCtx): number[] {
  const out: number[] = [];
  for (const j of x.toRows) if (x.back[j] < 0 && x.to.cols.tcpLen[j] > 0) out.push(j);
  return out;
}

/**
 * Did every byte of `from` row i reach the next point in other packets: cut into pieces by
 * segmentation offload (a TSO/GSO super-segment leaving as MTU-sized packets), or merged into a larger
 * one (GRO)? Then it was not lost, only re-cut. Compares raw sequence numbers modulo 2^32.
 */
function carriedInPieces(a: PacketColumns, i: number, b: PacketColumns, pieces: number[]): boolean {
  const len = a.tcpLen[i];
  if (len === 0 || !pieces.length) return false;
  const s0 = a.seqRaw[i];
  const spans: [number, number][] = [];
  for (const j of pieces) {
    const off = (b.seqRaw[j] - s0) | 0;
    const e = off + b.tcpLen[j];
    if (e > 0 && off < len) spans.push([Math.max(0, off), Math.min(len, e)]);
  }
  spans.sort((p, q) => p[0] - q[0]);
  let covered = 0;
  for (const [l, r] of spans) { if (l > covered) return false; covered = Math.max(covered, r); if (covered >= len) return true; }
  return covered >= len;
}

/** Match every point with the next one; offsets are chained back to point 0. */
export function matchPoints(points: CapturePoint[]): PointsResult {
  const pairs: PointPair[] = [];
  for (let i = 0; i + 1 < points.length; i++) pairs.push(matchPair(points[i], points[i + 1], i, i + 1));
  let offset = 0;
  const summaries = points.map((p, i) => {
    if (i > 0) offset += pairs[i - 1].offset;
    const rows = pointRows(p);
    let packets = 0, matched = 0;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      if (p.tcp.stream[r] < 0) continue;
      packets++;
      if ((i > 0 && pairs[i - 1].matchB[r] >= 0) || (i < pairs.length && pairs[i].matchA[r] >= 0)) matched++;
    }
    return { name: p.name, offset, packets, matched };
  });
  return { points: summaries, pairs };
}
