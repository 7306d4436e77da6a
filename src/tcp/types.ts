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

export interface TcpStreamInfo {
  index: number;
  /** Endpoint A = sender of the first packet seen (usually the client); B = the other. */
  addrA: number;
  portA: number;
  addrB: number;
  portB: number;
  ipVersion: number;
  firstFrame: number; // 0-based row
  lastFrame: number;
  packets: number;
  /** Per direction [A→B, B→A]. */
  packetsDir: [number, number];
  bytesDir: [number, number]; // TCP payload bytes
  /** Raw initial sequence number per direction (base of relative numbers), or -1 when unknown. */
  isn: [number, number];
  mss: [number, number]; // 0 when not seen
  wscale: [number, number]; // -1 absent, -2 unknown (no handshake)
  sackPermitted: boolean;
  synSeen: boolean;
  synAckSeen: boolean;
  finSeen: [boolean, boolean];
  rstSeen: [boolean, boolean];
  /** Handshake round-trip time (SYN → ACK of SYN/ACK), seconds, or -1. */
  irtt: number;
  /** Count of each flag (index = bit position in TcpFlagBit). */
  flagCounts: number[];
}
