/**
 * Resets and failed handshakes, per stream: who sent the RST and after what (refused connection,
 * abort in the middle of a transfer, RST after FIN, RST after a long silence), and handshakes that
 * were never answered.
 */
import { TcpFlag } from '../decode/columns';
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { isAttempt, pair, roles } from './groupKeys';
import type { StreamModel } from './streams';
import { claimedHandshakes } from './synDropped';
import { groupThousands } from '../capture/messages';
import { endpoint, findingId, listParams, secondsParams, span } from './text';
import type { HandshakeFinding, Msg, ResetFinding } from './types';
import { frameAt, type Direction } from '../types';

const IDLE_SECONDS = 30;
/** SYNs closer than this are one SYN seen twice, not a retry (no stack retries a SYN this fast). */
const COPY_SECONDS = 0.1;
/** The first SYN retransmission timeout of Linux (RFC 6298): an answer is due before it. */
const SYN_RTO = 1;

/**
 * Kinds 'reset' and 'handshake-failure'; messages `reset.*` and `hs.*` (group.ts tells scans and
 * refusing services with `hs.group.*`). Resets grouped by what they cut off and who sent them to
 * whom; handshakes by client and server.
 */
export const resetDetector: Detector<ResetFinding | HandshakeFinding> = {
  kinds: ['reset', 'handshake-failure'],
  messages: ['reset.', 'hs.'],
  walk: 'streams',
  find: (ctx) => findResets(ctx),
  groupKey: (f, m) => {
    if (f.kind === 'reset') return `${f.context}:${pair(f, m)}`;
    const [c, s] = roles(m);
    return `${isAttempt(f) ? 'f' : 'n'}:${c}>${s}`;
  },
};

export function findResets(ctx: DiagnoseContext): (ResetFinding | HandshakeFinding)[] {
  const out: (ResetFinding | HandshakeFinding)[] = [];
  // Handshakes a pattern over several connections tells (syn-dropped, paws-drop): their unanswered
  // SYNs, and the client's RST of a stale ACK, are told there.
  const claimed = claimedHandshakes(ctx);
  for (const m of ctx.active) {
    const f = claimed.has(m.index) ? null : resetOf(ctx, m) ?? unanswered(ctx, m);
    if (f) out.push(f);
  }
  return out;
}

/** Role names: client/server when the SYN was seen, else A/B. */
function role(m: StreamModel, d: number): 'client' | 'server' | 'A' | 'B' {
  if (m.clientDir < 0) return d === 0 ? 'A' : 'B';
  return d === m.clientDir ? 'client' : 'server';
}

function resetOf(ctx: DiagnoseContext, m: StreamModel): ResetFinding | HandshakeFinding | null {
  const cols = ctx.cols;
  // The RST that ended the connection. One after which the connection went on (a SYN/ACK, or data)
  // was not taken by the endpoint: forged, or stale; it is told, and the next one looked for.
  let rstP = -1;
  const ignored: number[] = [];
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p] || !(cols.tcpFlags[m.rows[p]] & TcpFlag.Rst)) continue;
    if (wentOn(ctx, m, p)) { ignored.push(m.rows[p]); continue; }
    rstP = p;
    break;
  }
  if (rstP < 0) return null;
  let synAck = false;
  const fin = [-1, -1];
  const bytes: [number, number] = [0, 0];
  let lastBefore = -1;
  for (let p = 0; p < rstP; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i];
    if (f & TcpFlag.Rst) continue;
    if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) synAck = true;
    if (f & TcpFlag.Fin && fin[m.dir[p]] < 0) fin[m.dir[p]] = i;
    bytes[m.dir[p]] += cols.tcpLen[i];
    lastBefore = i;
  }
  const row = m.rows[rstP], d = m.dir[rstP] as Direction;
  const by = role(m, d);
  const sender = endpoint(cols, d === 0 ? m.addrA : m.addrB, d === 0 ? m.portA : m.portB);
  const peer = endpoint(cols, d === 0 ? m.addrB : m.addrA, d === 0 ? m.portB : m.portA);
  const base = { stream: m.index, t0: ctx.at(m.rows[0]), t1: ctx.at(row) };
  const ignoredStory: Msg[] = ignored.length
    ? [{ key: 'reset.story.ignored', params: { count: ignored.length, ...listParams('ignored', ignored.map((r) => r + 1)) } }]
    : [];

  if (!synAck && m.clientDir >= 0 && d !== m.clientDir && bytes[0] + bytes[1] === 0) return refusal(ctx, m, row, ignoredStory, ignored);
  // No byte exchanged: a client resetting right after the handshake is a half-open scan or a health
  // check; a lone RST, or one for a SYN of its own sender, shows nothing about a transfer.
  if (bytes[0] + bytes[1] === 0 && fin[0] < 0 && fin[1] < 0) {
    const params = { by: `@role.${by}`, sender, peer, frame: row + 1 };
    const handshake = synAck && m.clientDir >= 0 && d === m.clientDir;
    return {
      ...base, id: findingId('reset', m.index, d, row + 1), kind: 'reset', severity: 'info', direction: d, frames: [frameAt(row), ...ignored.map(frameAt)],
      context: 'no-data', by, bytes: [0, 0],
      title: { key: 'reset.title.noData', params },
      summary: { key: m.clientDir < 0 ? 'reset.summary.noDataSeen' : 'reset.summary.noData', params },
      story: [{ key: handshake ? 'reset.story.afterHandshake' : m.clientDir < 0 ? 'reset.story.noDataSeen' : 'reset.story.noData', params }, ...ignoredStory],
      remedy: [],
    };
  }

  // What the RST cut off, as things stood when it was sent: data of either side not yet acknowledged.
  // With only the sender's side captured, what the peer sent and acknowledged is unknown: nothing
  // is known to be cut off, and the finding says so instead of guessing.
  const blind = oneWay(m);
  const pending = blind ? [0, 0] : pendingAt(ctx, m, rstP);
  const peerPending = pending[1 - d];
  // The sender's own data the peer acknowledged only after the RST had left still arrived.
  const ownPending = pending[d] > 0 && !ackedLater(ctx, m, rstP) ? pending[d] : 0;
  // The peer was in the middle of sending: its data kept coming at a steady pace and the RST came
  // before the next segment was due; whatever was still to come never came.
  const streaming = blind ? null : peerStreaming(ctx, m, rstP);
  // The server reset after the client's last data, which it acknowledged and never answered: the
  // request failed (a client resetting after the server's last answer is its own abortive close).
  const unanswered = !blind && !peerPending && !ownPending && !streaming && by === 'server' && bytes[1 - d] > 0 && lastDataDir(ctx, m, rstP) === 1 - d;
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
    story.push({ key: 'reset.story.idle', params: { ...roleParams, idle: span(gap) } });
  } else {
    context = peerPending > 0 || ownPending > 0 || streaming || unanswered ? 'mid-stream' : 'after-exchange';
    story.push({ key: context === 'mid-stream' ? 'reset.story.midStream' : 'reset.story.afterExchange', params: { ...roleParams, gap: span(gap), prev: lastBefore + 1 } });
  }
  if (peerPending > 0) story.push({ key: 'reset.story.peerSending', params: { ...roleParams, inFlight: peerPending } });
  if (ownPending > 0) story.push({ key: 'reset.story.ownUnacked', params: { ...roleParams, inFlight: ownPending } });
  if (streaming && !peerPending) story.push({ key: 'reset.story.peerStreaming', params: { ...roleParams, every: span(streaming.every), since: span(streaming.since) } });
  if (blind && context !== 'after-fin') story.push({ key: 'reset.story.oneWay', params: roleParams });
  else if (unanswered && context !== 'after-fin') story.push({ key: 'reset.story.requestUnanswered', params: roleParams });
  else if (!peerPending && !ownPending && !streaming && context !== 'after-fin') {
    if (bytes[1 - d] > 0 && lastDataDir(ctx, m, rstP) === 1 - d) story.push({ key: 'reset.story.unreadLikely', params: roleParams });
    else story.push({ key: 'reset.story.exchangeDone', params: roleParams });
  }
  const ttl = ttlHint(ctx, m, rstP);
  if (ttl) story.push({ key: 'reset.story.ttl', params: { ...roleParams, ttl: ttl[0], usual: ttl[1] } });
  story.push(...ignoredStory);
  story.push({ key: 'reset.story.causes' });
  // A warning only when the RST cut something off: data of either side still unacknowledged when it
  // was sent. After a finished exchange or a silence with nothing pending it closed a connection that
  // had nothing left to do; after a FIN, what came late met a socket already closing (a TLS
  // close_notify after the client's FIN, typically): seen, not judged.
  const severity = context !== 'after-fin' && (peerPending > 0 || ownPending > 0 || streaming || unanswered) ? 'warning' : 'info';
  const frames = [frameAt(row)];
  if (context === 'after-fin') for (const x of fin) if (x >= 0) frames.push(frameAt(x));
  if (context !== 'after-fin' && lastBefore >= 0) frames.push(frameAt(lastBefore));
  for (const r of ignored) frames.push(frameAt(r));
  const titles = { 'mid-stream': 'midStream', 'after-exchange': 'afterExchange', 'after-fin': 'afterFin', idle: 'idle' } as const;
  return {
    ...base, id: findingId('reset', m.index, d, row + 1), kind: 'reset', severity, direction: d, frames,
    context, by, bytes: [bytes[0], bytes[1]],
    title: { key: blind && context === 'after-exchange' ? 'reset.title.oneWay' : `reset.title.${titles[context]}`, params: roleParams },
    summary: { key: 'reset.summary', params: roleParams },
    story,
    remedy: severity === 'info' ? [] : [{ key: 'reset.remedy' }],
  };
}

/**
 * After the RST at position p, did the connection go on: a SYN/ACK (the handshake proceeded), or data
 * from both sides (an exchange continued)? Data from one side only is what a reset connection meets
 * (a request crossing the RST, a stray packet) and proves nothing.
 */
function wentOn(ctx: DiagnoseContext, m: StreamModel, p: number): boolean {
  const cols = ctx.cols;
  let data = 0;
  for (let q = p + 1; q < m.rows.length; q++) {
    if (m.copy[q]) continue;
    const i = m.rows[q], f = cols.tcpFlags[i];
    if (f & TcpFlag.Rst) continue;
    if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) return true;
    if (cols.tcpLen[i] > 1) data |= 1 << m.dir[q];
    if (data === 3) return true;
  }
  return false;
}

/** Did the peer acknowledge, after the RST at position `rstP`, everything the RST's sender had sent? */
function ackedLater(ctx: DiagnoseContext, m: StreamModel, rstP: number): boolean {
  const cols = ctx.cols, d = m.dir[rstP];
  const dd = ctx.delivery(m, d as Direction);
  // The highest ACK of the peer after the RST, relative to the sender's ISN, against its data's end.
  let end = 0;
  for (let p = 0; p <= rstP; p++) {
    if (m.copy[p] || m.dir[p] !== d || cols.tcpLen[m.rows[p]] <= 1) continue;
    const i = m.rows[p];
    end = Math.max(end, ((cols.seqRaw[i] - dd.base) >>> 0) + cols.tcpLen[i]);
  }
  for (let p = rstP + 1; p < m.rows.length; p++) {
    if (m.copy[p] || m.dir[p] === d) continue;
    const i = m.rows[p];
    if (cols.tcpFlags[i] & TcpFlag.Ack && ((cols.ackRaw[i] - dd.base) >>> 0) >= end) return true;
  }
  return false;
}

/**
 * Was the RST sender's peer streaming data when the RST came: its last data segments (at least
 * three, with nothing from the RST sender between them) at a steady pace, and the RST within twice
 * that pace of the last one? Returns the pace and the time since the last segment.
 */
function peerStreaming(ctx: DiagnoseContext, m: StreamModel, rstP: number): { every: number; since: number } | null {
  const cols = ctx.cols, d = m.dir[rstP];
  const times: number[] = [];
  for (let p = rstP - 1; p >= 0 && times.length < 4; p--) {
    if (m.copy[p] || cols.tcpLen[m.rows[p]] <= 1) continue;
    if (m.dir[p] === d) break;
    times.push(cols.time(m.rows[p]));
  }
  if (times.length < 3) return null;
  const gaps = times.slice(1).map((t, k) => times[k] - t).sort((a, b) => a - b);
  const every = gaps[gaps.length >> 1];
  const since = cols.time(m.rows[rstP]) - times[0];
  return every > 0 && every < 1 && since <= 2 * every ? { every, since } : null;
}

/**
 * Bytes each direction had sent and not yet had acknowledged at the packet at position `at` (the RST
 * included: its ACK field counts). Keep-alives and window probes, one byte below or at the edge, do
 * not count.
 */
function pendingAt(ctx: DiagnoseContext, m: StreamModel, at: number): [number, number] {
  const cols = ctx.cols;
  const base = [ctx.delivery(m, 0).base, ctx.delivery(m, 1).base];
  const end = [0, 0], acked = [0, 0];
  for (let p = 0; p <= at; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], d = m.dir[p], f = cols.tcpFlags[i];
    const len = cols.tcpLen[i];
    if (len > 1) {
      const e = ((cols.seqRaw[i] - base[d]) >>> 0) + len + (f & TcpFlag.Syn ? 1 : 0);
      if (e > end[d] && e < 0x80000000 + end[d]) end[d] = e;
    }
    if (f & TcpFlag.Ack) {
      const o = 1 - d;
      const a = (cols.ackRaw[i] - base[o]) >>> 0;
      if (a > acked[o] && a < 0x80000000 + acked[o]) acked[o] = a;
    }
  }
  return [Math.max(0, end[0] - Math.max(acked[0], 1)), Math.max(0, end[1] - Math.max(acked[1], 1))];
}

/** Fallback after a refusal: the same client reached the same port elsewhere (or again) soon after. */
const FALLBACK_SECONDS = 5;

/** The server answered the client's SYN with a RST: refused. */
function refusal(ctx: DiagnoseContext, m: StreamModel, row: number, ignoredStory: Msg[], ignored: number[]): HandshakeFinding {
  const cols = ctx.cols;
  const sd = (1 - m.clientDir) as Direction;
  const server = endpoint(cols, sd === 0 ? m.addrA : m.addrB, sd === 0 ? m.portA : m.portB);
  const client = endpoint(cols, sd === 0 ? m.addrB : m.addrA, sd === 0 ? m.portB : m.portA);
  const syns = synRows(ctx, m);
  const rsts: number[] = [];
  for (let p = 0; p < m.rows.length; p++) {
    if (!m.copy[p] && m.dir[p] === sd && cols.tcpFlags[m.rows[p]] & TcpFlag.Rst && !ignored.includes(m.rows[p])) rsts.push(m.rows[p]);
  }
  let synBefore = syns[0] ?? m.rows[0];
  for (const r of syns) if (r < row) synBefore = r;
  const others = refusedBy(ctx, m);
  const fallback = fallbackOf(ctx, m, rsts[rsts.length - 1] ?? row);
  const params = {
    client, server, ...listParams('syn', syns.map((r) => r + 1)), ...listParams('rst', rsts.map((r) => r + 1)), frame: row + 1, attempts: syns.length,
    refusals: rsts.length, delay: span(ctx.span(synBefore, row)), ttl: cols.ipTtl[row],
    count: others.length, ...listParams('streams', others),
    ...(fallback ? { other: endpoint(cols, fallback.addr, fallback.port), otherStream: fallback.stream, after: span(fallback.after) } : {}),
  };
  const story: Msg[] = [{ key: 'hs.refused.story', params }];
  if (rsts.length > 1) story.push({ key: 'hs.refused.retried', params });
  if (others.length > 1) story.push({ key: 'hs.refused.others', params });
  if (fallback) story.push({ key: fallback.after <= FALLBACK_SECONDS ? 'hs.refused.fallback' : 'hs.refused.later', params });
  story.push(...ignoredStory);
  // A refusal is certain; how much it matters follows what came next: refused again and again is a
  // service down, refused once and then connected elsewhere is a fallback that worked.
  const repeated = rsts.length > 1 || others.length > 1;
  const soon = fallback !== null && fallback.after <= FALLBACK_SECONDS;
  const severity = soon ? (rsts.length > 1 ? 'warning' : 'info') : repeated ? 'error' : 'warning';
  return {
    stream: m.index, t0: ctx.at(m.rows[0]), t1: ctx.at(row),
    id: findingId('handshake-failure', m.index, m.clientDir, row + 1), kind: 'handshake-failure', severity,
    direction: m.clientDir as Direction, frames: [...rsts.map(frameAt), ...syns.map(frameAt), ...ignored.map(frameAt)], reason: 'refused', attempts: syns.length,
    title: { key: 'hs.refused.title', params },
    summary: { key: 'hs.refused.summary', params },
    story,
    remedy: severity === 'info' ? [] : [{ key: 'hs.refused.remedy', params }],
  };
}

/** How long after a refusal a connection elsewhere still tells what the client did next. */
const LATER_SECONDS = 120;
/** Attempts to two ports of one host this close together were made side by side. */
const PARALLEL_SECONDS = 0.1;

/**
 * What the client did after the refusal: a connection from the same client host that carried data,
 * to the same port of another address (a fallback between the addresses of a name, or from ::1 to
 * 127.0.0.1), or to another port of the same host (SMB's 139 beside 445), started around the
 * refusal (up to FALLBACK_SECONDS before it) or after it. A probe that carried nothing is no fallback
 * (a scanner moving on).
 */
function fallbackOf(ctx: DiagnoseContext, m: StreamModel, at: number): { addr: number; port: number; stream: number; after: number } | null {
  const cols = ctx.cols;
  const c = m.clientDir === 0 ? m.addrA : m.addrB, port = m.clientDir === 0 ? m.portB : m.portA;
  const server = m.clientDir === 0 ? m.addrB : m.addrA;
  const cFam = cols.addresses.family[c];
  let best: { addr: number; port: number; stream: number; after: number } | null = null;
  const consider = (o: StreamModel): boolean => {
    if (o === m || !o.rows.length || o.clientDir < 0) return false;
    const oc = o.clientDir === 0 ? o.addrA : o.addrB, op = o.clientDir === 0 ? o.portB : o.portA;
    const os = o.clientDir === 0 ? o.addrB : o.addrA;
    const sameClient = oc === c || (cols.addresses.family[oc] !== cFam && isLoopback(cols, oc) && isLoopback(cols, c));
    if (!sameClient || !(op === port ? os !== server || oc !== c : os === server)) return false;
    if (!answered(ctx, o) || !carriedData(ctx, o)) return false;
    // Another port of the same host counts only as an attempt made side by side (SMB's 445 beside 139).
    if (op !== port && ctx.span(at, o.rows[0]) > PARALLEL_SECONDS) return false;
    const after = Math.max(0, ctx.span(at, o.rows[0]));
    if (!best || after < best.after) best = { addr: os, port: op, stream: o.index, after };
    return true;
  };
  for (let k = m.index - 1; k >= 0; k--) {
    const o = ctx.streams[k];
    if (o.rows.length && ctx.span(o.rows[0], at) > FALLBACK_SECONDS) break;
    consider(o);
  }
  for (let k = m.index + 1; k < ctx.streams.length; k++) {
    const o = ctx.streams[k];
    if (o.rows.length && ctx.span(at, o.rows[0]) > LATER_SECONDS) break;
    if (consider(o)) break;
  }
  return best;
}

function carriedData(ctx: DiagnoseContext, o: StreamModel): boolean {
  for (let p = 0; p < o.rows.length; p++) if (!o.copy[p] && ctx.cols.tcpLen[o.rows[p]] > 1) return true;
  return false;
}

function isLoopback(ctx: PacketColumnsLike, a: number): boolean {
  const t = ctx.addresses.text[a] ?? '';
  return t === '::1' || t.startsWith('127.');
}

type PacketColumnsLike = DiagnoseContext['cols'];

/** Did the server answer the SYN with SYN/ACK? */
function answered(ctx: DiagnoseContext, o: StreamModel): boolean {
  for (let p = 0; p < o.rows.length; p++) {
    const f = ctx.cols.tcpFlags[o.rows[p]];
    if (o.dir[p] !== o.clientDir && (f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) return true;
  }
  return false;
}

/**
 * Streams (indices) whose handshake the same server port answered with a bare RST, this one
 * included: one refusal can be a race, many are a closed port.
 */
function refusedBy(ctx: DiagnoseContext, m: StreamModel): number[] {
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

const refusals = new WeakMap<DiagnoseContext, Map<number, number[]>>();

/** Server address and port of a stream whose client is known, as one number. */
function serverKey(o: StreamModel): number {
  return o.clientDir === 0 ? o.addrB * 65536 + o.portB : o.addrA * 65536 + o.portA;
}

/** The server's first packet is a RST, and no data flowed. */
function isRefusal(ctx: DiagnoseContext, o: StreamModel): boolean {
  const cols = ctx.cols;
  for (let p = 0; p < o.rows.length; p++) {
    if (o.copy[p]) continue;
    const i = o.rows[p];
    if (cols.tcpLen[i] > 0) return false;
    if (o.dir[p] !== o.clientDir) return (cols.tcpFlags[i] & TcpFlag.Rst) !== 0 && (cols.tcpFlags[i] & TcpFlag.Syn) === 0;
  }
  return false;
}

function synRows(ctx: DiagnoseContext, m: StreamModel): number[] {
  const out: number[] = [];
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (!m.copy[p] && (ctx.cols.tcpFlags[i] & (TcpFlag.Syn | TcpFlag.Ack)) === TcpFlag.Syn) out.push(i);
  }
  return out;
}

/** Direction of the last data before position `before` (keep-alives and window probes, one byte, aside). */
function lastDataDir(ctx: DiagnoseContext, m: StreamModel, before: number): number {
  for (let p = before - 1; p >= 0; p--) if (!m.copy[p] && ctx.cols.tcpLen[m.rows[p]] > 1) return m.dir[p];
  return -1;
}

/** A RST whose TTL differs from every other packet of its sender may come from a middlebox. */
function ttlHint(ctx: DiagnoseContext, m: StreamModel, rstP: number): [number, number] | null {
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

function unanswered(ctx: DiagnoseContext, m: StreamModel): HandshakeFinding | null {
  if (m.clientDir < 0) return null;
  const cols = ctx.cols;
  let answered = false, clientAck = false;
  const synAckRows: number[] = [];
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i];
    if (m.dir[p] !== m.clientDir) { answered = true; if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) synAckRows.push(i); }
    else if (!(f & TcpFlag.Syn)) clientAck = true;
  }
  const syns = synRows(ctx, m);
  if (answered || !syns.length) return noFinalAck(ctx, m, synAckRows, clientAck);
  // The client acknowledged something after its SYN: the SYN/ACK reached it, only this capture did
  // not see it (one direction of the connection is missing), so the handshake was answered.
  if (clientAck) return null;
  // How long the capture watched after the first SYN: up to its end, or to the first long silence of
  // the whole capture (a file made of pieces says nothing of the time between them).
  const waited = ctx.coveredAfter(syns[0]);
  const client = endpoint(cols, m.clientDir === 0 ? m.addrA : m.addrB, m.clientDir === 0 ? m.portA : m.portB);
  const server = endpoint(cols, m.clientDir === 0 ? m.addrB : m.addrA, m.clientDir === 0 ? m.portB : m.portA);
  const d = m.clientDir as Direction;
  // The client's attempts: SYNs at least COPY_SECONDS apart. Closer ones are the same SYN seen twice
  // (a second capture point, a middlebox rewriting it), not a retry.
  const attempts: number[] = [], copies: number[] = [];
  let differ = false;
  for (const r of syns) {
    const prev = attempts[attempts.length - 1];
    if (prev === undefined || ctx.span(prev, r) >= COPY_SECONDS) { attempts.push(r); continue; }
    copies.push(r);
    if (cols.winRaw[r] !== cols.winRaw[prev] || cols.mss[r] !== cols.mss[prev] || cols.ipTtl[r] !== cols.ipTtl[prev]) differ = true;
  }
  // A failure only once the capture covers the time the answer was due: past the SYN's first
  // retransmission timeout (1 s on Linux, 3 s on older stacks), with the client's retries to show it.
  // One SYN never retried although the capture went on past the retry time is no ordinary client
  // (a scan probe), or the capture missed the rest: it is told as seen, not judged.
  // Retries of a TCP stack wait longer each time; SYNs at shrinking intervals are a program's own,
  // not proof of a timer giving up on an answer.
  const n = attempts.length;
  const gaps = attempts.slice(1).map((r, k) => ctx.span(attempts[k], r));
  const backoff = gaps.every((g, k) => k === 0 || g >= gaps[k - 1] * 0.8);
  // A stack retries the same SYN: same options. SYNs that differ (window, MSS, scale, SACK blocks)
  // are packets a program made, not one connection attempt waiting for an answer.
  const same = attempts.every((r) => cols.mss[r] === cols.mss[attempts[0]] && cols.winRaw[r] === cols.winRaw[attempts[0]]
    && cols.wscale[r] === cols.wscale[attempts[0]] && cols.sackCount[r] === cols.sackCount[attempts[0]]);
  const severity = !same ? 'info' : n >= 3 && backoff ? 'error' : n >= 2 ? 'warning' : 'info';
  if (severity === 'info' && !copies.length && waited < SYN_RTO) return null;
  const params = {
    client, server, attempts: n, waited: span(waited), ...listParams('frames', attempts.map((r) => r + 1)),
    copies: copies.length, ...listParams('copyFrames', copies.map((r) => r + 1)),
    ...secondsParams('intervals', gaps),
  };
  const story: Msg[] = [{ key: 'hs.unanswered.story', params }];
  if (n >= 2) story.push({ key: backoff && same ? 'hs.unanswered.retries' : 'hs.unanswered.retriesOdd', params });
  if (copies.length) story.push({ key: differ ? 'hs.unanswered.copiesDiffer' : 'hs.unanswered.copies', params });
  if (n === 1) story.push({ key: waited >= SYN_RTO ? 'hs.unanswered.noRetry' : 'hs.unanswered.early', params });
  return {
    id: findingId('handshake-failure', m.index, d, syns[0] + 1), kind: 'handshake-failure', severity,
    stream: m.index, direction: d, frames: syns.map(frameAt), t0: ctx.at(syns[0]), t1: ctx.at(syns[syns.length - 1]),
    reason: 'unanswered', attempts: n,
    title: { key: n > 1 ? 'hs.unanswered.title' : waited >= SYN_RTO ? 'hs.unanswered.title.once' : 'hs.unanswered.title.early', params },
    summary: { key: n > 1 ? 'hs.unanswered.summary' : waited >= SYN_RTO ? 'hs.unanswered.summary.once' : 'hs.unanswered.summary.early', params },
    story,
    remedy: severity === 'info' ? [] : [{ key: 'hs.unanswered.remedy', params: { server } }],
  };
}

function noFinalAck(ctx: DiagnoseContext, m: StreamModel, synAckRows: number[], clientAck: boolean): HandshakeFinding | null {
  const cols = ctx.cols;
  const client = endpoint(cols, m.clientDir === 0 ? m.addrA : m.addrB, m.clientDir === 0 ? m.portA : m.portB);
  const server = endpoint(cols, m.clientDir === 0 ? m.addrB : m.addrA, m.clientDir === 0 ? m.portB : m.portA);
  const d = m.clientDir as Direction;
  if (synAckRows.length >= 2 && !clientAck) {
    synAckRows = synAckRows.slice(0, 12);
    return {
      id: findingId('handshake-failure', m.index, (1 - d) as Direction, synAckRows[0] + 1), kind: 'handshake-failure', severity: 'warning',
      stream: m.index, direction: (1 - d) as Direction, frames: synAckRows.map(frameAt), t0: ctx.at(synAckRows[0]), t1: ctx.at(synAckRows[synAckRows.length - 1]),
      reason: 'no-final-ack', attempts: synAckRows.length,
      title: { key: 'hs.noAck.title', params: { client } },
      summary: { key: 'hs.noAck.summary', params: { client, server, count: synAckRows.length } },
      story: [{ key: 'hs.noAck.story', params: { client, server, count: synAckRows.length, ...listParams('frames', synAckRows.map((r) => r + 1)) } }],
      remedy: [{ key: 'hs.noAck.remedy' }],
    };
  }
  return null;
}
