/**
 * High loss: many different segments of one direction had to be sent again (or arrived to fill a
 * hole). Recovered loss slows a transfer down; it is not a dead path. Random, scattered loss is
 * what this reports; one segment sent again and again is a black hole or a dead connection and is
 * left to those diagnoses.
 */
import type { Ctx } from './context';
import type { StreamModel } from './streams';
import { ends, findingId, frameList, pct } from './text';
import type { HighLossFinding, Msg } from './types';

const MIN_EVENTS = 3;
const WARN_RATE = 0.01;
const ERROR_RATE = 0.05;

export function findHighLoss(ctx: Ctx): HighLossFinding[] {
  const out: HighLossFinding[] = [];
  for (const m of ctx.active) for (const d of [0, 1] as const) {
    const f = highLoss(ctx, m, d);
    if (f) out.push(f);
  }
  return out;
}

function highLoss(ctx: Ctx, m: StreamModel, d: 0 | 1): HighLossFinding | null {
  const dd = ctx.delivery(m, d);
  const txs = dd.txs;
  // Transmissions sent again: how many, the distinct ranges, the first 50 frames, first and last row.
  let again = 0, firstAgain = -1, lastAgain = -1;
  const ranges = new Set<number>();
  const frames: number[] = [];
  for (let k = 0; k < txs.length; k++) {
    if (!txs.again(k)) continue;
    const r = txs.row[k];
    if (again === 0) firstAgain = r;
    lastAgain = r;
    if (again < 50) frames.push(r + 1);
    again++;
    ranges.add(txs.s[k]);
  }
  const events = Math.max(ranges.size, dd.gaps.length);
  const segments = txs.length;
  if (segments === 0 || events < MIN_EVENTS) return null;
  const rate = Math.max(again, dd.gaps.length) / segments;
  if (rate < WARN_RATE) return null;
  const [src, dst] = ends(ctx.cols, m, d);
  const recovered = dd.cumAck >= dd.maxEnd;
  const holes = dd.holes.slice(0, 5).map((h) => `${h.left}-${h.right}`).join(', ');
  const params = {
    src, dst, segments, again, rate: pct(rate), events, gaps: dd.gaps.length,
    sacks: dd.sackRows.length, holes: dd.holes.length, holeList: holes || '-', frames: frameList(frames, 8),
  };
  const story: Msg[] = [{ key: 'loss.story.rate', params }];
  if (dd.gaps.length > 0) story.push({ key: 'loss.story.gaps', params: { ...params, first: dd.gaps[0].row + 1, left: dd.gaps[0].left, right: dd.gaps[0].right } });
  else story.push({ key: 'loss.story.afterCapture', params });
  if (dd.sackRows.length > 0) story.push({ key: 'loss.story.sack', params });
  story.push({ key: recovered ? 'loss.story.recovered' : 'loss.story.notRecovered', params });
  const first = again > 0 ? firstAgain : dd.gaps[0].row;
  const last = again > 0 ? lastAgain : dd.gaps[dd.gaps.length - 1].row;
  return {
    id: findingId('high-loss', m.index, d, first + 1), kind: 'high-loss', severity: rate >= ERROR_RATE ? 'error' : 'warning',
    stream: m.index, direction: d, frames, t0: ctx.at(first), t1: ctx.at(last),
    title: { key: 'loss.title', params }, summary: { key: 'loss.summary', params }, story,
    remedy: [{ key: 'loss.remedy.where' }, { key: 'loss.remedy.counters' }],
    segments, retransmitted: again, rate, holes: dd.holes.length, recovered,
  };
}
