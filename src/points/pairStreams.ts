/**
 * Pair the connections of two points before pairing packets: every packet of point a whose
 * signature occurs at point b votes for (its stream, that stream, same or swapped ends); each
 * stream then takes the partner with most votes, one to one. Addresses and ports play no part, so
 * NAT between the points does not matter.
 */
import type { CapturePoint } from './types';
import { sameSegment, segmentKey, type SegmentIndex } from './signature';
import { isTcp } from './signature';

export interface StreamPairing {
  streamA: number;
  streamB: number;
  flipped: boolean;
  votes: number;
}

/** Candidates looked at per packet when voting (equal signatures are rare; this bounds the work). */
const VOTE_CHAIN = 4;
const SB_SPAN = 2 ** 22;

export function pairStreams(a: CapturePoint, rowsA: ArrayLike<number>, b: CapturePoint, idxB: SegmentIndex): StreamPairing[] {
  const votes = new Map<number, number>();
  const sa = a.tcp.stream, da = a.tcp.dir, sb = b.tcp.stream, db = b.tcp.dir;
  for (let k = 0; k < rowsA.length; k++) {
    const i = rowsA[k];
    if (!isTcp(a.cols, sa, i)) continue;
    let j = idxB.head.get(segmentKey(a.cols, i)) ?? -1;
    for (let n = 0; j >= 0 && n < VOTE_CHAIN; n++, j = idxB.next[j]) {
      if (!sameSegment(a.cols, i, b.cols, j)) continue;
      const key = sa[i] * SB_SPAN * 2 + sb[j] * 2 + (da[i] === db[j] ? 0 : 1);
      votes.set(key, (votes.get(key) ?? 0) + 1);
      break;
    }
  }
  const cands = [...votes].map(([key, v]) => ({
    streamA: Math.floor(key / (SB_SPAN * 2)),
    streamB: Math.floor((key % (SB_SPAN * 2)) / 2),
    flipped: key % 2 === 1,
    votes: v,
  }));
  cands.sort((x, y) => y.votes - x.votes || x.streamA - y.streamA || x.streamB - y.streamB);
  const usedA = new Set<number>(), usedB = new Set<number>();
  const out: StreamPairing[] = [];
  for (const c of cands) {
    if (usedA.has(c.streamA) || usedB.has(c.streamB)) continue;
    usedA.add(c.streamA);
    usedB.add(c.streamB);
    out.push(c);
  }
  return out.sort((x, y) => x.streamA - y.streamA);
}
