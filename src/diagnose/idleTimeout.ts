/**
 * Killed by an idle timeout: a working connection fell silent for `idle` seconds, and the first
 * write after the silence failed: a RST came back at once (a load balancer or NAT that resets flows
 * it forgot), or the write was sent again and again and never acknowledged (a middlebox that dropped
 * the state silently). The middlebox's timeout is at most that silence; a shorter silence the
 * connection survived earlier bounds it from below.
 */
import { TcpFlag } from '../decode/columns';
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { rstOrigin } from './foreignReset';
import { roles } from './groupKeys';
import { roundTrip } from './rate';
import type { StreamModel } from './streams';
import { ends, findingId, listParams, secondsParams, span } from './text';
import type { IdleTimeoutFinding, Msg } from './types';
import { frameAt, type Direction } from '../types';

/** Silences shorter than this are pauses of a conversation, not idle periods a middlebox times out. */
export const IDLE_MIN = 5;
/** Transmissions of the write (the first and its re-sends) that show it was not getting through. */
const MIN_SENDS = 3;

/**
 * Idle timeouts of common middleboxes (seconds), from their documentation. `key` names the product
 * in the catalogues (`idle.default.<key>`).
 */
export const IDLE_DEFAULTS: readonly { seconds: number; key: 'azure' | 'aws' | 'gcpFirewall' | 'gcpNat' | 'firewall' | 'kubeProxy' | 'conntrack' }[] = [
  { seconds: 240, key: 'azure' },
  { seconds: 350, key: 'aws' },
  { seconds: 600, key: 'gcpFirewall' },
  { seconds: 1200, key: 'gcpNat' },
  { seconds: 3600, key: 'firewall' },
  { seconds: 86400, key: 'kubeProxy' },
  { seconds: 432000, key: 'conntrack' },
];

/** A default this much above the silence is still consistent with it (timestamps, the capture point's view). */
const MATCH_SLACK = 2;

/**
 * The defaults consistent with a silence of `idle` seconds after surviving one of `survived`:
 * longer than what was survived and not longer than the silence, the nearest below it first.
 */
export function consistentDefaults(idle: number, survived: number): IdleTimeoutFinding['defaults'] {
  return IDLE_DEFAULTS.filter((x) => x.seconds <= idle + MATCH_SLACK && x.seconds > survived).map((x) => x.seconds).reverse();
}

/**
 * Kind 'idle-timeout'; messages `idle.*`. Grouped by client and service (the same middlebox forgets
 * every connection that idles the same way).
 */
export const idleTimeoutDetector: Detector<IdleTimeoutFinding> = {
  kinds: ['idle-timeout'],
  messages: ['idle.'],
  walk: 'streams',
  find: (ctx) => {
    const out: IdleTimeoutFinding[] = [];
    for (const m of ctx.active) {
      const f = idleTimeout(ctx, m);
      if (f) out.push(f);
    }
    return out;
  },
  groupKey: (f, m) => { const [c, s, p] = roles(m); return `${c}>${s}:${p}:${f.ending}`; },
};

interface Outcome {
  ending: IdleTimeoutFinding['ending'];
  /** Rows of the write and its re-sends. */
  sends: number[];
  /** Row of the RST that answered it, or -1. */
  rst: number;
}

function idleTimeout(ctx: DiagnoseContext, m: StreamModel): IdleTimeoutFinding | null {
  if (oneWay(m)) return null;
  const cols = ctx.cols;
  const seen = [false, false];
  // Per direction: the end of the data sent and the peer's highest ACK of it (raw, valid once set).
  const sent = [0, 0], acked = [0, 0], has = [false, false], hasAck = [false, false];
  let prev = -1;
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i], d = m.dir[p];
    const quiet = prev >= 0 && seen[0] && seen[1] && ctx.span(m.rows[prev], i) >= IDLE_MIN && settled(sent, acked, has, hasAck);
    // A RST after the silence that answered nothing: whatever timed the connection out reset it
    // when its timer fired (a load balancer with TCP reset on idle): the silence is the timeout itself.
    // Only a RST with another TTL than its sender's packets: the endpoint's own RST after a silence
    // is its application closing an idle connection abortively, a reset finding of its own.
    if (f & TcpFlag.Rst && !(f & TcpFlag.Syn) && quiet && rstOrigin(ctx, m, p)) return finding(ctx, m, prev, p, { ending: 'rst', sends: [], rst: i });
    // After a FIN or a RST the connection is closing: a silence then is no idle connection.
    if (f & (TcpFlag.Fin | TcpFlag.Rst)) return null;
    // Idle: nothing either side sent was waiting for its ACK when the silence began (a silence with
    // data outstanding is a stall, the retransmission timer's back-off, not an idle connection), and
    // the write after it is new data, not a re-send.
    // The first packet after the silence: new data, or a keep-alive probe (no new byte: one below
    // what the sender had sent), which a forgotten connection answers the same way.
    const keepAlive = cols.tcpLen[i] <= 1 && has[d] && ((cols.seqRaw[i] + 1 - sent[d]) | 0) === 0;
    if (quiet && !(f & TcpFlag.Syn) && (keepAlive || (cols.tcpLen[i] > 1 && newData(ctx, m, p)))) {
      const o = outcome(ctx, m, p);
      if (o) return finding(ctx, m, prev, p, o);
    }
    const len = cols.tcpLen[i] + (f & TcpFlag.Syn ? 1 : 0);
    if (len > 0) {
      const e = (cols.seqRaw[i] + len) | 0;
      if (!has[d] || ((e - sent[d]) | 0) > 0) { sent[d] = e; has[d] = true; }
    }
    if (f & TcpFlag.Ack) {
      const o = 1 - d, a = cols.ackRaw[i] | 0;
      if (!hasAck[o] || ((a - acked[o]) | 0) > 0) { acked[o] = a; hasAck[o] = true; }
    }
    seen[d] = true;
    prev = p;
  }
  return null;
}

/** Every byte either side sent had been acknowledged (keep-alives, one byte below the ACK, aside). */
function settled(sent: number[], acked: number[], has: boolean[], hasAck: boolean[]): boolean {
  for (const d of [0, 1]) if (has[d] && (!hasAck[d] || ((sent[d] - acked[d]) | 0) > 1)) return false;
  return true;
}

/** The segment at position `p` is a first transmission (the delivery's record), not a re-send. */
function newData(ctx: DiagnoseContext, m: StreamModel, p: number): boolean {
  const txs = ctx.delivery(m, m.dir[p] as Direction).txs;
  for (let k = 0; k < txs.length; k++) if (txs.row[k] === m.rows[p]) return !txs.again(k);
  return false;
}

/**
 * What became of the write at position `w`: answered by a RST from the other side within a few
 * round trips of it (or of a re-send), with nothing else from that side first; or never delivered
 * (the delivery's fate) and sent at least MIN_SENDS times before anything came from the other side.
 * null when the other side acknowledged it: the connection was alive.
 */
function outcome(ctx: DiagnoseContext, m: StreamModel, w: number): Outcome | null {
  const cols = ctx.cols, d = m.dir[w] as Direction;
  const dd = ctx.delivery(m, d);
  const rtt = roundTrip(cols, m, d, dd).rtt;
  const window = Math.max(1, Number.isFinite(rtt) && rtt > 0 ? 4 * rtt : 0);
  const seq = cols.seqRaw[m.rows[w]];
  const sends: number[] = [m.rows[w]];
  let last = m.rows[w];
  for (let p = w + 1; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p];
    if (m.dir[p] === d) {
      if (cols.tcpLen[i] > 0 && ((seq - cols.seqRaw[i]) | 0) >= 0 && ((cols.seqRaw[i] + cols.tcpLen[i] - seq) | 0) > 0) sends.push(i);
      last = i;
      continue;
    }
    if (cols.tcpFlags[i] & TcpFlag.Rst) return ctx.span(last, i) <= window ? { ending: 'rst', sends, rst: i } : null;
    // Anything else from the other side ends the search: it acknowledged the write (the connection
    // was alive), or it came after the write had been retried (told below by the write's fate).
    if (cols.tcpFlags[i] & TcpFlag.Ack && ((cols.ackRaw[i] - seq) | 0) > 0) return null;
    break;
  }
  // The write was sent again and again before anything came back, and never delivered.
  const txs = dd.txs;
  let k = -1;
  for (let x = 0; x < txs.length && k < 0; x++) if (txs.row[x] === m.rows[w]) k = x;
  if (k < 0 || txs.delivered(k) || sends.length < MIN_SENDS) return null;
  return { ending: 'retransmissions', sends, rst: -1 };
}

function finding(ctx: DiagnoseContext, m: StreamModel, prev: number, w: number, o: Outcome): IdleTimeoutFinding {
  // Without a write, the finding is told from the side the RST reached.
  const unprompted = o.sends.length === 0;
  const cols = ctx.cols, d = (unprompted ? 1 - m.dir[w] : m.dir[w]) as Direction;
  const before = m.rows[prev], write = m.rows[w];
  const idle = ctx.span(before, write);
  // The longest earlier silence after which both sides still sent: the state outlived it.
  let survived = 0;
  for (let q = 1; q < prev; q++) {
    if (m.copy[q]) continue;
    let r = q - 1;
    while (r > 0 && m.copy[r]) r--;
    const g = ctx.span(m.rows[r], m.rows[q]);
    if (g <= survived) continue;
    const both = [false, false];
    for (let x = q; x <= prev; x++) if (!m.copy[x]) both[m.dir[x]] = true;
    if (both[0] && both[1]) survived = g;
  }
  const [src, dst] = ends(cols, m, d);
  // Unprompted, the RST came when the timer fired: the defaults near the silence, not below it.
  const defaults = consistentDefaults(idle, survived).filter((x) => !unprompted || x >= idle - Math.max(MATCH_SLACK, idle * 0.02));
  const resends = o.sends.slice(1);
  const lastSend = o.sends[o.sends.length - 1] ?? write;
  const duration = ctx.span(write, o.rst >= 0 ? o.rst : lastSend);
  const params: Record<string, string | number> = {
    src, dst, idle: span(idle), idleS: Math.round(idle), before: before + 1, write: write + 1, len: cols.tcpLen[write],
    count: resends.length, ...listParams('resends', resends.map((r) => r + 1)), duration: span(duration),
    survived: span(survived), survivedS: Math.floor(survived),
  };
  const keepAlive = !unprompted && cols.tcpLen[write] <= 1;
  const story: Msg[] = [{ key: unprompted ? 'idle.story.unprompted' : keepAlive ? 'idle.story.keepAlive' : 'idle.story.silence', params }];
  // Nothing at all was captured during the silence: a capture paused or filtered then would look the same.
  if (write - before === 1) story.push({ key: 'idle.story.captureSilent', params });
  let rstForeign: boolean | null = null;
  if (o.ending === 'rst') {
    const rp = m.rows.indexOf(o.rst);
    const origin = rstOrigin(ctx, m, rp);
    params.rst = o.rst + 1;
    params.delay = span(ctx.span(lastSend, o.rst));
    if (!unprompted) story.push({ key: resends.length ? 'idle.story.rstAfterResends' : 'idle.story.rst', params });
    if (origin) {
      rstForeign = true;
      story.push({ key: 'idle.story.rstForeign', params: { ...params, ttl: origin.ttl, usual: origin.usual } });
    } else {
      rstForeign = false;
      story.push({ key: 'idle.story.rstSameTtl', params: { ...params, ttl: cols.ipTtl[o.rst] } });
    }
  } else {
    const intervals = o.sends.slice(1).map((r, k) => ctx.span(o.sends[k], r));
    story.push({ key: 'idle.story.retransmissions', params: { ...params, ...secondsParams('intervals', intervals) } });
  }
  story.push({ key: unprompted ? 'idle.story.exact' : survived >= IDLE_MIN ? 'idle.story.bounds' : 'idle.story.bound', params });
  if (defaults.length) {
    const keyOf = (s: number) => `@idle.default.${IDLE_DEFAULTS.find((x) => x.seconds === s)?.key ?? 'aws'}`;
    story.push({ key: defaults.length > 1 ? 'idle.story.defaults2' : 'idle.story.defaults1', params: { ...params, d1: keyOf(defaults[0]), d2: defaults[1] ? keyOf(defaults[1]) : '' } });
  } else {
    story.push({ key: idle + MATCH_SLACK < IDLE_DEFAULTS[0].seconds ? 'idle.story.noDefault' : 'idle.story.noDefaultBetween', params });
  }
  // The writer was closing (its FIN went out before the answer came): the write was its goodbye
  // (a TLS close_notify, a QUIT), nothing the connection was still for was lost.
  const endRow = o.rst >= 0 ? o.rst : lastSend;
  let closing = false;
  for (let p = w; p < m.rows.length && m.rows[p] <= endRow; p++) if (!m.copy[p] && m.dir[p] === d && cols.tcpFlags[m.rows[p]] & TcpFlag.Fin) closing = true;
  if (closing) story.push({ key: 'idle.story.closing', params });
  // A reset kills the connection at once; a write retried long enough is a failure; a few quick
  // re-sends before the capture ended show the trouble beginning, not yet the connection's end.
  const severity = closing || unprompted ? 'info' : o.ending === 'rst' ? 'warning' : resends.length >= 3 && duration >= 3 ? 'error' : 'warning';
  const frames = [frameAt(write), frameAt(before), ...resends.map(frameAt)];
  if (o.rst >= 0 && o.rst !== write) frames.push(frameAt(o.rst));
  return {
    id: findingId('idle-timeout', m.index, d, write + 1), kind: 'idle-timeout', severity, stream: m.index, direction: d, frames,
    t0: ctx.at(before), t1: ctx.at(o.rst >= 0 ? o.rst : lastSend),
    title: { key: unprompted ? 'idle.title.unprompted' : keepAlive && o.ending === 'rst' ? 'idle.title.keepAlive' : o.ending === 'retransmissions' ? 'idle.title.retransmissions' : rstForeign ? 'idle.title.rst' : 'idle.title.rstPeer', params },
    summary: { key: unprompted ? 'idle.summary.unprompted' : keepAlive && o.ending === 'rst' ? 'idle.summary.keepAlive' : o.ending === 'rst' ? 'idle.summary.rst' : 'idle.summary.retransmissions', params },
    story,
    remedy: closing ? [] : unprompted ? [{ key: 'idle.remedy.keepaliveExact', params }]
      : [{ key: survived >= IDLE_MIN ? 'idle.remedy.keepaliveProven' : 'idle.remedy.keepalive', params }, { key: 'idle.remedy.probe', params }],
    idle, survived, ending: o.ending, prompted: !unprompted, retransmissions: resends.length, rstFrame: o.rst >= 0 ? o.rst + 1 : 0, rstForeign, defaults,
  };
}
