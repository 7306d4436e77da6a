/**
 * A stream's numbers, with or without findings: the handshake's round trip split at the capture
 * point, ACK round-trip samples per direction, bytes, throughput and goodput, what each side
 * announced in its SYN, retransmissions by the segments' fates (the diagnoses' decision, the one the
 * stream table counts), zero windows, and how the connection ended. One pass over the stream's rows.
 *
 * Everything is as the capture point sees it. Times are seconds, sizes bytes, rates bytes per
 * second. Unknown is null: no SYN seen from a side means its MSS, window scale, SACK and timestamp
 * options are unknown, and without both SYNs the advertised windows are raw header values.
 */
import { TcpFlag, type PacketColumns } from '../decode/columns';
import { TcpFlagBit, type TcpStreamInfo } from '../tcp/types';
import type { Direction } from '../types';

/** Per-row TCP results the numbers read (TcpAnalyzer's output). */
export interface StatsTcpRows {
  readonly dir: ArrayLike<number>;
  /** Scaled receive window (raw when the scale is unknown). */
  readonly window: ArrayLike<number>;
  /** TcpFlagBit bits. */
  readonly flags: ArrayLike<number>;
  /** Row of the segment this packet acknowledges, or -1. */
  readonly acksFrame: ArrayLike<number>;
  /** Seconds from that segment to this ACK, or -1. */
  readonly ackRtt: ArrayLike<number>;
}

/**
 * The fates of one direction's data segments (src/diagnose's delivery records): the transmissions
 * in capture order and which of them are retransmissions, the highest cumulative ACK.
 */
export interface StatsDelivery {
  /** Raw sequence number taken as relative 0. */
  readonly base: number;
  /** Highest cumulative ACK from the peer (relative), 0 when none. */
  readonly cumAck: number;
  readonly txs: {
    readonly length: number;
    readonly row: ArrayLike<number>;
    /** Relative sequence range [s, e). */
    readonly s: ArrayLike<number>;
    readonly e: ArrayLike<number>;
    /** Bytes sent before (or lost before the capture point) sent again: neither reordering nor an offload copy. */
    retransmission(k: number): boolean;
  };
}

export interface StreamStatsInput {
  cols: PacketColumns;
  tcp: StatsTcpRows;
  info: TcpStreamInfo;
  /** The stream's rows in capture order. */
  rows: ArrayLike<number>;
  /** The delivery records of a direction (null: none, e.g. a stream the diagnoses did not model). */
  delivery: (d: Direction) => StatsDelivery | null;
  /** Seconds of the capture's first frame: times below are relative to it. */
  t0: number;
}

/** Round-trip samples, seconds. */
export interface RttStats {
  samples: number;
  min: number | null;
  median: number | null;
  max: number | null;
  /** ACKs not used as samples by Karn's rule: they acknowledged a retransmitted segment, or came after one. */
  skipped: number;
}

export interface HandshakeStats {
  /** Direction of the side that sent the SYN (the client), null when no SYN was seen. */
  client: Direction | null;
  /** SYN → SYN/ACK at the capture point: the round trip between the capture point and the server. */
  synToSynAck: number | null;
  /** SYN/ACK → the client's ACK at the capture point: the round trip between the capture point and the client. */
  synAckToAck: number | null;
  /** Their sum: the whole round trip as the capture point sees it. */
  total: number | null;
  /**
   * The endpoint nearer the capture point (0 = A, 1 = B): the one whose leg is less than half the
   * other's; null when the legs are closer than that or one is unknown.
   */
  nearer: Direction | null;
  /** The SYN was sent more than once before the SYN/ACK: SYN → SYN/ACK is measured from the last one. */
  synRepeated: boolean;
}

/** What one endpoint sent, announced and advertised (index 0 = A, 1 = B). */
export interface SideStats {
  packets: number;
  /** TCP payload bytes, as the stream table counts them (retransmissions and capture copies included). */
  bytes: number;
  /** Data segments (capture copies not counted), and their payload bytes, retransmissions included. */
  dataSegments: number;
  sentBytes: number;
  /** Sequence space the data covered: each byte once. */
  uniqueBytes: number;
  /** Of those, bytes the peer acknowledged cumulatively. */
  deliveredBytes: number;
  /** Retransmitted segments and bytes, by the segments' fates (spurious re-sends included; reordering and offload copies not). */
  retransmittedSegments: number;
  retransmittedBytes: number;
  /** retransmittedBytes / sentBytes; null without data. */
  retransmissionRate: number | null;
  /** Seconds since the capture start of the first and last data segment; null without data. */
  dataStart: number | null;
  dataEnd: number | null;
  /** sentBytes over dataEnd − dataStart, bytes per second; null with fewer than two data segments. */
  throughput: number | null;
  /**
   * deliveredBytes from the first data segment to the ACK that covered them, bytes per second; null
   * when nothing was acknowledged or with fewer than two data segments. Both rates are over the
   * data's own span: on a request/response stream they measure the application's pace, not the path.
   */
  goodput: number | null;
  /** Round trips of this side's data: its segments to the peer's ACKs (Karn's rule applied). */
  ackRtt: RttStats;
  /** Options of this side's SYN (or SYN/ACK); all null when it was not seen. */
  synSeen: boolean;
  mss: number | null;
  /** Window-scale shift announced, null when not announced (or SYN not seen). */
  wscale: number | null;
  sackPermitted: boolean | null;
  timestamps: boolean | null;
  /**
   * Receive window this side advertised in its first packet (its SYN's is never scaled), and the
   * largest, bytes (raw header values when `windowsScaled` is false); RSTs not counted.
   */
  initialWindow: number | null;
  maxWindow: number | null;
  /** Packets advertising a window of zero. */
  zeroWindows: number;
  fin: boolean;
  rst: boolean;
}

export type CloseKind =
  /** FIN from both sides, no RST. */
  | 'fin'
  /** One side sent FIN, the other neither FIN nor RST by the capture's end. */
  | 'half-closed'
  /** A RST ended it (after FINs or not). */
  | 'reset'
  /** Neither FIN nor RST: still open when the capture ended. */
  | 'open';

export interface CloseStats {
  kind: CloseKind;
  /** Who sent the first FIN, and the first RST (0 = A, 1 = B), null when none. */
  firstFin: Direction | null;
  firstRst: Direction | null;
  /** Seconds since the capture start of the first FIN / RST. */
  finTime: number | null;
  rstTime: number | null;
}

export interface StreamStats {
  stream: number;
  /** Seconds since the capture start of the first packet, and from the first packet to the last. */
  start: number;
  duration: number;
  handshake: HandshakeStats;
  /** Window scaling, SACK and timestamps as negotiated (both SYNs carry the option); null when a SYN is missing. */
  negotiated: { windowScaling: boolean | null; sack: boolean | null; timestamps: boolean | null };
  /** The windows are in bytes (scale known, or no scaling); false: raw header values, the scale is unknown. */
  windowsScaled: boolean;
  sides: [SideStats, SideStats];
  close: CloseStats;
}

const RETRANS_BITS = TcpFlagBit.Retransmission | TcpFlagBit.FastRetransmission | TcpFlagBit.SpuriousRetransmission;

/** Below this ratio of one leg to the other, the capture point is said to be nearer that leg's endpoint. */
const NEARER_RATIO = 0.5;

function rttOf(samples: number[], skipped: number): RttStats {
  if (!samples.length) return { samples: 0, min: null, median: null, max: null, skipped };
  samples.sort((a, b) => a - b);
  const n = samples.length;
  const median = n % 2 ? samples[(n - 1) >> 1] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  return { samples: n, min: samples[0], median, max: samples[n - 1], skipped };
}

export function streamStats(input: StreamStatsInput): StreamStats {
  const { cols, tcp, info, rows } = input;
  const rel = (row: number) => cols.time(row) - input.t0;
  const n = rows.length;

  // Handshake rows and the SYN options of each side.
  let firstSyn = -1, lastSynBeforeSynAck = -1, synCount = 0, firstSynAck = -1, lastSynAck = -1, finalAck = -1;
  let clientDir: Direction | null = null;
  const synRow: [number, number] = [-1, -1];
  const firstRow: [number, number] = [-1, -1];
  const maxWin: [number, number] = [-1, -1];
  const zeroWin: [number, number] = [0, 0];
  let firstFin = -1, firstRst = -1;
  for (let p = 0; p < n; p++) {
    const r = rows[p];
    const d = (tcp.dir[r] & 1) as Direction;
    const hdr = cols.tcpFlags[r];
    if (hdr & TcpFlag.Syn) {
      if (synRow[d] < 0) synRow[d] = r;
      if (!(hdr & TcpFlag.Ack)) {
        if (firstSyn < 0) { firstSyn = r; clientDir = d; }
        if (d === clientDir && firstSynAck < 0) { lastSynBeforeSynAck = r; synCount++; }
      } else if (clientDir === null || d !== clientDir) {
        if (firstSynAck < 0) firstSynAck = r;
        if (finalAck < 0) lastSynAck = r;
      }
    } else if (firstSynAck >= 0 && finalAck < 0 && hdr & TcpFlag.Ack && !(hdr & TcpFlag.Rst) && d !== (tcp.dir[firstSynAck] & 1)
      && cols.ackRaw[r] === ((cols.seqRaw[lastSynAck] + 1) >>> 0)) {
      finalAck = r;
    }
    if (hdr & (TcpFlag.Ack | TcpFlag.Syn) && !(hdr & TcpFlag.Rst)) {
      // A RST's window says nothing about the receiver's buffer.
      if (firstRow[d] < 0) firstRow[d] = r;
      const w = tcp.window[r];
      if (w > maxWin[d]) maxWin[d] = w;
    }
    if (tcp.flags[r] & TcpFlagBit.ZeroWindow) zeroWin[d]++;
    if (hdr & TcpFlag.Fin && firstFin < 0) firstFin = r;
    if (hdr & TcpFlag.Rst && firstRst < 0) firstRst = r;
  }

  const synToSynAck = lastSynBeforeSynAck >= 0 && firstSynAck > lastSynBeforeSynAck ? cols.time(firstSynAck) - cols.time(lastSynBeforeSynAck) : null;
  const synAckToAck = finalAck >= 0 && lastSynAck >= 0 ? cols.time(finalAck) - cols.time(lastSynAck) : null;
  const serverDir: Direction | null = firstSynAck >= 0 ? ((tcp.dir[firstSynAck] & 1) as Direction) : clientDir === null ? null : ((1 - clientDir) as Direction);
  let nearer: Direction | null = null;
  if (synToSynAck !== null && synAckToAck !== null && serverDir !== null) {
    if (synToSynAck < synAckToAck * NEARER_RATIO) nearer = serverDir;
    else if (synAckToAck < synToSynAck * NEARER_RATIO) nearer = (1 - serverDir) as Direction;
  }
  const handshake: HandshakeStats = {
    client: clientDir ?? (serverDir === null ? null : ((1 - serverDir) as Direction)),
    synToSynAck, synAckToAck,
    total: synToSynAck !== null && synAckToAck !== null ? synToSynAck + synAckToAck : null,
    nearer, synRepeated: synCount > 1,
  };

  // Each side's data by the fates; Karn's rule for the ACK round trips.
  const deliveries = [input.delivery(0), input.delivery(1)];
  const retransRows = [new Set<number>(), new Set<number>()];
  for (const d of [0, 1] as const) {
    const dd = deliveries[d];
    if (!dd) continue;
    for (let k = 0; k < dd.txs.length; k++) if (dd.txs.retransmission(k)) retransRows[d].add(dd.txs.row[k]);
  }
  const isRetrans = (row: number, d: Direction) =>
    retransRows[d].has(row) || (cols.tcpLen[row] === 0 && (tcp.flags[row] & RETRANS_BITS) !== 0);
  const samples: [number[], number[]] = [[], []];
  const skipped = [0, 0];
  // Row of the latest retransmission each side sent so far: an ACK after it may answer it.
  const lastRetrans = [-1, -1];
  for (let p = 0; p < n; p++) {
    const r = rows[p];
    const d = (tcp.dir[r] & 1) as Direction;
    if (isRetrans(r, d)) lastRetrans[d] = r;
    const acked = tcp.acksFrame[r];
    const rtt = tcp.ackRtt[r];
    if (acked < 0 || rtt < 0) continue;
    const sender = (tcp.dir[acked] & 1) as Direction;
    if (sender === d) continue;
    if (isRetrans(acked, sender) || lastRetrans[sender] > acked) skipped[sender]++;
    else samples[sender].push(rtt);
  }

  const side = (d: Direction): SideStats => {
    const dd = deliveries[d];
    let sent = 0, retransBytes = 0, retransSegs = 0, lo = Infinity, hi = -Infinity, first = -1, last = -1;
    if (dd) {
      const txs = dd.txs;
      for (let k = 0; k < txs.length; k++) {
        const len = txs.e[k] - txs.s[k];
        sent += len;
        if (txs.retransmission(k)) { retransSegs++; retransBytes += len; }
        if (txs.s[k] < lo) lo = txs.s[k];
        if (txs.e[k] > hi) hi = txs.e[k];
      }
      if (txs.length) { first = txs.row[0]; last = txs.row[txs.length - 1]; }
    }
    const segs = dd?.txs.length ?? 0;
    const unique = segs ? hi - lo : 0;
    const delivered = dd && segs ? Math.max(0, Math.min(dd.cumAck, hi) - lo) : 0;
    const dataStart = first >= 0 ? rel(first) : null;
    const dataEnd = last >= 0 ? rel(last) : null;
    const span = dataStart !== null && dataEnd !== null ? dataEnd - dataStart : 0;
    let goodput: number | null = null;
    if (dd && delivered > 0 && segs >= 2) {
      // The first ACK from the peer that covered every delivered byte.
      const target = lo + delivered;
      for (let p = 0; p < n; p++) {
        const r = rows[p];
        if ((tcp.dir[r] & 1) === d || !(cols.tcpFlags[r] & TcpFlag.Ack)) continue;
        if (((cols.ackRaw[r] - dd.base) >>> 0) >= target && r > first) {
          const dt = cols.time(r) - cols.time(first);
          goodput = dt > 0 ? delivered / dt : null;
          break;
        }
      }
    }
    const syn = synRow[d];
    const seen = syn >= 0;
    return {
      packets: info.packetsDir[d],
      bytes: info.bytesDir[d],
      dataSegments: segs,
      sentBytes: sent,
      uniqueBytes: unique,
      deliveredBytes: delivered,
      retransmittedSegments: retransSegs,
      retransmittedBytes: retransBytes,
      retransmissionRate: sent > 0 ? retransBytes / sent : null,
      dataStart, dataEnd,
      throughput: segs >= 2 && span > 0 ? sent / span : null,
      goodput,
      ackRtt: rttOf(samples[d], skipped[d]),
      synSeen: seen,
      mss: seen && cols.mss[syn] > 0 ? cols.mss[syn] : null,
      wscale: seen && cols.wscale[syn] >= 0 ? cols.wscale[syn] : null,
      sackPermitted: seen ? cols.sackPerm[syn] !== 0 : null,
      timestamps: seen ? cols.hasTs[syn] !== 0 : null,
      initialWindow: firstRow[d] >= 0 ? tcp.window[firstRow[d]] : null,
      maxWindow: maxWin[d] >= 0 ? maxWin[d] : null,
      zeroWindows: zeroWin[d],
      fin: info.finSeen[d],
      rst: info.rstSeen[d],
    };
  };
  const sides: [SideStats, SideStats] = [side(0), side(1)];

  const both = synRow[0] >= 0 && synRow[1] >= 0;
  const negotiated = {
    windowScaling: both ? sides[0].wscale !== null && sides[1].wscale !== null : null,
    sack: both ? !!sides[0].sackPermitted && !!sides[1].sackPermitted : null,
    timestamps: both ? !!sides[0].timestamps && !!sides[1].timestamps : null,
  };

  const dirOf = (row: number): Direction | null => (row >= 0 ? ((tcp.dir[row] & 1) as Direction) : null);
  const finBoth = info.finSeen[0] && info.finSeen[1];
  const kind: CloseKind = firstRst >= 0 ? 'reset' : finBoth ? 'fin' : firstFin >= 0 ? 'half-closed' : 'open';
  return {
    stream: info.index,
    start: n ? rel(rows[0]) : 0,
    duration: n ? info.lastTime - info.firstTime : 0,
    handshake,
    negotiated,
    // The analyzer scales the windows when both SYNs were seen (WSCALE_NONE: no scaling, in bytes too).
    windowsScaled: info.wscale[0] !== -1 && info.wscale[1] !== -1,
    sides,
    close: {
      kind, firstFin: dirOf(firstFin), firstRst: dirOf(firstRst),
      finTime: firstFin >= 0 ? rel(firstFin) : null, rstTime: firstRst >= 0 ? rel(firstRst) : null,
    },
  };
}
