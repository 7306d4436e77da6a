/**
 * What limited a transfer's rate: one direction's time, from its first data segment to the ACK of
 * its last byte, split by what held the sender back at each moment. One pass over the stream's rows
 * (the sender's data and the peer's ACKs in time order, as the sender saw them: away from the
 * sender the peer's packets are taken later by the part of the round trip the capture point does
 * not see, the handshake's RTT less the fastest ACK of a segment); the time between two packets
 * takes the state the first one left:
 *
 * | limit | the state between two packets |
 * |---|---|
 * | zero-window | the receiver's window is 0 |
 * | congestion | a segment was lost (its fate, delivery.ts) and the hole is not filled yet: from one round trip after it was sent (or its retransmission, if sooner) until an ACK or SACK covers the repair; then, the window cut, until the flight is back to 90 % of its peak before the loss (the receiver's window full counts as that) |
 * | application | nothing in flight, the window open: the sender had nothing to send (unless it is paced and the wait is its pacing interval: bandwidth, pacingInterval) |
 * | latency | nothing in flight while the peer sent data: a request/response turn (up to the peer's last data of the turn; what follows it is application) |
 * | receiver-window | in flight up to the advertised window's edge (less than one segment left) |
 * | latency | less than one segment in flight, none of it a full segment: a small request or answer awaiting its round trip |
 * | slow-start | in flight below the window while the flight still grows by half or more per round trip, before any loss or full window |
 * | bandwidth | in flight below the window afterwards: the path's rate or the sender's pacing |
 * | sender-buffer | a bandwidth pause (the sender's last segment left, no new one yet) in a run of round trips whose flight the sender's own buffer held: at one level, not growing, below the window, no loss, no queue building (round trips near the fastest), each pause ended by a burst sent right after an ACK (heldRounds) |
 *
 * Shares are fractions of the transfer's time, summing to 1 (to rounding). The kernel's own counters
 * (tcp_info chrono: busy, rwnd-limited, sndbuf-limited) split the same time; tests/oracle/rate.test.ts
 * holds the two side by side on real-kernel captures, at the sender and at the receiver. Away from
 * the sender, its answers to the peer lag the shifted ACKs by the path's jitter: a window edge
 * counts from the sender's answer (or that lag, at most half a round trip), a wait of up to a round
 * trip after an ACK emptied a flight that filled the window is still the window's, and an ACK "just
 * before" a resumption allows for the lag.
 */
import { TcpFlag, type PacketColumns } from '../decode/columns';
import type { DirDelivery } from './delivery';
import { GapFate } from './delivery';
import type { StreamModel } from './streams';
import type { Direction } from '../types';

export type RateLimit = 'application' | 'receiver-window' | 'zero-window' | 'congestion' | 'bandwidth' | 'sender-buffer' | 'slow-start' | 'latency';

/** Every limit, in the order the JSON lists them. */
export const RATE_LIMITS: readonly RateLimit[] = ['application', 'receiver-window', 'zero-window', 'congestion', 'bandwidth', 'sender-buffer', 'slow-start', 'latency'];

/** The verdict of one transfer direction (the CLI's `streams[i].rate[d]`). */
export interface RateVerdict {
  dominant: RateLimit;
  /** Fraction of the transfer's time (0..1) each limit held. */
  shares: Record<RateLimit, number>;
  /** Bytes of the transfer (highest sequence sent less the first). */
  bytes: number;
  /** From the first data segment to the ACK of the last byte (or the direction's last packet). */
  seconds: number;
}

/** The verdict with what the findings tell: evidence rows and the numbers behind a remedy. */
export interface RateDetail extends RateVerdict {
  dir: Direction;
  /** First data segment, and the ACK of the last byte (or the last packet seen). */
  startRow: number;
  endRow: number;
  /** True when the peer acknowledged every byte in the capture. */
  complete: boolean;
  /** Round-trip time (s): the handshake's, else the fastest ACK of a segment; 0 when unknown. */
  rtt: number;
  /** Largest window the receiver advertised (bytes, scaled), and whether its scale was seen. */
  maxWindow: number;
  scaleKnown: boolean;
  /** Receiver's window-scale shift (0: none offered or unknown). */
  peerScale: number;
  /** Both SYNs offered window scaling (whatever the shift): the window may exceed 65535 bytes. */
  scaling: boolean;
  /** Per limit: the row starting its longest run (-1 when it never held), and that run's seconds. */
  longest: Record<RateLimit, { row: number; seconds: number }>;
  /** The sender's segment size: the peer's SYN MSS, else the largest payload seen. */
  mss: number;
  /** Seconds of `latency` with data in flight (a small flight awaiting its ACK); the rest of it had nothing in flight. */
  busyLatency: number;
  /** The flight (bytes) the sender's buffer held it at: the median peak of its `sender-buffer` round trips (0: none). */
  heldFlight: number;
  /** Seconds between the capture point and the sender and back (0 at the sender): the peer's packets count this much later. */
  shift: number;
  /** The round trips of the transfer as measured here, from a round's first segment to its ACK, in rounds of two full segments or more (seconds): their 10th and 90th percentiles (0: none). */
  roundRtt: { low: number; high: number };
}

/** Below this fraction of its bytes captured, a transfer gets no verdict. */
const MIN_CAPTURED = 0.9;
/** Below this fraction of its bytes acknowledged in the capture, neither. */
const MIN_ACKED = 0.5;
/** Above this fraction of its segments sent beyond the receiver's window, neither. */
const MAX_BEYOND = 0.1;
/** After a loss, the sender is back to speed when its flight is back to this share of its peak before. */
const REGAIN = 0.9;
/** A flight growing less than this per round trip has left slow start. */
const SLOW_START_GROWTH = 1.5;
/**
 * Sender buffer: at least this many round trips in a row with the flight held at one level (each
 * round's peak within FLAT of the one before, growing less than half a segment per round, at least
 * MIN_HELD_SEGMENTS), below the window, without loss, their round trip within RTT_QUEUE of the
 * fastest (no queue building), and at least CLOCKED of the sender's pauses ended by an ACK just
 * before (it sent as soon as an ACK freed room; a paced sender resumes on its own clock).
 */
const HELD_ROUNDS = 4;
const FLAT = 0.35;
const MIN_HELD_SEGMENTS = 3;
const RTT_QUEUE = 1.5;
const CLOCKED = 0.75;
/** A sender is paced when this share of the intervals between its new segments is within a tenth of their median. */
const PACED = 0.6;
/** Segments sent per pause at least (a burst when room is freed; a paced sender sends one or two). */
const BURST = 4;

function zeroShares(): Record<RateLimit, number> {
  return { application: 0, 'receiver-window': 0, 'zero-window': 0, congestion: 0, bandwidth: 0, 'sender-buffer': 0, 'slow-start': 0, latency: 0 };
}

/** Round-trip time of a stream: SYN to the ACK of the SYN-ACK (one full round trip at any capture point). */
export function handshakeRtt(cols: PacketColumns, m: StreamModel): number {
  let syn = -1, synAckDir = -1;
  for (let p = 0; p < m.rows.length && p < 16; p++) {
    if (m.copy[p]) continue;
    const i = m.rows[p], f = cols.tcpFlags[i];
    if (f & TcpFlag.Syn) {
      if (!(f & TcpFlag.Ack)) { if (syn < 0) syn = i; } else if (syn >= 0) synAckDir = m.dir[p];
    } else if (synAckDir >= 0 && f & TcpFlag.Ack && m.dir[p] !== synAckDir) {
      return cols.time(i) - cols.time(syn);
    }
  }
  return 0;
}

/**
 * The sender's round-trip time, and the part of it the capture point does not see (from the capture
 * point to the sender and back): the latter is the shortest time from a packet of the peer to the
 * sender's first data echoing its timestamp (TSecr), the former that plus the fastest ACK of a
 * segment (capture point to receiver and back). Without timestamps: the handshake's round trip less
 * that fastest ACK, or nothing unseen. `jitter`: the median of those times less the shortest (how
 * much later than `shift` the sender's data usually follows a packet of the peer; 0 without
 * timestamps).
 */
/** roundTrip's answer per direction (its delivery object is made once per direction and analysis): four detectors ask. */
const roundTrips = new WeakMap<DirDelivery, { rtt: number; shift: number; jitter: number }>();

export function roundTrip(cols: PacketColumns, m: StreamModel, d: Direction, dd: DirDelivery): { rtt: number; shift: number; jitter: number } {
  let r = roundTrips.get(dd);
  if (r === undefined) { r = measureRoundTrip(cols, m, d, dd); roundTrips.set(dd, r); }
  return r;
}

function measureRoundTrip(cols: PacketColumns, m: StreamModel, d: Direction, dd: DirDelivery): { rtt: number; shift: number; jitter: number } {
  const txs = dd.txs;
  let down = Infinity;
  for (let k = 0; k < txs.length; k++) {
    if (txs.again(k) || txs.coverRow[k] < 0) continue;
    const x = cols.time(txs.coverRow[k]) - cols.time(txs.row[k]);
    if (x >= 0 && x < down) down = x;
  }
  // The peer's timestamps in the order seen (they only grow), each with the time it was last seen.
  const vals: number[] = [], times: number[] = [];
  let up = Infinity;
  const ups: number[] = [];
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p];
    if (m.copy[p] || !cols.hasTs[i]) continue;
    if (m.dir[p] !== d) {
      const v = cols.tsval[i];
      if (!vals.length || ((v - vals[vals.length - 1]) | 0) > 0) { vals.push(v); times.push(cols.time(i)); }
      else if (v === vals[vals.length - 1]) times[times.length - 1] = cols.time(i);
    } else if (cols.tcpLen[i] > 0 && vals.length) {
      const e = cols.tsecr[i];
      let lo = 0, hi = vals.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (((vals[mid] - e) | 0) < 0) lo = mid + 1; else hi = mid; }
      if (lo < vals.length && vals[lo] === e) { const x = cols.time(i) - times[lo]; if (x >= 0) ups.push(x); if (x >= 0 && x < up) up = x; }
    }
  }
  // (The shift a hair short, so that an ACK comes before the data it let go.)
  if (Number.isFinite(up)) {
    const sorted = Float64Array.from(ups).sort();
    return { rtt: up + (Number.isFinite(down) ? down : 0), shift: Math.max(0, up - 1e-6), jitter: sorted[sorted.length >> 1] - up };
  }
  const hs = handshakeRtt(cols, m);
  if (hs > 0) return { rtt: hs, shift: Number.isFinite(down) && hs > down ? hs - down : 0, jitter: 0 };
  return { rtt: Number.isFinite(down) ? down : 0, shift: 0, jitter: 0 };
}

/** Time intervals [start, end) of loss recovery, merged and ascending; the peer's packets count `shift` later. */
function recoveryIntervals(cols: PacketColumns, dd: DirDelivery, rtt: number, endTime: number, shift: number): Float64Array {
  const txs = dd.txs;
  const iv: [number, number][] = [];
  const coveredAt = (k: number): number => {
    let j = k;
    for (let hop = 0; txs.supersededBy[j] >= 0 && hop < 64; hop++) j = txs.supersededBy[j];
    return txs.coverRow[j] >= 0 ? cols.time(txs.coverRow[j]) + shift : endTime;
  };
  for (let k = 0; k < txs.length; k++) {
    if (!txs.lost(k)) continue;
    const sent = cols.time(txs.row[k]);
    const next = cols.time(txs.row[txs.supersededBy[k]]);
    iv.push([Math.min(sent + rtt, next), coveredAt(k)]);
  }
  for (const g of dd.gaps) {
    if (g.fate !== GapFate.LostBefore || g.fillRow < 0) continue;
    // The repair: the transmission in the filling row (rows ascend in the list).
    let lo = 0, hi = txs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (txs.row[mid] < g.fillRow) lo = mid + 1; else hi = mid; }
    iv.push([cols.time(g.row), lo < txs.length && txs.row[lo] === g.fillRow ? coveredAt(lo) : endTime]);
  }
  iv.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of iv) {
    if (e <= s) continue;
    const n = out.length;
    if (n && s <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], e);
    else out.push(s, e);
  }
  return Float64Array.from(out);
}

/**
 * The rate verdict of direction `d` of stream `m`; null when it carried no data, when the capture
 * holds only one direction (no ACK says what the sender was waiting for), when it missed more than
 * a tenth of the direction's bytes, when the peer acknowledged less than half of them in it, or when
 * more than a tenth of the segments went beyond the receiver's window edge.
 */
export function rateOf(cols: PacketColumns, m: StreamModel, d: Direction, dd: DirDelivery): RateDetail | null {
  const txs = dd.txs;
  if (txs.length === 0) return null;
  let peerSeen = false;
  for (let p = 0; p < m.dir.length && !peerSeen; p++) peerSeen = m.dir[p] !== d;
  if (!peerSeen) return null;
  const base = dd.base;
  const rel = (raw: number) => (raw - base) >>> 0;
  const scaleKnown = m.isn[0] >= 0 && m.isn[1] >= 0;
  const peerScale = scaleKnown ? Math.max(0, m.wscale[1 - d]) : 0;
  // The sender's segment size: what the peer's SYN allowed, else the largest seen (at least IPv4's minimum).
  const mss = m.mss[1 - d] > 0 ? m.mss[1 - d] : Math.max(dd.maxPayload, 536);
  // Window scaling is in use when both SYNs carry the option (a shift of 0 included).
  let synScale = [-1, -1];
  for (let p = 0; p < m.rows.length && p < 16; p++) {
    const i = m.rows[p];
    if (cols.tcpFlags[i] & TcpFlag.Syn && !m.copy[p]) synScale = m.dir[p] === 0 ? [cols.wscale[i], synScale[1]] : [synScale[0], cols.wscale[i]];
  }
  const scaling = synScale[0] >= 0 && synScale[1] >= 0;
  const lastByte = dd.maxEnd;

  const { rtt, shift, jitter } = roundTrip(cols, m, d, dd);
  // Away from the sender (a quarter of a round trip or more, at least 1 ms), a new window edge
  // counts from when the sender's answer to it is seen, or from the usual lag of its answers after
  // the shifted ACK (at most half a round trip): the path's jitter is not time the sender had room
  // and did not use it.
  const away = shift > Math.max(0.001, rtt / 4);
  const grace = away ? Math.min(jitter, rtt / 2) : 0;
  let nextEdge = 0, edgeAt = -1;
  const lastTime = cols.time(m.rows[m.rows.length - 1]) + shift;
  const rec = recoveryIntervals(cols, dd, rtt, lastTime, shift);
  let ri = 0;

  // Round trips: one opens with a new segment when none is open and closes when the ACK covers that
  // segment (its round-trip time); what the sender did in each.
  const rPeak: number[] = [], rRtt: number[] = [], rBad: boolean[] = [], rPauses: number[] = [], rClocked: number[] = [], rSegs: number[] = [];
  let rk = -1, rOpen = false, rFirst = 0, rT0 = 0;
  // The sender's last new segment and the last ACK that moved the left edge (times as the sender saw them).
  let lastSend = -Infinity, lastAdvance = -Infinity;
  // A pause: a quarter of a round trip without a new segment; ended by an ACK when the segment left
  // within a tenth of a round trip of it (room for the jitter between the capture point and the sender).
  const clock = Math.max(0.001, rtt / 10 + shift / 2), pause = Math.max(0.001, rtt / 4);
  // Still sending: the next segment within a twentieth of a round trip.
  const sendGap = Math.max(0.001, rtt / 20 + shift / 8);
  // Whether the sender's last resumption after a pause came right after an ACK.
  let resumed = false;
  // Each stretch of time as it is told (limit, row, seconds), with the round trip it fell in (-1:
  // none); a `bandwidth` stretch with the sender paused is a candidate for `sender-buffer`, which
  // the rounds decide at the end (HELD_ROUNDS).
  const nCat: RateLimit[] = [], nRow: number[] = [], nDt: number[] = [], nRound: number[] = [], nCand: boolean[] = [];
  let lastCat: RateLimit | null = null, afterFull = false;
  const note = (cat: RateLimit, row: number, dt: number, cand = false) => {
    lastCat = cat;
    nCat.push(cat); nRow.push(row); nDt.push(dt); nRound.push(rk); nCand.push(cand);
    if (rk >= 0 && cat !== 'bandwidth' && cat !== 'latency' && cat !== 'application') rBad[rk] = true;
  };

  const pacing = pacingInterval(cols, m, d, rel, mss);
  let started = false, complete = false;
  let startRow = -1, endRow = -1, tStart = 0, tPrev = 0, prevRow = -1;
  let sndMax = 0, una = 0, win = -1, edge = Infinity, maxWindow = 0;
  // Data segments sent beyond the receiver's window: a few are window probes; many, a capture that
  // missed the ACKs (or no real TCP).
  let overrun = 0;
  // Slow start: the largest flight of this round trip and of the one before; a round ends when the
  // ACK passes what was sent when it began.
  let slowStart = true, roundEnd = 0, roundMax = 0, prevRoundMax = 0;
  // An idle gap (nothing in flight): its time so far, and the part up to the peer's last data in it.
  let idle = 0, idleLatency = 0, idleRow = -1;
  // A flight of less than one segment, no full segment in it: a small request or answer waiting for
  // its round trip (a turn), not a rate. Its seconds are kept apart (the kernel counts them busy).
  let lastFull = 0, busyLatency = 0;
  // The largest flight since the last loss, and the flight to regain after one (0: none to regain).
  let peak = 0, regain = 0;
  const closeIdle = () => {
    // Away from the sender, an ACK that emptied a flight filling the window, then no data for up to
    // a round trip: the sender's answer to it was still on its way (path jitter), not a sender with
    // nothing to send.
    if (idle > 0 && afterFull && away && idleLatency === 0 && idle <= rtt) { note('receiver-window', idleRow, idle); idle = 0; }
    // A paced sender whose ACKs come back before its next segment is due: the wait is its pacing
    // interval, not an application with nothing to send.
    if (idle > 0 && pacing > 0 && idleLatency === 0 && idle <= 1.5 * pacing) { note('bandwidth', idleRow, idle); idle = 0; }
    if (idle > 0) {
      if (idleLatency > 0) note('latency', idleRow, idleLatency);
      // Ended by a segment sent right after an ACK: the sender may have waited for room, not for data.
      if (idle - idleLatency > 0) note('application', idleRow, idle - idleLatency, resumed);
    }
    idle = 0; idleLatency = 0; idleRow = -1;
  };

  const account = (a: number, b: number, row: number) => {
    if (edgeAt >= 0 && b > edgeAt + grace) {
      const c = Math.max(a, edgeAt + grace);
      if (c > a) account1(a, c, row);
      edge = nextEdge; edgeAt = -1;
      a = c;
    }
    account1(a, b, row);
  };
  const account1 = (a: number, b: number, row: number) => {
    const dt = b - a;
    if (!(dt > 0)) return;
    if (win === 0) { closeIdle(); note('zero-window', row, dt); return; }
    let cong = 0;
    while (ri < rec.length && rec[ri + 1] <= a) ri += 2;
    for (let j = ri; j < rec.length && rec[j] < b; j += 2) cong += Math.max(0, Math.min(b, rec[j + 1]) - Math.max(a, rec[j]));
    const flight = sndMax - una;
    // All acknowledged by an ACK that also opened the window, the sender's answer not seen yet: it
    // was held by the window it had (rate.ts keeps the old edge for the path's jitter).
    if (flight <= 0 && edgeAt >= 0 && edge - sndMax < mss && cong === 0) { closeIdle(); note('receiver-window', row, dt); return; }
    if (flight <= 0) {
      if (cong > 0) { closeIdle(); note('congestion', row, cong); }
      if (idleRow < 0) { idleRow = row; afterFull = lastCat === 'receiver-window'; }
      idle += dt - cong;
      return;
    }
    closeIdle();
    if (cong > 0) {
      note('congestion', row, cong); slowStart = false;
      // The window was cut: until the flight is back near its peak before the loss, still congestion.
      if (regain === 0) regain = REGAIN * peak;
    }
    const rest = dt - cong;
    if (rest <= 0) return;
    if (regain > 0 && flight >= regain && cong === 0) { regain = 0; peak = 0; }
    if (flight > peak && regain === 0) peak = flight;
    if (edge - sndMax < mss) { note('receiver-window', row, rest); slowStart = false; }
    else if (regain > 0) note('congestion', row, rest);
    else if (flight < mss && lastFull <= una) { note('latency', row, rest); busyLatency += rest; }
    else if (slowStart) note('slow-start', row, rest);
    else {
      // The part while the sender was still sending is the path's or its own pace; the pause after
      // its last segment may be its buffer's (decided by the round trips).
      const sending = Math.min(rest, Math.max(0, lastSend + sendGap - a));
      if (sending > 0) note('bandwidth', row, sending);
      if (rest - sending > 0) note('bandwidth', row, rest - sending, true);
    }
    if (rOpen && flight > rPeak[rk]) rPeak[rk] = flight;
  };

  // The capture point's view shifted to the sender's: its data at their times, the peer's packets
  // `shift` later (the part of the round trip between the sender and the capture point; 0 at the
  // sender). Two cursors over the rows, merged by those times.
  let pd = 0, pp = 0;
  const n = m.rows.length;
  const skip = (q: number, mine: boolean) => {
    while (q < n && (m.copy[q] || (m.dir[q] === d) !== mine)) q++;
    return q;
  };
  pd = skip(pd, true); pp = skip(pp, false);
  while (pd < n || pp < n) {
    const td = pd < n ? cols.time(m.rows[pd]) : Infinity, tp = pp < n ? cols.time(m.rows[pp]) + shift : Infinity;
    const mine = td < tp;
    const p = mine ? pd : pp;
    if (mine) pd = skip(pd + 1, true); else pp = skip(pp + 1, false);
    const i = m.rows[p], t = mine ? td : tp, f = cols.tcpFlags[i];
    if (started) account(tPrev, t, prevRow);
    if (mine) {
      const len = cols.tcpLen[i];
      if (len > 0 && !(f & TcpFlag.Rst)) {
        // The sender answered: the window it saw is the latest.
        if (edgeAt >= 0) { edge = nextEdge; edgeAt = -1; }
        const s = rel(cols.seqRaw[i]), e = s + len;
        if (!started) { started = true; startRow = i; tStart = t; roundEnd = e; }
        if (e > edge + mss) overrun++;
        if (e > sndMax) {
          if (!rOpen) {
            rOpen = true; rk = rPeak.length; rFirst = e; rT0 = t;
            rPeak.push(0); rRtt.push(-1); rBad.push(slowStart || regain > 0); rPauses.push(0); rClocked.push(0); rSegs.push(0);
          }
          rSegs[rk]++;
          resumed = t - lastAdvance <= clock;
          if (t - lastSend > pause) { rPauses[rk]++; if (resumed) rClocked[rk]++; }
          lastSend = t;
        }
        if (e > sndMax && e - sndMax < 0x40000000) sndMax = e;
        if (len >= mss) lastFull = e;
        if (sndMax - una > roundMax) roundMax = sndMax - una;
      }
    } else {
      if (f & TcpFlag.Ack && !(f & TcpFlag.Rst)) {
        const a = rel(cols.ackRaw[i]);
        if (a > una && a - una < 0x40000000) { una = a; lastAdvance = t; }
        if (rOpen && una >= rFirst) { rOpen = false; rRtt[rk] = t - rT0; }
        if (f & TcpFlag.Syn) {
          // A SYN's window is never scaled: the edge until the first ACK after it.
          if (scaleKnown) { win = cols.winRaw[i]; edge = a + win; }
        } else {
          win = cols.winRaw[i] * 2 ** peerScale;
          // Without both SYNs the window's scale, and so its edge, is unknown (a window of 0 is 0).
          const ne = scaleKnown ? a + win : Infinity;
          if (grace > 0 && started && ne > edge) { nextEdge = ne; if (edgeAt < 0) edgeAt = t; } else { edge = ne; edgeAt = -1; }
          if (win > maxWindow) maxWindow = win;
        }
        if (started && slowStart && una >= roundEnd) {
          if (prevRoundMax > 0 && roundMax < prevRoundMax * SLOW_START_GROWTH) slowStart = false;
          prevRoundMax = roundMax; roundMax = sndMax - una; roundEnd = sndMax;
        }
      }
      if (started && cols.tcpLen[i] > 0 && sndMax - una <= 0) idleLatency = idle;
    }
    tPrev = t; prevRow = i;
    if (started && una >= lastByte) { complete = true; endRow = i; break; }
  }
  closeIdle();
  if (!started) return null;
  if (endRow < 0) endRow = prevRow;
  const seconds = tPrev - tStart;
  const held = heldRounds(rPeak, rRtt, rBad, rPauses, rClocked, rSegs, rtt, mss);
  const heldPeaks = rPeak.filter((_, k) => held[k]).sort((x, y) => x - y);
  const heldFlight = heldPeaks.length ? heldPeaks[heldPeaks.length >> 1] : 0;
  // (Rounds of two full segments or more: a lone segment may wait for the peer's delayed ACK.)
  const rtts = rRtt.filter((x, k) => x >= 0 && rPeak[k] >= 2 * mss).sort((x, y) => x - y);
  const roundRtt = rtts.length ? { low: rtts[Math.floor(0.1 * (rtts.length - 1))], high: rtts[Math.floor(0.9 * (rtts.length - 1))] } : { low: 0, high: 0 };
  const shares = zeroShares();
  const longest = {} as Record<RateLimit, { row: number; seconds: number }>;
  for (const l of RATE_LIMITS) longest[l] = { row: -1, seconds: 0 };
  let runCat: RateLimit | null = null, runRow = -1, runLen = 0;
  const closeRun = () => {
    if (runCat && runLen > longest[runCat].seconds) longest[runCat] = { row: runRow, seconds: runLen };
  };
  for (let k = 0; k < nCat.length; k++) {
    const cat = nCand[k] && nRound[k] >= 0 && held[nRound[k]] ? 'sender-buffer' : nCat[k], dt = nDt[k];
    shares[cat] += dt;
    if (cat !== runCat) { closeRun(); runCat = cat; runRow = nRow[k]; runLen = 0; }
    runLen += dt;
  }
  closeRun();
  let dominant: RateLimit = 'application', best = -1;
  for (const l of RATE_LIMITS) {
    shares[l] = seconds > 0 ? shares[l] / seconds : 0;
    if (shares[l] > best) { best = shares[l]; dominant = l; }
  }
  let low = txs.s[0], captured = 0;
  for (let k = 0; k < txs.length; k++) {
    if (txs.s[k] < low) low = txs.s[k];
    if (!txs.again(k) && !txs.offload(k)) captured += txs.e[k] - txs.s[k];
  }
  // A capture that missed much of the data (sampled, filtered, dropped) shows neither the flight nor
  // the waits: no verdict.
  if (captured < MIN_CAPTURED * (lastByte - low)) return null;
  // Nor one the peer hardly acknowledged (a capture of one side's packets after the handshake, a
  // capture stopped early): the flight it would measure is only what the capture missed.
  if (una - low < MIN_ACKED * (lastByte - low)) return null;
  // Nor one whose sender overran the advertised window again and again: the capture missed the ACKs
  // that opened it, or was not made of real TCP.
  if (overrun > MAX_BEYOND * txs.length) return null;
  return {
    dominant, shares, bytes: Math.max(0, lastByte - low), seconds, dir: d, startRow, endRow, complete, rtt,
    maxWindow, scaleKnown, peerScale, scaling, longest, mss, busyLatency, heldFlight, shift, roundRtt,
  };
}

/**
 * The interval of a paced sender (seconds; 0: not paced): its new segments full-sized (nine in
 * ten) and leaving in small bursts (up to 3 segments less than 1 ms apart, nine in ten: a pacing
 * rate lets go one or two at a time), the bursts at least 1 ms apart as a rule and at least PACED
 * of the intervals between them within a tenth of their median (a pacing rate spaces them evenly;
 * an application's writes come in bigger bursts, a request/response in turns).
 */
function pacingInterval(cols: PacketColumns, m: StreamModel, d: Direction, rel: (raw: number) => number, mss: number): number {
  const gaps: number[] = [];
  let last = -1, start = -1, end = -1, n = 0, full = 0, bursts = 0, small = 0, size = 0;
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p], len = cols.tcpLen[i];
    if (m.copy[p] || m.dir[p] !== d || len <= 0) continue;
    const e = rel(cols.seqRaw[i]) + len;
    if (end >= 0 && (e <= end || e - end > 0x40000000)) continue;
    end = e; n++;
    // (Full: the MSS less room for TCP options, which the SYN's MSS leaves out.)
    if (len + 40 >= mss) full++;
    const t = cols.time(i);
    if (last < 0 || t - last >= 0.001) {
      if (start >= 0) { gaps.push(t - start); bursts++; if (size <= 3) small++; }
      start = t; size = 0;
    }
    size++; last = t;
  }
  if (gaps.length < 16 || full < 0.9 * n || small < 0.9 * bursts) return 0;
  const sorted = gaps.slice().sort((x, y) => x - y), med = sorted[sorted.length >> 1];
  let even = 0;
  for (const g of gaps) if (Math.abs(g - med) <= 0.1 * med) even++;
  return even >= PACED * gaps.length ? med : 0;
}

/**
 * The round trips in which the sender's own buffer held the flight: runs of at least HELD_ROUNDS
 * round trips, none with loss, a full window or slow start, whose flight peaks stay at one level
 * (at most a tenth of them above the run's median by more than FLAT) without growing (the median
 * of the run's second half less than half a segment per round above the first half's: a congestion
 * window grows by a segment per round or more), at least MIN_HELD_SEGMENTS, their median round
 * trip within RTT_QUEUE of the fastest (no queue building: not the path), CLOCKED of the run's
 * pauses ended by an ACK (not a pacing clock) and BURST segments sent per pause.
 */
function heldRounds(peak: number[], rtt: number[], bad: boolean[], pauses: number[], clocked: number[], segs: number[], minRtt: number, mss: number): boolean[] {
  const n = peak.length;
  const held: boolean[] = new Array<boolean>(n).fill(false);
  const median = (x: number[]) => x.slice().sort((u, v) => u - v)[x.length >> 1];
  let r = 0;
  while (r < n) {
    if (bad[r] || rtt[r] < 0) { r++; continue; }
    let e = r + 1;
    while (e < n && !bad[e] && rtt[e] >= 0) e++;
    // Rounds r..e-1 are one run.
    const len = e - r;
    if (len >= HELD_ROUNDS) {
      const pk = peak.slice(r, e), level = median(pk);
      const half = len >> 1, growth = median(pk.slice(len - half)) - median(pk.slice(0, half));
      let p = 0, c = 0, sg = 0, above = 0;
      for (let k = r; k < e; k++) { p += pauses[k]; c += clocked[k]; sg += segs[k]; if (peak[k] > (1 + FLAT) * level) above++; }
      if (level >= MIN_HELD_SEGMENTS * mss && above <= 0.1 * len && growth < 0.5 * mss * half
        && median(rtt.slice(r, e)) <= RTT_QUEUE * minRtt + 0.001
        && p * 2 >= len && c >= CLOCKED * p && sg >= BURST * p) {
        for (let k = r; k < e; k++) held[k] = true;
      }
    }
    r = e;
  }
  return held;
}

/** Milliseconds for a text: "21", "2.5", "0.03". */
export function msText(seconds: number): string {
  const ms = seconds * 1000;
  return ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2);
}

/** The verdict as the JSON gives it: shares cut to 4 places (their sum stays at most 1). */
export function rateVerdict(r: RateDetail | null): RateVerdict | null {
  if (!r) return null;
  const shares = zeroShares();
  for (const l of RATE_LIMITS) shares[l] = Math.floor(r.shares[l] * 1e4) / 1e4;
  return { dominant: r.dominant, shares, bytes: r.bytes, seconds: Math.round(r.seconds * 1e6) / 1e6 };
}
