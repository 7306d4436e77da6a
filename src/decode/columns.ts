/**
 * The packet table: one row per frame, struct of arrays (growable typed arrays), so a million
 * packets cost a few dozen bytes each and no garbage. Writers fill the scratch row `cur` and call
 * `commit()`; readers index the arrays directly (`cols.seqRaw[i]`). Only what the analysis, the
 * diagnoses and the chart need is kept; everything else is re-decoded from the file by offset.
 */

import { DnsTable } from './dnsTable';
import { FragmentTally } from './reassembly';

export const enum L4 {
  None = 0,
  Tcp = 6,
  Udp = 17,
  Icmp = 1,
  Icmpv6 = 58,
  Other = 255,
}

/** Encapsulations peeled on the way to the innermost IP packet (bit set). */
export const enum Encap {
  None = 0,
  Ipip = 1, // IPv4 in IPv4 (proto 4) or IPv4/IPv6 in IPv6
  SixInFour = 2, // IPv6 in IPv4 (proto 41)
  Gre = 4,
  Vxlan = 8,
  Geneve = 16,
  Vlan = 32,
  Gtp = 64, // GTP-U (IP in UDP port 2152)
  /** IPv6 (or IPv4) in UDP: Teredo (port 3544), AYIYA (port 5072). */
  UdpIp = 128,
}

/** TCP header flag bits, as on the wire (tcp.flags). */
export const enum TcpFlag {
  Fin = 0x01,
  Syn = 0x02,
  Rst = 0x04,
  Psh = 0x08,
  Ack = 0x10,
  Urg = 0x20,
  Ece = 0x40,
  Cwr = 0x80,
  Ae = 0x100,
}

/** Per-frame decode anomalies (bit set). */
export const enum Anomaly {
  None = 0,
  Truncated = 1, // captured bytes end before the headers do
  BadIpHeader = 2,
  BadTcpOptions = 4,
  IpLenBeyondCaptured = 8, // snaplen: fine for analysis, noted
  Fragment = 16, // IP fragment (non-first or MF): no L4 analysis
  TunnelTooDeep = 32,
  /**
   * The rest of the frame is in an encapsulation not decoded (a link type, an EtherType, an LLC/SNAP
   * frame, a GRE protocol, a UDP tunnel, an IP protocol): what it was is in PacketColumns.notDecoded.
   * Ordinary traffic that carries no IP (ARP, LLDP, STP, CDP, ...) is not marked.
   */
  NotDecoded = 64,
  BadTcpHeader = 128, // data offset < 20 or beyond the IP payload
}

/** What hid the rest of a frame from the decoder (Anomaly.NotDecoded): the kind of a NotDecodedTally code. */
export const enum NotDecoded {
  /** Link type (LINKTYPE_*) not decoded. */
  LinkType = 1,
  /** EtherType not decoded, on a link layer, after VLAN tags or in a tunnel's inner Ethernet frame. */
  EtherType = 2,
  /** 802.3 (or FDDI, 802.11) frame with an LLC/SNAP header announcing this EtherType (IP is decoded there). */
  LlcSnap = 3,
  /** Protocol carried by GRE that is not peeled (PPTP's PPP, Frame Relay, Aruba's encrypted 802.11, ...). */
  GreProto = 4,
  /** UDP port of a tunnel that is not peeled (L2TP, CAPWAP, ...; GTP-U, Teredo, AYIYA carrying what is not IP). */
  UdpTunnel = 5,
  /** IP protocol that hides what it carries (ESP, AH over IPv4, EtherIP, L2TPv3, MPLS in IP). */
  IpProto = 6,
  /** BSD loopback address family other than IPv4 and IPv6. */
  LoopbackFamily = 7,
}

/** One number for a kind and its value (EtherType, port, ...): a small integer, so a Map key costs nothing. */
export function notDecodedCode(kind: NotDecoded, value: number): number {
  return kind * 0x1000000 + (value & 0xffffff);
}

export function notDecodedKind(code: number): NotDecoded {
  return Math.floor(code / 0x1000000) as NotDecoded;
}

export function notDecodedValue(code: number): number {
  return code & 0xffffff;
}

/**
 * Packets marked Anomaly.NotDecoded, counted per code (kind and value), with their first rows. Only
 * such rows touch it, and a Map of small integers allocates nothing once a code was seen; a capture
 * with more distinct codes than MAX_CODES (crafted, or garbage) counts the rest under code 0.
 */
export class NotDecodedTally {
  static readonly MAX_CODES = 256;
  static readonly FIRST_ROWS = 5;
  /** Packets per code. */
  readonly counts = new Map<number, number>();
  /** The first rows (0-based) per code, in capture order. */
  readonly rows = new Map<number, number[]>();
  /** Packets counted in all. */
  total = 0;
  private lastRow = -1;
  private lastCode = 0;

  add(code: number, row: number): void {
    if (!this.counts.has(code) && this.counts.size >= NotDecodedTally.MAX_CODES) code = 0;
    const c = this.counts.get(code) ?? 0;
    this.counts.set(code, c + 1);
    if (c < NotDecodedTally.FIRST_ROWS) {
      const rows = this.rows.get(code);
      if (rows) rows.push(row);
      else this.rows.set(code, [row]);
    }
    this.total++;
    this.lastRow = row;
    this.lastCode = code;
  }

  /** Forget row `row` when it was the last one counted (the table dropped it again). */
  drop(row: number): void {
    if (row !== this.lastRow) return;
    const code = this.lastCode;
    const c = this.counts.get(code) ?? 0;
    if (c <= 1) { this.counts.delete(code); this.rows.delete(code); }
    else {
      this.counts.set(code, c - 1);
      const rows = this.rows.get(code);
      if (rows && rows[rows.length - 1] === row) rows.pop();
    }
    this.total--;
    this.lastRow = -1;
  }
}


function grow<T extends Uint8Array | Uint16Array | Uint32Array | Int8Array | Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  // Exactly `need`: callers choose the doubling, so a memory budget can cap it.
  const b = new (a.constructor as { new (n: number): T })(need);
  b.set(a);
  return b;
}

/** Fields of one frame as the decoder fills them; copied into the columns by commit(). */
export interface PacketRow {
  tsSec: number;
  tsNsec: number;
  /** Byte offset of the record (its header) in the (decompressed) file. */
  fileOffset: number;
  /** Bytes from the record's header to its first packet byte (dataOffset - fileOffset; pcap 16, pcapng 12..28). */
  dataDelta: number;
  capLen: number;
  origLen: number;
  iface: number;
  /** Linux cooked capture packet type (0 host, 4 outgoing, ...), 255 when not SLL. */
  sllPktType: number;
  /** Linux cooked capture v2 interface index, or -1. */
  sllIfIndex: number;
  /** The outermost Ethernet header's source and destination (PacketColumns.macs ids), 0 without one. */
  ethSrc: number;
  ethDst: number;
  encap: number; // Encap bits
  /** Bytes of tunnel headers in front of the inner IP header (outer IP + UDP + VXLAN + inner Ethernet ...). */
  encapOverhead: number;
  /** Total length of the outermost IP packet (what a link MTU limits), 0 when no IP. */
  outerIpLen: number;
  outerDf: number;
  /** Innermost IP: 4, 6 or 0. */
  ipVersion: number;
  /** Innermost IP total length (IPv6: payload length + 40). */
  ipLen: number;
  ipId: number;
  ipDf: number;
  ipTtl: number;
  /** Interned address ids of the innermost IP header (see AddressTable). */
  src: number;
  dst: number;
  l4: number; // L4
  srcPort: number;
  dstPort: number;
  // TCP
  seqRaw: number;
  ackRaw: number;
  tcpFlags: number;
  tcpHdrLen: number;
  /** TCP payload length, from the IP header's lengths. */
  tcpLen: number;
  winRaw: number;
  mss: number; // 0 when absent
  wscale: number; // -1 when absent
  sackPerm: number;
  hasTs: number;
  tsval: number;
  tsecr: number;
  /** Number of SACK blocks (0..4); edges in sackEdges[sackIndex .. sackIndex + 2*n). */
  sackCount: number;
  /** First 4 payload bytes (big-endian), for cross-point matching; 0 when shorter. */
  payloadHead: number;
  // ICMP / ICMPv6 errors
  icmpType: number; // 255 when not ICMP
  icmpCode: number;
  /** Next-hop MTU of "fragmentation needed" / MTU of "packet too big", 0 otherwise. */
  icmpMtu: number;
  /** Quoted original packet: addresses (interned), ports, raw seq, IP total length. */
  qSrc: number;
  qDst: number;
  qSrcPort: number;
  qDstPort: number;
  qSeqRaw: number;
  qIpLen: number;
  anomalies: number;
  /** With Anomaly.NotDecoded: what was not decoded (notDecodedCode); counted in PacketColumns.notDecoded, not a column. */
  notDecoded: number;
}

export function emptyRow(): PacketRow {
  return {
    tsSec: 0, tsNsec: 0, fileOffset: 0, dataDelta: 0, capLen: 0, origLen: 0, iface: 0, sllPktType: 255, sllIfIndex: -1,
    ethSrc: 0, ethDst: 0, encap: 0, encapOverhead: 0, outerIpLen: 0, outerDf: 0, ipVersion: 0, ipLen: 0, ipId: 0, ipDf: 0, ipTtl: 0,
    src: 0, dst: 0, l4: 0, srcPort: 0, dstPort: 0, seqRaw: 0, ackRaw: 0, tcpFlags: 0, tcpHdrLen: 0, tcpLen: 0,
    winRaw: 0, mss: 0, wscale: -1, sackPerm: 0, hasTs: 0, tsval: 0, tsecr: 0, sackCount: 0, payloadHead: 0,
    icmpType: 255, icmpCode: 0, icmpMtu: 0, qSrc: 0, qDst: 0, qSrcPort: 0, qDstPort: 0, qSeqRaw: 0, qIpLen: 0,
    anomalies: 0, notDecoded: 0,
  };
}

/** Reset the scratch row before decoding the next frame (no allocation). */
export function clearRow(r: PacketRow): void {
  r.sllPktType = 255; r.sllIfIndex = -1; r.ethSrc = 0; r.ethDst = 0; r.encap = 0; r.encapOverhead = 0; r.outerIpLen = 0; r.outerDf = 0;
  r.ipVersion = 0; r.ipLen = 0; r.ipId = 0; r.ipDf = 0; r.ipTtl = 0; r.src = 0; r.dst = 0; r.l4 = 0;
  r.srcPort = 0; r.dstPort = 0; r.seqRaw = 0; r.ackRaw = 0; r.tcpFlags = 0; r.tcpHdrLen = 0; r.tcpLen = 0;
  r.winRaw = 0; r.mss = 0; r.wscale = -1; r.sackPerm = 0; r.hasTs = 0; r.tsval = 0; r.tsecr = 0; r.sackCount = 0;
  r.payloadHead = 0; r.icmpType = 255; r.icmpCode = 0; r.icmpMtu = 0; r.qSrc = 0; r.qDst = 0; r.qSrcPort = 0;
  r.qDstPort = 0; r.qSeqRaw = 0; r.qIpLen = 0; r.anomalies = 0; r.notDecoded = 0;
}

/**
 * Interned IP addresses: id 0 means "none". IPv4 addresses are keyed by their 32-bit value without
 * allocating; IPv6 addresses by a hash of their words, also without allocating (text made once per
 * distinct address).
 */
/**
 * The Ethernet addresses of a capture, interned: a row keeps two 16-bit ids (0: no Ethernet header;
 * beyond 65534 distinct addresses, 65535 for the rest).
 */
export class MacTable {
  private readonly ids = new Map<number, number>();
  /** "02:00:c6:12:01:02" by id; id 0 is "". */
  readonly text: string[] = [''];

  /** A direct-mapped cache before the Map (a capture holds few addresses, each seen on every packet). */
  private readonly cacheKey = new Float64Array(64).fill(-1);
  private readonly cacheId = new Uint16Array(64);

  intern(b: Uint8Array, o: number): number {
    const hi = (b[o] << 8) | b[o + 1];
    const lo = ((b[o + 2] << 24) | (b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]) >>> 0;
    const k = hi * 4294967296 + lo;
    const slot = (lo ^ (lo >>> 6) ^ hi) & 63;
    if (this.cacheKey[slot] === k) return this.cacheId[slot];
    let id = this.ids.get(k);
    if (id !== undefined) { this.cacheKey[slot] = k; this.cacheId[slot] = id; }
    if (id === undefined) {
      if (this.text.length >= 0xffff) return 0xffff;
      id = this.text.length;
      this.ids.set(k, id);
      const parts: string[] = [];
      for (let i = 0; i < 6; i++) parts.push(b[o + i].toString(16).padStart(2, '0'));
      this.text.push(parts.join(':'));
    }
    return id;
  }
}

export class AddressTable {
  private readonly v4 = new Map<number, number>();
  /** Hash of an IPv6 address → its first entry; entries: 4 words each, their id, the next entry with the same hash. */
  private readonly v6 = new Map<number, number>();
  private readonly v6Words: number[] = [];
  private readonly v6Ids: number[] = [];
  private readonly v6Next: number[] = [];
  /** Text form per id (index 0 unused). */
  readonly text: string[] = [''];
  /** 4 or 6 per id. */
  readonly family: number[] = [0];

  /** The address as a 32-bit value, signed or unsigned (the key is the signed form: a small integer). */
  internV4(value: number): number {
    const v = value | 0;
    let id = this.v4.get(v);
    if (id === undefined) {
      id = this.text.length;
      this.text.push(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`);
      this.family.push(4);
      this.v4.set(v, id);
    }
    return id;
  }

  /** bytes[off..off+16) is an IPv6 address. */
  internV6(bytes: Uint8Array, off: number): number {
    // Keyed without allocating: a 32-bit hash of the four words (a small integer key), the
    // addresses sharing a hash chained and compared word by word.
    const w0 = word(bytes, off), w1 = word(bytes, off + 4), w2 = word(bytes, off + 8), w3 = word(bytes, off + 12);
    let h = Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ w1 ^ (h >>> 15), 0xc2b2ae35);
    h = Math.imul(h ^ w2 ^ (h >>> 13), 0x85ebca6b);
    h = (h ^ w3 ^ (h >>> 16)) | 0;
    const words = this.v6Words;
    for (let k = this.v6.get(h) ?? -1; k >= 0; k = this.v6Next[k]) {
      if (words[4 * k] === w0 && words[4 * k + 1] === w1 && words[4 * k + 2] === w2 && words[4 * k + 3] === w3) return this.v6Ids[k];
    }
    const id = this.text.length;
    this.text.push(formatIpv6(bytes, off));
    this.family.push(6);
    const k = this.v6Ids.length;
    words.push(w0, w1, w2, w3);
    this.v6Ids.push(id);
    this.v6Next.push(this.v6.get(h) ?? -1);
    this.v6.set(h, k);
    return id;
  }
}

/** Four bytes as a signed 32-bit integer (a small integer for V8: no allocation). */
function word(b: Uint8Array, off: number): number {
  return (b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3];
}

/** RFC 5952 text form (lower case, longest zero run compressed), as Wireshark prints it. */
export function formatIpv6(b: Uint8Array, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (x: number) => x.toString(16);
  if (bestStart < 0) return g.map(hex).join(':');
  const head = g.slice(0, bestStart).map(hex).join(':');
  const tail = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** The packet table. */
export class PacketColumns {
  length = 0;
  private cap = 0;
  readonly addresses = new AddressTable();
  /** The scratch row writers fill before commit() (the decoder owns it while decoding). */
  readonly cur: PacketRow = emptyRow();
  /** SACK edges (raw, absolute): pairs left,right; row i's blocks start at sackIndex[i]. */
  sackEdges = new Uint32Array(1024);
  sackEdgesLength = 0;
  /** Rows whose encapsulation was not decoded (Anomaly.NotDecoded): how many of each kind, and the first ones. */
  readonly notDecoded = new NotDecodedTally();
  /** What became of the IP fragments (filled by the decoder's reassembler; datagrams never completed are counted at the end). */
  readonly fragments = new FragmentTally();
  /** DNS messages (UDP 53/5353, TCP 53), a side table filled by the decoder for those rows only. */
  readonly dns = new DnsTable();
  /** Ethernet addresses (the outermost header's), for `ethSrc` / `ethDst`. */
  readonly macs = new MacTable();
  /**
   * Rows of ICMP errors quoting a UDP header, ascending (a short list, only those rows): tshark gives
   * them the quoted conversation's udp.stream (src/view/udp.ts).
   */
  readonly icmpQuotedUdp: number[] = [];

  tsSec = new Float64Array(0);
  tsNsec = new Uint32Array(0);
  fileOffset = new Float64Array(0);
  dataDelta = new Uint8Array(0);
  capLen = new Uint32Array(0);
  origLen = new Uint32Array(0);
  iface = new Uint16Array(0);
  sllPktType = new Uint8Array(0);
  sllIfIndex = new Int32Array(0);
  ethSrc = new Uint16Array(0);
  ethDst = new Uint16Array(0);
  encap = new Uint8Array(0);
  encapOverhead = new Uint16Array(0);
  outerIpLen = new Uint32Array(0);
  outerDf = new Uint8Array(0);
  ipVersion = new Uint8Array(0);
  ipLen = new Uint32Array(0);
  ipId = new Uint16Array(0);
  ipDf = new Uint8Array(0);
  ipTtl = new Uint8Array(0);
  src = new Uint32Array(0);
  dst = new Uint32Array(0);
  l4 = new Uint8Array(0);
  srcPort = new Uint16Array(0);
  dstPort = new Uint16Array(0);
  seqRaw = new Uint32Array(0);
  ackRaw = new Uint32Array(0);
  tcpFlags = new Uint16Array(0);
  tcpHdrLen = new Uint8Array(0);
  tcpLen = new Uint32Array(0);
  winRaw = new Uint16Array(0);
  mss = new Uint16Array(0);
  /** Window-scale shift of the option, clamped to 14 (RFC 7323; tshark clamps too: a shift of 255 must not read as −1, "absent"); −1 when absent. */
  wscale = new Int8Array(0);
  sackPerm = new Uint8Array(0);
  hasTs = new Uint8Array(0);
  tsval = new Uint32Array(0);
  tsecr = new Uint32Array(0);
  sackCount = new Uint8Array(0);
  sackIndex = new Uint32Array(0);
  payloadHead = new Uint32Array(0);
  icmpType = new Uint8Array(0);
  icmpCode = new Uint8Array(0);
  icmpMtu = new Uint16Array(0);
  qSrc = new Uint32Array(0);
  qDst = new Uint32Array(0);
  qSrcPort = new Uint16Array(0);
  qDstPort = new Uint16Array(0);
  qSeqRaw = new Uint32Array(0);
  qIpLen = new Uint32Array(0);
  anomalies = new Uint8Array(0);

  constructor(initialCapacity = 4096, maxRows = Infinity) {
    this.maxRows = maxRows;
    this.ensure(initialCapacity);
  }

  /**
   * Most rows the table may hold (a memory budget, set by CaptureSession): growth stops there
   * instead of doubling past it. The session refuses rows beyond it.
   */
  maxRows = Infinity;

  /**
   * Capacity to grow to when `need` rows do not fit, from what the caller knows of the input (the
   * session estimates the final row count from the file size), or 0 to double. Doubling leaves the
   * old and the new arrays alive together at 1.5× the final size; an estimate grows once, to about
   * the final size.
   */
  planCapacity: ((need: number, cap: number) => number) | null = null;

  private ensure(n: number): void {
    if (n <= this.cap) return;
    let c = this.planCapacity?.(n, this.cap) ?? 0;
    if (!(c >= n)) {
      c = Math.max(this.cap * 2, 1024);
      while (c < n) c *= 2;
    }
    c = Math.max(n, Math.min(c, this.maxRows));
    this.tsSec = grow(this.tsSec, c); this.tsNsec = grow(this.tsNsec, c); this.fileOffset = grow(this.fileOffset, c);
    this.dataDelta = grow(this.dataDelta, c);
    this.capLen = grow(this.capLen, c); this.origLen = grow(this.origLen, c); this.iface = grow(this.iface, c);
    this.sllPktType = grow(this.sllPktType, c); this.sllIfIndex = grow(this.sllIfIndex, c);
    this.ethSrc = grow(this.ethSrc, c); this.ethDst = grow(this.ethDst, c);
    this.encap = grow(this.encap, c); this.encapOverhead = grow(this.encapOverhead, c);
    this.outerIpLen = grow(this.outerIpLen, c); this.outerDf = grow(this.outerDf, c);
    this.ipVersion = grow(this.ipVersion, c); this.ipLen = grow(this.ipLen, c); this.ipId = grow(this.ipId, c);
    this.ipDf = grow(this.ipDf, c); this.ipTtl = grow(this.ipTtl, c); this.src = grow(this.src, c);
    this.dst = grow(this.dst, c); this.l4 = grow(this.l4, c); this.srcPort = grow(this.srcPort, c);
    this.dstPort = grow(this.dstPort, c); this.seqRaw = grow(this.seqRaw, c); this.ackRaw = grow(this.ackRaw, c);
    this.tcpFlags = grow(this.tcpFlags, c); this.tcpHdrLen = grow(this.tcpHdrLen, c); this.tcpLen = grow(this.tcpLen, c);
    this.winRaw = grow(this.winRaw, c); this.mss = grow(this.mss, c); this.wscale = grow(this.wscale, c);
    this.sackPerm = grow(this.sackPerm, c); this.hasTs = grow(this.hasTs, c); this.tsval = grow(this.tsval, c);
    this.tsecr = grow(this.tsecr, c); this.sackCount = grow(this.sackCount, c); this.sackIndex = grow(this.sackIndex, c);
    this.payloadHead = grow(this.payloadHead, c); this.icmpType = grow(this.icmpType, c);
    this.icmpCode = grow(this.icmpCode, c); this.icmpMtu = grow(this.icmpMtu, c); this.qSrc = grow(this.qSrc, c);
    this.qDst = grow(this.qDst, c); this.qSrcPort = grow(this.qSrcPort, c); this.qDstPort = grow(this.qDstPort, c);
    this.qSeqRaw = grow(this.qSeqRaw, c); this.qIpLen = grow(this.qIpLen, c); this.anomalies = grow(this.anomalies, c);
    // Only now: when an allocation above fails (RangeError), the capacity stays what every column has.
    this.cap = c;
  }

  /** Append a SACK block for the row being built (call before commit); edges signed or unsigned 32-bit. */
  pushSack(left: number, right: number): void {
    if (this.sackEdgesLength + 2 > this.sackEdges.length) this.sackEdges = grow(this.sackEdges, Math.max(this.sackEdges.length * 2, this.sackEdgesLength + 2));
    // The Uint32Array stores either form as the unsigned value.
    this.sackEdges[this.sackEdgesLength++] = left;
    this.sackEdges[this.sackEdgesLength++] = right;
  }

  /** Start of the SACK edges the next committed row will own. */
  private pendingSackStart = 0;

  /** Copy the scratch row into the columns; returns its index. */
  commit(r: PacketRow): number {
    const i = this.length;
    if (i >= this.cap) this.ensure(i + 1);
    this.tsSec[i] = r.tsSec; this.tsNsec[i] = r.tsNsec; this.fileOffset[i] = r.fileOffset;
    this.dataDelta[i] = r.dataDelta;
    this.capLen[i] = r.capLen; this.origLen[i] = r.origLen; this.iface[i] = r.iface;
    this.sllPktType[i] = r.sllPktType; this.sllIfIndex[i] = r.sllIfIndex; this.encap[i] = r.encap;
    this.ethSrc[i] = r.ethSrc; this.ethDst[i] = r.ethDst;
    this.encapOverhead[i] = r.encapOverhead; this.outerIpLen[i] = r.outerIpLen; this.outerDf[i] = r.outerDf;
    this.ipVersion[i] = r.ipVersion; this.ipLen[i] = r.ipLen; this.ipId[i] = r.ipId; this.ipDf[i] = r.ipDf;
    this.ipTtl[i] = r.ipTtl; this.src[i] = r.src; this.dst[i] = r.dst; this.l4[i] = r.l4;
    this.srcPort[i] = r.srcPort; this.dstPort[i] = r.dstPort; this.seqRaw[i] = r.seqRaw; this.ackRaw[i] = r.ackRaw;
    this.tcpFlags[i] = r.tcpFlags; this.tcpHdrLen[i] = r.tcpHdrLen; this.tcpLen[i] = r.tcpLen; this.winRaw[i] = r.winRaw;
    this.mss[i] = r.mss; this.wscale[i] = r.wscale > 14 ? 14 : r.wscale; this.sackPerm[i] = r.sackPerm; this.hasTs[i] = r.hasTs;
    this.tsval[i] = r.tsval; this.tsecr[i] = r.tsecr;
    this.sackCount[i] = (this.sackEdgesLength - this.pendingSackStart) >> 1;
    this.sackIndex[i] = this.pendingSackStart;
    this.pendingSackStart = this.sackEdgesLength;
    this.payloadHead[i] = r.payloadHead; this.icmpType[i] = r.icmpType; this.icmpCode[i] = r.icmpCode;
    this.icmpMtu[i] = r.icmpMtu; this.qSrc[i] = r.qSrc; this.qDst[i] = r.qDst; this.qSrcPort[i] = r.qSrcPort;
    this.qDstPort[i] = r.qDstPort; this.qSeqRaw[i] = r.qSeqRaw; this.qIpLen[i] = r.qIpLen; this.anomalies[i] = r.anomalies;
    if (r.notDecoded !== 0) this.notDecoded.add(r.notDecoded, i);
    this.length = i + 1;
    return i;
  }

  /** Drop SACK edges pushed for a row that is not committed after all. */
  discardPendingSack(): void {
    this.sackEdgesLength = this.pendingSackStart;
  }

  /** Time of row i in seconds as a float (relative use only; precise value is tsSec + tsNsec). */
  time(i: number): number {
    return this.tsSec[i] + this.tsNsec[i] / 1e9;
  }

  /** Rows the columns can hold before they grow. */
  get capacity(): number {
    return this.cap;
  }

  /** Bytes retained per packet by the columns (capacity-independent). */
  static bytesPerRow(): number {
    return 1 /* dataDelta */ + 2 + 2 /* ethSrc, ethDst */ + 8 + 4 + 8 + 4 + 4 + 2 + 1 + 4 + 1 + 2 + 4 + 1 + 1 + 4 + 2 + 1 + 1 + 4 + 4 + 1 + 2 + 2 + 4 + 4 + 2 + 1 + 4 + 2 + 2 + 1 + 1 + 1 + 4 + 4 + 1 + 4 + 4 + 1 + 1 + 2 + 4 + 4 + 2 + 2 + 4 + 4 + 1;
  }
}

/** Something that consumes rows in capture order as they are committed (e.g. the TCP analyzer). */
export interface RowProcessor {
  process(cols: PacketColumns, row: number): void;
  /** Called once after the last row. */
  finish?(cols: PacketColumns): void;
}
