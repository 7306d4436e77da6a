/**
 * Slow start after idle: a sender that had nothing in flight for longer than its retransmission
 * timeout starts the next burst with a small window again (Linux: net.ipv4.tcp_slow_start_after_idle,
 * on by default; RFC 2861), so every burst after a pause climbs back through slow start. On the wire:
 * an idle gap longer than the RTO; then, in the burst's first round trip, far fewer bytes than were in
 * flight before the pause, although the burst had more to send (it went on after the ACKs came).
 */
import { TcpFlag } from '../decode/columns';
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import { msText, roundTrip } from './rate';
import type { StreamModel } from './streams';
import { ends, findingId, secs } from './text';
import type { Msg, SlowStartIdleFinding } from './types';
import { frameAt, type Direction, type Frame } from '../types';

/** Linux's smallest retransmission timeout: an idle shorter than this never restarts slow start. */
const MIN_RTO = 0.2;
/** The first round after the pause carried less than this share of the flight before it. */
const SHRUNK = 0.67;
/** A round trip's data goes out within this share of it (slow start paces at twice the window per RTT). */
const ROUND = 0.75;
const WARN_RESTARTS = 5;
/** Segments a restarted window lets go at least (RFC 3390: 3 of 1460 bytes; Linux: 10). */
const MIN_FIRST = 3;

/** Kind 'slow-start-after-idle'; messages `ssai.*`. Grouped by sender and receiver. */
export const slowStartIdleDetector: Detector<SlowStartIdleFinding> = {
  kinds: ['slow-start-after-idle'],
  messages: ['ssai.'],
  walk: 'streams',
  find: (ctx) => findSlowStartIdle(ctx),
  groupKey: pair,
};

export function findSlowStartIdle(ctx: DiagnoseContext): SlowStartIdleFinding[] {
  const out: SlowStartIdleFinding[] = [];
  for (const m of ctx.active) {
    if (oneWay(m)) continue;
    for (const d of [0, 1] as const) {
      const f = restarts(ctx, m, d);
      if (f) out.push(f);
    }
  }
  return out;
}

interface Restart { idleRow: number; burstRow: number; gap: number; first: number; before: number; next: number }

function restarts(ctx: DiagnoseContext, m: StreamModel, d: Direction): SlowStartIdleFinding | null {
  const dd = ctx.delivery(m, d);
  if (dd.txs.length < 20) return null;
  const cols = ctx.cols;
  const { rtt } = roundTrip(cols, m, d, dd);
  if (!(rtt > 0)) return null;
  const mss = m.mss[1 - d] > 0 ? m.mss[1 - d] : Math.max(dd.maxPayload, 536);
  const base = dd.base;
  const rel = (raw: number) => (raw - base) >>> 0;
  const found: Restart[] = [];
  let sndMax = 0, una = 0;
  // The largest flight of the busy period so far; the idle gap's start; the burst being measured.
  let busyMax = 0, idleAt = -1, idleRow = -1;
  let burst: Restart | null = null, burstT = 0, burstEnd = 0;
  const close = () => {
    // The burst went on after its first round trip: it had more to send than the window let go.
    // A first round of a few full segments at least: a window let them go (an initial window is 3 to
    // 10 segments), not an application writing a small message.
    if (burst && burst.next >= 0 && sndMax > burstEnd && burst.first < SHRUNK * burst.before && burst.first >= MIN_FIRST * mss) found.push(burst);
    burst = null;
  };
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], t = cols.time(i), f = cols.tcpFlags[i];
    if (f & (TcpFlag.Syn | TcpFlag.Rst)) continue;
    if (m.dir[p] === d) {
      const len = cols.tcpLen[i];
      if (len <= 0) continue;
      const e = rel(cols.seqRaw[i]) + len;
      if (burst && t - burstT > ROUND * rtt && burst.next < 0) { burst.next = i; burstEnd = sndMax; }
      if (idleAt >= 0 && sndMax <= una) {
        // A pause long enough for the window to go stale: the burst before it is over.
        const gap = t - idleAt;
        if (gap >= Math.max(MIN_RTO, 2 * rtt)) {
          close();
          burst = { idleRow, burstRow: i, gap, first: 0, before: busyMax, next: -1 };
          burstT = t;
          busyMax = 0;
        }
        idleAt = -1;
      }
      if (e > sndMax && e - sndMax < 0x40000000) sndMax = e;
      if (burst && burst.next < 0) burst.first = sndMax - una;
      if (sndMax - una > busyMax) busyMax = sndMax - una;
    } else if (f & TcpFlag.Ack) {
      const a = rel(cols.ackRaw[i]);
      if (a > una && a - una < 0x40000000) una = a;
      if (sndMax > 0 && una >= sndMax && idleAt < 0) { idleAt = t; idleRow = i; }
    }
  }
  if (burst && (burst as Restart).next >= 0) close();
  if (found.length === 0) return null;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const first = med(found.map((r) => r.first)), before = med(found.map((r) => r.before));
  const ex = found[0];
  const [src, dst] = ends(cols, m, d);
  const params = {
    src, dst, count: found.length, first, before, rtt: msText(rtt), idle: secs(Math.min(...found.map((r) => r.gap))),
    idleFrom: ex.idleRow + 1, burst: ex.burstRow + 1, next: ex.next + 1, gap: secs(ex.gap), firstExample: ex.first,
  };
  const frames: Frame[] = [];
  for (const r of found.slice(0, 3)) frames.push(frameAt(r.idleRow), frameAt(r.burstRow), frameAt(r.next));
  const story: Msg[] = [{ key: 'ssai.story.example', params }, { key: 'ssai.story.meaning', params }];
  return {
    id: findingId('slow-start-after-idle', m.index, d, ex.burstRow + 1), kind: 'slow-start-after-idle',
    severity: found.length >= WARN_RESTARTS ? 'warning' : 'info',
    stream: m.index, direction: d, frames, t0: ctx.at(ex.idleRow), t1: ctx.at(ex.next),
    title: { key: 'ssai.title', params },
    summary: { key: 'ssai.summary', params },
    story,
    remedy: [{ key: 'ssai.remedy.sysctl', params }, { key: 'ssai.remedy.writes', params }],
    restarts: found.length, firstRound: first, flightBefore: before, rtt,
  };
}
