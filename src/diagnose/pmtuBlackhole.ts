/**
 * PMTU black hole: packets above some size never get through (never ACKed, never SACKed, sent again
 * and again) while smaller ones do, and no working ICMP feedback makes the sender shrink them.
 *
 * Two kinds of evidence:
 * - sender side: the oversized transmissions are in the capture; the bracket is
 *   [largest IP length delivered, smallest IP length never delivered - 1];
 * - receiver side (the big packets never reach this point): the receiver's ACK/SACK keep a hole
 *   open until the connection ends and no byte of it is ever seen; the lost packet's size is the
 *   hole's length plus the headers the sender's other segments carry.
 * Random loss does not fire: a lost packet whose retransmission of the same size is delivered
 * proves that size passes. A dying path does not fire: small packets after the failure must still
 * get through.
 */
import type { DiagnoseContext } from './context';
import { lastRow } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import type { DirDelivery, Tx, TxList } from './delivery';
import type { PtbMessage } from './icmp';
import { pmtuText } from './pmtuText';
import type { StreamModel } from './streams';
import type { MtuBracket, PmtuBlackholeFinding } from './types';
import type { Direction } from '../types';

/** What the evidence says, before it is turned into words. */
export interface BlackholeEvidence {
  m: StreamModel;
  d: Direction;
  dd: DirDelivery;
  evidence: 'sender' | 'receiver';
  /** Largest delivered transmission. */
  ok: Tx;
  /** Oversized transmissions never delivered (sender side), in capture order: indices into dd.txs. */
  failed: Int32Array;
  /** Inferred lost IP length (receiver side) or smallest failed IP length. */
  lostSize: number;
  bracket: MtuBracket;
  outer: MtuBracket | null;
  /** Receiver side: the hole that stayed open. */
  hole: { left: number; right: number; firstRow: number; gapRow: number } | null;
  ptb: PtbMessage[];
}

const MIN_TRANSMISSIONS = 3; // the original and at least two retransmissions
const MIN_HOLE_SECONDS = 1;

/**
 * Index of the largest delivered transmission with Don't Fragment set (the first of that size), or -1:
 * only a packet that could not be fragmented on the way proves that its size passes the path.
 */
export function largestDelivered(txs: TxList): number {
  let ok = -1, okLen = 0;
  for (let k = 0; k < txs.length; k++) {
    if (txs.delivered(k) && !txs.offload(k) && txs.df(k) && (ok < 0 || txs.ipLen(k) > okLen)) { ok = k; okLen = txs.ipLen(k); }
  }
  return ok;
}

/** Did any transmission carry some of the bytes [left, right)? */
function sentAnyOf(txs: TxList, left: number, right: number): boolean {
  for (let k = 0; k < txs.length; k++) if (txs.s[k] < right && txs.e[k] > left) return true;
  return false;
}

function outerBracket(ok: Tx, lostOuterExtra: number, lostSize: number): MtuBracket | null {
  if (!ok.overhead && !lostOuterExtra) return null;
  return { min: ok.outerLen, max: lostSize + lostOuterExtra - 1 };
}

export function senderSide(ctx: DiagnoseContext, m: StreamModel, d: Direction, ptb: PtbMessage[]): BlackholeEvidence | null {
  const dd = ctx.delivery(m, d);
  const txs = dd.txs;
  const okK = largestDelivered(txs);
  if (okK < 0) return null;
  const okLen = txs.ipLen(okK);
  const isFailed = (k: number) => !txs.delivered(k) && !txs.spurious(k) && !txs.offload(k) && txs.ipLen(k) > okLen;
  // Counted before they are listed: most directions have none, and then nothing is allocated.
  let count = 0;
  for (let k = 0; k < txs.length; k++) {
    if (!isFailed(k)) continue;
    if (!txs.df(k)) return null;
    count++;
  }
  if (count < MIN_TRANSMISSIONS) return null;
  const failed = new Int32Array(count);
  for (let k = 0, n = 0; k < txs.length; k++) if (isFailed(k)) failed[n++] = k;
  const perStart = new Map<number, number>();
  let most = 0;
  for (const k of failed) { const s = txs.s[k], c = (perStart.get(s) ?? 0) + 1; perStart.set(s, c); most = Math.max(most, c); }
  if (most < MIN_TRANSMISSIONS) return null;
  // A size threshold, not a dead path: nothing small sent after the first failure may be lost for good.
  const firstFail = txs.row[failed[0]];
  for (let k = 0; k < txs.length; k++) {
    if (txs.row[k] > firstFail && txs.ipLen(k) <= okLen && txs.coverRow[k] < 0 && !txs.spurious(k)) return null;
  }
  const mine = ptb.filter((x) => x.stream === m.index && x.dir === d);
  let lostSize = Infinity, smallest = -1;
  for (const k of failed) if (txs.ipLen(k) < lostSize) { lostSize = txs.ipLen(k); smallest = k; }
  const ok = txs.get(okK);
  return {
    m, d, dd, evidence: 'sender', ok, failed, lostSize,
    bracket: { min: ok.ipLen, max: lostSize - 1 },
    outer: outerBracket(ok, txs.outerLen(smallest) - txs.ipLen(smallest), lostSize),
    hole: null, ptb: mine,
  };
}

export function receiverSide(ctx: DiagnoseContext, m: StreamModel, d: Direction, ptb: PtbMessage[]): BlackholeEvidence | null {
  const dd = ctx.delivery(m, d);
  const okK = largestDelivered(dd.txs);
  if (okK < 0 || dd.headerLen <= 0) return null;
  const ok = dd.txs.get(okK);
  const end = lastRow(m);
  for (const h of dd.holes) {
    if (h.filledRow >= 0) continue;
    if (sentAnyOf(dd.txs, h.left, h.right)) continue; // its bytes were seen: sender side
    if (ctx.span(h.firstRow, end) < MIN_HOLE_SECONDS) continue;
    const holeLen = h.right - h.left;
    const peerMss = m.mss[1 - d];
    const optionBytes = dd.headerLen - (m.ipVersion === 6 ? 60 : 40);
    const maxSeg = peerMss > 0 ? peerMss - Math.max(0, optionBytes) : Math.max(dd.maxPayload, holeLen);
    const lostSize = Math.min(holeLen, maxSeg) + dd.headerLen;
    if (lostSize <= ok.ipLen) continue;
    const gap = dd.gaps.find((g) => g.left <= h.left && g.right >= h.right) ?? dd.gaps.find((g) => g.left === h.left);
    return {
      m, d, dd, evidence: 'receiver', ok, failed: new Int32Array(0), lostSize,
      bracket: { min: ok.ipLen, max: lostSize - 1 },
      outer: outerBracket(ok, ok.outerLen - ok.ipLen, lostSize),
      hole: { left: h.left, right: h.right, firstRow: h.firstRow, gapRow: gap ? gap.row : -1 },
      ptb: ptb.filter((x) => x.stream === m.index && x.dir === d),
    };
  }
  return null;
}

/**
 * Kind 'pmtu-blackhole'; messages `pmtu.*` (pmtuText.ts). Narrowed afterwards with what the whole
 * capture shows on the same path (index.ts, PathEvidence). Grouped by sender and receiver.
 */
export const blackholeDetector: Detector<PmtuBlackholeFinding> = {
  kinds: ['pmtu-blackhole'],
  messages: ['pmtu.'],
  walk: 'streams',
  find: (ctx) => findBlackholes(ctx, ctx.ptb),
  groupKey: pair,
};

export function findBlackholes(ctx: DiagnoseContext, ptb: PtbMessage[]): PmtuBlackholeFinding[] {
  const out: PmtuBlackholeFinding[] = [];
  for (const m of ctx.active) {
    for (const d of [0, 1] as const) {
      const ev = senderSide(ctx, m, d, ptb) ?? receiverSide(ctx, m, d, ptb);
      if (ev) out.push(pmtuText(ctx, ev));
    }
  }
  return out;
}
