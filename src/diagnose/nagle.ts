/**
 * Nagle's algorithm against delayed ACKs: a sender keeps a small segment back while an earlier small
 * one is unacknowledged, and the receiver delays that ACK (40 ms on Linux, up to 200 ms elsewhere)
 * waiting for data to carry it. On the wire: a small segment; then nothing from its sender until the
 * peer's pure ACK of it, which came much later than a round trip; then, right after that ACK, the
 * sender's next data. Typical of a request written in two send() calls without TCP_NODELAY.
 */
import { TcpFlag } from '../decode/columns';
import { oneWay, type DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { pair } from './groupKeys';
import { msText, roundTrip } from './rate';
import type { StreamModel } from './streams';
import { ends, findingId, secs } from './text';
import type { Msg, NagleFinding } from './types';
import { frameAt, type Direction, type Frame } from '../types';

/** A delayed ACK takes at least this long (Linux's shortest is 40 ms; a little slack for the clock). */
const MIN_DELAY = 0.03;
/** ... and this many round trips: an ACK that slow was held back, not slowed by the path. */
const MIN_RTTS = 3;
/** Holds worth a finding; from WARN_HOLDS on, with WARN_SHARE of the stream's time lost, a warning. */
const MIN_HOLDS = 2;
const WARN_HOLDS = 5;
const WARN_SHARE = 0.1;
const EXAMPLES = 3;

/** Kind 'nagle-delayed-ack'; messages `nagle.*`. Grouped by sender and receiver. */
export const nagleDetector: Detector<NagleFinding> = {
  kinds: ['nagle-delayed-ack'],
  messages: ['nagle.'],
  walk: 'streams',
  find: (ctx) => findNagle(ctx),
  groupKey: pair,
};

export function findNagle(ctx: DiagnoseContext): NagleFinding[] {
  const out: NagleFinding[] = [];
  for (const m of ctx.active) {
    if (oneWay(m)) continue;
    for (const d of [0, 1] as const) {
      const dd = ctx.delivery(m, d);
      if (dd.txs.length === 0) continue;
      const f = nagle(ctx, m, d, roundTrip(ctx.cols, m, d, dd).rtt);
      if (f) out.push(f);
    }
  }
  return out;
}

interface Hold { small: number; ack: number; next: number; wait: number }

function nagle(ctx: DiagnoseContext, m: StreamModel, d: Direction, rtt: number): NagleFinding | null {
  const cols = ctx.cols;
  // The sender's segment size: what the peer's SYN allowed, else Ethernet's.
  const mss = m.mss[1 - d] > 0 ? m.mss[1 - d] : 1460;
  const holds: Hold[] = [];
  // The last small data segment of d not followed by more data yet, its end (raw), and the pure ACK covering it.
  let small = -1, smallEnd = 0, ack = -1;
  // The receiver's last window (raw) and its right edge (raw sequence; -1 when its scale is unknown).
  const scaleKnown = m.isn[0] >= 0 && m.isn[1] >= 0;
  let peerWin = -1, edge = -1;
  for (let p = 0; p < m.rows.length; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i], len = cols.tcpLen[i];
    if (f & (TcpFlag.Syn | TcpFlag.Rst)) { small = -1; ack = -1; continue; }
    if (m.dir[p] === d) {
      if (len === 0) continue;
      if (ack >= 0 && cols.seqRaw[i] === smallEnd) {
        const wait = cols.time(ack) - cols.time(small);
        const after = cols.time(i) - cols.time(ack);
        if (wait >= MIN_DELAY && wait >= MIN_RTTS * rtt && after <= Math.min(wait / 2, rtt + 0.005)) holds.push({ small, ack, next: i, wait });
      }
      // Held by Nagle, not by the window: the receiver's window had room for a full segment more.
      const room = edge < 0 ? Infinity : ((edge - ((cols.seqRaw[i] + len) >>> 0)) | 0);
      small = len < mss && !(f & TcpFlag.Fin) && peerWin !== 0 && room >= mss ? i : -1;
      smallEnd = (cols.seqRaw[i] + len) >>> 0;
      ack = -1;
    } else {
      if (f & TcpFlag.Ack) {
        peerWin = cols.winRaw[i];
        edge = scaleKnown ? (cols.ackRaw[i] + peerWin * 2 ** Math.max(0, m.wscale[1 - d])) >>> 0 : -1;
      }
      if (small < 0) continue;
      // The peer's answer carrying data is a response, not a delayed ACK.
      if (len > 0) { small = -1; ack = -1; continue; }
      if (ack < 0 && f & TcpFlag.Ack && ((cols.ackRaw[i] - smallEnd) | 0) >= 0) ack = i;
    }
  }
  if (holds.length < MIN_HOLDS || !(rtt > 0)) return null;
  const waits = holds.map((h) => h.wait).sort((a, b) => a - b);
  const median = waits[waits.length >> 1];
  const held = waits.reduce((a, b) => a + b, 0);
  const span = ctx.span(m.rows[0], m.rows[m.rows.length - 1]);
  const [src, dst] = ends(cols, m, d);
  const ex = holds[0];
  const params = {
    src, dst, holds: holds.length, median: (median * 1000).toFixed(0), held: secs(held), rtt: msText(rtt),
    s1: ex.small + 1, ack: ex.ack + 1, s2: ex.next + 1, len: cols.tcpLen[ex.small], wait: (ex.wait * 1000).toFixed(0),
  };
  const frames: Frame[] = [];
  for (const h of holds.slice(0, EXAMPLES)) frames.push(frameAt(h.small), frameAt(h.ack), frameAt(h.next));
  const story: Msg[] = [{ key: 'nagle.story.example', params }, { key: 'nagle.story.meaning', params }];
  const warn = holds.length >= WARN_HOLDS && span > 0 && held / span >= WARN_SHARE;
  return {
    id: findingId('nagle-delayed-ack', m.index, d, ex.small + 1), kind: 'nagle-delayed-ack', severity: warn ? 'warning' : 'info',
    stream: m.index, direction: d, frames, t0: ctx.at(ex.small), t1: ctx.at(ex.next),
    title: { key: 'nagle.title', params },
    summary: { key: 'nagle.summary', params },
    story,
    remedy: [{ key: 'nagle.remedy.nodelay', params }, { key: 'nagle.remedy.quickack', params }],
    holds: holds.length, heldSeconds: held, medianHold: median, rtt,
  };
}
