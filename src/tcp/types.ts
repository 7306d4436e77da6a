/**
 * What the TCP analysis produces: per-frame columns (indexed like PacketColumns) and one record per
 * stream. Filled in one pass in capture order by TcpAnalyzer.process(cols, i).
 */

/** tcp.analysis.* flags, one bit each. */
export const enum TcpFlagBit {
  Retransmission = 1 << 0,
  FastRetransmission = 1 << 1,
  SpuriousRetransmission = 1 << 2,
  OutOfOrder = 1 << 3,
  LostSegment = 1 << 4, // "previous segment not captured"
  AckLostSegment = 1 << 5, // "ACKed unseen segment"
  DuplicateAck = 1 << 6,
  ZeroWindow = 1 << 7,
  ZeroWindowProbe = 1 << 8,
  ZeroWindowProbeAck = 1 << 9,
  WindowFull = 1 << 10,
  WindowUpdate = 1 << 11,
  KeepAlive = 1 << 12,
  KeepAliveAck = 1 << 13,
  ReusedPorts = 1 << 14,
}

/** Field names of the flags, in bit order, as tshark spells them after "tcp.analysis.". */
export const TCP_FLAG_NAMES = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'lost_segment',
  'ack_lost_segment',
  'duplicate_ack',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'window_full',
  'window_update',
  'keep_alive',
  'keep_alive_ack',
  'reused_ports',
] as const;

export type TcpFlagName = (typeof TCP_FLAG_NAMES)[number];

/** Window scale of one side: a shift 0..14, or one of these. */
export const WSCALE_UNKNOWN = -1; // handshake not seen: the window is shown unscaled
export const WSCALE_NONE = -2; // handshake seen without the option on both sides: no scaling

export interface TcpStreamInfo {
  index: number;
  /** Endpoint A = sender of the first packet seen (usually the client); B = the other. */
  addrA: number;
  portA: number;
  addrB: number;
  portB: number;
  ipVersion: number;
  /** Rows (0-based) of the stream's first and last packet. */
  firstRow: number;
  lastRow: number;
  packets: number;
  /** Per direction [A→B, B→A]. */
  packetsDir: [number, number];
  bytesDir: [number, number]; // TCP payload bytes
  /**
   * Raw initial sequence number per direction (base of relative numbers), or -1 when unknown.
   * Without a SYN it is the inferred base (first seq − 1, or first ack − 1), as tshark does.
   */
  isn: [number, number];
  mss: [number, number]; // 0 when not seen
  /** Shift 0..14, WSCALE_UNKNOWN (-1, no handshake seen) or WSCALE_NONE (-2, not in use). */
  wscale: [number, number];
  sackPermitted: boolean;
  synSeen: boolean;
  synAckSeen: boolean;
  finSeen: [boolean, boolean];
  rstSeen: [boolean, boolean];
  /** Handshake round-trip time (SYN → ACK of SYN/ACK), seconds, or -1. */
  irtt: number;
  /** Count of each flag (index = bit position in TcpFlagBit). */
  flagCounts: number[];
  /** Time of the first and last packet (seconds since the epoch, float). */
  firstTime: number;
  lastTime: number;
  /** Whether each side's base came from its SYN / SYN-ACK (true) or was inferred (false). */
  isnFromSyn: [boolean, boolean];
  /** tcp.completeness bits: SYN 1, SYN-ACK 2, ACK 4, DATA 8, FIN 16, RST 32. */
  completeness: number;
  /** Stream index this one replaced on the same address/port pair (port reuse), or -1. */
  previousStream: number;
}

/** tcp.completeness bits. */
export const enum Completeness {
  Syn = 1,
  SynAck = 2,
  Ack = 4,
  Data = 8,
  Fin = 16,
  Rst = 32,
}
