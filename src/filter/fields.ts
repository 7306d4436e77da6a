/**
 * The filter's field registry: every name a filter may use, its type, and how its values are read.
 *
 * Two ways to read a field, chosen per row:
 * - from the columns (the packet table and the TCP analysis's output): typed-array reads, no
 *   allocation; exact for a "plain" row (one IP header, not an ICMP error, decoded without trouble);
 * - from the frame's full decode (src/decode/detail.ts, the `fields` command's source, every
 *   occurrence in layer order: outer and inner IP of a tunnel, an ICMP error's quoted headers), for
 *   a field the columns do not hold, or a row that is not plain.
 */
import { Anomaly, Encap, L4, type PacketColumns } from '../decode/columns';
import type { DetailLayer } from '../decode/detail';
import { parseArp } from '../decode/arp';
import { relativeSackEdge } from '../tcp/sack';
import { TCP_FLAG_NAMES, type TcpStreamInfo } from '../tcp/types';

export const enum FType { Proto, Label, Uint, Bool, Float, Ipv4, Ipv6, Ether, Str, Bytes }

/** The per-row results of the TCP analysis the filter reads (TcpAnalyzer's `out`, and its streams). */
export interface FilterTcp {
  stream: ArrayLike<number>;
  dir: ArrayLike<number>;
  seq: ArrayLike<number>;
  ack: ArrayLike<number>;
  nxtseq: ArrayLike<number>;
  window: ArrayLike<number>;
  flags: ArrayLike<number>;
  dupAckNum: ArrayLike<number>;
  dupAckFrame: ArrayLike<number>;
  acksFrame: ArrayLike<number>;
  ackRtt: ArrayLike<number>;
  bytesInFlight: ArrayLike<number>;
  icmpStream: ArrayLike<number>;
  streams: readonly TcpStreamInfo[];
}

/** What a filter runs over. */
export interface FilterData {
  cols: PacketColumns;
  tcp: FilterTcp;
  /** pcapng (frame.interface_id and _name exist only there). */
  pcapng?: boolean;
  /** Name of an interface by id (frame.interface_name). */
  interfaceName?: (id: number) => string;
  /** The UDP conversation of each row (udp.stream, src/view/udp.ts; -1: not UDP), made when a filter first needs it. */
  udpStream?: () => ArrayLike<number>;
}

/**
 * A field read from the columns for every row at once (one loop, no call per row): how many
 * occurrences each row has, and occurrence k of row r in `vals[k][r]`.
 */
export interface Materialized {
  cnt: Uint8Array;
  vals: Float64Array[];
  /** The values are address ids of `cols.addresses` (compared through their text). */
  ids?: boolean;
}

/**
 * A column field read straight from the columns (no copy): the rows where `gate[r] === eq` (and
 * `cond[r] >= min`) have it.
 */
export interface Gated {
  gate?: ArrayLike<number>;
  eq?: number;
  cond?: ArrayLike<number>;
  min?: number;
  /** The value: a[r] (with `bit`: 1 when a[r] has it, else 0), or `konst`; plus `add`. */
  a?: ArrayLike<number>;
  bit?: number;
  konst?: number;
  /** The value is the row index (plus `add`). */
  row?: boolean;
  add?: number;
  /** A second occurrence (either-direction fields): b[r]. */
  b?: ArrayLike<number>;
  ids?: boolean;
}

function fillGated(n: number, o: Gated): Materialized {
  const cnt = new Uint8Array(n);
  const v0 = new Float64Array(n);
  const v1 = o.b ? new Float64Array(n) : null;
  const { gate, cond, a, b } = o;
  const eq = o.eq ?? 0, min = o.min ?? 1, bit = o.bit ?? 0, konst = o.konst ?? 0, add = o.add ?? 0;
  const per = b ? 2 : 1;
  for (let r = 0; r < n; r++) {
    if (gate && gate[r] !== eq) continue;
    if (cond && !(cond[r] >= min)) continue;
    cnt[r] = per;
    let v = a ? a[r] : o.row ? r : konst;
    if (bit) v = (v & bit) !== 0 ? 1 : 0;
    v0[r] = v + add;
    if (v1 && b) v1[r] = b[r];
  }
  return { cnt, vals: v1 ? [v0, v1] : [v0], ids: o.ids };
}

/** A column field from a description (see Gated), read in place. */
const gated = (f: (d: FilterData) => Gated) => (d: FilterData): Gated => f(d);

/** A field's column view, copied into arrays when it is not already (the filter's kernel reads either). */
export function materialize(d: FilterData, x: Materialized | Gated): Materialized {
  return 'cnt' in x ? x : fillGated(d.cols.length, x);
}

export interface FieldSpec {
  name: string;
  type: FType;
  /** Keys of decodeDetail's fields whose values this field takes, in layer order (ip.addr: ip.src and ip.dst). */
  keys?: string[];
  /** A value of the decode turned into this field's (tcp.flags.syn from tcp.flags). */
  map?: (v: string) => string;
  /** Layer names of decodeDetail for a protocol. */
  layers?: string[];
  /** Read from the columns; without it, every row is decoded. */
  col?: (d: FilterData) => Materialized | Gated;
  /**
   * Which rows the columns do not describe exactly, so the decode must answer: 'plain' (default for
   * header fields: rows that are not plain), 'icmp' (ICMP rows: their quoted TCP header), 'never'.
   */
  decodeOn?: 'plain' | 'icmp' | 'never' | ((d: FilterData) => (row: number) => boolean);
  /** A text value read without the decode (frame.interface_name), or null when absent. */
  colText?: (d: FilterData) => (row: number) => string | null;
  /** On the rows `decodeOn` names, the value from elsewhere than the decode (null: absent). */
  rowValue?: (d: FilterData) => (row: number) => number | null;
  /** Values read from the frame beyond its decode's keys (ARP fields), in order. */
  frameValues?: (layers: DetailLayer[], bytes: Uint8Array) => string[];
  /** A custom test on the decode (arp): the occurrence count. */
  detailCount?: (layers: DetailLayer[], bytes: Uint8Array) => number;
}

const NOT_PLAIN_ENCAP = Encap.Ipip | Encap.SixInFour | Encap.Gre | Encap.Vxlan | Encap.Geneve | Encap.Gtp | Encap.UdpIp;
const NOT_PLAIN_ANOMALY = Anomaly.Truncated | Anomaly.BadIpHeader | Anomaly.Fragment | Anomaly.TunnelTooDeep | Anomaly.NotDecoded | Anomaly.BadTcpHeader | Anomaly.BadTcpOptions;

/** Rows whose columns tell the whole story of their headers: one IP header, not ICMP, no decoding trouble. */
export function isPlain(cols: PacketColumns, row: number): boolean {
  const l4 = cols.l4[row];
  return (cols.encap[row] & NOT_PLAIN_ENCAP) === 0 && (cols.anomalies[row] & NOT_PLAIN_ANOMALY) === 0 && l4 !== L4.Icmp && l4 !== L4.Icmpv6;
}

const notPlainCache = new WeakMap<PacketColumns, Uint8Array>();
/** One byte per row, 1 when the row is not plain (kept per packet table: it does not depend on the filter). */
export function notPlainMask(cols: PacketColumns): Uint8Array {
  let m = notPlainCache.get(cols);
  if (m && m.length === cols.length) return m;
  const n = cols.length;
  m = new Uint8Array(n);
  const encap = cols.encap, anomalies = cols.anomalies, l4 = cols.l4;
  for (let r = 0; r < n; r++) {
    const p = l4[r];
    m[r] = (encap[r] & NOT_PLAIN_ENCAP) !== 0 || (anomalies[r] & NOT_PLAIN_ANOMALY) !== 0 || p === L4.Icmp || p === L4.Icmpv6 ? 1 : 0;
  }
  notPlainCache.set(cols, m);
  return m;
}

export function isIcmpRow(cols: PacketColumns, row: number): boolean {
  return cols.l4[row] === L4.Icmp || cols.l4[row] === L4.Icmpv6;
}

const U = FType.Uint;
const specs = new Map<string, FieldSpec>();
function add(s: FieldSpec): void {
  specs.set(s.name, s);
}

/** No row has it in the columns (the decode decides, on the rows `decodeOn` names). */
const none = (d: FilterData): Materialized => ({ cnt: new Uint8Array(d.cols.length), vals: [new Float64Array(d.cols.length)] });

/** Every row, a value from its time stamp. */
function times(cols: PacketColumns, f: (s: number, ns: number) => number): Materialized {
  const m = fillGated(cols.length, {});
  const v = m.vals[0];
  for (let r = 0; r < cols.length; r++) v[r] = f(cols.tsSec[r], cols.tsNsec[r]);
  return m;
}

// ---- protocols ----
const proto = (name: string, layers: string[], col?: FieldSpec['col'], decodeOn?: FieldSpec['decodeOn']) =>
  add({ name, type: FType.Proto, layers, col, decodeOn });
add({ name: 'frame', type: FType.Proto, col: gated(() => ({})), decodeOn: 'never' });
proto('eth', ['Ethernet']);
proto('sll', ['Linux cooked capture', 'Linux cooked capture v2']);
proto('vlan', ['802.1Q VLAN'], ({ cols }) => {
  const m = fillGated(cols.length, { a: cols.encap, bit: Encap.Vlan });
  for (let r = 0; r < cols.length; r++) m.cnt[r] = m.vals[0][r];
  return m;
});
proto('ieee8021ad', ['802.1ad service tag']);
proto('ip', ['IPv4', 'IPv4 (quoted)'], gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4 })));
proto('ipv6', ['IPv6', 'IPv6 (quoted)'], gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6 })));
proto('tcp', ['TCP', 'TCP (quoted)'], gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp })));
proto('udp', ['UDP', 'UDP (quoted)'], gated(({ cols }) => ({ gate: cols.l4, eq: L4.Udp })));
proto('icmp', ['ICMP'], gated(({ cols }) => ({ gate: cols.l4, eq: L4.Icmp })));
proto('icmpv6', ['ICMPv6'], gated(({ cols }) => ({ gate: cols.l4, eq: L4.Icmpv6 })));
proto('gre', ['GRE']);
proto('vxlan', ['VXLAN']);
proto('geneve', ['Geneve']);
proto('data', ['Data']);
proto('mpls', ['MPLS']);
proto('pppoes', ['PPPoE session']);
proto('gtp', ['GTP']);

/** A plain IP packet is not ARP: only rows without IP, or with a tunnel (ARP in VXLAN), are decoded to find ARP. */
const noIp = (d: FilterData) => (r: number) => d.cols.ipVersion[r] === 0 || !isPlain(d.cols, r);
const etherTypes = ['eth.type', 'sll.etype', 'vlan.etype', 'ieee8021ad.etype'];
add({
  name: 'arp', type: FType.Proto, col: none, decodeOn: noIp,
  detailCount: (layers) => {
    for (const l of layers) for (const f of l.fields) if (f.key && f.value === '0x0806' && etherTypes.includes(f.key)) return 1;
    return 0;
  },
});
/**
 * Rows whose decode may hold a DNS message: those of the DNS side table (`cols.dns`, filled by the
 * column decoder for UDP 53/5353 and TCP 53), and rows the columns do not describe exactly (a tunnel's
 * inner DNS). The values come from the frame's decode (src/decode/detail.ts), as `fields -e dns.*`.
 */
const dnsRows = (d: FilterData) => {
  const cols = d.cols, t = cols.dns, m = new Uint8Array(cols.length);
  if (t) for (let i = 0; i < t.length; i++) if (t.row[i] < m.length) m[t.row[i]] = 1;
  return (r: number) => m[r] === 1 || !isPlain(cols, r);
};

// A DNS message has a 12-byte header: shorter, tshark calls it malformed and shows no DNS. Multicast
// DNS (layer "MDNS") is not `dns` to tshark, though its fields are dns.* fields.
add({ name: 'dns', type: FType.Proto, layers: ['DNS', 'DNS over TCP'], col: none, decodeOn: dnsRows });

const DNS_FIELDS: [string, FType][] = [
  ['dns.length', U], ['dns.id', U], ['dns.flags', U], ['dns.flags.response', FType.Bool], ['dns.flags.opcode', U],
  ['dns.flags.authoritative', FType.Bool], ['dns.flags.truncated', FType.Bool], ['dns.flags.recdesired', FType.Bool],
  ['dns.flags.recavail', FType.Bool], ['dns.flags.rcode', U],
  ['dns.count.queries', U], ['dns.count.answers', U], ['dns.count.auth_rr', U], ['dns.count.add_rr', U],
  ['dns.count.prerequisites', U], ['dns.count.updates', U],
  ['dns.qry.name', FType.Str], ['dns.qry.type', U], ['dns.qry.class', U],
  ['dns.resp.name', FType.Str], ['dns.resp.type', U], ['dns.resp.ttl', U],
  ['dns.a', FType.Ipv4], ['dns.aaaa', FType.Ipv6], ['dns.cname', FType.Str], ['dns.rr.udp_payload_size', U],
];
for (const [name, type] of DNS_FIELDS) add({ name, type, keys: [name], col: none, decodeOn: dnsRows });

/** An ARP field: values from the packet after an EtherType 0x0806 (read with src/decode/arp.ts). */
function arpField(name: string, type: FType, value: (a: NonNullable<ReturnType<typeof parseArp>>) => string | number): void {
  add({
    name, type, col: none, decodeOn: noIp,
    frameValues: (layers, bytes) => {
      for (let i = 0; i + 1 < layers.length; i++) {
        const isArp = layers[i].fields.some((f) => f.key !== undefined && etherTypes.includes(f.key) && f.value === '0x0806');
        if (!isArp || layers[i + 1].name !== 'Data') continue;
        const a = parseArp(bytes, layers[i + 1].start, layers[i + 1].end);
        return a ? [String(value(a))] : [];
      }
      return [];
    },
  });
}
arpField('arp.opcode', FType.Uint, (a) => a.opcode);
arpField('arp.hw.type', FType.Uint, (a) => a.hwType);
arpField('arp.proto.type', FType.Uint, (a) => a.protoType);
arpField('arp.src.hw_mac', FType.Ether, (a) => a.senderMac);
arpField('arp.dst.hw_mac', FType.Ether, (a) => a.targetMac);
arpField('arp.src.proto_ipv4', FType.Ipv4, (a) => a.senderIp);
arpField('arp.dst.proto_ipv4', FType.Ipv4, (a) => a.targetIp);

// ---- frame ----
add({
  name: 'frame.number', type: FType.Uint, decodeOn: 'never',
  col: gated(() => ({ row: true, add: 1 })),
});
add({ name: 'frame.len', type: FType.Uint, col: gated(({ cols }) => ({ a: cols.origLen })), decodeOn: 'never' });
add({ name: 'frame.cap_len', type: FType.Uint, col: gated(({ cols }) => ({ a: cols.capLen })), decodeOn: 'never' });
add({ name: 'frame.time_epoch', type: FType.Float, col: ({ cols }) => times(cols, (s, ns) => s + ns / 1e9), decodeOn: 'never' });
add({
  name: 'frame.time_relative', type: FType.Float, decodeOn: 'never',
  col: ({ cols }) => {
    const s0 = cols.length ? cols.tsSec[0] : 0, n0 = cols.length ? cols.tsNsec[0] : 0;
    return times(cols, (s, ns) => s - s0 + (ns - n0) / 1e9);
  },
});
add({
  name: 'frame.time_delta', type: FType.Float, decodeOn: 'never',
  col: ({ cols }) => {
    const m = fillGated(cols.length, {});
    const v = m.vals[0];
    for (let r = 1; r < cols.length; r++) v[r] = cols.tsSec[r] - cols.tsSec[r - 1] + (cols.tsNsec[r] - cols.tsNsec[r - 1]) / 1e9;
    return m;
  },
});
add({ name: 'frame.interface_id', type: FType.Uint, col: gated((d) => ({ a: d.cols.iface, gate: d.pcapng ? undefined : d.cols.iface, eq: -1 })), decodeOn: 'never' });
add({
  name: 'frame.interface_name', type: FType.Str, decodeOn: 'never',
  colText: (d) => (r) => (d.pcapng ? d.interfaceName?.(d.cols.iface[r]) ?? 'unknown' : null),
});

// ---- header fields: the decode's keys, some also in the columns ----
const HEADER: [string, FType][] = [
  ['eth.src', FType.Ether], ['eth.dst', FType.Ether], ['eth.type', U],
  ['sll.ifindex', U], ['sll.pkttype', U], ['sll.etype', U], ['sll.hatype', U], ['sll.halen', U], ['sll.src.eth', FType.Ether],
  ['vlan.id', U], ['vlan.priority', U], ['vlan.dei', U], ['vlan.etype', U],
  ['ieee8021ad.id', U], ['ieee8021ad.priority', U], ['ieee8021ad.dei', U], ['ieee8021ad.etype', U],
  ['ip.version', U], ['ip.hdr_len', U], ['ip.dsfield', U], ['ip.src', FType.Ipv4], ['ip.dst', FType.Ipv4], ['ip.proto', U],
  ['ip.len', U], ['ip.id', U], ['ip.flags', U], ['ip.flags.df', FType.Bool], ['ip.flags.mf', FType.Bool], ['ip.frag_offset', U],
  ['ip.ttl', U], ['ip.checksum', U],
  ['ipv6.version', U], ['ipv6.src', FType.Ipv6], ['ipv6.dst', FType.Ipv6], ['ipv6.plen', U], ['ipv6.nxt', U], ['ipv6.hlim', U],
  ['ipv6.tclass', U], ['ipv6.flow', U], ['ipv6.fragment.offset', U], ['ipv6.fragment.more', FType.Bool], ['ipv6.fragment.id', U],
  ['icmp.type', U], ['icmp.code', U], ['icmp.checksum', U], ['icmp.mtu', U], ['icmp.ident', U], ['icmp.seq', U],
  ['icmpv6.type', U], ['icmpv6.code', U], ['icmpv6.checksum', U], ['icmpv6.mtu', U], ['icmpv6.ident', U], ['icmpv6.seq', U],
  ['udp.srcport', U], ['udp.dstport', U], ['udp.length', U], ['udp.checksum', U],
  ['vxlan.vni', U], ['vxlan.flags', U], ['geneve.vni', U], ['geneve.proto_type', U], ['geneve.version', U], ['geneve.option_len', U],
  ['gre.proto', U], ['gre.key', U], ['gre.flags_and_version', U], ['gre.checksum', U], ['gre.sequence_number', U],
  ['cmd.sgt', U], ['cmd.type', U], ['null.family', U], ['data.len', U],
  ['tcp.srcport', U], ['tcp.dstport', U], ['tcp.seq_raw', U], ['tcp.ack_raw', U], ['tcp.hdr_len', U], ['tcp.len', U], ['tcp.flags', U],
  ['tcp.flags.str', FType.Str], ['tcp.window_size_value', U], ['tcp.checksum', U], ['tcp.urgent_pointer', U],
  ['tcp.options.mss_val', U], ['tcp.options.wscale.shift', U], ['tcp.options.wscale.multiplier', U], ['tcp.options.sack_perm', U],
  ['tcp.options.timestamp.tsval', U], ['tcp.options.timestamp.tsecr', U], ['tcp.option_kind', U],
  ['tcp.options.sack_le_raw', U], ['tcp.options.sack_re_raw', U],
];
/** Column readers of header fields, exact on plain rows. */
const HEADER_COLS: Record<string, (d: FilterData) => Materialized | Gated> = {
  'ip.version': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, konst: 4 })),
  'ip.src': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.src, ids: true })),
  'ip.dst': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.dst, ids: true })),
  'ip.len': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.ipLen })),
  'ip.id': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.ipId })),
  'ip.ttl': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.ipTtl })),
  'ip.flags.df': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.ipDf })),
  'ipv6.version': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6, konst: 6 })),
  'ipv6.src': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6, a: cols.src, ids: true })),
  'ipv6.dst': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6, a: cols.dst, ids: true })),
  'ipv6.plen': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6, a: cols.ipLen, add: -40 })),
  'ipv6.hlim': gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6, a: cols.ipTtl })),
  'tcp.srcport': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.srcPort })),
  'tcp.dstport': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.dstPort })),
  'udp.srcport': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Udp, a: cols.srcPort })),
  'udp.dstport': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Udp, a: cols.dstPort })),
  'tcp.seq_raw': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.seqRaw })),
  'tcp.ack_raw': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.ackRaw })),
  'tcp.hdr_len': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.tcpHdrLen })),
  'tcp.len': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.tcpLen })),
  'tcp.flags': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.tcpFlags })),
  'tcp.window_size_value': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.winRaw })),
  'tcp.options.mss_val': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, cond: cols.mss, min: 1, a: cols.mss })),
  'tcp.options.wscale.shift': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, cond: cols.wscale, min: 0, a: cols.wscale })),
  'tcp.options.timestamp.tsval': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, cond: cols.hasTs, min: 1, a: cols.tsval })),
  'tcp.options.timestamp.tsecr': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, cond: cols.hasTs, min: 1, a: cols.tsecr })),
  'tcp.options.sack_perm': gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, cond: cols.sackPerm, min: 1, konst: 1 })),
};
for (const [name, type] of HEADER) add({ name, type, keys: [name], col: HEADER_COLS[name], decodeOn: 'plain' });

// Either direction: both values, source first (tshark's order).
add({ name: 'eth.addr', type: FType.Ether, keys: ['eth.src', 'eth.dst'] });
add({ name: 'ip.addr', type: FType.Ipv4, keys: ['ip.src', 'ip.dst'], col: gated(({ cols }) => ({ gate: cols.ipVersion, eq: 4, a: cols.src, b: cols.dst, ids: true })) });
add({ name: 'ipv6.addr', type: FType.Ipv6, keys: ['ipv6.src', 'ipv6.dst'], col: gated(({ cols }) => ({ gate: cols.ipVersion, eq: 6, a: cols.src, b: cols.dst, ids: true })) });
add({ name: 'tcp.port', type: U, keys: ['tcp.srcport', 'tcp.dstport'], col: gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.srcPort, b: cols.dstPort })) });
// tshark's conversation number, from the innermost UDP header (a tunnel's outer UDP has none here).
add({
  name: 'udp.stream', type: U, decodeOn: 'never',
  col: (d) => {
    const st = d.udpStream?.();
    return st ? { cond: st, min: 0, a: st } : none(d);
  },
});
add({ name: 'udp.port', type: U, keys: ['udp.srcport', 'udp.dstport'], col: gated(({ cols }) => ({ gate: cols.l4, eq: L4.Udp, a: cols.srcPort, b: cols.dstPort })) });

// The TCP flag bits, from tcp.flags.
const FLAG_BITS: [string, number][] = [
  ['fin', 0x01], ['syn', 0x02], ['reset', 0x04], ['push', 0x08], ['ack', 0x10], ['urg', 0x20], ['ece', 0x40], ['cwr', 0x80], ['ns', 0x100],
];
for (const [bit, mask] of FLAG_BITS) {
  add({
    name: `tcp.flags.${bit}`, type: FType.Bool, keys: ['tcp.flags'], map: (v) => ((Number(v) & mask) !== 0 ? '1' : '0'),
    col: gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp, a: cols.tcpFlags, bit: mask })), decodeOn: 'plain',
  });
}
add({
  name: 'tcp.flags.res', type: U, keys: ['tcp.flags'], map: (v) => String((Number(v) >> 9) & 7),
  col: gated(({ cols }) => ({ gate: cols.l4, eq: L4.Tcp })), decodeOn: 'plain',
});

// ---- the TCP analysis (its output columns) ----
/** A TCP analysis column on the rows of a stream (`cond`: and where cond[r] >= min). */
const tcpCol = (get: (t: FilterTcp) => Omit<Gated, 'cond' | 'min'> & { cond?: ArrayLike<number>; min?: number }) => (d: FilterData): Materialized | Gated => {
  const o = get(d.tcp);
  if (!o.cond) return { ...o, cond: d.tcp.stream, min: 0 };
  const m = fillGated(d.cols.length, { cond: d.tcp.stream, min: 0, ...o, ...(o.cond ? { cond: undefined } : {}) });
  if (o.cond) {
    // Both conditions: on a stream, and cond[r] >= min.
    const c = o.cond, min = o.min ?? 1, st = d.tcp.stream;
    for (let r = 0; r < m.cnt.length; r++) if (st[r] < 0 || !(c[r] >= min)) m.cnt[r] = 0; else m.cnt[r] = 1;
  }
  return m;
};
/** Rows whose analysis flags have any of `mask`'s bits. */
const flagCol = (mask: number) => (d: FilterData): Materialized => {
  // A label: only present or absent, so no values.
  const n = d.cols.length, cnt = new Uint8Array(n), fl = d.tcp.flags, st = d.tcp.stream;
  for (let r = 0; r < n; r++) cnt[r] = st[r] >= 0 && (fl[r] & mask) !== 0 ? 1 : 0;
  return { cnt, vals: [new Float64Array(0)] };
};
add({
  // An ICMP error quoting a packet of a known stream has that stream's number.
  name: 'tcp.stream', type: U,
  col: gated(({ tcp }) => ({ cond: tcp.stream, min: 0, a: tcp.stream })),
  decodeOn: ({ tcp }) => (r) => tcp.stream[r] < 0 && tcp.icmpStream[r] >= 0,
  rowValue: ({ tcp }) => (r) => tcp.icmpStream[r],
});
// Inside an ICMP error tshark shows the quoted header's numbers as they are: the decode has them.
add({ name: 'tcp.seq', type: U, keys: ['tcp.seq'], decodeOn: 'icmp', col: tcpCol((t) => ({ a: t.seq })) });
add({ name: 'tcp.ack', type: U, keys: ['tcp.ack'], decodeOn: 'icmp', col: tcpCol((t) => ({ a: t.ack })) });
add({ name: 'tcp.window_size', type: U, keys: ['tcp.window_size'], decodeOn: 'icmp', col: tcpCol((t) => ({ a: t.window })) });
add({ name: 'tcp.nxtseq', type: U, decodeOn: 'never', col: tcpCol((t) => ({ a: t.nxtseq })) });
TCP_FLAG_NAMES.forEach((f, bit) => add({ name: `tcp.analysis.${f}`, type: FType.Label, decodeOn: 'never', col: flagCol(1 << bit) }));
add({ name: 'tcp.analysis.flags', type: FType.Label, decodeOn: 'never', col: flagCol(0xffff) });
add({ name: 'tcp.analysis.duplicate_ack_num', type: U, decodeOn: 'never', col: tcpCol((t) => ({ a: t.dupAckNum, cond: t.dupAckNum, min: 1 })) });
add({ name: 'tcp.analysis.duplicate_ack_frame', type: U, decodeOn: 'never', col: tcpCol((t) => ({ a: t.dupAckFrame, add: 1, cond: t.dupAckNum, min: 1 })) });
add({ name: 'tcp.analysis.acks_frame', type: U, decodeOn: 'never', col: tcpCol((t) => ({ a: t.acksFrame, add: 1, cond: t.acksFrame, min: 0 })) });
add({ name: 'tcp.analysis.ack_rtt', type: FType.Float, decodeOn: 'never', col: tcpCol((t) => ({ a: t.ackRtt, cond: t.ackRtt, min: 0 })) });
add({ name: 'tcp.analysis.bytes_in_flight', type: U, decodeOn: 'never', col: tcpCol((t) => ({ a: t.bytesInFlight, cond: t.bytesInFlight, min: 0 })) });
add({
  name: 'tcp.analysis.initial_rtt', type: FType.Float, decodeOn: 'never',
  col: ({ cols, tcp }) => {
    const m = fillGated(cols.length, { konst: 0 });
    for (let r = 0; r < cols.length; r++) {
      const s = tcp.stream[r];
      const irtt = s >= 0 ? tcp.streams[s].irtt : -1;
      m.cnt[r] = irtt >= 0 ? 1 : 0;
      m.vals[0][r] = irtt;
    }
    return m;
  },
});
for (const [name, edge] of [['tcp.options.sack_le', 0], ['tcp.options.sack_re', 1]] as const) {
  add({
    name, type: U, decodeOn: 'never',
    col: ({ cols, tcp }) => {
      const a = { streams: tcp.streams as TcpStreamInfo[], out: { stream: tcp.stream as Int32Array, dir: tcp.dir as Uint8Array } };
      const n = cols.length;
      const cnt = new Uint8Array(n);
      const vals = [0, 1, 2, 3].map(() => new Float64Array(n));
      for (let r = 0; r < n; r++) {
        if (tcp.stream[r] < 0) continue;
        const c = cols.sackCount[r];
        cnt[r] = c;
        for (let k = 0; k < c; k++) vals[k][r] = relativeSackEdge(cols, a, r, 2 * k + edge);
      }
      return { cnt, vals };
    },
  });
}

/** The field or protocol called `name`, or undefined. */
export function fieldSpec(name: string): FieldSpec | undefined {
  return specs.get(name);
}

/** Every name a filter knows. */
export function filterFieldNames(): string[] {
  return [...specs.keys()];
}
