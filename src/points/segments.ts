/**
 * Pair the packets of two points within paired connections: each packet of point a takes the
 * earliest unclaimed packet of point b with the same signature in the partner stream and direction
 * (the k-th copy of a segment at a meets the k-th copy at b), preferring an equal IPv4 ID. A cursor
 * per signature skips claimed packets, so the pass stays linear.
 */
import type { CapturePoint } from './types';
import type { StreamPairing } from './pairStreams';
import { isTcp, sameSegment, segmentKey, type SegmentIndex } from './signature';

const CHAIN_LIMIT = 64;

export function matchSegments(
  a: CapturePoint, rowsA: ArrayLike<number>, b: CapturePoint, idxB: SegmentIndex, pairing: StreamPairing[],
): { matchA: Int32Array; matchB: Int32Array; matched: number } {
  const matchA = new Int32Array(a.cols.length).fill(-1);
  const matchB = new Int32Array(b.cols.length).fill(-1);
  const partner = new Map<number, StreamPairing>();
  for (const p of pairing) partner.set(p.streamA, p);
  const cursor = new Map<number, number>();
  const sa = a.tcp.stream, da = a.tcp.dir, sb = b.tcp.stream, db = b.tcp.dir;
  const ca = a.cols, cb = b.cols;
  let matched = 0;
  for (let k = 0; k < rowsA.length; k++) {
    const i = rowsA[k];
    if (!isTcp(ca, sa, i)) continue;
    const p = partner.get(sa[i]);
    if (!p) continue;
    const key = segmentKey(ca, i);
    let start = cursor.get(key) ?? idxB.head.get(key) ?? -1;
    while (start >= 0 && matchB[start] >= 0) start = idxB.next[start];
    cursor.set(key, start);
    const wantDir = p.flipped ? 1 - da[i] : da[i];
    let pick = -1;
    for (let j = start, n = 0; j >= 0 && n < CHAIN_LIMIT; j = idxB.next[j], n++) {
      if (matchB[j] >= 0 || sb[j] !== p.streamB || db[j] !== wantDir || !sameSegment(ca, i, cb, j)) continue;
      if (pick < 0) pick = j;
      // The IPv4 ID survives NAT and tunnels; among equal copies it tells which is which.
      if (ca.ipVersion[i] !== 4 || ca.ipId[i] === cb.ipId[j]) { pick = j; break; }
    }
    if (pick >= 0) {
      matchA[i] = pick;
      matchB[pick] = i;
      matched++;
    }
  }
  return { matchA, matchB, matched };
}
