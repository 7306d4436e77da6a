/**
 * What a capture reader hands on: one record at a time, through a sink, from chunks of any size.
 * The record object and its byte view are reused between calls (no allocation per packet):
 * copy what you keep before returning from `onRecord`.
 */

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng' | 'unknown';

/** One interface (pcapng IDB, or the single implicit interface of a classic pcap). */
export interface CaptureInterface {
  /** Index within the whole file (pcapng: across sections, in order of appearance). */
  id: number;
  linkType: number;
  snapLen: number;
  name: string | null;
  description: string | null;
  /** Time stamp units per second, e.g. 1e6 (pcap µs), 1e9, 2^n (pcapng if_tsresol). */
  tsUnitsPerSecond: number;
  /** pcapng if_tsoffset, seconds, added to every time stamp. */
  tsOffsetSeconds: number;
  /** Number of FCS bytes at the end of each packet (pcap FCS bits, pcapng if_fcslen), or 0. */
  fcsLen: number;
  /** pcapng section index this interface belongs to. */
  section: number;
}

/** A record as read, mutable and reused by the reader. */
export interface CaptureRecord {
  /** 0-based index of the packet record in the file (frame number - 1). */
  index: number;
  /** Byte offset of the record's header in the (decompressed) file. */
  fileOffset: number;
  /** Byte offset of the first packet byte in the (decompressed) file. */
  dataOffset: number;
  /** Integer seconds since the epoch. */
  tsSec: number;
  /** Nanoseconds within the second (0..999,999,999). */
  tsNsec: number;
  capturedLength: number;
  originalLength: number;
  interfaceId: number;
  linkType: number;
  /** The captured bytes; a view valid only during the onRecord call. */
  data: Uint8Array;
  /**
   * Allocation-free access to the same bytes: `buf[bufOffset .. bufOffset + capturedLength)`.
   * `buf` is the chunk (or the reader's carry buffer) the record lies in; `view` is a DataView over
   * exactly `buf` (view.getUint8(i) === buf[i]). Valid only during the onRecord call.
   */
  buf?: Uint8Array;
  bufOffset?: number;
  view?: DataView;
  /** FCS bytes at the end of this packet (pcapng epb_flags overrides the interface's), or 0. */
  fcsLen?: number;
  /** pcapng epb_flags (bits 0-1 direction: 1 inbound, 2 outbound), 0 when absent. */
  packetFlags?: number;
  /** False for pcapng Simple Packet Blocks, which carry no time stamp (tsSec = tsNsec = 0). */
  hasTimestamp?: boolean;
}

/** One block of a pcapng file (or the header of a classic pcap), as met; for tests and tools. */
export interface CaptureBlockInfo {
  /** Block type as read in the section's byte order (pcapng), e.g. 6 for EPB; -1 for a pcap file header. */
  type: number;
  /** Short name: SHB, IDB, EPB, SPB, PB, ISB, NRB, DSB, CB, DCB, or the hex type. */
  name: string;
  offset: number;
  length: number;
  /** pcapng section index (0-based). */
  section: number;
}

export type WarningKind =
  | 'truncated-record'
  | 'truncated-header'
  | 'bad-magic'
  | 'bad-block-length'
  | 'bad-record-length'
  | 'trailing-length-mismatch'
  | 'unknown-interface'
  | 'text-mode-corruption'
  | 'gzip-error'
  | 'unsupported-link-type'
  /** The packet table reached its memory budget or packet cap (or memory ran out): reading stopped there. */
  | 'memory-limit'
  | 'other';

/** A problem in the input: typed, placed at a byte offset, in words a person understands. */
export interface CaptureWarning {
  kind: WarningKind;
  /** Byte offset in the (decompressed) file where the damage starts. */
  offset: number;
  /** Number of the packet concerned (1-based), when there is one. */
  frame?: number;
  /** English text, e.g. "the file ends in the middle of packet 3,217 at byte 1,048,576: the capture was cut short". */
  message: string;
  /** Message key and values for translation. */
  key: string;
  params?: Record<string, string | number>;
  /** True when reading stopped here (nothing after it was read). */
  fatal: boolean;
}

export interface CaptureSink {
  onFormat?(format: CaptureFormat, info: { byteOrder: 'le' | 'be'; compressed: boolean; versionMajor: number; versionMinor: number }): void;
  onInterface?(iface: CaptureInterface): void;
  onRecord(record: CaptureRecord): void;
  onWarning?(warning: CaptureWarning): void;
  /** pcapng interface statistics (ISB): packets dropped by the capturing side, when reported. */
  onInterfaceStats?(stats: { interfaceId: number; received?: number; dropped?: number; osDropped?: number }): void;
  /** Every pcapng block (including skipped ones), in file order. */
  onBlock?(block: CaptureBlockInfo): void;
}

export interface CaptureReaderOptions {
  /**
   * Largest packet accepted (captured length), default 262,144 bytes like common readers; a
   * classic pcap record claiming more is treated as corruption.
   */
  maxRecordBytes?: number;
}

/** A push-mode reader: feed chunks of any size, then end(). Never throws on bad input. */
export interface CaptureReader {
  /** Nothing of `chunk` is kept once push returns: the caller may read the next bytes into it. */
  push(chunk: Uint8Array): void;
  end(): void;
  /** Total bytes of the (decompressed) stream consumed so far. */
  readonly bytesConsumed: number;
  /** True once a fatal problem stopped reading. */
  readonly stopped: boolean;
}
