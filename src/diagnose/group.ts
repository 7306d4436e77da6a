/**
 * One pattern, one finding: findings of the same kind between the same hosts (a port scan's
 * thousands of unanswered SYNs, a server refusing every connection, a peer resetting all of them,
 * the same stall on every connection of a host pair) become one finding with counts and the list of
 * its streams. The most severe member stands for the group: its evidence and story are told, under a
 * summary of the whole group.
 */
import type { Ctx } from './context';
import type { StreamModel } from './streams';
import { endpoint, host, span } from './text';
import { SEVERITY_RANK, type Finding, type HandshakeFinding, type Msg, type MsgParams, type ResetFinding } from './types';

/** Members needed for a group: two alike may be chance, three are a pattern. */
const MIN_GROUP = 3;
/** Evidence frames a group keeps from its members besides the representative's. */
const MEMBER_FRAMES = 50;

type Key = (f: Finding, m: StreamModel) => string | null;

function senderOf(m: StreamModel, d: number): number {
  return d === 0 ? m.addrA : m.addrB;
}

/** Client and server address of a stream (A and B when no SYN was seen). */
function roles(m: StreamModel): [number, number, number] {
  return m.clientDir === 1 ? [m.addrB, m.addrA, m.portA] : [m.addrA, m.addrB, m.portB];
}

const KEYS: Partial<Record<string, Key[]>> = {
  // Per client and server host, then, for the rest, per server endpoint (many clients, one service).
  'handshake-failure': [
    (f, m) => { const [c, s] = roles(m); return `${(f as HandshakeFinding).reason === 'no-final-ack' ? 'n' : 'f'}:${c}>${s}`; },
    (f, m) => { const [, s, p] = roles(m); return `${(f as HandshakeFinding).reason === 'no-final-ack' ? 'n' : 'f'}:*>${s}:${p}`; },
  ],
  reset: [(f, m) => `${(f as ResetFinding).context}:${senderOf(m, f.direction ?? 0)}>${senderOf(m, 1 - (f.direction ?? 0))}`],
  'retransmission-timeout': [(f, m) => `${senderOf(m, f.direction ?? 0)}>${senderOf(m, 1 - (f.direction ?? 0))}`],
  'high-loss': [(f, m) => `${senderOf(m, f.direction ?? 0)}>${senderOf(m, 1 - (f.direction ?? 0))}`],
  'zero-window-stall': [(f, m) => `${senderOf(m, 1 - (f.direction ?? 0))}`],
  'oversized-df': [(f, m) => `${senderOf(m, f.direction ?? 0)}>${senderOf(m, 1 - (f.direction ?? 0))}`],
  'pmtu-blackhole': [(f, m) => `${senderOf(m, f.direction ?? 0)}>${senderOf(m, 1 - (f.direction ?? 0))}`],
};

/** Group findings of one pattern; the others pass unchanged. */
export function groupFindings(ctx: Ctx, findings: Finding[]): Finding[] {
  let rest = findings;
  const out: Finding[] = [];
  for (let level = 0; level < 2; level++) {
    const buckets = new Map<string, Finding[]>();
    const next: Finding[] = [];
    for (const f of rest) {
      const key: Key | undefined = KEYS[f.kind]?.[level];
      const m = ctx.streams[f.stream];
      const k = key && m ? key(f, m) : null;
      if (k === null) { next.push(f); continue; }
      const full = `${f.kind}|${k}`;
      const list = buckets.get(full);
      if (list) list.push(f); else buckets.set(full, [f]);
    }
    for (const list of buckets.values()) {
      if (new Set(list.map((f) => f.stream)).size >= MIN_GROUP) out.push(group(ctx, list, level));
      else next.push(...list);
    }
    rest = next;
  }
  return [...out, ...rest];
}

function group(ctx: Ctx, members: Finding[], level: number): Finding {
  members.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.t0 - b.t0 || a.stream - b.stream);
  const rep = members[0];
  const cols = ctx.cols;
  const streams = [...new Set(members.map((f) => f.stream))].sort((a, b) => a - b);
  let t0 = Infinity, t1 = -Infinity;
  for (const f of members) { t0 = Math.min(t0, f.t0); t1 = Math.max(t1, f.t1); }
  const frames = [...rep.frames];
  for (const f of members.slice(1)) if (frames.length < rep.frames.length + MEMBER_FRAMES && f.frames.length) frames.push(f.frames[0]);
  const m = ctx.streams[rep.stream];
  const d = rep.direction ?? 0;
  const src = host(cols, senderOf(m, d)), dst = host(cols, senderOf(m, 1 - d));
  const base: MsgParams = {
    count: streams.length, more: streams.length - 1, src, dst, duration: span(Math.max(0, t1 - t0)),
    streams: listOf(streams), first: rep.stream,
  };
  let summary: Msg = { key: 'group.summary', params: { ...base, summary: `@${rep.summary.key}`, ...nested('summary', rep.summary.params) } };
  let title: Msg = { key: 'group.title', params: { ...base, title: `@${rep.title.key}`, ...nested('title', rep.title.params) } };
  const lead: Msg[] = [{ key: 'group.story.members', params: base }];
  let severity = rep.severity;
  if (rep.kind === 'handshake-failure' && rep.reason !== 'no-final-ack') {
    const hs = members as HandshakeFinding[];
    const refused = hs.filter((f) => f.reason === 'refused').length;
    const unanswered = hs.length - refused;
    const ports = new Set<number>(), clients = new Set<number>();
    for (const f of hs) { const [c, , p] = roles(ctx.streams[f.stream]); ports.add(p); clients.add(c); }
    const [c0, s0, p0] = roles(m);
    const params: MsgParams = {
      ...base, client: host(cols, c0), server: host(cols, s0), service: endpoint(cols, s0, p0), ports: ports.size, clients: clients.size,
      refused, unanswered, portList: listOf([...ports].sort((a, b) => a - b)),
    };
    const which = refused === 0 ? 'unanswered' : unanswered === 0 ? 'refused' : 'mixed';
    const scan = ports.size >= 10;
    title = { key: level === 0 ? (scan ? 'hs.group.title.scan' : 'hs.group.title') : 'hs.group.title.service', params };
    summary = { key: `hs.group.summary.${level === 0 ? 'hosts' : 'service'}.${which}`, params };
    lead.length = 0;
    lead.push({ key: level === 0 ? 'hs.group.story.ports' : 'hs.group.story.clients', params });
    if (scan) lead.push({ key: 'hs.group.story.scan', params });
    // A sweep over many ports is what scanners do: worth a look, not a broken service.
    if (scan && SEVERITY_RANK[severity] > SEVERITY_RANK.warning) severity = 'warning';
  } else if (rep.kind === 'reset') {
    const params: MsgParams = { ...base, sender: `@role.${rep.by}`, senderHost: src, peerHost: dst };
    title = { key: `reset.group.title.${({ 'mid-stream': 'midStream', 'after-fin': 'afterFin', idle: 'idle', 'no-data': 'noData' } as const)[rep.context]}`, params };
    summary = { key: 'reset.group.summary', params };
  }
  return {
    ...rep,
    id: rep.id,
    severity,
    frames,
    t0,
    t1,
    title,
    summary,
    story: [
      ...lead,
      ...(summary.key === 'group.summary' ? [] : [{ key: 'group.story.first', params: { stream: rep.stream, summary: `@${rep.summary.key}`, ...nested('summary', rep.summary.params) } } as Msg]),
      ...rep.story,
    ],
    streams,
  } as Finding;
}

/** Parameters of a nested message, prefixed with its placeholder's name (see translate()). */
function nested(name: string, params: MsgParams | undefined): MsgParams {
  const out: MsgParams = {};
  for (const k in params ?? {}) out[`${name}.${k}`] = params![k];
  return out;
}

/** "0, 3-7, 12, …" for stream or port numbers (not frames: no "frame" word precedes them). */
function listOf(xs: number[], max = 12): string {
  const parts: string[] = [];
  for (let k = 0; k < xs.length; ) {
    let j = k;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    parts.push(j > k ? `${xs[k]}-${xs[j]}` : `${xs[k]}`);
    k = j + 1;
  }
  return parts.length > max ? `${parts.slice(0, max).join(', ')}, …` : parts.join(', ');
}

