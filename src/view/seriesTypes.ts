/**
 * The time-sequence series of one direction of one TCP stream, as the worker hands it to the chart:
 * a few tables of primitive values in typed arrays (transferable without copying), never an array of
 * objects. Times are seconds since the capture start; sequence numbers are relative to the sender's
 * initial sequence number and unwrapped (they keep growing past 2^32).
 */

import type { HoleBands } from './holes';

// The values of SegFlag, AckFlag, MarkKind (and HoleKind in holes.ts) travel in snapshot links
// (src/share/snapshotWire.ts) as they are: never renumber one; add new bits after the last. A change
// of meaning needs a new snapshot version and an upgrader (src/share/snapshotUpgraders.ts);
// tests/unit/share-snapshot-upgrade.test.ts pins the values version 1 carries.

/** What a data segment mark carries (bit set). */
export const enum SegFlag {
  Retransmission = 1 << 0,
  FastRetransmission = 1 << 1,
  SpuriousRetransmission = 1 << 2,
  OutOfOrder = 1 << 3,
  /** "Previous segment not captured": a hole precedes this segment. */
  LostSegment = 1 << 4,
  /** IP total length above the chosen path MTU with DF set: what a black hole swallows. */
  Oversized = 1 << 5,
  Df = 1 << 6,
  Syn = 1 << 7,
  Fin = 1 << 8,
  Rst = 1 << 9,
  Psh = 1 << 10,
  KeepAlive = 1 << 11,
  ZeroWindowProbe = 1 << 12,
  WindowFull = 1 << 13,
  /** Decimated: this mark stands for `count` unflagged segments of one pixel column (min seq .. max end). */
  Envelope = 1 << 14,
  /** The same packet captured twice (another capture point, a duplicating capture): not a retransmission. */
  Copy = 1 << 15,
  /** The same bytes seen again at another size within microseconds (TSO/GSO/GRO): not a retransmission. */
  Offload = 1 << 16,
  /**
   * The stream graphs' marks only: an ACK of the receiver advertising a zero receive window (the
   * sequence chart's ACK points carry AckFlag.ZeroWindow instead).
   */
  ZeroWindow = 1 << 17,
}

/** Flags that make a segment an event: drawn on their own, not merged into an envelope. */
export const SEG_EVENT_FLAGS =
  SegFlag.Retransmission | SegFlag.FastRetransmission | SegFlag.SpuriousRetransmission | SegFlag.OutOfOrder |
  SegFlag.LostSegment | SegFlag.Oversized | SegFlag.Syn | SegFlag.Fin | SegFlag.Rst | SegFlag.KeepAlive |
  SegFlag.ZeroWindowProbe | SegFlag.WindowFull;

/** What an ACK point of the receiver carries (bit set). */
export const enum AckFlag {
  DuplicateAck = 1 << 0,
  ZeroWindow = 1 << 1,
  AckLostSegment = 1 << 2,
  WindowUpdate = 1 << 3,
  Sack = 1 << 4,
  /** The last ACK before the window, included so the step lines start at the left edge. */
  Before = 1 << 5,
}

export const ACK_EVENT_FLAGS = AckFlag.DuplicateAck | AckFlag.ZeroWindow | AckFlag.AckLostSegment;

/** Connection marks (bit set). */
export const enum MarkKind {
  Syn = 1,
  Fin = 2,
  Rst = 4,
}

export interface SeriesExtent {
  /** Seconds since the capture start of the stream's first and last packet (both directions). */
  t0: number;
  t1: number;
  /** Sequence range of the data, the ACKs and the SACK blocks of this direction. */
  seq0: number;
  seq1: number;
  /** Highest ACK + receive window advertised by the receiver (often far above seq1). */
  win1: number;
}

export interface StreamSeries {
  stream: number;
  /** Direction whose data is shown (0 = A→B, 1 = B→A); the ACKs are the other direction's. */
  dir: number;
  /** The time window served and the pixel width it was decimated for. */
  t0: number;
  t1: number;
  pixels: number;
  /** Path MTU the oversized marks were computed against (0: none). */
  pathMtu: number;
  extent: SeriesExtent;
  /** Data segments in the window before decimation; `decimated` when marks were merged. */
  segmentsInWindow: number;
  decimated: boolean;

  segCount: number;
  segTime: Float64Array;
  segSeq: Float64Array;
  /** seq + len (+1 for SYN or FIN, which take one sequence number). */
  segEnd: Float64Array;
  /** 1-based frame number (the first one of an envelope). */
  segFrame: Uint32Array;
  segLen: Uint32Array;
  /** Innermost IP total length (an envelope: the largest of its segments). */
  segIpLen: Uint32Array;
  segFlags: Uint32Array;
  /** Segments this mark stands for (1 unless SegFlag.Envelope). */
  segN: Uint32Array;

  ackCount: number;
  ackTime: Float64Array;
  ackSeq: Float64Array;
  /** ACK plus the scaled receive window (its right edge). */
  ackWin: Float64Array;
  ackFrame: Uint32Array;
  ackFlags: Uint16Array;

  sackCount: number;
  sackTime: Float64Array;
  sackLeft: Float64Array;
  sackRight: Float64Array;
  sackFrame: Uint32Array;
  /** 1 for a D-SACK block (duplicate data reported, RFC 2883). */
  sackDsack: Uint8Array;

  holes: HoleBands;

  markCount: number;
  markTime: Float64Array;
  markSeq: Float64Array;
  /** MarkKind bits. */
  markKind: Uint8Array;
  /** 0: sent by the data sender, 1: sent by the receiver. */
  markDir: Uint8Array;
  markFrame: Uint32Array;
}

/** The buffers to list in postMessage's transfer list (each typed array owns its buffer). */
export function seriesTransferables(s: StreamSeries): ArrayBuffer[] {
  const arrays = [
    s.segTime, s.segSeq, s.segEnd, s.segFrame, s.segLen, s.segIpLen, s.segFlags, s.segN,
    s.ackTime, s.ackSeq, s.ackWin, s.ackFrame, s.ackFlags,
    s.sackTime, s.sackLeft, s.sackRight, s.sackFrame, s.sackDsack,
    s.holes.t0, s.holes.t1, s.holes.seq0, s.holes.seq1, s.holes.kind, s.holes.open, s.holes.frame,
    s.markTime, s.markSeq, s.markKind, s.markDir, s.markFrame,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/**
 * Events that are rare by nature (loss, recovery, connection state): always drawn one by one. The
 * others (oversized, window full) describe a state that can hold for every segment of a stream, e.g.
 * with a path MTU below the real one; past a budget they merge per colour instead.
 */
export const SEG_RARE_EVENT_FLAGS = SEG_EVENT_FLAGS & ~(SegFlag.Oversized | SegFlag.WindowFull);
