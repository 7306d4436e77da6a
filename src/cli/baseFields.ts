/**
 * The per-frame fields that come from the frame record and the packet's own headers (no analysis).
 * Header fields are looked up by their tshark name in the frame's full decode (decodeDetail), which
 * yields every occurrence in layer order: outer,inner for tunnels, carrier,quoted for ICMP errors.
 */
import type { FieldDef, FieldGroup } from './fields';

/** A field printed straight from the decode's values of the same tshark key. */
function header(name: string): FieldDef {
  return { name, get: (ctx) => ctx.values(name).join(',') };
}

const HEADER_KEYS = [
  'eth.src', 'eth.dst', 'eth.type',
  'sll.ifindex', 'sll.pkttype', 'sll.etype',
  'vlan.id', 'vlan.priority', 'vlan.etype',
  'ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.src', 'ip.dst', 'ip.proto', 'ip.len', 'ip.id', 'ip.flags', 'ip.flags.df',
  'ip.flags.mf', 'ip.frag_offset', 'ip.ttl', 'ip.checksum',
  'ipv6.src', 'ipv6.dst', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.tclass', 'ipv6.flow',
  'icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.mtu', 'icmp.ident', 'icmp.seq',
  'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum', 'icmpv6.mtu',
  'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum',
  'vxlan.vni', 'vxlan.flags', 'geneve.vni', 'geneve.proto_type', 'gre.proto', 'gre.key',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.len', 'tcp.flags', 'tcp.flags.str',
  'tcp.window_size_value', 'tcp.checksum', 'tcp.urgent_pointer', 'tcp.options.mss_val', 'tcp.options.wscale.shift',
  'tcp.options.wscale.multiplier', 'tcp.options.sack_perm', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr',
  'dns.id', 'dns.flags', 'dns.flags.response', 'dns.flags.opcode', 'dns.flags.truncated', 'dns.flags.rcode', 'dns.count.queries',
  'dns.count.answers', 'dns.count.auth_rr', 'dns.count.add_rr', 'dns.qry.name', 'dns.qry.type', 'dns.qry.class', 'dns.resp.name',
  'dns.resp.type', 'dns.resp.ttl', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.rr.udp_payload_size',
];

export const BASE_FIELDS: FieldGroup = {
  name: 'frame and headers',
  fields: [
    { name: 'frame.number', get: (_ctx, row) => String(row + 1) },
    { name: 'frame.time_epoch', get: (ctx) => `${ctx.record.tsSec}.${String(ctx.record.tsNsec).padStart(9, '0')}` },
    { name: 'frame.len', get: (ctx) => String(ctx.record.originalLength) },
    { name: 'frame.cap_len', get: (ctx) => String(ctx.record.capturedLength) },
    {
      // pcapng names its interfaces (tshark says "unknown" for an unnamed one); classic pcap has none.
      name: 'frame.interface_name',
      get: (ctx) => (ctx.session.format === 'pcapng' ? ctx.session.interfaces[ctx.record.interfaceId]?.name ?? 'unknown' : ''),
    },
    { name: 'frame.interface_id', get: (ctx) => (ctx.session.format === 'pcapng' ? String(ctx.record.interfaceId) : '') },
    ...HEADER_KEYS.map(header),
  ],
};
