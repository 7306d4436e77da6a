/**
 * Resets and failed handshakes, per stream: who sent the RST and after what (refused connection,
 * abort in the middle of a transfer, RST after FIN, RST after a long silence), and handshakes that
 * were never answered.
 */
import { TcpFlag } from '../decode/columns';
import type { Ctx } from './context';
import type { StreamModel } from './streams';
import { groupThousands } from '../capture/messages';
import { endpoint, findingId, frameList, secs, span } from './text';
import type { Finding, HandshakeFinding, Msg, ResetFinding } from './types';

const IDLE_SECONDS = 30;

export function findResets(ctx: Ctx): Finding[] {
  const out: Finding[] = [];
  for (const m of ctx.active) {
    const f = resetOf(ctx, m) ?? unanswered(ctx, m);
    if (f) out.push(f);
  }
  return out;
}

/** Role names: client/server when the SYN was seen, else A/B. */
function role(m: StreamModel, d: number): 'client' | 'server' | 'A' | 'B' {
  if (m.clientDir < 0) return d === 0 ? 'A' : 'B';
  return d === m.clientDir ? 'client' : 'server';
}

function resetOf(ctx: Ctx, m: StreamModel): Finding | null {
  const cols = ctx.cols;
  let rstP = -1;
  let synAck = false;
  const fin = [-1, -1];
  const bytes: [number, number] = [0, 0];
  let lastBefore = -1;
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i];
    if (f & TcpFlag.Rst) { rstP = p; break; }
    if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) synAck = true;
    if (f & TcpFlag.Fin && fin[m.dir[p]] < 0) fin[m.dir[p]] = i;
    bytes[m.dir[p]] += cols.tcpLen[i];
    lastBefore = i;
  }
  if (rstP < 0) return null;
  const row = m.rows[rstP], d = m.dir[rstP] as 0 | 1;
  const by = role(m, d);
  const sender = endpoint(cols, d === 0 ? m.addrA : m.addrB, d === 0 ? m.portA : m.portB);
  const peer = endpoint(cols, d === 0 ? m.addrB : m.addrA, d === 0 ? m.portB : m.portA);
  const base = { stream: m.index, t0: ctx.at(m.rows[0]), t1: ctx.at(row) };

  if (!synAck && m.clientDir >= 0 && d !== m.clientDir && bytes[0] + bytes[1] === 0) {
    const syns = synRows(ctx, m);
    const lastSyn = syns.length ? syns[syns.length - 1] : m.rows[0];
    const storyParams = {
      client: peer, server: sender, syn: frameList(syns.map((r) => r + 1)), frame: row + 1, attempts: syns.length,
      delay: (ctx.span(lastSyn, row) * 1000).toFixed(1), ttl: cols.ipTtl[row],
    };
    const story: Msg[] = [{ key: 'hs.refused.story', params: storyParams }];
    const others = refusedBy(ctx, m);
    if (others.length > 1) story.push({ key: 'hs.refused.others', params: { server: sender, count: others.length, streams: frameList(others) } });
    const f: HandshakeFinding = {
      ...base, id: findingId('handshake-failure', m.index, m.clientDir, row + 1), kind: 'handshake-failure', severity: 'error',
      direction: m.clientDir as 0 | 1, frames: [row + 1, ...syns.map((r) => r + 1)], reason: 'refused', attempts: syns.length,
      title: { key: 'hs.refused.title', params: { server: sender } },
      summary: { key: 'hs.refused.summary', params: { server: sender, frame: row + 1, syn: frameList(syns.map((r) => r + 1)) } },
      story,
      remedy: [{ key: 'hs.refused.remedy', params: { server: sender } }],
    };
    return f;
  }

  const story: Msg[] = [];
  let context: ResetFinding['context'];
  const gap = lastBefore >= 0 ? ctx.span(lastBefore, row) : 0;
  const roleParams = { by: `@role.${by}`, sender, peer, frame: row + 1, a: groupThousands(bytes[d]), b: groupThousands(bytes[1 - d]) };
  if (fin[0] >= 0 || fin[1] >= 0) {
    context = 'after-fin';
    const who = fin[d] >= 0 && (fin[1 - d] < 0 || fin[d] < fin[1 - d]) ? d : 1 - d;
    story.push({ key: who === d ? 'reset.story.afterOwnFin' : 'reset.story.afterPeerFin', params: { ...roleParams, fin: (fin[who] as number) + 1 } });
  } else if (gap >= IDLE_SECONDS) {
    context = 'idle';
    story.push({ key: 'reset.story.idle', params: { ...roleParams, idle: secs(gap) } });
  } else {
    context = 'mid-stream';
    story.push({ key: 'reset.story.midStream', params: { ...roleParams, gap: span(gap), prev: lastBefore + 1 } });
    const inFlight = unacked(ctx, m, (1 - d) as 0 | 1);
    if (inFlight > 0) story.push({ key: 'reset.story.peerSending', params: { ...roleParams, inFlight } });
    else if (bytes[1 - d] > 0 && lastDataDir(ctx, m, rstP) === 1 - d) story.push({ key: 'reset.story.unreadLikely', params: roleParams });
  }
  const ttl = ttlHint(ctx, m, rstP);
  if (ttl) story.push({ key: 'reset.story.ttl', params: { ...roleParams, ttl: ttl[0], usual: ttl[1] } });
  story.push({ key: 'reset.story.causes' });
  const severity = context === 'after-fin' ? 'info' : 'warning';
  return {
    ...base, id: findingId('reset', m.index, d, row + 1), kind: 'reset', severity, direction: d, frames: [row + 1],
    context, by, bytes: [bytes[0], bytes[1]],
    title: { key: `reset.title.${context === 'mid-stream' ? 'midStream' : context === 'after-fin' ? 'afterFin' : 'idle'}`, params: roleParams },
    summary: { key: 'reset.summary', params: roleParams },
    story,
    remedy: context === 'after-fin' ? [] : [{ key: 'reset.remedy' }],
  };
}

/**
 * Streams (indices) whose handshake the same server port answered with a bare RST, this one
 * included: one refusal can be a race, many are a closed port.
 */
function refusedBy(ctx: Ctx, m: StreamModel): number[] {
  let byServer = refusals.get(ctx);
  if (!byServer) {
    // Once per diagnosis, over every stream (a port scan is thousands of refusals).
    byServer = new Map();
    for (const o of ctx.streams) {
      if (o.clientDir < 0 || !isRefusal(ctx, o)) continue;
      const key = serverKey(o);
      const list = byServer.get(key);
      if (list) list.push(o.index);
      else byServer.set(key, [o.index]);
    }
    refusals.set(ctx, byServer);
  }
  return byServer.get(serverKey(m)) ?? [];
}

const refusals = new WeakMap<Ctx, Map<number, number[]>>();

/** Server address and port of a stream whose client is known, as one number. */
function serverKey(o: StreamModel): number {
  return o.clientDir === 0 ? o.addrB * 65536 + o.portB : o.addrA * 65536 + o.portA;
}

/** The server's first packet is a RST, and no data flowed. */
function isRefusal(ctx: Ctx, o: StreamModel): boolean {
  const cols = ctx.cols;
  for (let p = 0; p < o.rows.length; p++) {
    if (o.copy[p]) continue;
    const i = o.rows[p];
    if (cols.tcpLen[i] > 0) return false;
    if (o.dir[p] !== o.clientDir) return (cols.tcpFlags[i] & TcpFlag.Rst) !== 0 && (cols.tcpFlags[i] & TcpFlag.Syn) === 0;
  }
  return false;
}

function synRows(ctx: Ctx, m: StreamModel): number[] {
  const out: number[] = [];
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (!m.copy[p] && (ctx.cols.tcpFlags[i] & (TcpFlag.Syn | TcpFlag.Ack)) === TcpFlag.Syn) out.push(i);
  }
  return out;
}

function unacked(ctx: Ctx, m: StreamModel, d: 0 | 1): number {
  const dd = ctx.delivery(m, d);
  return Math.max(0, dd.maxEnd - Math.max(dd.cumAck, 1));
}

function lastDataDir(ctx: Ctx, m: StreamModel, before: number): number {
  for (let p = before - 1; p >= 0; p--) if (!m.copy[p] && ctx.cols.tcpLen[m.rows[p]] > 0) return m.dir[p];
  return -1;
}

/** A RST whose TTL differs from every other packet of its sender may come from a middlebox. */
function ttlHint(ctx: Ctx, m: StreamModel, rstP: number): [number, number] | null {
  const cols = ctx.cols, d = m.dir[rstP], ttl = cols.ipTtl[m.rows[rstP]];
  if (cols.ipVersion[m.rows[rstP]] !== 4 && cols.ipVersion[m.rows[rstP]] !== 6) return null;
  let usual = -1;
  for (let p = 0; p < m.rows.length; p++) {
    if (p === rstP || m.dir[p] !== d || m.copy[p]) continue;
    const t = cols.ipTtl[m.rows[p]];
    if (t === ttl) return null;
    usual = t;
  }
  return usual >= 0 && Math.abs(usual - ttl) > 1 ? [ttl, usual] : null;
}

function unanswered(ctx: Ctx, m: StreamModel): HandshakeFinding | null {
  if (m.clientDir < 0) return null;
  const cols = ctx.cols;
  let answered = false, synAckRows: number[] = [], clientAck = false;
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i];
    if (m.dir[p] !== m.clientDir) { answered = true; if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) synAckRows.push(i); }
    else if (!(f & TcpFlag.Syn)) clientAck = true;
  }
  const syns = synRows(ctx, m);
  const endOfCapture = cols.length - 1;
  const waited = syns.length ? ctx.span(syns[0], endOfCapture) : 0;
  const client = endpoint(cols, m.clientDir === 0 ? m.addrA : m.addrB, m.clientDir === 0 ? m.portA : m.portB);
  const server = endpoint(cols, m.clientDir === 0 ? m.addrB : m.addrA, m.clientDir === 0 ? m.portB : m.portA);
  const d = m.clientDir as 0 | 1;
  if (!answered && syns.length && (syns.length >= 2 || waited >= 1)) {
    const intervals = syns.slice(1).map((r, k) => secs(ctx.span(syns[k], r))).join(', ');
    return {
      id: findingId('handshake-failure', m.index, d, syns[0] + 1), kind: 'handshake-failure', severity: 'error',
      stream: m.index, direction: d, frames: syns.map((r) => r + 1), t0: ctx.at(syns[0]), t1: ctx.at(syns[syns.length - 1]),
      reason: 'unanswered', attempts: syns.length,
      title: { key: 'hs.unanswered.title', params: { server } },
      summary: { key: 'hs.unanswered.summary', params: { client, server, attempts: syns.length, waited: secs(waited) } },
      story: [{ key: 'hs.unanswered.story', params: { client, server, frames: frameList(syns.map((r) => r + 1)), intervals: intervals || '-' } }],
      remedy: [{ key: 'hs.unanswered.remedy', params: { server } }],
    };
  }
  if (synAckRows.length >= 2 && !clientAck) {
    synAckRows = synAckRows.slice(0, 12);
    return {
      id: findingId('handshake-failure', m.index, (1 - d) as 0 | 1, synAckRows[0] + 1), kind: 'handshake-failure', severity: 'warning',
      stream: m.index, direction: (1 - d) as 0 | 1, frames: synAckRows.map((r) => r + 1), t0: ctx.at(synAckRows[0]), t1: ctx.at(synAckRows[synAckRows.length - 1]),
      reason: 'no-final-ack', attempts: synAckRows.length,
      title: { key: 'hs.noAck.title', params: { client } },
      summary: { key: 'hs.noAck.summary', params: { client, server, count: synAckRows.length } },
      story: [{ key: 'hs.noAck.story', params: { client, server, frames: frameList(synAckRows.map((r) => r + 1)) } }],
      remedy: [{ key: 'hs.noAck.remedy' }],
    };
  }
  return null;
}
