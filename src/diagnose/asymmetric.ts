/**
 * Asymmetric path: the server's SYN-ACKs take another way than the SYNs. Two ways to see it: at a
 * capture point on the way of the SYN, the handshakes have their SYN, the client's ACK of the
 * server's first sequence number and the server's later packets, but never a SYN-ACK; or, in a
 * capture of several interfaces, the SYN-ACKs arrive on an interface the SYNs were never seen on.
 * One missing SYN-ACK is what any capture may miss: the finding needs it in two handshakes or more
 * between the same hosts, half of them at least, and says so when the capture misses other packets
 * of those connections too. One finding per client and server (run once on the whole capture).
 */
import { TcpFlag } from '../decode/columns';
import type { DiagnoseContext } from './context';
import { GapFate } from './delivery';
import type { Detector } from './detectors';
import { handshakes, type Handshake } from './handshakes';
import { findingId, host, listParams } from './text';
import type { AsymmetricPathFinding, Msg } from './types';
import { frameAt, type Direction } from '../types';

/** Handshakes of one pair that must show it, and the share of the pair's handshakes. */
const MIN_HANDSHAKES = 2;
const MIN_SHARE = 0.5;
/** Streams whose delivery is read for capture gaps, at most. */
const GAP_CHECKS = 50;

/** Kind 'asymmetric-path'; messages `asym.*`. */
export const asymmetricDetector: Detector<AsymmetricPathFinding> = {
  kinds: ['asymmetric-path'],
  messages: ['asym.'],
  walk: 'capture',
  find: (ctx) => findAsymmetric(ctx),
};

/** Capture point of a row: interface, and the Linux cooked capture's interface index. */
const pointOf = (ctx: DiagnoseContext, i: number): number => ctx.cols.iface[i] * 65536 + (ctx.cols.sllIfIndex[i] + 1);

function pointName(ctx: DiagnoseContext, i: number): string {
  const x = ctx.cols.sllIfIndex[i];
  return x >= 0 ? `ifindex ${x}` : `#${ctx.cols.iface[i]}`;
}

function findAsymmetric(ctx: DiagnoseContext): AsymmetricPathFinding[] {
  const byPair = new Map<string, Handshake[]>();
  for (const h of handshakes(ctx)) {
    if (h.fate === 'single' || h.fate === 'refused') continue;
    const k = `${h.client}>${h.server}`;
    const l = byPair.get(k);
    if (l) l.push(h); else byPair.set(k, [h]);
  }
  const out: AsymmetricPathFinding[] = [];
  for (const list of byPair.values()) {
    const unseen = list.filter((h) => h.fate === 'synack-unseen');
    if (unseen.length >= MIN_HANDSHAKES && unseen.length >= list.length * MIN_SHARE) { out.push(unseenFinding(ctx, list, unseen)); continue; }
    const other = list.filter((h) => otherInterface(ctx, h));
    if (other.length >= MIN_HANDSHAKES && other.length >= list.length * MIN_SHARE) out.push(interfaceFinding(ctx, list, other));
  }
  return out;
}

/** The SYN-ACKs were captured only at points where no SYN of the connection was. */
function otherInterface(ctx: DiagnoseContext, h: Handshake): boolean {
  if (!h.synAcks.length) return false;
  const synPoints = new Set(h.syns.map((r) => pointOf(ctx, r)));
  return h.synAcks.every((r) => !synPoints.has(pointOf(ctx, r)));
}

/** First row of the stream from direction `d` after `row` that is not a SYN: the server's first reply, the client's ACK. */
function firstAfter(ctx: DiagnoseContext, h: Handshake, d: number, row: number, skip = -1): number {
  const m = h.m;
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (i > row && m.dir[p] === d && !m.copy[p] && i !== skip && !(ctx.cols.tcpFlags[i] & TcpFlag.Syn)) return i;
  }
  return -1;
}

function common(ctx: DiagnoseContext, list: Handshake[], hit: Handshake[]): { rep: Handshake; d: Direction; params: Record<string, string | number>; streams: number[] } {
  const rep = hit[0];
  const cols = ctx.cols;
  const d = rep.m.clientDir as Direction;
  const streams = hit.map((h) => h.m.index).sort((a, b) => a - b);
  return {
    rep, d, streams,
    params: {
      client: host(cols, rep.client), server: host(cols, rep.server), count: hit.length, total: list.length, stream: rep.m.index,
      syn: rep.attempts[0] + 1, ...listParams('streams', streams),
    },
  };
}

function unseenFinding(ctx: DiagnoseContext, list: Handshake[], hit: Handshake[]): AsymmetricPathFinding {
  const { rep, d, params, streams } = common(ctx, list, hit);
  const ack = firstAfter(ctx, rep, d, rep.attempts[0]);
  const reply = firstAfter(ctx, rep, 1 - d, rep.attempts[0]);
  // Does the capture miss other packets of these connections (sequence gaps acknowledged unseen)?
  let gaps = 0;
  for (const h of hit.slice(0, GAP_CHECKS)) {
    for (const dir of [0, 1] as const) for (const g of ctx.delivery(h.m, dir).gaps) if (g.fate === GapFate.NotCaptured) gaps++;
  }
  const p = { ...params, ack: ack + 1, reply: reply + 1, gaps };
  const story: Msg[] = [{ key: 'asym.story.unseen', params: p }];
  if (gaps) story.push({ key: 'asym.story.gaps', params: p });
  story.push({ key: 'asym.story.meaning', params: p });
  const severity = !gaps && hit.length >= 3 && hit.length >= list.length * 0.9 ? 'warning' : 'info';
  const frames = [frameAt(rep.attempts[0])];
  if (ack >= 0) frames.push(frameAt(ack));
  if (reply >= 0) frames.push(frameAt(reply));
  for (const h of hit.slice(1)) if (frames.length < 60) frames.push(frameAt(h.attempts[0]));
  return {
    id: findingId('asymmetric-path', rep.m.index, d, rep.attempts[0] + 1), kind: 'asymmetric-path', severity, stream: rep.m.index, direction: d, frames,
    streams: streams.length > 1 ? streams : undefined, t0: ctx.at(rep.attempts[0]), t1: ctx.at(Math.max(...hit.map((h) => h.attempts[0]))),
    client: params.client as string, server: params.server as string, variant: 'synack-unseen', handshakes: hit.length, of: list.length,
    synInterface: null, synAckInterface: null,
    title: { key: 'asym.title.unseen', params: p },
    summary: { key: 'asym.summary.unseen', params: p },
    story,
    remedy: severity === 'info' ? [] : [{ key: 'asym.remedy', params: p }],
  };
}

function interfaceFinding(ctx: DiagnoseContext, list: Handshake[], hit: Handshake[]): AsymmetricPathFinding {
  const { rep, d, params, streams } = common(ctx, list, hit);
  const synIf = pointName(ctx, rep.attempts[0]), ackIf = pointName(ctx, rep.synAcks[0]);
  const reply = firstAfter(ctx, rep, 1 - d, rep.synAck, rep.synAck);
  const p = { ...params, synIf, ackIf, synAck: rep.synAcks[0] + 1, reply: reply + 1 };
  const story: Msg[] = [{ key: 'asym.story.iface', params: p }];
  if (reply >= 0) {
    const back = pointOf(ctx, reply) === pointOf(ctx, rep.attempts[0]);
    story.push({ key: back ? 'asym.story.iface.synAckOnly' : 'asym.story.iface.all', params: p });
  }
  story.push({ key: 'asym.story.meaning', params: p });
  const severity = hit.length >= 3 && hit.length >= list.length * 0.9 ? 'warning' : 'info';
  const frames = [frameAt(rep.attempts[0]), frameAt(rep.synAcks[0])];
  if (reply >= 0) frames.push(frameAt(reply));
  for (const h of hit.slice(1)) if (frames.length < 60) frames.push(frameAt(h.synAcks[0]));
  return {
    id: findingId('asymmetric-path', rep.m.index, d, rep.attempts[0] + 1), kind: 'asymmetric-path', severity, stream: rep.m.index, direction: d, frames,
    streams: streams.length > 1 ? streams : undefined, t0: ctx.at(rep.attempts[0]), t1: ctx.at(Math.max(...hit.map((h) => h.synAcks[0]))),
    client: params.client as string, server: params.server as string, variant: 'interface', handshakes: hit.length, of: list.length,
    synInterface: synIf, synAckInterface: ackIf,
    title: { key: 'asym.title.iface', params: p },
    summary: { key: 'asym.summary.iface', params: p },
    story,
    remedy: severity === 'info' ? [] : [{ key: 'asym.remedy', params: p }],
  };
}
