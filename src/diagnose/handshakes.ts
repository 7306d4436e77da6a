/**
 * Every connection attempt of the capture, once per diagnosis: the client's SYNs (attempts apart from
 * copies), whether and when the server answered, and what followed. Read by the detectors that compare
 * attempts with each other (synDropped.ts, paws.ts, asymmetric.ts) and by reset.ts, which leaves to
 * them the unanswered handshakes they tell (one pattern, one finding).
 */
import { TcpFlag } from '../decode/columns';
import type { DiagnoseContext } from './context';
import type { StreamModel } from './streams';

/** SYNs closer than this are one SYN seen twice, not a retry (as in reset.ts). */
export const COPY_SECONDS = 0.1;

export type HandshakeFate =
  /** SYN-ACK to the first attempt. */
  | 'answered'
  /** SYN-ACK only after the SYN was sent again: the earlier attempts got none. */
  | 'delayed'
  /**
   * The server answered a SYN with a bare ACK, not a SYN-ACK: it still held an earlier connection of
   * the same addresses and ports (TIME-WAIT) and acknowledged that one; the client resets it and
   * sends the SYN again.
   */
  | 'stale-ack'
  /** Sent two or more times, never answered (no SYN-ACK, no RST, and the client acknowledged nothing). */
  | 'failed'
  /** One SYN, no answer, no retry: a probe, or the capture missed the rest. */
  | 'single'
  /** No SYN-ACK captured, yet the client acknowledged the server's first byte and the server's packets followed. */
  | 'synack-unseen'
  | 'refused';

export interface Handshake {
  m: StreamModel;
  client: number;
  server: number;
  cport: number;
  sport: number;
  /** Rows of the client's SYNs (copies left out), and of the attempts among them (COPY_SECONDS apart). */
  syns: number[];
  attempts: number[];
  /** First SYN-ACK of the server, -1 when none was captured. */
  synAck: number;
  /** Rows of every SYN-ACK, copies included (the capture points they were seen at). */
  synAcks: number[];
  fate: HandshakeFate;
  /** The attempts back off as a TCP stack's do, and carry the same options. */
  stackRetries: boolean;
  /** Last row of the stream and whether it ended with a RST. */
  last: number;
  rst: boolean;
}

const cache = new WeakMap<DiagnoseContext, Handshake[]>();

/** The handshakes of the capture (streams whose client SYN was captured), in stream order. */
export function handshakes(ctx: DiagnoseContext): Handshake[] {
  let hs = cache.get(ctx);
  if (!hs) {
    hs = [];
    for (const m of ctx.streams) { const h = handshakeOf(ctx, m); if (h) hs.push(h); }
    cache.set(ctx, hs);
  }
  return hs;
}

function handshakeOf(ctx: DiagnoseContext, m: StreamModel): Handshake | null {
  if (m.clientDir < 0 || !m.rows.length) return null;
  const cols = ctx.cols, cd = m.clientDir;
  const syns: number[] = [], synAcks: number[] = [];
  let synAck = -1, clientAck = false, serverLater = false, refused = false, rst = false, staleAck = false;
  for (let p = 0; p < m.rows.length; p++) {
    const i = m.rows[p], f = cols.tcpFlags[i];
    if (f & TcpFlag.Rst) rst = true;
    const sa = (f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack);
    if (m.dir[p] !== cd && sa) synAcks.push(i);
    if (m.copy[p]) continue;
    if (m.dir[p] === cd) {
      if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === TcpFlag.Syn) { if (synAck < 0 && !clientAck) syns.push(i); }
      else if (!(f & TcpFlag.Rst)) clientAck = true;
    } else if (sa) { if (synAck < 0) synAck = i; }
    else if (f & TcpFlag.Rst) { if (synAck < 0 && !serverLater) refused = true; }
    else {
      // A bare ACK before any SYN-ACK, the client having sent only SYNs: the server's answer for
      // an older connection of the same four-tuple.
      if (synAck < 0 && !clientAck && syns.length && !(f & TcpFlag.Syn) && cols.tcpLen[i] === 0) staleAck = true;
      serverLater = true;
    }
  }
  if (!syns.length) return null;
  const attempts: number[] = [];
  for (const r of syns) {
    const prev = attempts[attempts.length - 1];
    if (prev === undefined || ctx.span(prev, r) >= COPY_SECONDS) attempts.push(r);
  }
  const gaps = attempts.slice(1).map((r, k) => ctx.span(attempts[k], r));
  const backoff = gaps.every((g, k) => k === 0 || g >= gaps[k - 1] * 0.8);
  const a0 = attempts[0];
  const same = attempts.every((r) => cols.mss[r] === cols.mss[a0] && cols.winRaw[r] === cols.winRaw[a0]
    && cols.wscale[r] === cols.wscale[a0] && cols.sackCount[r] === cols.sackCount[a0]);
  let fate: HandshakeFate;
  if (staleAck) fate = 'stale-ack';
  else if (synAck >= 0) fate = attempts.length > 1 ? 'delayed' : 'answered';
  else if (refused) fate = 'refused';
  else if (clientAck) fate = serverLater ? 'synack-unseen' : 'answered';
  else fate = attempts.length > 1 ? 'failed' : 'single';
  const cl = cd === 0;
  let last = m.rows[m.rows.length - 1];
  for (let p = m.rows.length - 1; p >= 0; p--) if (!m.copy[p]) { last = m.rows[p]; break; }
  return {
    m, client: cl ? m.addrA : m.addrB, server: cl ? m.addrB : m.addrA, cport: cl ? m.portA : m.portB, sport: cl ? m.portB : m.portA,
    syns, attempts, synAck, synAcks, fate, stackRetries: backoff && same, last, rst,
  };
}

/** "addr:port" key of a handshake's service. */
export const serviceKey = (h: Handshake): string => `${h.server}:${h.sport}`;
