/**
 * The packet list's Protocol and Info columns, in the style of Wireshark's (tshark's
 * `_ws.col.Protocol`, `_ws.col.Info`) for what we decode: TCP from the packet table and the TCP
 * analysis ("[TCP Retransmission] 49152 → 443 [PSH, ACK] Seq=1 Ack=1 Win=502 Len=100"), UDP ports,
 * ICMP and ICMPv6 type and code, and, from the frame's bytes re-read on demand for the rows on
 * screen, ARP, DNS, echo identifiers, neighbour discovery targets and non-IP EtherTypes.
 *
 * Everything is a function of one row (plus its bytes when `needsFrame` says so): nothing here runs
 * per packet at load.
 */

import { arpInfo, parseArp } from '../decode/arp';
import { L4, TcpFlag, formatIpv6, type PacketColumns } from '../decode/columns';
import type { DetailLayer } from '../decode/detail';
import { dnsInfo, parseDns } from '../decode/dns';
import { TcpFlagBit } from '../tcp/types';
import { u16 } from '../decode/bytes';

/** Per-row TCP analysis results the list reads (the analysis's `tcp`). */
export interface ListTcp {
  stream: ArrayLike<number>;
  dir: ArrayLike<number>;
  seq: ArrayLike<number>;
  ack: ArrayLike<number>;
  window: ArrayLike<number>;
  flags: ArrayLike<number>;
  /** tcp.analysis.duplicate_ack_num and the row of the original ACK (-1): "[TCP Dup ACK 12#1]". */
  dupAckNum?: ArrayLike<number>;
  dupAckFrame?: ArrayLike<number>;
  streams: readonly { isn: [number, number]; firstRow: number }[];
}

export interface ListSource {
  cols: PacketColumns;
  tcp: ListTcp;
}

/** A frame re-read from the file: its bytes and their decode (src/decode/detail.ts). */
export interface FrameView {
  bytes: Uint8Array;
  layers: DetailLayer[];
  /** For an echo reply: the frame number of its request, when found (echoRequestCandidates, echoKey). */
  requestIn?: number;
}

/**
 * The protocol as the packet table alone tells it, in the order the Protocol column sorts: non-IP
 * frames (which need their bytes to be named) first, then by name.
 */
export const enum ListProto {
  NonIp = 0,
  Arp, // only with the frame's bytes
  Dns,
  Icmp,
  Icmpv6,
  IPv4,
  IPv6,
  Llmnr,
  Mdns,
  Tcp,
  Udp,
}

const PROTO_NAMES = ['', 'ARP', 'DNS', 'ICMP', 'ICMPv6', 'IPv4', 'IPv6', 'LLMNR', 'MDNS', 'TCP', 'UDP'];

function isDnsPort(p: number): boolean {
  return p === 53;
}

/** The protocol of `row` from the columns alone (ListProto.NonIp: the bytes are needed to say). */
export function listProto(cols: PacketColumns, row: number): ListProto {
  switch (cols.l4[row]) {
    case L4.Tcp: return ListProto.Tcp;
    case L4.Icmp: return ListProto.Icmp;
    case L4.Icmpv6: return ListProto.Icmpv6;
    case L4.Udp: {
      const s = cols.srcPort[row], d = cols.dstPort[row];
      if (cols.encap[row] !== 0 && (s === 4789 || d === 4789)) return ListProto.Udp;
      if (isDnsPort(s) || isDnsPort(d)) return ListProto.Dns;
      if (s === 5353 || d === 5353) return ListProto.Mdns;
      if (s === 5355 || d === 5355) return ListProto.Llmnr;
      return ListProto.Udp;
    }
  }
  if (cols.ipVersion[row] === 4) return ListProto.IPv4;
  if (cols.ipVersion[row] === 6) return ListProto.IPv6;
  return ListProto.NonIp;
}

export function listProtoName(p: ListProto): string {
  return PROTO_NAMES[p];
}

const ICMP_ERROR_V4 = new Set([3, 4, 5, 11, 12]);

/**
 * Whether the Info line of `row` needs the frame's bytes: TCP handshake options (their order),
 * UDP (its length, DNS), ICMP other than errors (echo identifiers, neighbour discovery), other IP
 * protocols and everything that is not IP.
 */
export function needsFrame(cols: PacketColumns, row: number): boolean {
  switch (cols.l4[row]) {
    case L4.Tcp: return (cols.tcpFlags[row] & TcpFlag.Syn) !== 0 || (cols.tcpLen[row] > 0 && (cols.srcPort[row] === 53 || cols.dstPort[row] === 53));
    case L4.Icmp: return !ICMP_ERROR_V4.has(cols.icmpType[row]);
    case L4.Icmpv6: return cols.icmpType[row] >= 128;
    default: return true;
  }
}

/** What the list shows of one row besides its number, time and length. */
export interface RowText {
  protocol: string;
  info: string;
  /** Source and destination: the innermost IP addresses, or the link-layer ones of a non-IP frame. */
  src: string;
  dst: string;
}

// ---------------------------------------------------------------------------------------------- TCP

const FLAG_WORDS: [number, string][] = [
  [TcpFlag.Fin, 'FIN'], [TcpFlag.Syn, 'SYN'], [TcpFlag.Rst, 'RST'], [TcpFlag.Psh, 'PSH'], [TcpFlag.Ack, 'ACK'],
  [TcpFlag.Urg, 'URG'], [TcpFlag.Ece, 'ECE'], [TcpFlag.Cwr, 'CWR'], [TcpFlag.Ae, 'AE'],
];

/** "[SYN, ACK]"'s inside: the set flags, FIN first; "<None>" when none is. */
export function tcpFlagWords(flags: number): string {
  const w = FLAG_WORDS.filter(([bit]) => (flags & bit) !== 0).map(([, s]) => s);
  return w.length ? w.join(', ') : '<None>';
}

/**
 * The analysis flags' bracketed words in front of the Info line, in the order tshark puts them
 * (the last one its analysis notes comes first).
 */
export function tcpAnalysisPrefix(flags: number, dupAck?: { num: number; frame: number }): string {
  if (flags === 0) return '';
  let s = '';
  const add = (w: string) => { s += `[${w}] `; };
  if (flags & TcpFlagBit.ReusedPorts) add('TCP Port numbers reused');
  if (flags & TcpFlagBit.ZeroWindowProbeAck) add('TCP ZeroWindowProbeAck');
  if (flags & TcpFlagBit.ZeroWindow) add('TCP ZeroWindow');
  if (flags & TcpFlagBit.ZeroWindowProbe) add('TCP ZeroWindowProbe');
  if (flags & TcpFlagBit.DuplicateAck) add(dupAck && dupAck.num > 0 ? `TCP Dup ACK ${dupAck.frame}#${dupAck.num}` : 'TCP Dup ACK');
  if (flags & TcpFlagBit.KeepAliveAck) add('TCP Keep-Alive ACK');
  if (flags & TcpFlagBit.KeepAlive) add('TCP Keep-Alive');
  if (flags & TcpFlagBit.WindowFull) add('TCP Window Full');
  if (flags & TcpFlagBit.WindowUpdate) add('TCP Window Update');
  if (flags & TcpFlagBit.AckLostSegment) add('TCP ACKed unseen segment');
  if (flags & TcpFlagBit.LostSegment) add('TCP Previous segment not captured');
  if (flags & TcpFlagBit.SpuriousRetransmission) add('TCP Spurious Retransmission');
  else if (flags & TcpFlagBit.FastRetransmission) add('TCP Fast Retransmission');
  else if (flags & TcpFlagBit.Retransmission) add('TCP Retransmission');
  if (flags & TcpFlagBit.OutOfOrder) add('TCP Out-Of-Order');
  return s;
}

/** A SACK edge relative to the other direction's initial sequence number (raw when unknown). */
function relEdge(raw: number, isn: number): number {
  return isn >= 0 ? (raw - isn) >>> 0 : raw >>> 0;
}

function tcpOptionsText(src: ListSource, row: number, frame: FrameView | null): string {
  const { cols, tcp } = src;
  const stream = tcp.stream[row];
  const other = tcp.dir[row] ? 0 : 1;
  const isnOther = stream >= 0 ? tcp.streams[stream]?.isn[other] ?? -1 : -1;
  const parts: string[] = [];
  const layer = frame ? lastLayer(frame.layers, 'TCP') : null;
  if (layer) {
    // The options in the order they are on the wire.
    for (const f of layer.fields) {
      switch (f.key) {
        case 'tcp.options.mss_val': parts.push(`MSS=${f.value}`); break;
        case 'tcp.options.sack_perm': parts.push('SACK_PERM'); break;
        case 'tcp.options.timestamp.tsval': parts.push(`TSval=${f.value}`); break;
        case 'tcp.options.timestamp.tsecr': parts.push(`TSecr=${f.value}`); break;
        case 'tcp.options.wscale.multiplier': parts.push(`WS=${f.value}`); break;
        case 'tcp.options.sack_le_raw': parts.push(`SLE=${relEdge(Number(f.value), isnOther)}`); break;
        case 'tcp.options.sack_re_raw': parts.push(`SRE=${relEdge(Number(f.value), isnOther)}`); break;
      }
    }
    return parts.join(' ');
  }
  // From the columns: the order Linux writes them in.
  if (cols.mss[row] > 0) parts.push(`MSS=${cols.mss[row]}`);
  if (cols.sackPerm[row]) parts.push('SACK_PERM');
  if (cols.hasTs[row]) parts.push(`TSval=${cols.tsval[row]}`, `TSecr=${cols.tsecr[row]}`);
  if (cols.wscale[row] >= 0) parts.push(`WS=${2 ** cols.wscale[row]}`);
  const n = cols.sackCount[row], at = cols.sackIndex[row];
  for (let k = 0; k < n; k++) {
    parts.push(`SLE=${relEdge(cols.sackEdges[at + 2 * k], isnOther)}`, `SRE=${relEdge(cols.sackEdges[at + 2 * k + 1], isnOther)}`);
  }
  return parts.join(' ');
}

/** The Info line of a TCP row. */
export function tcpInfo(src: ListSource, row: number, frame: FrameView | null = null): string {
  const { cols, tcp } = src;
  const flags = cols.tcpFlags[row];
  const dupNum = tcp.dupAckNum?.[row] ?? 0;
  const dupRow = tcp.dupAckFrame?.[row] ?? -1;
  let s = tcpAnalysisPrefix(tcp.flags[row], dupNum > 0 && dupRow >= 0 ? { num: dupNum, frame: dupRow + 1 } : undefined);
  s += `${cols.srcPort[row]} → ${cols.dstPort[row]} [${tcpFlagWords(flags)}] Seq=${tcp.seq[row]}`;
  if (flags & TcpFlag.Ack) s += ` Ack=${tcp.ack[row]}`;
  s += ` Win=${tcp.window[row]} Len=${cols.tcpLen[row]}`;
  const opts = tcpOptionsText(src, row, frame);
  return opts ? `${s} ${opts}` : s;
}

// --------------------------------------------------------------------------------------------- ICMP

const ICMP4: Record<number, [string, Record<number, string>?]> = {
  0: ['Echo (ping) reply'],
  3: ['Destination unreachable', {
    0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed',
    5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown', 8: 'Source host isolated',
    9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 11: 'Network unreachable for TOS',
    12: 'Host unreachable for TOS', 13: 'Communication administratively filtered', 14: 'Host precedence violation',
    15: 'Precedence cutoff in effect',
  }],
  4: ['Source quench (flow control)'],
  5: ['Redirect', { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' }],
  8: ['Echo (ping) request'],
  9: ['Router advertisement'],
  10: ['Router solicitation'],
  11: ['Time-to-live exceeded', { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' }],
  12: ['Parameter problem', { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' }],
  13: ['Timestamp request'],
  14: ['Timestamp reply'],
  15: ['Information request'],
  16: ['Information reply'],
  17: ['Address mask request'],
  18: ['Address mask reply'],
};

const ICMP6: Record<number, [string, Record<number, string>?]> = {
  1: ['Destination Unreachable', {
    0: 'no route to destination', 1: 'communication with destination administratively prohibited',
    2: 'beyond scope of source address', 3: 'address unreachable', 4: 'port unreachable',
    5: 'source address failed ingress/egress policy', 6: 'reject route to destination',
  }],
  2: ['Packet Too Big'],
  3: ['Time Exceeded', { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' }],
  4: ['Parameter Problem', {
    0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered',
  }],
  128: ['Echo (ping) request'],
  129: ['Echo (ping) reply'],
  130: ['Multicast Listener Query'],
  131: ['Multicast Listener Report'],
  132: ['Multicast Listener Done'],
  133: ['Router Solicitation'],
  134: ['Router Advertisement'],
  135: ['Neighbor Solicitation'],
  136: ['Neighbor Advertisement'],
  137: ['Redirect'],
  143: ['Multicast Listener Report Message v2'],
};

/** "Destination unreachable (Fragmentation needed)": an ICMP or ICMPv6 type and code in words. */
export function icmpTypeText(v6: boolean, type: number, code: number): string {
  const t = (v6 ? ICMP6 : ICMP4)[type];
  if (!t) return v6 ? `Unknown ICMPv6 type (${type})` : `Unknown ICMP (obsolete or malformed?)`;
  const [name, codes] = t;
  if (!codes) return name;
  return `${name} (${codes[code] ?? `Unknown (0x${code.toString(16).padStart(2, '0')})`})`;
}

function macAt(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[o + i].toString(16).padStart(2, '0');
  return s;
}

/** The link-layer address options of a neighbour discovery message (type 1 source, 2 target), and whether they are malformed. */
function ndOptions(b: Uint8Array, p: number, end: number): { source: string; target: string; malformed: boolean } {
  const out = { source: '', target: '', malformed: false };
  while (p < end) {
    if (p + 2 > end) { out.malformed = true; break; }
    const type = b[p], len = b[p + 1] * 8;
    if (len === 0 || p + len > end) { out.malformed = true; break; }
    if (type === 1 && len >= 8 && !out.source) out.source = macAt(b, p + 2);
    if (type === 2 && len >= 8 && !out.target) out.target = macAt(b, p + 2);
    p += len;
  }
  return out;
}

/** Fixed part of each neighbour discovery message (RFC 4861), from the ICMPv6 type. */
const ND_FIXED: Record<number, number> = { 133: 8, 134: 16, 135: 24, 136: 24, 137: 40 };

function icmpInfo(src: ListSource, row: number, frame: FrameView | null): string {
  const { cols } = src;
  const v6 = cols.l4[row] === L4.Icmpv6;
  const type = cols.icmpType[row], code = cols.icmpCode[row];
  let s = icmpTypeText(v6, type, code);
  const layer = frame ? lastLayer(frame.layers, v6 ? 'ICMPv6' : 'ICMP') : null;
  const b = frame?.bytes;
  const at = layer?.start ?? -1;
  const end = b ? b.length : 0;
  const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
  if (echo && b && at >= 0 && at + 8 <= end) {
    const id = u16(b, at + 4), seq = u16(b, at + 6);
    const idText = `id=0x${id.toString(16).padStart(4, '0')}`;
    if (v6) s += ` ${idText}, seq=${seq}, hop limit=${cols.ipTtl[row]}`;
    else s = `${s.padEnd(21)}${idText}, seq=${seq}/${((seq & 0xff) << 8) | (seq >> 8)}, ttl=${cols.ipTtl[row]}`;
    if (frame?.requestIn) s += ` (request in ${frame.requestIn})`;
  } else if (v6 && b && at >= 0 && ND_FIXED[type] !== undefined) {
    // The message ends where the IPv6 payload does (not at trailing link-layer padding).
    const ip6 = lastLayer(frame!.layers, 'IPv6');
    const msgEnd = Math.min(end, ip6 ? ip6.start + cols.ipLen[row] : end);
    const fixed = ND_FIXED[type];
    if (msgEnd - at < fixed) return `${s}[Malformed Packet]`;
    const o = ndOptions(b, at + fixed, msgEnd);
    if (type === 135) s += ` for ${formatIpv6(b, at + 8)}`;
    if (type === 136) {
      const fl = b[at + 4];
      const words = [fl & 0x80 ? 'rtr' : '', fl & 0x40 ? 'sol' : '', fl & 0x20 ? 'ovr' : ''].filter(Boolean);
      s += ` ${formatIpv6(b, at + 8)}${words.length ? ` (${words.join(', ')})` : ''}`;
      if (o.target) s += ` is at ${o.target}`;
      else if (o.source) s += ` from ${o.source}`;
    } else if (type === 137) {
      if (o.source || o.target) s += ` from ${o.source || o.target}`;
    } else if (o.source) s += ` from ${o.source}`;
    if (o.malformed) s += '[Malformed Packet]';
  }
  return s;
}

/** An echo request or reply's identifier and sequence number (id * 65536 + seq), from its bytes; -1 when not one. */
export function echoKey(cols: PacketColumns, row: number, frame: FrameView): number {
  const v6 = cols.l4[row] === L4.Icmpv6;
  const layer = lastLayer(frame.layers, v6 ? 'ICMPv6' : 'ICMP');
  if (!layer || layer.start + 8 > frame.bytes.length) return -1;
  return u16(frame.bytes, layer.start + 4) * 65536 + u16(frame.bytes, layer.start + 6);
}

/** Whether `row` is an echo reply (ICMP 0, ICMPv6 129). */
export function isEchoReply(cols: PacketColumns, row: number): boolean {
  const l4 = cols.l4[row];
  return (l4 === L4.Icmp && cols.icmpType[row] === 0) || (l4 === L4.Icmpv6 && cols.icmpType[row] === 129);
}

/**
 * The rows before an echo reply that may be its request (same protocol, echo request, addresses
 * swapped), nearest first: at most `max`, looked for within `window` rows. The caller compares
 * their echoKey with the reply's and takes the nearest that matches.
 */
export function echoRequestCandidates(cols: PacketColumns, row: number, max = 8, window = 1 << 16): number[] {
  const out: number[] = [];
  const l4 = cols.l4[row];
  const req = l4 === L4.Icmpv6 ? 128 : 8;
  const s = cols.src[row], d = cols.dst[row];
  for (let r = row - 1; r >= 0 && r >= row - window && out.length < max; r--) {
    if (cols.l4[r] === l4 && cols.icmpType[r] === req && cols.src[r] === d && cols.dst[r] === s) out.push(r);
  }
  return out;
}

/** A DNS message in a TCP segment (its 2-byte length first) that the segment holds whole; null otherwise. */
function dnsOverTcp(frame: FrameView, tcpLen: number): string | null {
  const tcp = lastLayer(frame.layers, 'TCP');
  const b = frame.bytes;
  if (!tcp) return null;
  const p = tcp.end;
  if (p + 2 > b.length || tcpLen < 14) return null;
  const len = u16(b, p);
  if (len + 2 > tcpLen || p + 2 + len > b.length) return null;
  const m = parseDns(b, p + 2, p + 2 + len);
  return m ? dnsInfo(m) : null;
}

// --------------------------------------------------------------------------------------- the rest

function lastLayer(layers: readonly DetailLayer[], name: string): DetailLayer | null {
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i].name === name) return layers[i];
  return null;
}

function fieldOf(layers: readonly DetailLayer[], key: string): string | null {
  let v: string | null = null;
  for (const l of layers) for (const f of l.fields) if (f.key === key) v = f.value;
  return v;
}

const ETHER_TYPES: Record<number, string> = {
  0x0806: 'ARP', 0x8035: 'RARP', 0x88cc: 'LLDP', 0x888e: 'EAPOL', 0x8863: 'PPPoED', 0x8864: 'PPPoES', 0x8809: 'Slow protocols',
  0x88f7: 'PTPv2', 0x9000: 'LOOP', 0x88e5: 'MACsec', 0x8847: 'MPLS', 0x8848: 'MPLS', 0x22f0: 'AVTP', 0x893a: 'IEEE 1905.1a',
  0x88b5: 'Local experimental EtherType 1', 0x88b6: 'Local experimental EtherType 2', 0x8100: '802.1Q', 0x88a8: '802.1ad',
  0x0842: 'WOL', 0x88e1: 'HomePlug AV', 0x8892: 'PN-RT', 0x88e3: 'MRP', 0x8902: 'CFM', 0x6002: 'DEC DNA', 0x6003: 'DEC DNA',
  0x6004: 'DEC LAT', 0x8137: 'IPX', 0x809b: 'AppleTalk', 0x80f3: 'AARP', 0x9100: 'VLAN', 0x876b: 'TCP/IP compression',
};

/** A name for an EtherType (ARP, LLDP, ...), or its number in hex. */
export function etherTypeName(t: number): string {
  return ETHER_TYPES[t] ?? `0x${t.toString(16).padStart(4, '0')}`;
}

const IP_PROTOS: Record<number, string> = {
  0: 'IPv6 hop-by-hop', 2: 'IGMP', 4: 'IPIP', 8: 'EGP', 9: 'IGP', 41: 'IPv6', 46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH',
  59: 'IPv6 no next header', 88: 'EIGRP', 89: 'OSPF', 97: 'EtherIP', 103: 'PIM', 112: 'VRRP', 115: 'L2TP', 132: 'SCTP',
  137: 'MPLS in IP', 253: 'Experiment 1', 254: 'Experiment 2',
};

function ipProtoName(p: number): string {
  return IP_PROTOS[p] ?? `IP protocol ${p}`;
}

/** "IGMPv3", "IGMPv2" or "IGMPv1" from the message after the IPv4 header (its type, its length); '' when unreadable. */
function igmpVersion(frame: FrameView): string {
  const data = lastLayer(frame.layers, 'Data');
  if (!data || data.start + 8 > frame.bytes.length) return '';
  const b = frame.bytes, at = data.start;
  switch (b[at]) {
    case 0x22: return 'IGMPv3';
    case 0x16: case 0x17: return 'IGMPv2';
    case 0x12: return 'IGMPv1';
    case 0x11: return data.end - at >= 12 ? 'IGMPv3' : b[at + 1] !== 0 ? 'IGMPv2' : 'IGMPv1';
    default: return '';
  }
}

/** The EtherType of a frame's innermost link layer, from its decode; -1 when none says. */
function innerEtherType(layers: readonly DetailLayer[]): number {
  let t = -1;
  for (const l of layers) {
    for (const f of l.fields) {
      if (f.key && /^(eth\.type|sll\.etype|vlan\.etype|ieee8021ad\.etype|llc\.type|cmd\.type|etag\.etype|vntag\.etype|ieee8021ah\.etype)$/.test(f.key)) {
        const v = Number(f.value);
        if (Number.isFinite(v)) t = v;
      }
    }
  }
  return t;
}

function addressPair(cols: PacketColumns, row: number, frame: FrameView | null): [string, string] {
  const text = cols.addresses.text;
  if (cols.src[row] !== 0) return [text[cols.src[row]] ?? '', text[cols.dst[row]] ?? ''];
  if (!frame) return ['', ''];
  const s = fieldOf(frame.layers, 'eth.src') ?? fieldOf(frame.layers, 'sll.src.eth') ?? fieldOf(frame.layers, 'wlan.sa') ?? '';
  const d = fieldOf(frame.layers, 'eth.dst') ?? fieldOf(frame.layers, 'wlan.da') ?? '';
  return [s, d];
}

/**
 * The Info of a DNS message no single frame holds (joined from TCP segments, or in a reassembled IP
 * datagram): the decoder kept its bytes for the row that completed it; null for any other row.
 */
function joinedDns(cols: PacketColumns, row: number, mdns = false): string | null {
  const b = cols.dns?.joined.get(row);
  const m = b ? parseDns(b, 0, b.length) : null;
  return m ? dnsInfo(m, mdns) : null;
}

function udpInfo(cols: PacketColumns, row: number, frame: FrameView | null, proto: ListProto): { protocol: string; info: string } {
  const sp = cols.srcPort[row], dp = cols.dstPort[row];
  const joined = proto === ListProto.Dns || proto === ListProto.Mdns || proto === ListProto.Llmnr ? joinedDns(cols, row, proto === ListProto.Mdns) : null;
  if (joined) return { protocol: listProtoName(proto), info: joined };
  const udp = frame ? lastLayer(frame.layers, 'UDP') : null;
  const b = frame?.bytes;
  if (udp && b && (proto === ListProto.Dns || proto === ListProto.Mdns || proto === ListProto.Llmnr)) {
    const m = parseDns(b, udp.start + 8, Math.min(b.length, udp.end > udp.start + 8 ? Math.max(udp.end, udp.start + u16(b, udp.start + 4)) : b.length));
    if (m) return { protocol: listProtoName(proto), info: dnsInfo(m, proto === ListProto.Mdns) };
  }
  let len: number;
  if (udp && b && udp.start + 6 <= b.length) len = Math.max(0, u16(b, udp.start + 4) - 8);
  else len = Math.max(0, cols.ipLen[row] - (cols.ipVersion[row] === 6 ? 40 : 20) - 8);
  return { protocol: listProtoName(proto), info: `${sp} → ${dp} Len=${len}` };
}

/**
 * Protocol, Info, source and destination of `row`. `frame`: the row's bytes and their decode, for
 * the rows `needsFrame` names (without them the Info says what the columns know).
 */
export function rowText(src: ListSource, row: number, frame: FrameView | null = null): RowText {
  const { cols } = src;
  const [s, d] = addressPair(cols, row, frame);
  const proto = listProto(cols, row);
  const out = (protocol: string, info: string): RowText => ({ protocol, info, src: s, dst: d });
  switch (proto) {
    case ListProto.Tcp: {
      const dns = cols.tcpLen[row] > 0 && (cols.srcPort[row] === 53 || cols.dstPort[row] === 53) ? (joinedDns(cols, row) ?? (frame ? dnsOverTcp(frame, cols.tcpLen[row]) : null)) : null;
      return dns ? out('DNS', dns) : out('TCP', tcpInfo(src, row, frame));
    }
    case ListProto.Icmp: return out('ICMP', icmpInfo(src, row, frame));
    case ListProto.Icmpv6: return out('ICMPv6', icmpInfo(src, row, frame));
    case ListProto.Udp: case ListProto.Dns: case ListProto.Mdns: case ListProto.Llmnr: {
      const u = udpInfo(cols, row, frame, proto);
      return out(u.protocol, u.info);
    }
    case ListProto.IPv4: case ListProto.IPv6: {
      const name = proto === ListProto.IPv4 ? 'IPv4' : 'IPv6';
      const p = frame ? fieldOf(frame.layers, proto === ListProto.IPv4 ? 'ip.proto' : 'ipv6.nxt') : null;
      const n = p === null ? NaN : Number(p);
      if (n === 2 && frame) {
        const igmp = igmpVersion(frame);
        if (igmp) return out(igmp, `${ipProtoName(n)} (${n})`);
      }
      if (Number.isFinite(n)) return out(name, `${ipProtoName(n)} (${n})`);
      return out(name, cols.anomalies[row] & 16 ? 'Fragmented IP protocol' : name);
    }
    default: break;
  }
  if (!frame) return out('', '');
  const type = innerEtherType(frame.layers);
  if (type === 0x0806) {
    const data = lastLayer(frame.layers, 'Data');
    const a = data ? parseArp(frame.bytes, data.start, data.end) : null;
    if (a) return out('ARP', arpInfo(a));
    return out('ARP', 'ARP');
  }
  if (type > 1500) return out(etherTypeName(type), `EtherType ${`0x${type.toString(16).padStart(4, '0')}`}`);
  const llc = lastLayer(frame.layers, 'Logical-Link Control');
  if (llc) {
    const dsap = fieldOf(frame.layers, 'llc.dsap');
    return out(dsap === '0x42' ? 'STP' : 'LLC', llc.fields.map((f) => `${f.name} ${f.value}`).slice(0, 2).join(', '));
  }
  const top = frame.layers[frame.layers.length - 1];
  return out(top?.name ?? '', top?.name ?? '');
}
