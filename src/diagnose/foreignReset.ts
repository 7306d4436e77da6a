/**
 * A RST the peer did not send: its IP TTL (IPv6 hop limit) differs from that of every other packet
 * its sender's address sent on the connection, so it travelled a different number of hops, or began
 * with another initial value: a firewall, a load balancer, a NAT or an IPS answered in the peer's
 * name (conntrack INVALID handling, `reject with tcp-reset`, an idle timeout with TCP reset on).
 * The IP ID backs the TTL up where the sender numbers its packets one by one (IPv4 only).
 */
import { TcpFlag } from '../decode/columns';
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import type { StreamModel } from './streams';
import { ends, findingId, listParams } from './text';
import type { ForeignResetFinding, Msg } from './types';
import { frameAt, type Direction } from '../types';

/** TTLs this close may be the same sender on a path that changed by a hop: not told apart. */
const TTL_SLACK = 1;
/** The sender's own packets needed for a firm comparison (fewer: seen, not judged). */
const FIRM_PACKETS = 3;
/** Initial TTLs stacks use: the nearest at or above a TTL seen gives the hops it travelled. */
const INITIAL_TTLS = [32, 64, 128, 255];
/** An IP ID this far past the sender's last one (modulo 2^16) still fits its sequence. */
const ID_STEP = 64;
/** RSTs of one connection compared (each against the whole connection): a RST flood is told by its first ones. */
const MAX_RSTS = 64;

/** What the TTL and IP ID of a RST say about who sent it. */
export interface RstOrigin {
  ttl: number;
  /** The sender's usual TTL (the commonest among its other packets) and how many packets it sent. */
  usual: number;
  packets: number;
  /** Its other packets did not all have one TTL (within one hop): a load-balanced or changing path. */
  varied: boolean;
  /** The lowest and highest TTL of its other packets. */
  lo: number;
  hi: number;
  /** Hops from the nearest usual initial TTL: the RST's and the sender's packets'. */
  rstHops: number;
  hops: number;
  /** IPv4 ID of the RST, and whether it fits the sender's numbering (null: nothing to compare). */
  ipId: number;
  idFits: boolean | null;
}

const hopsOf = (ttl: number): number => (INITIAL_TTLS.find((t) => t >= ttl) ?? 255) - ttl;

/**
 * The RST at position `p` of stream `m` compared with the other packets of its sender: null when its
 * TTL matches one of theirs (within a hop) or there is nothing to compare it with.
 */
export function rstOrigin(ctx: DiagnoseContext, m: StreamModel, p: number): RstOrigin | null {
  const cols = ctx.cols, row = m.rows[p], d = m.dir[p];
  const v = cols.ipVersion[row];
  if (v !== 4 && v !== 6) return null;
  const ttl = cols.ipTtl[row];
  const counts = new Map<number, number>();
  let packets = 0, lo = 256, hi = -1;
  const ids: number[] = [];
  for (let q = 0; q < m.rows.length; q++) {
    const i = m.rows[q];
    if (q === p || m.copy[q] || m.dir[q] !== d || cols.tcpFlags[i] & TcpFlag.Rst) continue;
    const t = cols.ipTtl[i];
    if (Math.abs(t - ttl) <= TTL_SLACK) return null;
    counts.set(t, (counts.get(t) ?? 0) + 1);
    packets++;
    lo = Math.min(lo, t); hi = Math.max(hi, t);
    if (q < p && v === 4) ids.push(cols.ipId[i]);
  }
  if (!packets) return null;
  let usual = lo, best = 0;
  for (const [t, c] of counts) if (c > best) { best = c; usual = t; }
  const ipId = v === 4 ? cols.ipId[row] : 0;
  return { ttl, usual, packets, varied: hi - lo > TTL_SLACK, lo, hi, rstHops: hopsOf(ttl), hops: hopsOf(usual), ipId, idFits: v === 4 ? idFits(ids, ipId) : null };
}

/**
 * Does `id` continue the sender's numbering? Only asked when its last packets (three at least,
 * none with ID 0) went up in small steps; an ID of 0 tells nothing (Linux gives it to the RSTs
 * and SYN/ACKs it sends outside a connection).
 */
function idFits(ids: number[], id: number): boolean | null {
  const last = ids.filter((x) => x !== 0).slice(-4);
  if (last.length < 3 || id === 0) return null;
  for (let k = 1; k < last.length; k++) { const step = (last[k] - last[k - 1] + 65536) % 65536; if (step === 0 || step > ID_STEP) return null; }
  const step = (id - last[last.length - 1] + 65536) % 65536;
  return step > 0 && step <= ID_STEP;
}

/**
 * Kind 'foreign-reset'; messages `freset.*`. One finding per connection (its every RST with another
 * TTL), grouped by the address it claimed and the one it reached. A RST the idle-timeout finding
 * tells (the answer to the first write after the silence) is left to it.
 */
export const foreignResetDetector: Detector<ForeignResetFinding> = {
  kinds: ['foreign-reset'],
  messages: ['freset.'],
  walk: 'streams',
  find: (ctx, found) => {
    const told = new Set<string>();
    for (const f of found.batch) if (f.kind === 'idle-timeout' && f.ending === 'rst') told.add(`${f.stream}:${f.rstFrame}`);
    const out: ForeignResetFinding[] = [];
    for (const m of ctx.active) {
      const f = foreignResets(ctx, m, told);
      if (f) out.push(f);
    }
    return out;
  },
  groupKey: (f, m) => `${pair(f, m)}:${f.ttl}`,
};

function foreignResets(ctx: DiagnoseContext, m: StreamModel, told: Set<string>): ForeignResetFinding | null {
  const cols = ctx.cols;
  const rsts: { p: number; o: RstOrigin }[] = [];
  let examined = 0;
  for (let p = 0; p < m.rows.length && examined < MAX_RSTS; p++) {
    const i = m.rows[p];
    if (m.copy[p] || !(cols.tcpFlags[i] & TcpFlag.Rst) || told.has(`${m.index}:${i + 1}`)) continue;
    examined++;
    const o = rstOrigin(ctx, m, p);
    if (o) rsts.push({ p, o });
  }
  if (!rsts.length) return null;
  const { p, o } = rsts[0];
  const row = m.rows[p], d = m.dir[p] as Direction;
  const [sender, peer] = ends(cols, m, d);
  // What the connection had done before: data either way, whether it had already ended (a RST, or
  // FINs both ways), and whether it went on after the RST.
  let data = 0, after = 0, ended = false;
  const fin = [false, false];
  for (let q = 0; q < m.rows.length; q++) {
    const i = m.rows[q], f = cols.tcpFlags[i];
    if (m.copy[q]) continue;
    if (q < p) {
      if (f & TcpFlag.Rst) ended = true;
      if (f & TcpFlag.Fin) fin[m.dir[q]] = true;
    }
    if (cols.tcpLen[i] <= 1 || f & TcpFlag.Rst) continue;
    if (q < p) data += cols.tcpLen[i];
    else if (m.dir[q] === d) after++;
  }
  ended ||= fin[0] && fin[1];
  // The claim is firm when the sender kept one TTL over several packets and the connection carried
  // data the RST ended; a RST against one or two packets, a sender whose TTL varied, a handshake
  // without data, a RST the sender's own packets outlived, or one after the connection had ended
  // (a device clearing its state late) are seen, not judged.
  const firm = o.packets >= FIRM_PACKETS && !o.varied;
  const severity = firm && data > 0 && after === 0 && !ended ? 'warning' : 'info';
  const params = {
    sender, peer, frame: row + 1, ttl: o.ttl, usual: o.usual, packets: o.packets, hops: o.hops, rstHops: o.rstHops,
    count: rsts.length, ...listParams('frames', rsts.map((r) => m.rows[r.p] + 1)), ipId: o.ipId, after, lo: o.lo, hi: o.hi,
  };
  const story: Msg[] = [{ key: o.varied ? 'freset.story.ttlVaried' : 'freset.story.ttl', params }];
  if (rsts.length > 1) story.push({ key: 'freset.story.more', params });
  story.push({ key: 'freset.story.hops', params });
  if (o.idFits === false) story.push({ key: 'freset.story.ipId', params });
  else if (o.idFits === true) story.push({ key: 'freset.story.ipIdFits', params });
  if (o.varied) story.push({ key: 'freset.story.varied', params });
  else if (o.packets < FIRM_PACKETS) story.push({ key: 'freset.story.few', params });
  if (after > 0) story.push({ key: 'freset.story.wentOn', params });
  if (ended) story.push({ key: 'freset.story.afterEnd', params });
  story.push({ key: 'freset.story.causes', params });
  return {
    id: findingId('foreign-reset', m.index, d, row + 1), kind: 'foreign-reset', severity, stream: m.index, direction: d,
    frames: rsts.map((r) => frameAt(m.rows[r.p])), t0: ctx.at(m.rows[0]), t1: ctx.at(m.rows[rsts[rsts.length - 1].p]),
    title: { key: firm ? 'freset.title' : 'freset.title.likely', params },
    summary: { key: o.varied ? 'freset.summary.varied' : 'freset.summary', params },
    story,
    remedy: severity === 'info' ? [] : [{ key: 'freset.remedy', params }],
    ttl: o.ttl, usualTtl: o.usual, rsts: rsts.length, ipIdFits: o.idFits, varied: o.varied,
  };
}
