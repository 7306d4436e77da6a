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
import type { Ctx } from './context';
import { lastRow } from './context';
import type { DirDelivery, Tx } from './delivery';
import type { PtbMessage } from './icmp';
import { pmtuText } from './pmtuText';
import type { StreamModel } from './streams';
import type { MtuBracket, PmtuBlackholeFinding } from './types';

/** What the evidence says, before it is turned into words. */
export interface BlackholeEvidence {
  m: StreamModel;
  d: 0 | 1;
  dd: DirDelivery;
  evidence: 'sender' | 'receiver';
  /** Largest delivered transmission. */
  ok: Tx;
  /** Oversized transmissions never delivered (sender side), in capture order. */
  failed: Tx[];
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

function largestDelivered(dd: DirDelivery): Tx | null {
  let ok: Tx | null = null;
  for (const t of dd.txs) if (t.delivered && (!ok || t.ipLen > ok.ipLen)) ok = t;
  return ok;
}

function outerBracket(ok: Tx, lostOuterExtra: number, lostSize: number): MtuBracket | null {
  if (!ok.overhead && !lostOuterExtra) return null;
  return { min: ok.outerLen, max: lostSize + lostOuterExtra - 1 };
}

export function senderSide(ctx: Ctx, m: StreamModel, d: 0 | 1, ptb: PtbMessage[]): BlackholeEvidence | null {
  const dd = ctx.delivery(m, d);
  const ok = largestDelivered(dd);
  if (!ok) return null;
  const failed = dd.txs.filter((t) => !t.delivered && !t.spurious && t.ipLen > ok.ipLen);
  if (failed.length < MIN_TRANSMISSIONS || failed.some((t) => !t.df)) return null;
  const perStart = new Map<number, number>();
  let most = 0;
  for (const t of failed) { const c = (perStart.get(t.s) ?? 0) + 1; perStart.set(t.s, c); most = Math.max(most, c); }
  if (most < MIN_TRANSMISSIONS) return null;
  // A size threshold, not a dead path: nothing small sent after the first failure may be lost for good.
  const firstFail = failed[0].row;
  if (dd.txs.some((t) => t.row > firstFail && t.ipLen <= ok.ipLen && t.coverRow < 0 && !t.spurious)) return null;
  const mine = ptb.filter((x) => x.stream === m.index && x.dir === d);
  const lostSize = failed.reduce((m, t) => Math.min(m, t.ipLen), Infinity); // no spread: the list can be huge
  const smallest = failed.find((t) => t.ipLen === lostSize) as Tx;
  return {
    m, d, dd, evidence: 'sender', ok, failed, lostSize,
    bracket: { min: ok.ipLen, max: lostSize - 1 },
    outer: outerBracket(ok, smallest.outerLen - smallest.ipLen, lostSize),
    hole: null, ptb: mine,
  };
}

export function receiverSide(ctx: Ctx, m: StreamModel, d: 0 | 1, ptb: PtbMessage[]): BlackholeEvidence | null {
  const dd = ctx.delivery(m, d);
  const ok = largestDelivered(dd);
  if (!ok || !ok.df || dd.headerLen <= 0) return null;
  const end = lastRow(m);
  for (const h of dd.holes) {
    if (h.filledRow >= 0) continue;
    if (dd.txs.some((t) => t.s < h.right && t.e > h.left)) continue; // its bytes were seen: sender side
    if (ctx.span(h.firstRow, end) < MIN_HOLE_SECONDS) continue;
    const holeLen = h.right - h.left;
    const peerMss = m.mss[1 - d];
    const optionBytes = dd.headerLen - (m.ipVersion === 6 ? 60 : 40);
    const maxSeg = peerMss > 0 ? peerMss - Math.max(0, optionBytes) : Math.max(dd.maxPayload, holeLen);
    const lostSize = Math.min(holeLen, maxSeg) + dd.headerLen;
    if (lostSize <= ok.ipLen) continue;
    const gap = dd.gaps.find((g) => g.left <= h.left && g.right >= h.right) ?? dd.gaps.find((g) => g.left === h.left);
    return {
      m, d, dd, evidence: 'receiver', ok, failed: [], lostSize,
      bracket: { min: ok.ipLen, max: lostSize - 1 },
      outer: outerBracket(ok, ok.outerLen - ok.ipLen, lostSize),
      hole: { left: h.left, right: h.right, firstRow: h.firstRow, gapRow: gap ? gap.row : -1 },
      ptb: ptb.filter((x) => x.stream === m.index && x.dir === d),
    };
  }
  return null;
}

export function findBlackholes(ctx: Ctx, ptb: PtbMessage[]): PmtuBlackholeFinding[] {
  const out: PmtuBlackholeFinding[] = [];
  for (const m of ctx.active) {
    for (const d of [0, 1] as const) {
      const ev = senderSide(ctx, m, d, ptb) ?? receiverSide(ctx, m, d, ptb);
      if (ev) out.push(pmtuText(ctx, ev));
    }
  }
  return out;
}
