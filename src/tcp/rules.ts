/**
 * Every rule that can raise a tcp.analysis flag, with a stable id (for translation and links) and
 * an English sentence whose {placeholders} are filled from the values recorded when it fired.
 * The analyzer stores, per flagged packet, the index of the rule that fired for each flag.
 */
import { TcpFlagBit } from './types';

export interface TcpRule {
  id: string;
  flag: TcpFlagBit;
  text: string;
}

/** Indices into TCP_RULES; stored per flag per flagged row (0 = none). */
export const enum Rule {
  None = 0,
  ZwpNextByte,
  ZeroWindow,
  LostSeqAboveNext,
  KeepAliveSeqBelowNext,
  WindowUpdateChanged,
  WindowUpdateZwpAccepted,
  WindowFullRightEdge,
  KeepAliveAckRepeats,
  ZwpAckRepeats,
  DupAckRepeats,
  DupAckWindowUpdateWithSack,
  AckLostAboveMax,
  FastRetransDupAcks,
  OutOfOrderSoonAfterHighest,
  SpuriousAlreadyAcked,
  RetransSeqBelowNext,
  ReusedNewIsn,
  ReusedAfterClose,
  ReusedSynAckNewIsn,
  RetransDuplicateCopy,
}

export const TCP_RULES: TcpRule[] = [
  { id: 'none', flag: 0 as TcpFlagBit, text: '' },
  {
    id: 'zwp.one-byte-at-next',
    flag: TcpFlagBit.ZeroWindowProbe,
    text: 'One byte at the next expected sequence number {nextseq} while the receiver advertises a zero window: a zero-window probe.',
  },
  {
    id: 'zerowin.advertised',
    flag: TcpFlagBit.ZeroWindow,
    text: 'The sender of this packet advertises a receive window of 0 bytes: its buffer is full, the other side must stop sending.',
  },
  {
    id: 'lost.seq-above-next',
    flag: TcpFlagBit.LostSegment,
    text: 'Sequence number {seq} is beyond the next expected {nextseq}: {gap} bytes before it were never seen (lost before the capture point, or the capture started mid-stream).',
  },
  {
    id: 'keep-alive.seq-next-minus-one',
    flag: TcpFlagBit.KeepAlive,
    text: 'A segment of {len} byte(s) at sequence {seq}, one below the next expected {nextseq}: a keep-alive (Linux also probes a zero window this way).',
  },
  {
    id: 'window-update.changed',
    flag: TcpFlagBit.WindowUpdate,
    text: 'No data and the same ACK {ack} as before, but the window changed from {prevWindow} to {window} (raw): a window update.',
  },
  {
    id: 'window-update.zwp-accepted',
    flag: TcpFlagBit.WindowUpdate,
    text: 'This ACK {ack} covers the zero-window probe byte just sent: the receiver accepted it, so the window opened.',
  },
  {
    id: 'window-full.right-edge',
    flag: TcpFlagBit.WindowFull,
    text: 'This segment ends at {end}, exactly the right edge of the receiver\'s window (ACK {revAck} + window {revWindowBytes} bytes): the sender has filled the window (window full).',
  },
  {
    id: 'keep-alive-ack.repeats',
    flag: TcpFlagBit.KeepAliveAck,
    text: 'An ACK repeating ACK {ack} and window {window} right after a keep-alive from the other side: the answer to the keep-alive.',
  },
  {
    id: 'zwp-ack.repeats',
    flag: TcpFlagBit.ZeroWindowProbeAck,
    text: 'A zero-window ACK {ack} right after a zero-window probe from the other side: the receiver still has no room.',
  },
  {
    id: 'dup-ack.repeats',
    flag: TcpFlagBit.DuplicateAck,
    text: 'No data, same ACK {ack}, same window and same sequence number as the previous packet of this side: duplicate ACK #{dupNum} of frame {dupFrame}.',
  },
  {
    id: 'dup-ack.window-update-with-sack',
    flag: TcpFlagBit.DuplicateAck,
    text: 'Same ACK {ack} with a changed window would be a window update, but it carries SACK blocks, so it reports received data past a hole: duplicate ACK #{dupNum} of frame {dupFrame}.',
  },
  {
    id: 'ack-lost.ack-above-seen',
    flag: TcpFlagBit.AckLostSegment,
    text: 'This packet acknowledges up to {ack}, but data of the other side was only seen up to {maxSeen}: the acknowledged segment was not captured.',
  },
  {
    id: 'fast-retrans.dup-acks',
    flag: TcpFlagBit.FastRetransmission,
    text: 'Data at {seq}, below the next expected {nextseq}, sent {dtMs} ms after the receiver\'s last packet (< 20 ms), which was duplicate ACK #{revDupAcks} asking for exactly {seq}: a fast retransmission.',
  },
  {
    id: 'ooo.soon-after-highest',
    flag: TcpFlagBit.OutOfOrder,
    text: 'Data at {seq}, below the highest sequence {nextseq}, arriving {dtMs} ms after the highest segment (less than {thresholdMs} ms, the {thresholdKind}): out of order (it may also be a quick retransmission).',
  },
  {
    id: 'spurious.already-acked',
    flag: TcpFlagBit.SpuriousRetransmission,
    text: 'Data {seq}-{end} was already acknowledged by the receiver (its last ACK is {revAck}): a spurious retransmission.',
  },
  {
    id: 'retrans.seq-below-next',
    flag: TcpFlagBit.Retransmission,
    text: 'Data at {seq}, below the next expected sequence {nextseq}, not a keep-alive, not a fast retransmission and not out of order: a retransmission ({rtoMs} ms after the highest segment).',
  },
  {
    id: 'reused.new-isn',
    flag: TcpFlagBit.ReusedPorts,
    text: 'A SYN with a new initial sequence number on the address/port pair of stream {prevStream}: a new connection reusing the ports.',
  },
  {
    id: 'reused.after-close',
    flag: TcpFlagBit.ReusedPorts,
    text: 'A SYN on the address/port pair of stream {prevStream}, which had already ended (FIN or RST seen): a new connection reusing the ports.',
  },
  {
    id: 'reused.synack-new-isn',
    flag: TcpFlagBit.ReusedPorts,
    text: 'A SYN-ACK with a new initial sequence number on the address/port pair of stream {prevStream}: a new connection reusing the ports (its SYN was not captured).',
  },
  {
    id: 'retrans.same-packet-again',
    flag: TcpFlagBit.Retransmission,
    text: 'Data at {seq}, below the next expected sequence {nextseq}: a retransmission.',
  },
];
