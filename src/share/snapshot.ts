/**
 * A snapshot of a finding's evidence: what the sequence chart draws for one stream, one direction
 * and one time window, plus the finding and its text. It travels inside a link so that somebody
 * without the capture can still see the chart and read the analysis (read-only).
 *
 * Times are seconds since the capture's first frame (the chart's x axis), held to microseconds on
 * the wire; sequence and ACK numbers are relative to the data sender's initial sequence number
 * (the chart's y axis); frames are 1-based frame numbers as the user sees them.
 */
import type { Endpoint } from './endpoint.js';

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

export type Direction = 'a' | 'b';

export interface SnapshotSegment {
  frame: number;
  t: number;
  /** Relative sequence number of the first payload byte. */
  seq: number;
  /** Payload bytes (0 for a bare SYN/FIN, which still occupies one sequence number). */
  len: number;
  /** TcpFlagBit bits (retransmission, out of order, ...). */
  flags: number;
  /** TCP header flags as on the wire (TcpFlag bits: SYN, FIN, RST ...). */
  tcpFlags: number;
  /** Total length of the outermost IP packet: what a path MTU limits. */
  ipLen: number;
  df: boolean;
}

export interface SnapshotAck {
  frame: number;
  t: number;
  /** Relative cumulative ACK (next byte expected). */
  ack: number;
  /** Receive window in bytes (already scaled). */
  win: number;
  flags: number;
  /** SACK blocks [left, right) as relative sequence numbers. */
  sack: [number, number][];
}

/** Bytes missing at the receiver: SACKed past but not ACKed, or "previous segment not captured". */
export interface SnapshotHole {
  t0: number;
  t1: number;
  left: number;
  right: number;
}

export interface FindingText {
  title: string;
  /** Paragraphs of plain text (never markup). */
  body: string[];
  /** Numbers that support the finding, as label/value pairs ready to show. */
  facts: [string, string][];
}

export type Severity = 'error' | 'warning' | 'info';

export interface SnapshotFinding {
  id: string;
  /** Diagnosis kind, e.g. "pmtu-blackhole". */
  kind: string;
  severity: Severity;
  /** Evidence frames (1-based). */
  frames: number[];
  /** The text in one or both languages. */
  text: Partial<Record<Lang, FindingText>>;
}

export interface SeriesSnapshot {
  stream: {
    index: number;
    /** Endpoint A sent the stream's first packet; B is the other one. */
    a: Endpoint;
    b: Endpoint;
    /** True when the capture holds the handshake, so A is known to be the client. */
    handshake: boolean;
  };
  /** The data sender whose bytes the chart shows. */
  direction: Direction;
  window: { t0: number; t1: number };
  /** Path MTU used to mark oversized packets, or null when none was chosen. */
  mtu: number | null;
  segments: SnapshotSegment[];
  acks: SnapshotAck[];
  holes: SnapshotHole[];
  finding: SnapshotFinding | null;
  /** True once maskAddresses() has replaced the addresses with placeholders. */
  masked: boolean;
}
