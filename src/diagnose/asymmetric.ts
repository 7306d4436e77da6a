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
import { findingId, host, listParams, tunnelBits } from './text';
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
    if (other.length >= MIN_HANDSHAKES && other.length >= list.length * MIN_SHARE) { out.push(interfaceFinding(ctx, list, other)); continue; }
    const mac = list.filter((h) => otherMac(ctx, h));
    if (mac.length >= MIN_HANDSHAKES && mac.length >= list.length * MIN_SHARE) out.push(macFinding(ctx, list, mac));
  }
  return out;
}

/** The SYN-ACKs were captured only at points where no SYN of the connection was. */
function otherInterface(ctx: DiagnoseContext, h: Handshake): boolean {
  if (!h.synAcks.length) return false;
  const synPoints = new Set(h.syns.map((r) => pointOf(ctx, r)));
  return h.synAcks.every((r) => !synPoints.has(pointOf(ctx, r)));
}

/** A station's own address: not group (broadcast, multicast), not all zeros (a made-up capture's). */
function unicast(text: string): boolean {
  return (parseInt(text.slice(0, 2), 16) & 1) === 0 && text !== '00:00:00:00:00:00';
}

/**
 * A first-hop redundancy gateway's virtual MAC (VRRP 00:00:5e:00:01/02:xx, HSRP 00:00:0c:07:ac:xx
 * and 00:00:0c:9f:fx:xx): the router behind it answers from its own MAC, which is no other path.
 */
function virtualMac(text: string): boolean {
  return /^00:00:5e:00:0[12]:|^00:00:0c:07:ac:|^00:00:0c:9f:f/.test(text);
}

/**
 * At one capture point (the SYN-ACK seen where the SYN was), the SYN-ACK came from another Ethernet
 * neighbour than the one the SYN was sent to, or went to another than the one the SYN came from.
 */
function otherMac(ctx: DiagnoseContext, h: Handshake): boolean {
  const cols = ctx.cols;
  if (h.synAck < 0) return false;
  const syn = h.attempts[h.attempts.length - 1], sa = h.synAck;
  if (pointOf(ctx, syn) !== pointOf(ctx, sa)) return false;
  // The outermost Ethernet header of a tunnelled packet (ERSPAN, VXLAN) is the tunnel's, from the
  // mirroring or encapsulating device: it says nothing of the connection's neighbours.
  if (tunnelBits(cols.encap[syn]) || tunnelBits(cols.encap[sa])) return false;
  const ids = [cols.ethSrc[syn], cols.ethDst[syn], cols.ethSrc[sa], cols.ethDst[sa]];
  if (!ids.every((x) => x && x !== 0xffff && unicast(cols.macs.text[x]))) return false;
  const [sSrc, sDst, aSrc, aDst] = ids;
  if (virtualMac(cols.macs.text[sDst]) || virtualMac(cols.macs.text[aDst])) return false;
  return aSrc !== sDst || aDst !== sSrc;
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

/** What differs between the three variants; the rest of the finding is assembled once, in `assemble`. */
interface VariantParts {
  variant: AsymmetricPathFinding['variant'];
  warn: boolean;
  /** The lead frames (rows), then one row per further handshake hit. */
  lead: number[];
  more: (h: Handshake) => number;
  /** The row of each handshake hit that ends the finding's time span. */
  last: (h: Handshake) => number;
  synInterface: string | null;
  synAckInterface: string | null;
  title: Msg['key'];
  summary: Msg['key'];
  story: Msg[];
  p: Record<string, string | number>;
}

function assemble(ctx: DiagnoseContext, c: ReturnType<typeof common>, list: Handshake[], hit: Handshake[], v: VariantParts): AsymmetricPathFinding {
  const { rep, d, params, streams } = c;
  const severity = v.warn && hit.length >= 3 && hit.length >= list.length * 0.9 ? 'warning' : 'info';
  const frames = v.lead.filter((r) => r >= 0).map(frameAt);
  for (const h of hit.slice(1)) if (frames.length < 60) frames.push(frameAt(v.more(h)));
  return {
    id: findingId('asymmetric-path', rep.m.index, d, rep.attempts[0] + 1), kind: 'asymmetric-path', severity, stream: rep.m.index, direction: d, frames,
    streams: streams.length > 1 ? streams : undefined, t0: ctx.at(rep.attempts[0]), t1: ctx.at(Math.max(...hit.map(v.last))),
    client: params.client as string, server: params.server as string, variant: v.variant, handshakes: hit.length, of: list.length,
    synInterface: v.synInterface, synAckInterface: v.synAckInterface,
    title: { key: v.title, params: v.p },
    summary: { key: v.summary, params: v.p },
    story: [...v.story, { key: 'asym.story.meaning', params: v.p }],
    remedy: severity === 'info' ? [] : [{ key: 'asym.remedy', params: v.p }],
  };
}

function unseenFinding(ctx: DiagnoseContext, list: Handshake[], hit: Handshake[]): AsymmetricPathFinding {
  const c = common(ctx, list, hit);
  const { rep, d, params } = c;
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
  return assemble(ctx, c, list, hit, {
    variant: 'synack-unseen', warn: !gaps, lead: [rep.attempts[0], ack, reply], more: (h) => h.attempts[0], last: (h) => h.attempts[0],
    synInterface: null, synAckInterface: null, title: 'asym.title.unseen', summary: 'asym.summary.unseen', story, p,
  });
}

function interfaceFinding(ctx: DiagnoseContext, list: Handshake[], hit: Handshake[]): AsymmetricPathFinding {
  const c = common(ctx, list, hit);
  const { rep, d, params } = c;
  const synIf = pointName(ctx, rep.attempts[0]), ackIf = pointName(ctx, rep.synAcks[0]);
  const reply = firstAfter(ctx, rep, 1 - d, rep.synAck, rep.synAck);
  const p = { ...params, synIf, ackIf, synAck: rep.synAcks[0] + 1, reply: reply + 1 };
  const story: Msg[] = [{ key: 'asym.story.iface', params: p }];
  if (reply >= 0) {
    const back = pointOf(ctx, reply) === pointOf(ctx, rep.attempts[0]);
    story.push({ key: back ? 'asym.story.iface.synAckOnly' : 'asym.story.iface.all', params: p });
  }
  return assemble(ctx, c, list, hit, {
    variant: 'interface', warn: true, lead: [rep.attempts[0], rep.synAcks[0], reply], more: (h) => h.synAcks[0], last: (h) => h.synAcks[0],
    synInterface: synIf, synAckInterface: ackIf, title: 'asym.title.iface', summary: 'asym.summary.iface', story, p,
  });
}

function macFinding(ctx: DiagnoseContext, list: Handshake[], hit: Handshake[]): AsymmetricPathFinding {
  const c = common(ctx, list, hit);
  const { rep, d, params } = c;
  const cols = ctx.cols;
  const syn = rep.attempts[rep.attempts.length - 1], sa = rep.synAck;
  // Which side of the SYN the other neighbour is on: the answer's source (a capture on the client's
  // side) or its destination (a capture on the server's side).
  const fromOther = cols.ethSrc[sa] !== cols.ethDst[syn];
  const synMac = cols.macs.text[fromOther ? cols.ethDst[syn] : cols.ethSrc[syn]];
  const ackMac = cols.macs.text[fromOther ? cols.ethSrc[sa] : cols.ethDst[sa]];
  const reply = firstAfter(ctx, rep, 1 - d, sa, sa);
  const replyMac = reply >= 0 ? cols.macs.text[fromOther ? cols.ethSrc[reply] : cols.ethDst[reply]] : '';
  const p = { ...params, syn: syn + 1, synAck: sa + 1, reply: reply + 1, synMac, ackMac, replyMac };
  const story: Msg[] = [{ key: fromOther ? 'asym.story.macFrom' : 'asym.story.macTo', params: p }];
  if (reply >= 0) story.push({ key: replyMac === synMac ? 'asym.story.mac.synAckOnly' : 'asym.story.mac.all', params: p });
  return assemble(ctx, c, list, hit, {
    variant: 'mac', warn: true, lead: [syn, sa, reply], more: (h) => h.synAck, last: (h) => h.synAck,
    synInterface: synMac, synAckInterface: ackMac,
    title: fromOther ? 'asym.title.macFrom' : 'asym.title.macTo', summary: fromOther ? 'asym.summary.macFrom' : 'asym.summary.macTo', story, p,
  });
}
