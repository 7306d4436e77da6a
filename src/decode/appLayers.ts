/**
 * What the detail pane adds above the detail decoder's layers for the packet list: the ARP packet and
 * the LLMNR message (UDP 5355) that the decoder leaves as "Data", as layers with their fields and
 * byte ranges (src/decode/arp.ts, dns.ts). DNS and mDNS are the detail decoder's own layers ("DNS",
 * "MDNS", with tshark's dns.* fields), not read again here. One packet at a time, on demand.
 */
import { u16 } from './bytes';
import type { DetailField, DetailLayer } from './detail';
import { parseArp } from './arp';
import { dnsOpcodeName, dnsRcodeName, dnsTypeName, parseDns } from './dns';

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

const ETHER_TYPE_KEYS = /^(eth\.type|sll\.etype|vlan\.etype|ieee8021ad\.etype|llc\.type)$/;

function arpLayer(b: Uint8Array, at: number, end: number): DetailLayer | null {
  const a = parseArp(b, at, end);
  if (!a) return null;
  const h = b[at + 4], p = b[at + 5];
  const f = (name: string, key: string, value: string | number, start: number, len: number): DetailField => ({ name, key, value: String(value), start, end: start + len });
  const op = a.opcode === 1 ? 'request (1)' : a.opcode === 2 ? 'reply (2)' : String(a.opcode);
  return {
    name: 'ARP', start: at, end: at + 8 + 2 * h + 2 * p,
    fields: [
      f('Hardware type', 'arp.hw.type', a.hwType, at, 2), f('Protocol type', 'arp.proto.type', hex(a.protoType, 4), at + 2, 2),
      f('Hardware size', 'arp.hw.size', h, at + 4, 1), f('Protocol size', 'arp.proto.size', p, at + 5, 1),
      f('Opcode', 'arp.opcode', op, at + 6, 2),
      f('Sender MAC address', 'arp.src.hw_mac', a.senderMac, at + 8, h), f('Sender IP address', 'arp.src.proto_ipv4', a.senderIp, at + 8 + h, p),
      f('Target MAC address', 'arp.dst.hw_mac', a.targetMac, at + 8 + h + p, h), f('Target IP address', 'arp.dst.proto_ipv4', a.targetIp, at + 8 + 2 * h + p, p),
    ],
  };
}

function dnsLayer(b: Uint8Array, at: number, end: number, name: string): DetailLayer | null {
  const m = parseDns(b, at, end);
  if (!m) return null;
  const fields: DetailField[] = [
    { name: 'Transaction ID', key: 'dns.id', value: hex(m.id, 4), start: at, end: at + 2 },
    { name: 'Flags', key: 'dns.flags', value: hex(m.flags, 4), start: at + 2, end: at + 4 },
    { name: 'Operation', value: `${dnsOpcodeName(m.opcode)}${m.response ? ' response' : ''}`, start: at + 2, end: at + 4 },
  ];
  if (m.response) fields.push({ name: 'Reply code', key: 'dns.flags.rcode', value: dnsRcodeName(m.rcode) || 'No error', start: at + 3, end: at + 4 });
  const counts = ['Questions', 'Answer RRs', 'Authority RRs', 'Additional RRs'];
  const keys = ['dns.count.queries', 'dns.count.answers', 'dns.count.auth_rr', 'dns.count.add_rr'];
  counts.forEach((c, i) => fields.push({ name: c, key: keys[i], value: String(u16(b, at + 4 + 2 * i)), start: at + 4 + 2 * i, end: at + 6 + 2 * i }));
  for (const q of m.questions) fields.push({ name: 'Query', key: 'dns.qry.name', value: `${q.name}: type ${dnsTypeName(q.type)}, class ${q.cls}`, start: q.start, end: q.end });
  const sections: [string, typeof m.answers][] = [['Answer', m.answers], ['Authority', m.authority], ['Additional', m.additional]];
  for (const [label, list] of sections) {
    for (const r of list) {
      fields.push({ name: label, value: `${r.name}: type ${dnsTypeName(r.type)}, class ${r.cls}, TTL ${r.ttl}${r.data ? `, ${r.data}` : ''}`, start: r.start, end: r.end });
    }
  }
  if (m.malformed) fields.push({ name: 'Problem', value: 'the message ends before what its header announces' });
  return { name, start: at, end, fields };
}

/** The layers with the last "Data" layer read as ARP or LLMNR where the layers before it say so; else the layers as they are. */
export function withAppLayers(layers: DetailLayer[], bytes: Uint8Array): DetailLayer[] {
  const i = layers.length - 1 - [...layers].reverse().findIndex((l) => l.name === 'Data');
  if (i >= layers.length || i < 1) return layers;
  const data = layers[i];
  const below = layers[i - 1];
  let layer: DetailLayer | null = null;
  if (below.name === 'UDP') {
    const ports = below.fields.filter((f) => f.key === 'udp.srcport' || f.key === 'udp.dstport').map((f) => Number(f.value));
    // Ports 53 and 5353 are never "Data" here: the detail decoder reads them as DNS.
    if (!ports.includes(53) && !ports.includes(5353) && ports.includes(5355)) layer = dnsLayer(bytes, data.start, Math.min(bytes.length, data.end), 'LLMNR');
  } else {
    const type = [...below.fields].reverse().find((f) => f.key !== undefined && ETHER_TYPE_KEYS.test(f.key));
    if (type && Number(type.value) === 0x0806) layer = arpLayer(bytes, data.start, bytes.length);
  }
  return layer ? [...layers.slice(0, i), layer, ...layers.slice(i + 1)] : layers;
}
