/**
 * The connection died after unanswered retransmissions: the bytes at the head of the line were sent
 * again and again (RTO back-off: the intervals double) and never acknowledged until the connection
 * was reset, closed by the peer, or the capture ended.
 */
import { TcpFlag } from '../decode/columns';
import type { Ctx } from './context';
import type { Tx } from './delivery';
import type { StreamModel } from './streams';
import { ends, findingId, frameList, secs } from './text';
import type { Msg, RtoFinding } from './types';

const MIN_RETRANSMISSIONS = 2;

const END_KEYS = {
  'rst-self': 'rto.story.end.rstSelf',
  'rst-peer': 'rto.story.end.rstPeer',
  'fin-peer': 'rto.story.end.finPeer',
  'capture-end': 'rto.story.end.captureEnd',
} as const;

export function findRtoDeaths(ctx: Ctx): RtoFinding[] {
  const out: RtoFinding[] = [];
  for (const m of ctx.active) for (const d of [0, 1] as const) {
    const f = rtoDeath(ctx, m, d);
    if (f) out.push(f);
  }
  return out;
}

function rtoDeath(ctx: Ctx, m: StreamModel, d: 0 | 1): RtoFinding | null {
  const dd = ctx.delivery(m, d);
  const head = dd.cumAck;
  // Transmissions of the first byte never acknowledged, after the last ACK progress: counted
  // first, as most directions have too few to matter and need no list.
  const txs = dd.txs;
  const inChain = (k: number) => txs.s[k] <= head && txs.e[k] > head && !txs.delivered(k);
  let n = 0;
  for (let k = 0; k < txs.length; k++) if (inChain(k)) n++;
  if (n < MIN_RETRANSMISSIONS + 1) return null;
  const chain: Tx[] = [];
  for (let k = 0; k < txs.length; k++) if (inChain(k)) chain.push(txs.get(k));
  const cols = ctx.cols;
  const intervals: number[] = [];
  for (let k = 1; k < chain.length; k++) intervals.push(ctx.span(chain[k - 1].row, chain[k].row));
  const first = chain[0], last = chain[chain.length - 1];
  // How it ended: the first RST or peer FIN after the first transmission, else the capture's end.
  let ending: RtoFinding['ending'] = 'capture-end';
  let endRow = -1;
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (m.copy[p] || i <= first.row) continue;
    const fl = cols.tcpFlags[i];
    if (fl & TcpFlag.Rst) { ending = m.dir[p] === d ? 'rst-self' : 'rst-peer'; endRow = i; break; }
    if (fl & TcpFlag.Fin && m.dir[p] !== d && ending === 'capture-end') { ending = 'fin-peer'; endRow = i; }
  }
  const [src, dst] = ends(cols, m, d);
  const duration = ctx.span(first.row, endRow >= 0 ? endRow : last.row);
  const frames = chain.map((t) => t.row + 1);
  if (endRow >= 0) frames.push(endRow + 1);
  const story: Msg[] = [
    { key: 'rto.story.chain', params: { src, len: first.e - first.s, seq: first.s, frame: first.row + 1, count: chain.length - 1, frames: frameList(chain.slice(1).map((t) => t.row + 1)) } },
    { key: 'rto.story.intervals', params: { intervals: intervals.map(secs).join(', '), total: secs(ctx.span(first.row, last.row)) } },
    { key: 'rto.story.noAck', params: { dst, ack: head } },
    { key: END_KEYS[ending], params: { frame: endRow + 1, duration: secs(duration), src, dst } },
  ];
  return {
    id: findingId('retransmission-timeout', m.index, d, first.row + 1),
    kind: 'retransmission-timeout',
    severity: ending === 'capture-end' ? 'warning' : 'error',
    stream: m.index,
    direction: d,
    frames,
    t0: ctx.at(first.row),
    t1: ctx.at(endRow >= 0 ? endRow : last.row),
    title: { key: 'rto.title', params: { src, dst, count: chain.length - 1 } },
    summary: { key: 'rto.summary', params: { count: chain.length - 1, duration: secs(duration), len: first.e - first.s } },
    story,
    remedy: [{ key: 'rto.remedy.path' }, { key: 'rto.remedy.timeout' }],
    retransmissions: chain.length - 1,
    intervals,
    duration,
    ending,
  };
}
