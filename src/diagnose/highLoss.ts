/**
 * High loss: many different segments of one direction were lost, by the fates decided in
 * delivery.ts: lost after the capture point (seen here, never delivered, sent again) or before it
 * (a sequence gap filled later by a retransmission). What is not loss is not counted: spurious
 * retransmissions (the receiver had the bytes), segments the capture missed (acknowledged, never
 * seen: a caveat about the capture), offload copies and reordering. Recovered loss slows a transfer
 * down; it is not a dead path. One segment sent again and again is a black hole or a dead connection
 * and is left to those diagnoses.
 */
import { oneWay, type DiagnoseContext } from './context';
import { GapFate } from './delivery';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import type { StreamModel } from './streams';
import { ends, findingId, listParams, pct } from './text';
import type { HighLossFinding, Msg } from './types';
import { frameAt, type Direction } from '../types';

const MIN_EVENTS = 3;
const WARN_RATE = 0.01;
const ERROR_RATE = 0.05;
const ERROR_EVENTS = 10;

/** Kind 'high-loss'; messages `loss.*`. Grouped by sender and receiver. */
export const highLossDetector: Detector<HighLossFinding> = {
  kinds: ['high-loss'],
  messages: ['loss.'],
  walk: 'streams',
  find: (ctx) => findHighLoss(ctx),
  groupKey: pair,
};

export function findHighLoss(ctx: DiagnoseContext): HighLossFinding[] {
  const out: HighLossFinding[] = [];
  for (const m of ctx.active) for (const d of [0, 1] as const) {
    const f = highLoss(ctx, m, d);
    if (f) out.push(f);
  }
  return out;
}

/** Loss counts of one direction, by fate. */
export interface LossCounts {
  /** Original data segments (not re-sends, not offload copies). */
  segments: number;
  /** Transmissions lost after the capture point. */
  lostAfter: number;
  /** Gaps filled later by a retransmission: lost before the capture point. */
  lostBefore: number;
  /** Re-sends the receiver did not need. */
  spurious: number;
  /** Gaps acknowledged without ever being captured. */
  notCaptured: number;
  /** Segments lost for being larger than an MTU an ICMP "too big" reported: Path MTU Discovery at work. */
  tooBig: number;
  /** Rows of the lost transmissions and of the repairs of losses before the capture point, capture order. */
  rows: number[];
}

export function lossCounts(ctx: DiagnoseContext, m: StreamModel, d: Direction, maxRows = 50): LossCounts {
  const dd = ctx.delivery(m, d);
  const txs = dd.txs;
  const c: LossCounts = { segments: 0, lostAfter: 0, lostBefore: 0, spurious: 0, notCaptured: 0, tooBig: 0, rows: [] };
  const ptbMtu = ctx.ptbMtu(m.index, d);
  // A loss is a range of bytes lost at least once: the same segment lost again and again is one loss
  // (and a dead connection or a black hole, told by those diagnoses).
  const lostStarts = new Set<number>();
  for (let k = 0; k < txs.length; k++) {
    if (txs.offload(k)) continue;
    if (!txs.retransmission(k)) c.segments++;
    else if (txs.spurious(k)) c.spurious++;
    if (txs.lost(k) && txs.ipLen(k) > ptbMtu) { c.tooBig++; continue; }
    if (txs.lost(k) && !lostStarts.has(txs.s[k])) {
      lostStarts.add(txs.s[k]);
      c.lostAfter++;
      if (c.rows.length < maxRows) c.rows.push(txs.row[k]);
    }
  }
  for (const g of dd.gaps) {
    if (g.fate === GapFate.LostBefore) { c.lostBefore++; if (c.rows.length < maxRows * 2) c.rows.push(g.fillRow); }
    else if (g.fate === GapFate.NotCaptured) c.notCaptured++;
  }
  c.rows.sort((a, b) => a - b);
  if (c.rows.length > maxRows) c.rows.length = maxRows;
  return c;
}

function highLoss(ctx: DiagnoseContext, m: StreamModel, d: Direction): HighLossFinding | null {
  if (oneWay(m)) return null;
  const dd = ctx.delivery(m, d);
  if (dd.txs.length === 0) return null;
  const c = lossCounts(ctx, m, d);
  const events = c.lostAfter + c.lostBefore;
  if (events < MIN_EVENTS || c.segments === 0) return null;
  const rate = Math.min(1, events / c.segments);
  if (rate < WARN_RATE) return null;
  const [src, dst] = ends(ctx.cols, m, d);
  const recovered = dd.cumAck >= dd.maxEnd;
  const frames = c.rows.map(frameAt);
  const holes = dd.holes.slice(0, 5).map((h) => `${h.left}-${h.right}`).join(', ');
  const params = {
    src, dst, segments: c.segments, events, rate: pct(rate), lostAfter: c.lostAfter, lostBefore: c.lostBefore,
    spurious: c.spurious, notCaptured: c.notCaptured, tooBig: c.tooBig, mtu: Number.isFinite(ctx.ptbMtu(m.index, d)) ? ctx.ptbMtu(m.index, d) : 0, sacks: dd.sackRows.length, holes: dd.holes.length, holeList: holes,
  };
  const story: Msg[] = [];
  if (c.lostAfter > 0) {
    const lost: number[] = [];
    for (const r of c.rows) if (lost.length < 8 && dd.txs.row.includes(r) && !dd.gaps.some((g) => g.fillRow === r)) lost.push(r + 1);
    story.push({ key: 'loss.story.after', params: { ...params, ...listParams('frames', lost) } });
  }
  if (c.lostBefore > 0) {
    const g = dd.gaps.find((x) => x.fate === GapFate.LostBefore)!;
    story.push({ key: 'loss.story.before', params: { ...params, first: g.row + 1, left: g.left, right: g.right, fill: g.fillRow + 1 } });
    if (!frames.includes(frameAt(g.row))) frames.push(frameAt(g.row));
  }
  if (c.spurious > 0) story.push({ key: 'loss.story.spurious', params });
  if (c.tooBig > 0) story.push({ key: 'loss.story.tooBig', params });
  if (c.notCaptured > 0) story.push({ key: 'loss.story.notCaptured', params });
  if (dd.holes.length > 0 && holes) story.push({ key: 'loss.story.sack', params });
  story.push({ key: recovered ? 'loss.story.recovered' : 'loss.story.notRecovered', params });
  const first = c.rows[0], last = c.rows[c.rows.length - 1];
  return {
    id: findingId('high-loss', m.index, d, first + 1), kind: 'high-loss',
    severity: rate >= ERROR_RATE && events >= ERROR_EVENTS ? 'error' : 'warning',
    stream: m.index, direction: d, frames, t0: ctx.at(first), t1: ctx.at(last),
    title: { key: 'loss.title', params }, summary: { key: 'loss.summary', params }, story,
    remedy: [{ key: 'loss.remedy.where' }, { key: 'loss.remedy.counters' }],
    segments: c.segments, retransmitted: events, rate, holes: dd.holes.length, recovered,
    lostAfterCapture: c.lostAfter, lostBeforeCapture: c.lostBefore, spurious: c.spurious, notCaptured: c.notCaptured,
  };
}
