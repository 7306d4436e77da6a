/**
 * SYNs dropped while other connections work: a client whose new connections to a service sometimes
 * get no SYN-ACK (sent again at the SYN timer's 1, 3, 7 s back-off and never answered, or answered
 * only after a retry) while its other new connections to the same service are answered at once and
 * its established connections carry on. That is the mark of trouble with new flows only: a NAT out
 * of ports or losing a race, a connection-tracking table full, a source port reused while the peer
 * may still hold it, a server's accept queue overflowing. One finding per client (run once on the
 * whole capture); the attempts it tells are not handshake-failure findings as well (reset.ts).
 */
import { TcpFlag } from '../decode/columns';
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { handshakes, serviceKey, type Handshake } from './handshakes';
import { pawsGroups } from './paws';
import { endpoint, findingId, host, listParams, pct, secondsParams, span } from './text';
import type { Msg, Severity, SynDroppedFinding } from './types';
import { frameAt, type Direction } from '../types';

/** A port an earlier connection closed this recently may still be held (TIME-WAIT, a conntrack entry's 120 s). */
const HELD_SECONDS = 120;
/** Seconds after a SYN by which its answer was due: the soonest a stack sends it again. */
const ANSWER_DUE = 1;
/** A client failing towards this many hosts is scanning or blocked wholesale: not this pattern. */
const MAX_HOSTS = 4;

/**
 * Kind 'syn-dropped'; messages `syn.*`. One finding per client host.
 */
export const synDroppedDetector: Detector<SynDroppedFinding> = {
  kinds: ['syn-dropped'],
  messages: ['syn.'],
  walk: 'capture',
  find: (ctx) => synDroppedGroups(ctx).map((g) => finding(ctx, g)),
};

interface SynGroup {
  client: number;
  failed: Handshake[];
  delayed: Handshake[];
  /** SYNs answered by an ACK of an older connection of the same ports (TIME-WAIT), reset by the client. */
  stale: Handshake[];
  /** The client's handshakes to the services it had failed or delayed connections to. */
  affected: Map<string, Handshake[]>;
  /** Services the client reached, every new connection answered at once. */
  unaffected: Map<string, Handshake[]>;
}

const cache = new WeakMap<DiagnoseContext, SynGroup[]>();

/** The streams whose failed handshake another finding tells (paws-drop, syn-dropped: failed, or met a stale ACK): reset.ts skips them. */
export function claimedHandshakes(ctx: DiagnoseContext): Set<number> {
  const out = new Set<number>();
  for (const g of pawsGroups(ctx)) for (const b of g.dropped) out.add(b.h.m.index);
  for (const g of synDroppedGroups(ctx)) for (const h of [...g.failed, ...g.stale]) out.add(h.m.index);
  return out;
}

export function synDroppedGroups(ctx: DiagnoseContext): SynGroup[] {
  let out = cache.get(ctx);
  if (out) return out;
  out = [];
  cache.set(ctx, out);
  const paws = new Set<number>();
  for (const g of pawsGroups(ctx)) for (const b of g.dropped) paws.add(b.h.m.index);
  const all = handshakes(ctx);
  // Services that answered a new connection in the capture: they are up, the path to them works.
  const up = new Set<string>();
  for (const h of all) if (h.fate === 'answered' || h.fate === 'delayed' || h.fate === 'synack-unseen') up.add(serviceKey(h));
  const byClient = new Map<number, Handshake[]>();
  for (const h of all) {
    const list = byClient.get(h.client);
    if (list) list.push(h); else byClient.set(h.client, [h]);
  }
  for (const [client, list] of byClient) {
    // Failed: each retry proves the SYN before it unanswered; the last one's answer was due a second
    // later at the soonest, so two attempts need the capture to have watched that long after the last.
    const failed = list.filter((h) => h.fate === 'failed' && h.stackRetries && !paws.has(h.m.index) && up.has(serviceKey(h))
      && watched(ctx, h));
    const delayed = list.filter((h) => h.fate === 'delayed' && h.stackRetries);
    const stale = list.filter((h) => h.fate === 'stale-ack');
    if (!failed.length && delayed.length + stale.length < 2) continue;
    if (new Set([...failed, ...delayed, ...stale].map((h) => h.server)).size > MAX_HOSTS) continue;
    const hit = new Set([...failed, ...delayed, ...stale].map(serviceKey));
    const affected = new Map<string, Handshake[]>(), unaffected = new Map<string, Handshake[]>();
    for (const h of list) {
      const k = serviceKey(h);
      const map = hit.has(k) ? affected : unaffected;
      const l = map.get(k);
      if (l) l.push(h); else map.set(k, [h]);
    }
    for (const [k, l] of [...unaffected]) if (!l.every((h) => h.fate === 'answered')) unaffected.delete(k);
    // Intermittent: the affected services answered some of this client's new connections at once
    // (else the service was unreachable for it: a handshake failure, not this pattern).
    let answeredAtOnce = 0;
    for (const l of affected.values()) for (const h of l) if (h.fate === 'answered') answeredAtOnce++;
    if (!answeredAtOnce && !delayed.length && !stale.length) continue;
    out.push({ client, failed, delayed, stale, affected, unaffected });
  }
  return out;
}

/** Three attempts or more (two proven timeouts), or two with the capture going on past the last one's answer. */
function watched(ctx: DiagnoseContext, h: Handshake): boolean {
  return h.attempts.length >= 3 || ctx.coveredAfter(h.attempts[h.attempts.length - 1]) >= ANSWER_DUE;
}

function finding(ctx: DiagnoseContext, g: SynGroup): SynDroppedFinding {
  const cols = ctx.cols;
  const lead = g.failed.length ? g.failed : g.delayed.length ? g.delayed : g.stale;
  const rep = [...lead].sort((a, b) => b.attempts.length - a.attempts.length || a.attempts[0] - b.attempts[0])[0];
  const m = rep.m, d = m.clientDir as Direction;
  const a0 = rep.attempts[0];
  const members = [...g.failed, ...g.delayed, ...g.stale].sort((a, b) => a.attempts[0] - b.attempts[0]);
  let total = 0;
  for (const l of g.affected.values()) total += l.length;
  const hitCount = g.failed.length + g.delayed.length + g.stale.length;
  const svc = (l: Handshake[]): string => {
    const f = l.filter((h) => g.failed.includes(h) || g.delayed.includes(h) || g.stale.includes(h)).length;
    return `${endpoint(cols, l[0].server, l[0].sport)} (${f}/${l.length})`;
  };
  const affectedList = [...g.affected.values()].map(svc);
  // The summary names the services alone (with one, its count would repeat the sentence's); the story gives the counts.
  const affectedNames = [...g.affected.values()].map((l) => endpoint(cols, l[0].server, l[0].sport));
  const unaffectedList = [...g.unaffected].map(([, l]) => `${endpoint(cols, l[0].server, l[0].sport)} (0/${l.length})`);
  const tFirst = members[0].attempts[0];
  const tLast = Math.max(...members.map((h) => h.attempts[h.attempts.length - 1]));
  const carried = carriedOn(ctx, g.client, tFirst, tLast);
  const reused = reusedPorts(ctx, members);
  // Delay of the late answers: from the first SYN to the SYN-ACK.
  const delays = g.delayed.map((h) => ctx.span(h.attempts[0], h.synAck)).sort((a, b) => a - b);
  const lost = g.delayed.reduce((n, h) => n + h.attempts.filter((r) => r < h.synAck).length - 1, 0);
  const params = {
    client: host(cols, g.client), total, failed: g.failed.length, delayed: g.delayed.length, share: pct(hitCount / Math.max(1, total)),
    services: g.affected.size, ...listParams('affected', affectedList, 6), ...listParams('affectedNames', affectedNames, 6), ...listParams('unaffected', unaffectedList, 6),
    stream: m.index, attempts: rep.attempts.length, ...listParams('frames', rep.attempts.map((r) => r + 1)),
    ...secondsParams('retries', rep.attempts.slice(1).map((r) => ctx.span(a0, r))),
    ...listParams('failedStreams', g.failed.map((h) => h.m.index)), ...listParams('delayedStreams', g.delayed.map((h) => h.m.index)),
    stale: g.stale.length, ...listParams('staleStreams', g.stale.map((h) => h.m.index)),
    lost, delay: span(delays[delays.length >> 1] ?? 0),
    carried: carried.length, ...listParams('carriedStreams', carried),
    reused: reused.streams.length, ...listParams('reusedStreams', reused.streams), ago: span(reused.ago),
    server: endpoint(cols, rep.server, rep.sport),
  };
  const story: Msg[] = [];
  if (g.failed.length) story.push({ key: 'syn.story.failed', params });
  if (g.delayed.length) story.push({ key: 'syn.story.delayed', params });
  if (g.stale.length) story.push({ key: 'syn.story.stale', params });
  story.push({ key: 'syn.story.affected', params });
  if (unaffectedList.length) story.push({ key: 'syn.story.unaffected', params });
  // Client and server on one host (loopback, or one address): no network between them, the server's
  // own stack dropped the SYNs, as it does when the listen queue is full.
  const local = g.client === rep.server || isLoopback(host(cols, g.client));
  if (carried.length) story.push({ key: local ? 'syn.story.carriedOn.local' : 'syn.story.carriedOn', params });
  if (reused.streams.length) story.push({ key: 'syn.story.reused', params });
  story.push({ key: local ? 'syn.story.local' : 'syn.story.where', params });
  const slow = g.delayed.length + g.stale.length;
  const severity: Severity = g.failed.length >= 3 ? 'error' : g.failed.length ? 'warning'
    : slow >= 3 && slow / Math.max(1, total) >= 0.1 ? 'warning' : 'info';
  const frames = [...rep.attempts.map(frameAt)];
  for (const h of members) if (h !== rep && frames.length < 60) frames.push(frameAt(h.attempts[0]));
  for (const r of reused.frames) if (frames.length < 70) frames.push(frameAt(r));
  const streams = [...new Set(members.map((h) => h.m.index))].sort((a, b) => a - b);
  return {
    id: findingId('syn-dropped', m.index, d, a0 + 1), kind: 'syn-dropped', severity, stream: m.index, direction: d, frames,
    streams: streams.length > 1 ? streams : undefined,
    t0: ctx.at(tFirst), t1: ctx.at(tLast),
    client: host(cols, g.client), services: affectedList, unaffected: unaffectedList, connections: total,
    failed: g.failed.length, delayed: g.delayed.length, staleAck: g.stale.length, unansweredSyns: g.failed.reduce((n, h) => n + h.attempts.length, 0) + lost,
    share: hitCount / Math.max(1, total),
    retryAfter: rep.attempts.slice(1).map((r) => Math.round(ctx.span(a0, r) * 1000) / 1000),
    carriedOn: carried.length, reusedPorts: reused.streams.length,
    title: { key: g.failed.length ? 'syn.title' : g.delayed.length ? 'syn.title.delayed' : 'syn.title.stale', params },
    summary: { key: g.failed.length ? 'syn.summary' : g.delayed.length ? 'syn.summary.delayed' : 'syn.summary.stale', params },
    story,
    remedy: severity === 'info' ? [] : [{ key: local ? 'syn.remedy.local' : 'syn.remedy', params }],
  };
}

/**
 * The client's connections established before the first failed SYN that carried data (either way)
 * between the first and the last failed SYN: the path worked for them.
 */
function carriedOn(ctx: DiagnoseContext, client: number, from: number, to: number): number[] {
  const cols = ctx.cols, out: number[] = [];
  for (const m of ctx.streams) {
    if (!m.rows.length || (m.addrA !== client && m.addrB !== client)) continue;
    if (m.rows[0] >= from || m.rows[m.rows.length - 1] <= from) continue;
    let lo = 0, hi = m.rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (m.rows[mid] < from) lo = mid + 1; else hi = mid; }
    for (let p = lo; p < m.rows.length && m.rows[p] <= to; p++) {
      if (!m.copy[p] && cols.tcpLen[m.rows[p]] > 0) { out.push(m.index); break; }
    }
  }
  return out;
}

/**
 * Members whose SYN reused the four-tuple of an earlier connection that ended (FIN, or nothing) less
 * than HELD_SECONDS before, without a RST: the server, or a NAT between, may still hold that one.
 */
function reusedPorts(ctx: DiagnoseContext, members: Handshake[]): { streams: number[]; frames: number[]; ago: number } {
  const cols = ctx.cols;
  const want = new Map<string, Handshake[]>();
  const key = (a: number, pa: number, b: number, pb: number): string => (a < b || (a === b && pa <= pb) ? `${a}:${pa}-${b}:${pb}` : `${b}:${pb}-${a}:${pa}`);
  for (const h of members) {
    const k = key(h.client, h.cport, h.server, h.sport);
    const l = want.get(k);
    if (l) l.push(h); else want.set(k, [h]);
  }
  const streams: number[] = [], frames: number[] = [];
  let ago = Infinity;
  for (const m of ctx.streams) {
    if (!m.rows.length) continue;
    const l = want.get(key(m.addrA, m.portA, m.addrB, m.portB));
    if (!l) continue;
    for (const h of l) {
      if (m.index >= h.m.index) continue;
      let last = -1, rst = false;
      for (let p = 0; p < m.rows.length; p++) { if (m.copy[p]) continue; last = m.rows[p]; if (cols.tcpFlags[last] & TcpFlag.Rst) rst = true; }
      const gap = last >= 0 ? ctx.span(last, h.attempts[0]) : Infinity;
      if (rst || gap < 0 || gap > HELD_SECONDS) continue;
      if (!streams.includes(h.m.index)) { streams.push(h.m.index); frames.push(h.attempts[0], last); ago = Math.min(ago, gap); }
    }
  }
  return { streams, frames, ago: Number.isFinite(ago) ? ago : 0 };
}

function isLoopback(text: string): boolean {
  return text === '::1' || text.startsWith('127.');
}
