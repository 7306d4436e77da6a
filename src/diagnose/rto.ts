/**
 * The connection died after unanswered retransmissions: the bytes at the head of the line were sent
 * again and again (RTO back-off: the intervals double) and never acknowledged until the connection
 * was reset, closed by the peer, or the capture ended.
 */
import { TcpFlag } from '../decode/columns';
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import type { Tx } from './delivery';
import type { StreamModel } from './streams';
import { ends, findingId, listParams, secondsParams, secs } from './text';
import type { Msg, RtoFinding } from './types';
import { frameAt, type Direction } from '../types';

const MIN_RETRANSMISSIONS = 2;

const END_KEYS = {
  'rst-self': 'rto.story.end.rstSelf',
  'rst-peer': 'rto.story.end.rstPeer',
  'fin-peer': 'rto.story.end.finPeer',
  'capture-end': 'rto.story.end.captureEnd',
} as const;

/** Kind 'retransmission-timeout'; messages `rto.*`. Grouped by sender and receiver. */
export const rtoDetector: Detector<RtoFinding> = {
  kinds: ['retransmission-timeout'],
  messages: ['rto.'],
  walk: 'streams',
  find: (ctx) => findRtoDeaths(ctx),
  groupKey: pair,
};

export function findRtoDeaths(ctx: DiagnoseContext): RtoFinding[] {
  const out: RtoFinding[] = [];
  for (const m of ctx.active) for (const d of [0, 1] as const) {
    const f = rtoDeath(ctx, m, d);
    if (f) out.push(f);
  }
  return out;
}

function rtoDeath(ctx: DiagnoseContext, m: StreamModel, d: Direction): RtoFinding | null {
  if (oneWay(m)) return null;
  const dd = ctx.delivery(m, d);
  const txs = dd.txs;
  // The first byte never acknowledged: past the peer's cumulative ACK, or the first byte sent when no
  // ACK was captured (a capture that starts mid-connection, or a peer that never answered).
  let head = dd.cumAck;
  if (head === 0) for (let k = 0; k < txs.length; k++) if (!txs.offload(k) && (head === 0 || txs.s[k] < head)) head = txs.s[k];
  // Transmissions of that byte after the last ACK progress, never delivered (spurious copies and
  // offload copies are not attempts): counted first, as most directions have too few to matter.
  const inChain = (k: number) => txs.s[k] <= head && txs.e[k] > head && !txs.delivered(k) && !txs.spurious(k) && !txs.offload(k);
  let n = 0;
  for (let k = 0; k < txs.length; k++) if (inChain(k)) n++;
  if (n < MIN_RETRANSMISSIONS + 1) return null;
  // Re-sends after the connection was reset are not attempts on a live connection: the chain ends at
  // the first RST after its first member.
  let firstK = -1;
  for (let k = 0; k < txs.length && firstK < 0; k++) if (inChain(k)) firstK = k;
  const rst = firstRstAfter(ctx, m, txs.row[firstK]);
  const chain: Tx[] = [];
  for (let k = 0; k < txs.length; k++) if (inChain(k) && (rst < 0 || txs.row[k] < rst)) chain.push(txs.get(k));
  if (chain.length < MIN_RETRANSMISSIONS + 1) return null;
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
  // The peer had closed its side before these bytes were first sent: a teardown that went wrong,
  // after the conversation itself was over.
  let peerFin = -1;
  for (let p = 0; p < m.rows.length && m.rows[p] < first.row; p++) {
    if (!m.copy[p] && m.dir[p] !== d && cols.tcpFlags[m.rows[p]] & TcpFlag.Fin) { peerFin = m.rows[p]; break; }
  }
  const [src, dst] = ends(cols, m, d);
  const duration = ctx.span(first.row, endRow >= 0 ? endRow : last.row);
  // The bytes told: from the first one never acknowledged to the end of the latest attempt.
  const len = last.e - head;
  const frames = chain.map((t) => frameAt(t.row));
  if (peerFin >= 0) frames.push(frameAt(peerFin));
  if (endRow >= 0) frames.push(frameAt(endRow));
  const count = chain.length - 1;
  const stalled = ending === 'capture-end';
  const story: Msg[] = [
    { key: 'rto.story.chain', params: { src, len, seq: head, frame: first.row + 1, count, ...listParams('frames', chain.slice(1).map((t) => t.row + 1)) } },
    { key: 'rto.story.intervals', params: { ...secondsParams('intervals', intervals), total: secs(ctx.span(first.row, last.row)) } },
    { key: 'rto.story.noAck', params: { dst, ack: head } },
    { key: END_KEYS[ending], params: { frame: endRow + 1, duration: secs(duration), src, dst, since: secs(ctx.span(last.row, cols.length - 1)) } },
  ];
  if (peerFin >= 0) story.push({ key: 'rto.story.peerClosed', params: { dst, fin: peerFin + 1 } });
  // Still retrying when the capture stopped: a stall in progress. A failure once the back-off shows
  // the sender has waited through several timeouts; a few quick re-sends are only seen, not judged.
  // After the peer had closed, what went undelivered was the goodbye (a close alert, the FIN): the
  // peer had left, nothing it waited for was lost.
  const severity = peerFin >= 0 ? 'info' : !stalled ? 'error' : count >= 3 && duration >= 3 ? 'error' : 'warning';
  return {
    id: findingId('retransmission-timeout', m.index, d, first.row + 1),
    kind: 'retransmission-timeout',
    severity,
    stream: m.index,
    direction: d,
    frames,
    t0: ctx.at(first.row),
    t1: ctx.at(endRow >= 0 ? endRow : last.row),
    title: { key: stalled ? 'rto.title.stalled' : 'rto.title', params: { src, dst, count } },
    summary: { key: stalled ? 'rto.summary.stalled' : 'rto.summary', params: { count, duration: secs(duration), len } },
    story,
    remedy: [{ key: 'rto.remedy.path' }, { key: 'rto.remedy.timeout' }],
    retransmissions: count,
    intervals,
    duration,
    ending,
  };
}

/** Row of the stream's first RST after `row`, or -1. */
function firstRstAfter(ctx: DiagnoseContext, m: StreamModel, row: number): number {
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (i > row && !m.copy[p] && ctx.cols.tcpFlags[i] & TcpFlag.Rst) return i;
  }
  return -1;
}
