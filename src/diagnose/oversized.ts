/**
 * DF packets larger than a path MTU: the one the user sets, else the one a black hole revealed,
 * else Ethernet's 1500. A large packet that was acknowledged anyway was not dropped: it was built by
 * segmentation offload (TSO/GSO) on the sending host, merged by GRO/LRO on the receiving one, or
 * the path carries it; it is labelled as such, never as a drop.
 */
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import type { StreamModel } from './streams';
import { ends, findingId, listParams } from './text';
import type { Msg, OversizedDfFinding } from './types';
import { frameAt, type Direction, type Frame } from '../types';

/**
 * Kind 'oversized-df'; messages `over.*`. Runs in the second walk: it needs the path MTU every black
 * hole of the capture revealed. Grouped by sender and receiver.
 */
export const oversizedDetector: Detector<OversizedDfFinding> = {
  kinds: ['oversized-df'],
  messages: ['over.'],
  walk: 'paths',
  find: (ctx, found) => findOversized(ctx, found.paths!.inferred, found.paths!.blackholes),
  groupKey: pair,
};

/**
 * `inferred`: the path MTU black holes revealed, by "sender>receiver" address: it holds on that path
 * only. `own`: stream directions (stream * 2 + direction) whose black-hole finding tells about them.
 */
export function findOversized(ctx: DiagnoseContext, inferred: Map<string, number>, own: Set<number>): OversizedDfFinding[] {
  const out: OversizedDfFinding[] = [];
  for (const m of ctx.active) for (const d of [0, 1] as const) {
    const user = ctx.options.pathMtu;
    if (!user && own.has(m.index * 2 + d)) continue;
    const inf = inferred.get(d === 0 ? `${m.addrA}>${m.addrB}` : `${m.addrB}>${m.addrA}`);
    const mtu = user ?? inf ?? 1500;
    if (oneWay(m) || !sendsAbove(ctx, m, d, mtu)) continue;
    const f = oversized(ctx, m, d, mtu, user ? 'user' : inf !== undefined ? 'inferred' : 'ethernet');
    if (f) out.push(f);
  }
  return out;
}

/** Cheap test before the delivery records are built: does this direction send a DF data packet above `mtu`? */
function sendsAbove(ctx: DiagnoseContext, m: StreamModel, d: Direction, mtu: number): boolean {
  const c = ctx.cols;
  for (let p = 0; p < m.rows.length; p++) {
    if (m.dir[p] !== d || m.copy[p]) continue;
    const i = m.rows[p];
    if (c.tcpLen[i] > 0 && c.ipLen[i] > mtu && (c.ipVersion[i] === 6 || c.ipDf[i] !== 0)) return true;
  }
  return false;
}

function oversized(ctx: DiagnoseContext, m: StreamModel, d: Direction, mtu: number, source: OversizedDfFinding['mtuSource']): OversizedDfFinding | null {
  const dd = ctx.delivery(m, d);
  const txs = dd.txs;
  // The DF transmissions above the MTU, counted in one loop (they can be 100k+ packets).
  let count = 0, delivered = 0, maxIpLen = 0, firstRow = -1, lastRow = -1;
  const frames: Frame[] = [];
  const lostFrames: Frame[] = [];
  for (let k = 0; k < txs.length; k++) {
    if (!txs.df(k) || txs.ipLen(k) <= mtu || txs.offload(k)) continue;
    const r = txs.row[k];
    if (count === 0) firstRow = r;
    lastRow = r;
    if (count < 50) frames.push(frameAt(r));
    count++;
    if (txs.delivered(k) || txs.spurious(k)) delivered++;
    // Lost: never delivered at this size and sent again. One the capture ends on is not evidence.
    if (txs.lost(k)) lostFrames.push(frameAt(r));
    maxIpLen = Math.max(maxIpLen, txs.ipLen(k));
  }
  if (!count) return null;
  const [src, dst] = ends(ctx.cols, m, d);
  const params = { src, dst, mtu, count, delivered, lost: lostFrames.length, max: maxIpLen, ...listParams('frames', frames) };
  const story: Msg[] = [{ key: source === 'user' ? 'over.story.countUser' : source === 'inferred' ? 'over.story.countInferred' : 'over.story.countEthernet', params }];
  if (delivered > 0) story.push({ key: maxIpLen > 1500 ? 'over.story.delivered' : 'over.story.deliveredPath', params });
  if (lostFrames.length > 0) story.push({ key: 'over.story.lost', params: { ...params, ...listParams('lostFrames', lostFrames) } });
  for (const x of lostFrames.slice(0, 8)) if (!frames.includes(x)) frames.push(x);
  const allDelivered = lostFrames.length === 0;
  return {
    id: findingId('oversized-df', m.index, d, firstRow + 1), kind: 'oversized-df',
    severity: allDelivered ? 'info' : 'warning',
    stream: m.index, direction: d, frames, t0: ctx.at(firstRow), t1: ctx.at(lastRow),
    title: { key: 'over.title', params }, summary: { key: !allDelivered ? 'over.summary.lost' : delivered < count ? 'over.summary.unresolved' : maxIpLen > 1500 ? 'over.summary.delivered' : 'over.summary.deliveredPath', params },
    story, remedy: allDelivered ? [] : [{ key: 'over.remedy', params: { ...params, mss: mtu - (m.ipVersion === 6 ? 60 : 40) } }],
    mtu, mtuSource: source, count, delivered, maxIpLen,
  };
}
