/**
 * One pattern, one finding: findings of the same kind between the same hosts (a port scan's
 * thousands of unanswered SYNs, a server refusing every connection, a peer resetting all of them,
 * the same stall on every connection of a host pair) become one finding with counts and the list of
 * its streams. The most severe member stands for the group: its evidence and story are told, under a
 * summary of the whole group.
 */
import type { DiagnoseContext } from './context';
import { detectorOf } from './detectors';
import { isAttempt, roles, senderOf } from './groupKeys';
import type { StreamModel } from './streams';
import { endpoint, host, listParams, span } from './text';
import { SEVERITY_RANK, type Finding, type HandshakeFinding, type Msg, type MsgParams } from './types';

/** Members needed for a group: two alike may be chance, three are a pattern. */
const MIN_GROUP = 3;
/** Evidence frames a group keeps from its members besides the representative's. */
const MEMBER_FRAMES = 50;
/** A client whose failed connection attempts reach this many hosts, or ports, is scanning. */
const SCAN_HOSTS = 5;
const SCAN_PORTS = 10;
/** A sweep this quick reads as a scan; spread over hours it is a client retrying now and then. */
const SCAN_SECONDS = 60;

type Level = 'scanner' | 'hosts' | 'service';

/** Clients whose failed attempts reach many hosts or ports: scanners. */
function scanners(ctx: DiagnoseContext, findings: Finding[]): Set<number> {
  const seen = new Map<number, { hosts: Set<number>; ports: Set<number> }>();
  for (const f of findings) {
    if (!isAttempt(f)) continue;
    const [c, s, p] = roles(ctx.streams[f.stream]);
    const e = seen.get(c) ?? { hosts: new Set<number>(), ports: new Set<number>() };
    e.hosts.add(s); e.ports.add(p);
    seen.set(c, e);
  }
  const out = new Set<number>();
  for (const [c, e] of seen) if (e.hosts.size >= SCAN_HOSTS || e.ports.size >= SCAN_PORTS) out.add(c);
  return out;
}

/** Group findings of one pattern; the others pass unchanged. */
export function groupFindings(ctx: DiagnoseContext, findings: Finding[]): Finding[] {
  const scanning = scanners(ctx, findings);
  const keys: Record<Level, (f: Finding, m: StreamModel) => string | null> = {
    // Everything a scanning client failed at, whatever the server.
    scanner: (f, m) => (isAttempt(f) && scanning.has(roles(m)[0]) ? `${roles(m)[0]}` : null),
    // The key the finding's detector gives (detectors.ts).
    hosts: (f, m) => detectorOf(f.kind)?.groupKey?.(f, m) ?? null,
    // Many clients, one service.
    service: (f, m) => { if (f.kind !== 'handshake-failure') return null; const [, s, p] = roles(m); return `${isAttempt(f) ? 'f' : 'n'}:*>${s}:${p}`; },
  };
  let rest = findings;
  const out: Finding[] = [];
  for (const level of ['scanner', 'hosts', 'service'] as const) {
    const buckets = new Map<string, Finding[]>();
    const next: Finding[] = [];
    for (const f of rest) {
      const m = ctx.streams[f.stream];
      const k = m ? keys[level](f, m) : null;
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

/** When the members' events happened: a SYN's time for attempts, the RST's for resets, else the start of its window */
function when(f: Finding): number {
  return f.kind === 'reset' ? f.t1 : f.t0;
}

function group(ctx: DiagnoseContext, members: Finding[], level: Level): Finding {
  members.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.t0 - b.t0 || a.stream - b.stream);
  const rep = members[0];
  const cols = ctx.cols;
  const streams = [...new Set(members.map((f) => f.stream))].sort((a, b) => a - b);
  let t0 = Infinity, t1 = -Infinity, first = Infinity, last = -Infinity;
  for (const f of members) { t0 = Math.min(t0, f.t0); t1 = Math.max(t1, f.t1); first = Math.min(first, when(f)); last = Math.max(last, when(f)); }
  const frames = [...rep.frames];
  for (const f of members.slice(1)) if (frames.length < rep.frames.length + MEMBER_FRAMES && f.frames.length) frames.push(f.frames[0]);
  const m = ctx.streams[rep.stream];
  const d = rep.direction ?? 0;
  const src = host(cols, senderOf(m, d)), dst = host(cols, senderOf(m, 1 - d));
  const duration = Math.max(0, last - first);
  const base: MsgParams = {
    count: streams.length, more: streams.length - 1, src, dst, duration: span(duration), ...listParams('streams', streams, 12), stream: rep.stream,
  };
  let summary: Msg = { key: 'group.summary', params: { ...base, summary: `@${rep.summary.key}`, ...nested('summary', rep.summary.params) } };
  let title: Msg = { key: 'group.title', params: { ...base, title: `@${rep.title.key}`, ...nested('title', rep.title.params) } };
  const lead: Msg[] = [{ key: 'group.story.members', params: base }];
  let severity = rep.severity;
  if (isAttempt(rep)) {
    const hs = members as HandshakeFinding[];
    const refused = hs.filter((f) => f.reason === 'refused').length;
    const unanswered = hs.length - refused;
    const ports = new Set<number>(), clients = new Set<number>(), servers = new Set<number>();
    for (const f of hs) { const [c, s, p] = roles(ctx.streams[f.stream]); ports.add(p); clients.add(c); servers.add(s); }
    const [c0, s0, p0] = roles(m);
    const params: MsgParams = {
      ...base, client: host(cols, c0), server: host(cols, s0), service: endpoint(cols, s0, p0), ports: ports.size, clients: clients.size,
      hosts: servers.size, refused, unanswered, ...listParams('portList', [...ports], 12),
    };
    const which = refused === 0 ? 'unanswered' : unanswered === 0 ? 'refused' : 'mixed';
    const seen = SEVERITY_RANK[severity] <= SEVERITY_RANK.info;
    lead.length = 0;
    if (level === 'scanner') {
      title = { key: 'hs.group.title.scan', params };
      summary = { key: `hs.group.summary.scan.${which}`, params };
      lead.push({ key: 'hs.group.story.ports', params });
      if (duration <= SCAN_SECONDS) lead.push({ key: 'hs.group.story.scan', params });
      // What a scan shows about the network: little when most probes were answered (closed ports
      // say so); silence from most of them may be a firewall dropping, worth a look.
      severity = unanswered * 2 >= hs.length && !seen ? 'warning' : 'info';
    } else {
      title = { key: seen ? 'hs.group.title.seen' : level === 'hosts' ? 'hs.group.title' : 'hs.group.title.service', params };
      summary = { key: `hs.group.summary.${level === 'hosts' ? 'hosts' : 'service'}.${which}`, params };
      lead.push({ key: level === 'hosts' ? 'hs.group.story.ports' : 'hs.group.story.clients', params });
    }
  } else if (rep.kind === 'reset') {
    const params: MsgParams = { ...base, sender: `@role.${rep.by}`, senderHost: src, peerHost: dst };
    title = { key: `reset.group.title.${({ 'mid-stream': 'midStream', 'after-exchange': 'afterExchange', 'after-fin': 'afterFin', idle: 'idle', 'no-data': 'noData' } as const)[rep.context]}`, params };
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
