/**
 * A reply that came from the wrong address: the client talks to a service address V (a virtual IP
 * that a node translates to a backend P), and an answer to it arrives from P itself, the reverse
 * translation missed (the connection-tracking entry gone, or the packet marked INVALID and passed
 * without NAT: kubernetes/kubernetes#74839). The client knows no connection with P and resets it.
 * The two halves are two streams to us (different addresses): they are matched by the client's
 * address and port and by the acknowledgment number, which must fall in the client's own sequence
 * space of the connection to V (a 32-bit match no chance makes twice).
 */
import { TcpFlag } from '../decode/columns';
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { roles } from './groupKeys';
import type { StreamModel } from './streams';
import { endpoint, findingId, listParams, span } from './text';
import type { Msg, UntranslatedReplyFinding } from './types';
import { frameAt, type Direction } from '../types';

/** Evidence frames told per kind (the stray replies, the client's resets). */
const MAX_FRAMES = 12;

/** One connection to a service address and the stream of the replies that came from the backend. */
interface Pair {
  /** The client's connection to the service address, and the client's direction in it. */
  x: number;
  cd: Direction;
  /** The stream of the untranslated replies, and the backend's direction in it. */
  y: number;
  pd: Direction;
  /** Rows of the backend's packets in y, and of the client's RSTs there. */
  replies: number[];
  resets: number[];
}

/**
 * Kind 'untranslated-reply'; messages `untranslated.*`. One finding per connection to the service
 * address, grouped by client and service.
 */
export const untranslatedDetector: Detector<UntranslatedReplyFinding> = {
  kinds: ['untranslated-reply'],
  messages: ['untranslated.'],
  walk: 'streams',
  find: (ctx) => {
    const out: UntranslatedReplyFinding[] = [];
    // One finding per connection to the service address, whatever number of streams its stray
    // replies make (a stream ends at each RST when the analyzer did not number them).
    const byX = new Map<number, Pair[]>();
    for (const p of pairsOf(ctx)) {
      if (!ctx.isActive(p.x)) continue;
      const list = byX.get(p.x);
      if (list) list.push(p); else byX.set(p.x, [p]);
    }
    for (const list of byX.values()) {
      const p = list[0];
      out.push(finding(ctx, {
        ...p, replies: list.flatMap((q) => q.replies).sort((a, b) => a - b), resets: list.flatMap((q) => q.resets).sort((a, b) => a - b),
      }, list.map((q) => q.y)));
    }
    return out;
  },
  groupKey: (_f, m) => { const [c, s, p] = roles(m); return `${c}>${s}:${p}`; },
};

const cache = new WeakMap<DiagnoseContext, Pair[]>();

/** Every such pair in the capture, found once per diagnosis (the halves may be in different batches). */
export function pairsOf(ctx: DiagnoseContext): Pair[] {
  let pairs = cache.get(ctx);
  if (pairs) return pairs;
  pairs = [];
  // Connections whose SYN was seen, by the client's address and port.
  const byClient = new Map<string, StreamModel[]>();
  for (const m of ctx.streams) {
    if (m.clientDir < 0) continue;
    const k = m.clientDir === 0 ? `${m.addrA}:${m.portA}` : `${m.addrB}:${m.portB}`;
    const list = byClient.get(k);
    if (list) list.push(m); else byClient.set(k, [m]);
  }
  for (const y of ctx.streams) {
    for (const cd of [0, 1] as const) {
      const caddr = cd === 0 ? y.addrA : y.addrB, cport = cd === 0 ? y.portA : y.portB;
      const paddr = cd === 0 ? y.addrB : y.addrA;
      const xs = byClient.get(`${caddr}:${cport}`);
      if (!xs) continue;
      for (const x of xs) {
        if (x.index === y.index) continue;
        const xcd = x.clientDir as Direction;
        if ((xcd === 0 ? x.addrB : x.addrA) === paddr) continue;
        const p = match(ctx, x, xcd, y, (1 - cd) as Direction);
        if (p) { pairs.push(p); break; }
      }
    }
  }
  cache.set(ctx, pairs);
  return pairs;
}

/**
 * Do the backend's packets in `y` (direction `pd`) answer the client of `x`: their ACK exactly the
 * end of something the client sent in x (its SYN, a segment, its FIN), sent while x was alive, and
 * the client resetting them?
 */
function match(ctx: DiagnoseContext, x: StreamModel, cd: Direction, y: StreamModel, pd: Direction): Pair | null {
  const cols = ctx.cols;
  const isn = x.isn[cd];
  if (isn < 0) return null;
  // Where each thing the client sent in x ended, relative to its ISN (SYN and FIN count one), and
  // the server's sequence numbers the client acknowledged (raw): what a RST of the backend carries.
  const ends = new Set<number>([1]);
  const acked = new Set<number>();
  // Every packet of x by its TCP header: a packet of y with a twin in x is the same packet seen
  // translated at another capture point (tcpdump -i any on the translating node), not a stray one.
  const twins = new Set<string>();
  let firstSyn = -1, lastRow = -1;
  for (let p = 0; p < x.rows.length; p++) {
    if (x.copy[p]) continue;
    const i = x.rows[p];
    lastRow = i;
    twins.add(twinKey(ctx, i, x.dir[p] === cd));
    if (x.dir[p] !== cd) continue;
    if (cols.tcpFlags[i] & TcpFlag.Ack) acked.add(cols.ackRaw[i]);
    if (firstSyn < 0 && cols.tcpFlags[i] & TcpFlag.Syn) firstSyn = i;
    ends.add(((cols.seqRaw[i] - isn) >>> 0) + cols.tcpLen[i] + (cols.tcpFlags[i] & TcpFlag.Fin ? 1 : 0));
  }
  if (firstSyn < 0) return null;
  const replies: number[] = [], resets: number[] = [];
  for (let p = 0; p < y.rows.length; p++) {
    if (y.copy[p]) continue;
    const i = y.rows[p], f = cols.tcpFlags[i];
    if (y.dir[p] !== pd) {
      if (f & TcpFlag.Rst && replies.length && !twins.has(twinKey(ctx, i, true))) resets.push(i);
      continue;
    }
    if (twins.has(twinKey(ctx, i, false))) continue;
    // Sent after the client's first SYN and no later than a few seconds after x's last packet.
    if (i < firstSyn || cols.time(i) - cols.time(lastRow) > 5) continue;
    // An answer acknowledges exactly what the client sent; a RST without ACK (the backend's answer
    // to a segment of a connection it no longer has) carries the sequence number the client acknowledged.
    if (f & TcpFlag.Ack ? !ends.has((cols.ackRaw[i] - isn) >>> 0) : !(f & TcpFlag.Rst) || !acked.has(cols.seqRaw[i])) continue;
    replies.push(i);
  }
  if (!replies.length || !resets.length) return null;
  return { x: x.index, cd, y: y.index, pd, replies, resets };
}

/** A packet's TCP header as seen on either side of an address translation (which keeps all of these). */
function twinKey(ctx: DiagnoseContext, i: number, fromClient: boolean): string {
  const c = ctx.cols;
  return `${fromClient ? 'c' : 's'}:${c.seqRaw[i]}:${c.ackRaw[i]}:${c.tcpLen[i]}:${c.tcpFlags[i]}:${c.winRaw[i]}`;
}

function finding(ctx: DiagnoseContext, pr: Pair, ys: number[]): UntranslatedReplyFinding {
  const cols = ctx.cols;
  const x = ctx.streams[pr.x], y = ctx.streams[pr.y];
  const cd = pr.cd, sd = (1 - cd) as Direction;
  const client = endpoint(cols, cd === 0 ? x.addrA : x.addrB, cd === 0 ? x.portA : x.portB);
  const service = endpoint(cols, sd === 0 ? x.addrA : x.addrB, sd === 0 ? x.portA : x.portB);
  const backend = endpoint(cols, pr.pd === 0 ? y.addrA : y.addrB, pr.pd === 0 ? y.portA : y.portB);
  const first = pr.replies[0];
  const handshake = (cols.tcpFlags[first] & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack);
  // What the client had sent to the service that the stray reply answers: its latest packet before it.
  let asked = -1;
  const syns: number[] = [];
  for (let p = 0; p < x.rows.length; p++) {
    const i = x.rows[p];
    if (x.copy[p] || x.dir[p] !== cd) continue;
    if (i < first) asked = i;
    if ((cols.tcpFlags[i] & (TcpFlag.Syn | TcpFlag.Ack)) === TcpFlag.Syn) syns.push(i);
  }
  // Did the connection to the service get anything from it after the first stray reply?
  let answered = false, established = false;
  for (let p = 0; p < x.rows.length; p++) {
    const i = x.rows[p];
    if (x.copy[p] || x.dir[p] === cd) continue;
    if ((cols.tcpFlags[i] & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) established = true;
    if (i > first && !(cols.tcpFlags[i] & TcpFlag.Rst)) answered = true;
  }
  const failed = !answered;
  const params = {
    client, service, backend, ystreams: ys.length, ...listParams('ys', ys), replies: pr.replies.length, resets: pr.resets.length, frame: first + 1, rst: pr.resets[0] + 1,
    asked: asked + 1, attempts: syns.length, ack: (cols.ackRaw[first] - x.isn[cd]) >>> 0, after: span(asked >= 0 ? cols.time(first) - cols.time(asked) : 0),
    ...listParams('replyFrames', pr.replies.map((r) => r + 1)), ...listParams('resetFrames', pr.resets.map((r) => r + 1)),
  };
  const story: Msg[] = [{ key: handshake ? 'untranslated.story.synAck' : 'untranslated.story.data', params }];
  story.push({ key: 'untranslated.story.match', params });
  story.push({ key: 'untranslated.story.reset', params });
  story.push({ key: failed ? (established ? 'untranslated.story.failedLater' : 'untranslated.story.failed') : 'untranslated.story.wentOn', params });
  story.push({ key: 'untranslated.story.causes', params });
  // Certain by the 32-bit match; how much it mattered follows the connection: never answered by the
  // service afterwards and seen again and again, it failed; once, or with the connection going on,
  // it is a warning.
  const severity = failed && pr.replies.length >= 2 ? 'error' : 'warning';
  const frames = [frameAt(first), frameAt(pr.resets[0])];
  if (asked >= 0) frames.push(frameAt(asked));
  for (const r of pr.replies.slice(1, MAX_FRAMES)) frames.push(frameAt(r));
  for (const r of pr.resets.slice(1, MAX_FRAMES)) frames.push(frameAt(r));
  return {
    id: findingId('untranslated-reply', x.index, sd, first + 1), kind: 'untranslated-reply', severity, stream: x.index, direction: sd, frames,
    t0: ctx.at(x.rows[0]), t1: ctx.at(Math.max(pr.replies[pr.replies.length - 1], pr.resets[pr.resets.length - 1])),
    title: { key: handshake ? 'untranslated.title.handshake' : 'untranslated.title.data', params },
    summary: { key: 'untranslated.summary', params },
    story,
    remedy: [{ key: 'untranslated.remedy.conntrack', params }, { key: 'untranslated.remedy.path', params }],
    client, service, backend, replyStream: pr.y, replyStreams: ys, replies: pr.replies.length, clientResets: pr.resets.length, phase: handshake ? 'handshake' : 'data',
  };
}
