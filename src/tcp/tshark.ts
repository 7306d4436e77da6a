/**
 * Values as tshark 4.0 prints them where its reading and ours differ on purpose (the analyzer's
 * columns keep ours; tests/unit/tsharkDifferences.test.ts lists every such case with its reason).
 * For the tshark-compatible `fields` output and the oracle comparison only.
 */
import type { PacketColumns } from '../decode/columns';
import type { TcpOutput } from './output';

/**
 * tcp.analysis.ack_rtt as tshark prints it: the time from the acknowledged segment to this ACK,
 * negative when the time stamps go backwards, and nothing (NaN) when it is exactly 0 or when the
 * packet acks no segment. Computed from the time stamps (seconds and nanoseconds apart, so no
 * precision is lost on epoch times).
 */
export function tsharkAckRtt(cols: PacketColumns, out: TcpOutput, row: number): number {
  const acked = out.acksFrame[row];
  if (acked < 0) return NaN;
  const ns = (cols.tsSec[row] - cols.tsSec[acked]) * 1e9 + (cols.tsNsec[row] - cols.tsNsec[acked]);
  return ns === 0 ? NaN : ns / 1e9;
}

/** One place where tshark 4.0's reading is wrong and ours differs on purpose. */
export interface TsharkDifference {
  /** Stable id, as named by tests/unit/tsharkDifferences.test.ts. */
  id: string;
  /** The tshark field or analysis flag where it shows. */
  field: string;
  tshark: string;
  ours: string;
  reason: string;
}

/**
 * Where tshark 4.0 is wrong and we keep our reading (each shown by a test in
 * tests/unit/tsharkDifferences.test.ts), for comparisons against tshark to list and discount.
 * (The `fields` output still prints tshark's ack_rtt: tsharkAckRtt.)
 */
export const TSHARK_DIFFERENCES: readonly TsharkDifference[] = [
  {
    id: 'ack-rtt-zero',
    field: 'tcp.analysis.ack_rtt',
    tshark: 'no RTT when the ACK has the same time stamp as the segment',
    ours: 'an RTT of 0 for charts and diagnoses (the fields output prints nothing, as tshark)',
    reason: 'with coarse time stamps (milliseconds or worse) 0 is a real sample: hiding it biases the RTT upwards',
  },
  {
    id: 'ack-rtt-negative',
    field: 'tcp.analysis.ack_rtt',
    tshark: 'a negative RTT when the time stamps go backwards',
    ours: 'no RTT sample for charts and diagnoses (the fields output prints the negative value, as tshark)',
    reason: 'a negative time is a clock step or a merge artefact, not a round trip',
  },
  {
    id: 'wscale-on-non-syn',
    field: 'tcp.window_size',
    tshark: 'a window-scale option on a packet without SYN changes the scale of the later windows of its side',
    ours: 'the scale comes from the SYN and SYN-ACK only',
    reason: 'RFC 7323 §2.2: the option is only meaningful on a SYN; elsewhere it must be ignored, as the hosts do',
  },
  {
    id: 'empty-sack-option',
    field: 'tcp.analysis.*',
    tshark: 'a SACK option with no block (length 2) makes the frame "malformed" and hides all its analysis flags',
    ours: 'the option is ignored and the frame is analysed (a duplicate ACK stays one)',
    reason: 'the rest of the header is sound; one bad option says nothing about the sequence numbers',
  },
  {
    id: 'fin-after-10000-unacked',
    field: 'tcp.analysis.ack_lost_segment, tcp.analysis.lost_segment',
    tshark: 'after 10,000 unacknowledged segments a FIN no longer counts its +1: the ACK of the FIN is "ACKed unseen segment", the sender\'s next packet "previous segment not captured"',
    ours: 'the FIN takes its sequence number whatever the length of the unacknowledged list: neither flag',
    reason: 'the cap bounds tshark\'s memory, it does not change what the FIN consumes; the ACK acknowledges data that was captured',
  },
];
