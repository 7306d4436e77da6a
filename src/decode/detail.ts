/**
 * The full decode of ONE packet, on demand: the layers and fields for the packet-detail pane, and the
 * per-frame values of the `fields` command. It may allocate (one packet at a time); the hot path that
 * fills the packet table is decoder.ts, which keeps only what the analysis needs. Both walk the same
 * headers with the same rules (tunnels, lengths from the IP header, FCS excluded).
 *
 * Each field carries, besides its human label, the display-filter style `key` tshark uses for it
 * (e.g. `ip.src`) with the value formatted as tshark prints it, so that a field occurring in several
 * layers (outer and inner IP of a tunnel, ICMP carrier and quoted packet) is found in layer order.
 */

import { u16, u16le, u24, u32, u32le } from './bytes';
import { formatIpv6 } from './columns';
import {
  EtherType, Framing, IpProto, MAX_TUNNEL_DEPTH, PppProto, UdpTunnelPort, UnpeeledUdpPort, framingOf, isArubaGreProto, isBsdAfInet6,
} from './linkTypes';
import { TcpOpt, walkTcpOptions } from './tcpOptions';
import { dnsOpcodeName, dnsRcodeName, dnsTypeName, parseDns, readDnsName } from './dns';
import { DNS_PORT, isDnsUdp } from './dnsTable';

export interface DetailField {
  /** Human label, e.g. "Source address". */
  name: string;
  value: string;
  /** tshark-style field name, e.g. "ip.src", when there is one. */
  key?: string;
  /** Byte range within the packet. */
  start?: number;
  end?: number;
}

export interface DetailLayer {
  /** 'Ethernet' | '802.1Q VLAN' | 'Linux cooked capture' | 'IPv4' | 'IPv6' | 'TCP' | 'UDP' | 'ICMP' | ... */
  name: string;
  start: number;
  end: number;
  fields: DetailField[];
}

export function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

function macText(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[o + i].toString(16).padStart(2, '0');
  return s;
}

/** An FDDI address as libpcap writes it (each byte bit-reversed), in canonical order as tshark shows it. */
function macTextBitSwapped(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    let v = b[o + i], w = 0;
    for (let k = 0; k < 8; k++) { w = (w << 1) | (v & 1); v >>= 1; }
    s += (i ? ':' : '') + w.toString(16).padStart(2, '0');
  }
  return s;
}

const ICMP_ERRORS_V4 = new Set([3, 4, 5, 11, 12]);

const IPV6_EXT_NAMES: Record<number, string> = {
  0: 'hop-by-hop options', 43: 'routing header', 44: 'fragment header', 51: 'authentication header', 60: 'destination options',
};

class DetailDecoder {
  readonly layers: DetailLayer[] = [];
  private depth = 0;
  private cur: DetailLayer | null = null;
  /** The ICMP error quoting a packet is ICMPv6 (tshark names the quoted TCP fields a little differently). */
  private quotedByV6 = false;
  /** Where a carrier (PPPoE) says the packet ends, when it says so: the IP payload is read no further. */
  private reportedEnd = Infinity;

  /** Where the packet's bytes end (a radiotap header may say that an FCS trails them: then before it). */
  end: number;

  /** Bytes of the frame (before any FCS) not captured (snaplen), when known; else Infinity. */
  constructor(private readonly b: Uint8Array, end: number, private readonly uncaptured = Infinity) {
    this.end = end;
  }

  /** The bytes are one whole DNS message (joined from TCP segments or reassembled elsewhere): its layer. */
  joinedDns(tcp: boolean, mdns: boolean): void {
    if (tcp) {
      this.layer('DNS over TCP', 0, this.end);
      this.f('Length', 'dns.length', this.end, 0, 0);
    }
    this.dns(0, this.end, mdns ? 'MDNS' : 'DNS');
  }

  private layer(name: string, start: number, end: number): DetailLayer {
    const l: DetailLayer = { name, start, end: Math.min(end, this.end), fields: [] };
    this.layers.push(l);
    this.cur = l;
    return l;
  }

  /** Add a field to the current layer; `len` bytes from `start` (0 for computed fields). */
  private f(name: string, key: string | undefined, value: string | number, start: number, len: number): void {
    const fld: DetailField = { name, value: String(value) };
    if (key) fld.key = key;
    if (len > 0) { fld.start = start; fld.end = start + len; }
    this.cur?.fields.push(fld);
  }

  private truncated(at: number): void {
    this.layer('Truncated', at, this.end).fields.push({ name: 'Captured bytes end here', value: `${this.end - at} bytes left` });
  }

  link(lt: number): void {
    const b = this.b, end = this.end;
    const framing = framingOf(lt);
    switch (framing) {
      case Framing.Ethernet: this.ethernet(0); return;
      case Framing.RawIp:
        if (end >= 1 && b[0] >> 4 === 4) this.ipv4(0, false);
        else if (end >= 1 && b[0] >> 4 === 6) this.ipv6(0, false);
        return;
      case Framing.Ipv4: this.ipv4(0, false); return;
      case Framing.Ipv6: this.ipv6(0, false); return;
      case Framing.BsdNull: case Framing.BsdLoop: {
        if (end < 4) return this.truncated(0);
        let af = framing === Framing.BsdLoop ? u32(b, 0) : u32le(b, 0);
        if (framing === Framing.BsdNull && (af & 0xffff) === 0) af = u32(b, 0);
        this.layer(framing === Framing.BsdLoop ? 'OpenBSD loopback' : 'BSD loopback', 0, 4);
        this.f('Family', 'null.family', af, 0, 4);
        if (af === 2) this.ipv4(4, false);
        else if (isBsdAfInet6(af)) this.ipv6(4, false);
        return;
      }
      case Framing.LinuxSll: {
        if (end < 16) return this.truncated(0);
        this.layer('Linux cooked capture', 0, 16);
        this.f('Packet type', 'sll.pkttype', u16(b, 0), 0, 2);
        this.f('Link-layer address type', 'sll.hatype', u16(b, 2), 2, 2);
        this.f('Link-layer address length', 'sll.halen', u16(b, 4), 4, 2);
        if (u16(b, 4) === 6) this.f('Source', 'sll.src.eth', macText(b, 6), 6, 6);
        this.f('Protocol', 'sll.etype', hex(u16(b, 14), 4), 14, 2);
        this.etherType(u16(b, 14), 16);
        return;
      }
      case Framing.LinuxSll2: {
        if (end < 20) return this.truncated(0);
        this.layer('Linux cooked capture v2', 0, 20);
        this.f('Protocol', 'sll.etype', hex(u16(b, 0), 4), 0, 2);
        this.f('Interface index', 'sll.ifindex', u32(b, 4) | 0, 4, 4);
        this.f('Link-layer address type', 'sll.hatype', u16(b, 8), 8, 2);
        this.f('Packet type', 'sll.pkttype', b[10], 10, 1);
        this.f('Link-layer address length', 'sll.halen', b[11], 11, 1);
        if (b[11] === 6) this.f('Source', 'sll.src.eth', macText(b, 12), 12, 6);
        this.etherType(u16(b, 0), 20);
        return;
      }
      case Framing.Fddi: {
        if (end < 13) return this.truncated(0);
        this.layer('FDDI', 0, 13);
        this.f('Frame control', 'fddi.fc', hex(b[0], 2), 0, 1);
        // tshark gives each address twice (the field, and again as a hidden copy).
        for (let k = 0; k < 2; k++) {
          this.f('Destination', 'fddi.dst', macTextBitSwapped(b, 1), 1, 6);
          this.f('Source', 'fddi.src', macTextBitSwapped(b, 7), 7, 6);
        }
        if ((b[0] & 0x30) === 0x10) this.llc(13);
        else this.data(13, end);
        return;
      }
      case Framing.CiscoHdlc:
        if (end < 4) return this.truncated(0);
        this.layer('Cisco HDLC', 0, 4);
        this.f('Address', 'chdlc.address', hex(b[0], 2), 0, 1);
        this.f('Protocol', 'chdlc.protocol', hex(u16(b, 2), 4), 2, 2);
        this.etherType(u16(b, 2), 4);
        return;
      case Framing.Ieee80211: this.wlan(0); return;
      case Framing.Radiotap: this.radiotap(); return;
      case Framing.Nflog: this.nflog(); return;
      default:
        this.layer('Unsupported link type', 0, end).fields.push({ name: 'Link type', value: String(lt) });
    }
  }

  private ethernet(off: number): void {
    const b = this.b;
    if (this.end - off < 14) return this.truncated(off);
    if (u16(b, off + 12) === EtherType.FabricPath && this.end - off >= 30) return this.fabricPath(off);
    this.layer('Ethernet', off, off + 14);
    this.f('Destination', 'eth.dst', macText(b, off), off, 6);
    this.f('Source', 'eth.src', macText(b, off + 6), off + 6, 6);
    this.f('Type', 'eth.type', hex(u16(b, off + 12), 4), off + 12, 2);
    this.etherType(u16(b, off + 12), off + 14);
  }

  private radiotap(): void {
    const b = this.b;
    if (this.end < 8) return this.truncated(0);
    const len = u16le(b, 2);
    if (len < 8 || this.end < len) return this.truncated(0);
    this.layer('Radiotap', 0, len);
    this.f('Header revision', 'radiotap.version', b[0], 0, 1);
    this.f('Header length', 'radiotap.length', len, 2, 2);
    const present = u32le(b, 4);
    this.f('Present flags word', 'radiotap.present.word', hex(present, 8), 4, 4);
    let q = 8;
    for (let w = present; (w & 0x80000000) !== 0 && q + 4 <= len; q += 4) w = u32le(b, q);
    if (present & 1) q = ((q + 7) & ~7) + 8;
    if ((present & 2) !== 0 && q < len) {
      this.f('Flags', 'radiotap.flags', hex(b[q], 2), q, 1);
      this.f('FCS at end', 'radiotap.flags.fcs', (b[q] >> 4) & 1, q, 1);
      if ((b[q] & 0x10) !== 0 && this.end - 4 >= len) {
        const fcsAt = this.end - 4;
        this.end = fcsAt;
        this.wlan(len);
        this.layer('Frame check sequence', fcsAt, fcsAt + 4);
        this.end = fcsAt + 4;
        this.cur?.fields.push({ name: 'FCS', key: 'wlan.fcs', value: hex(u32le(b, fcsAt), 8), start: fcsAt, end: fcsAt + 4 });
        return;
      }
    }
    this.wlan(len);
  }

  private nflog(): void {
    const b = this.b, end = this.end;
    if (end < 4) return this.truncated(0);
    this.layer('Linux NFLOG', 0, 4);
    this.f('Family', 'nflog.family', b[0], 0, 1);
    this.f('Version', 'nflog.version', b[1], 1, 1);
    this.f('Resource id', 'nflog.res_id', u16(b, 2), 2, 2);
    let q = 4;
    if (end - q < 4) return this.truncated(q);
    // TLV lengths and types in the logging host's order, read little-endian as tshark does.
    while (end - q >= 4) {
      const len = u16le(b, q);
      const type = u16le(b, q + 2) & 0x7fff;
      this.f('TLV length', 'nflog.tlv_length', len, q, 2);
      this.f('TLV type', 'nflog.tlv_type', type, q + 2, 2);
      if (len < 4) break;
      if (type === 9) {
        if (b[0] === 2) this.ipv4(q + 4, false);
        else if (b[0] === 10) this.ipv6(q + 4, false);
        else this.data(q + 4, q + len);
        return;
      }
      q += (len + 3) & ~3;
    }
    this.truncated(Math.min(q, end));
  }

  /** An 802.11 frame (see the column decoder's wlan): the MAC header, then LLC/SNAP of a data frame. */
  private wlan(off: number): void {
    const b = this.b, end = this.end;
    if (end - off < 24) return this.truncated(off);
    const fc = b[off], flags = b[off + 1];
    const data = (fc & 0x0c) === 0x08;
    let h = off + (data && (flags & 3) === 3 ? 30 : 24);
    const qos = data && (fc & 0x80) !== 0;
    if (qos) h += (flags & 0x80) !== 0 ? 6 : 2;
    this.layer('IEEE 802.11', off, h);
    this.f('Frame control', 'wlan.fc', hex(u16(b, off), 4), off, 2);
    this.f('Type/subtype', 'wlan.fc.type_subtype', hex(((fc >> 2) & 3) << 4 | (fc >> 4), 4), off, 1);
    this.f('DS status', 'wlan.fc.ds', hex(flags & 3, 2), off + 1, 1);
    this.f('Protected', 'wlan.fc.protected', (flags >> 6) & 1, off + 1, 1);
    this.f('Duration', 'wlan.duration', u16le(b, off + 2), off + 2, 2);
    this.f('Receiver address', 'wlan.ra', macText(b, off + 4), off + 4, 6);
    this.f('Transmitter address', 'wlan.ta', macText(b, off + 10), off + 10, 6);
    if (!data) return;
    // Which address is which follows the to-DS / from-DS bits.
    const ds = flags & 3;
    const qc = off + (ds === 3 ? 30 : 24);
    const amsdu = qos && end - qc >= 1 && (b[qc] & 0x80) !== 0;
    const da = ds & 1 ? 16 : 4, sa = ds === 0 || ds === 1 ? 10 : ds === 2 ? 16 : 24;
    this.f('Destination address', 'wlan.da', macText(b, off + da), off + da, 6);
    // In an A-MSDU each subframe names its source (the header's third address is the BSSID).
    if (!amsdu && end - off >= sa + 6) this.f('Source address', 'wlan.sa', macText(b, off + sa), off + sa, 6);
    this.f('Sequence number', 'wlan.seq', u16le(b, off + 22) >> 4, off + 22, 2);
    if (qos && end - qc >= 2) this.f('QoS control', 'wlan.qos', hex(u16le(b, qc), 4), qc, 2);
    if ((fc & 0x40) !== 0 || h >= end) return;
    if (flags & 0x40) { this.data(h, end); return; }
    if ((flags & 0x04) !== 0 || (b[off + 22] & 15) !== 0) {
      this.f('Problem', undefined, 'fragment: the upper layer is not decoded', 0, 0);
      return;
    }
    if (!amsdu) return this.llc(h);
    // Each subframe (destination, source, length, padded to 4 bytes) holds a packet of its own.
    while (end - h >= 14) {
      const len = u16(b, h + 12);
      this.layer('A-MSDU subframe', h, h + 14);
      this.f('Destination address', 'wlan.da', macText(b, h), h, 6);
      this.f('Source address', 'wlan.sa', macText(b, h + 6), h + 6, 6);
      this.f('Length', undefined, len, h + 12, 2);
      this.end = Math.min(end, h + 14 + len);
      this.llc(h + 14);
      this.end = end;
      h += (14 + len + 3) & ~3;
    }
  }

  /** An 802.2 LLC header; with SNAP, the EtherType it announces. */
  private llc(off: number): void {
    const b = this.b;
    if (this.end - off < 3) return this.truncated(off);
    const snap = b[off] === 0xaa && (b[off + 1] & 0xfe) === 0xaa && b[off + 2] === 0x03;
    this.layer('Logical-Link Control', off, off + (snap ? 8 : 3));
    this.f('DSAP', 'llc.dsap', hex(b[off], 2), off, 1);
    this.f('SSAP', 'llc.ssap', hex(b[off + 1], 2), off + 1, 1);
    this.f('Control', 'llc.control', hex(b[off + 2], 4), off + 2, 1);
    if (!snap) return this.data(off + 3, this.end);
    if (this.end - off < 8) return this.truncated(off + 3);
    this.f('Organization code', 'llc.oui', u24(b, off + 3), off + 3, 3);
    const pid = u16(b, off + 6);
    this.f('Type', 'llc.type', hex(pid, 4), off + 6, 2);
    if (u24(b, off + 3) !== 0 && u24(b, off + 3) !== 0xf8) return this.data(off + 8, this.end);
    this.etherType(pid, off + 8);
  }

  /**
   * Cisco FabricPath (outer MACs, EtherType 0x8903, FTag/TTL), then the inner frame. As tshark shows
   * it: the outer header is FabricPath's, not an Ethernet layer, and the last 4 bytes its FCS.
   */
  private fabricPath(off: number): void {
    const b = this.b;
    this.layer('Cisco FabricPath', off, off + 16);
    this.f('Outer destination', undefined, macText(b, off), off, 6);
    this.f('Outer source', undefined, macText(b, off + 6), off + 6, 6);
    this.f('FP EtherType', 'cfp.etype', hex(u16(b, off + 12), 4), off + 12, 2);
    this.f('FTag', 'cfp.ftag', u16(b, off + 14) >> 6, off + 14, 2);
    this.f('TTL', 'cfp.ttl', u16(b, off + 14) & 0x3f, off + 14, 2);
    if (this.end - off >= 34) {
      this.end -= 4;
      this.f('FCS', 'cfp.fcs', hex(u32(b, this.end), 8), this.end, 4);
    }
    this.ethernet(off + 16);
  }

  private etherType(type: number, off: number): void {
    const b = this.b;
    for (;;) {
      if (type === EtherType.Vlan || type === EtherType.QinQ || type === EtherType.QinQOld) {
        if (this.end - off < 4) return this.truncated(off);
        // tshark files an 802.1ad service tag under its own protocol name, other tags under vlan.
        const k = type === EtherType.QinQ ? 'ieee8021ad' : 'vlan';
        this.layer(type === EtherType.QinQ ? '802.1ad service tag' : '802.1Q VLAN', off, off + 4);
        const tci = u16(b, off);
        this.f('Priority', `${k}.priority`, tci >> 13, off, 2);
        this.f('Drop eligible', `${k}.dei`, (tci >> 12) & 1, off, 2);
        this.f('VLAN id', `${k}.id`, tci & 0xfff, off, 2);
        type = u16(b, off + 2);
        // tshark files the service tag's type field under 802.1ah's name (and leaves it out before an I-tag).
        const tk = k !== 'ieee8021ad' ? `${k}.etype` : type !== EtherType.Pbb ? 'ieee8021ah.etype' : undefined;
        this.f('Type', tk, hex(type, 4), off + 2, 2);
        off += 4;
      } else if (type === EtherType.CiscoMetaData) {
        if (this.end - off < 8) return this.truncated(off);
        this.layer('Cisco MetaData', off, off + 8);
        this.f('Security group tag', 'cmd.sgt', u16(b, off + 4), off + 4, 2);
        type = u16(b, off + 6);
        this.f('Type', 'cmd.type', hex(type, 4), off + 6, 2);
        off += 8;
      } else if (type === EtherType.Pbb) {
        if (this.end - off < 18) return this.truncated(off);
        this.layer('802.1ah provider backbone bridge', off, off + 18);
        this.f('I-SID', 'ieee8021ah.isid', u32(b, off) & 0xffffff, off, 4);
        this.f('Customer destination', 'ieee8021ah.cdst', macText(b, off + 4), off + 4, 6);
        this.f('Customer source', 'ieee8021ah.csrc', macText(b, off + 10), off + 10, 6);
        type = u16(b, off + 16);
        this.f('Type', 'ieee8021ah.etype', hex(type, 4), off + 16, 2);
        off += 18;
      } else if (type === EtherType.ETag) {
        if (this.end - off < 8) return this.truncated(off);
        this.layer('802.1BR E-Tag', off, off + 8);
        this.f('E-CID base', 'etag.ecid_base', hex(u16(b, off + 2) & 0xfff, 4), off + 2, 2);
        type = u16(b, off + 6);
        this.f('Type', 'etag.etype', hex(type, 4), off + 6, 2);
        off += 8;
      } else if (type === EtherType.VnTag) {
        if (this.end - off < 6) return this.truncated(off);
        this.layer('VN-Tag', off, off + 6);
        this.f('Destination', 'vntag.dst', (u16(b, off) >> 0) & 0x3fff, off, 2);
        this.f('Source', 'vntag.src', u16(b, off + 2) & 0xfff, off + 2, 2);
        type = u16(b, off + 4);
        this.f('Type', 'vntag.etype', hex(type, 4), off + 4, 2);
        off += 6;
      } else if (type === EtherType.Mpls || type === EtherType.MplsMulticast) {
        let label = 0;
        for (;;) {
          if (this.end - off < 4) return this.truncated(off);
          const w = u32(b, off);
          label = w >>> 12;
          this.layer('MPLS', off, off + 4);
          this.f('Label', 'mpls.label', label, off, 3);
          this.f('Experimental bits', 'mpls.exp', (w >> 9) & 7, off + 2, 1);
          this.f('Bottom of label stack', 'mpls.bottom', (w >> 8) & 1, off + 2, 1);
          this.f('TTL', 'mpls.ttl', w & 0xff, off + 3, 1);
          off += 4;
          if ((w >> 8) & 1) break;
        }
        if (off >= this.end) return;
        // Guessed from the first nibble as tshark does (see the column decoder).
        const nib = b[off] >> 4;
        if (nib === 4) return this.ipv4(off, false);
        if (nib === 6) return this.ipv6(off, false);
        if (label === 14 || nib !== 0) return this.data(off, this.end);
        if (this.end - off >= 4 && b[off + 1] === 0) {
          this.layer('PW Ethernet control word', off, off + 4);
          this.f('Sequence number', undefined, u16(b, off + 2), off + 2, 2);
          off += 4;
        }
        if (this.end - off < 14) return this.truncated(off);
        this.layer('Ethernet', off, off + 14);
        this.f('Destination', 'eth.dst', macText(b, off), off, 6);
        this.f('Source', 'eth.src', macText(b, off + 6), off + 6, 6);
        type = u16(b, off + 12);
        this.f('Type', 'eth.type', hex(type, 4), off + 12, 2);
        off += 14;
      } else if (type === EtherType.PppoeSession) {
        if (this.end - off < 8) return this.truncated(off);
        this.layer('PPPoE session', off, off + 6);
        this.f('Version', 'pppoe.version', b[off] >> 4, off, 1);
        this.f('Type', 'pppoe.type', b[off] & 15, off, 1);
        this.f('Code', 'pppoe.code', hex(b[off + 1], 2), off + 1, 1);
        this.f('Session id', 'pppoe.session_id', hex(u16(b, off + 2), 4), off + 2, 2);
        this.f('Payload length', 'pppoe.payload_length', u16(b, off + 4), off + 4, 2);
        const proto = u16(b, off + 6);
        // The PPPoE payload length ends the packet (tshark reads an IP packet claiming more only to there).
        this.reportedEnd = off + 6 + u16(b, off + 4);
        this.layer('PPP', off + 6, off + 8);
        this.f('Protocol', 'ppp.protocol', hex(proto, 4), off + 6, 2);
        if (proto === PppProto.Ipv4) return this.ipv4(off + 8, false);
        if (proto === PppProto.Ipv6) return this.ipv6(off + 8, false);
        return this.data(off + 8, this.end);
      } else break;
    }
    if (type === EtherType.Ipv4) this.ipv4(off, false);
    else if (type === EtherType.Ipv6) this.ipv6(off, false);
    else if (type <= 1500) this.llc(off);
    else if (off < this.end) this.data(off, this.end);
  }

  private deeper(): boolean {
    if (++this.depth > MAX_TUNNEL_DEPTH) {
      this.layer('Tunnel nesting too deep', 0, 0);
      return false;
    }
    return true;
  }

  /** `quoted`: the header quoted in an ICMP error (it may be cut short, and is not a tunnel). */
  private ipv4(off: number, quoted: boolean): void {
    const b = this.b, end = this.end;
    if (end - off < 20) return this.truncated(off);
    const hl = (b[off] & 15) * 4;
    let total = u16(b, off + 2);
    if (total === 0 && !quoted) total = end - off;
    this.layer(quoted ? 'IPv4 (quoted)' : 'IPv4', off, off + Math.max(hl, 20));
    this.f('Version', 'ip.version', b[off] >> 4, off, 1);
    // Another version here (a tunnel or MPLS guessed wrong): tshark reads no further field.
    if (b[off] >> 4 !== 4) {
      this.f('Problem', undefined, 'bad IPv4 header', off, 1);
      return;
    }
    this.f('Header length', 'ip.hdr_len', hl, off, 1);
    this.f('Differentiated services', 'ip.dsfield', hex(b[off + 1], 2), off + 1, 1);
    this.f('Total length', 'ip.len', total, off + 2, 2);
    this.f('Identification', 'ip.id', hex(u16(b, off + 4), 4), off + 4, 2);
    const ff = u16(b, off + 6);
    this.f('Flags', 'ip.flags', hex(ff >> 13, 2), off + 6, 1);
    this.f("Don't fragment", 'ip.flags.df', (ff >> 14) & 1, off + 6, 1);
    this.f('More fragments', 'ip.flags.mf', (ff >> 13) & 1, off + 6, 1);
    this.f('Fragment offset', 'ip.frag_offset', (ff & 0x1fff) * 8, off + 6, 2);
    this.f('Time to live', 'ip.ttl', b[off + 8], off + 8, 1);
    this.f('Protocol', 'ip.proto', b[off + 9], off + 9, 1);
    this.f('Header checksum', 'ip.checksum', hex(u16(b, off + 10), 4), off + 10, 2);
    this.f('Source address', 'ip.src', ipv4Text(b, off + 12), off + 12, 4);
    this.f('Destination address', 'ip.dst', ipv4Text(b, off + 16), off + 16, 4);
    if (b[off] >> 4 !== 4 || hl < 20 || (!quoted && total < hl)) {
      this.f('Problem', undefined, 'bad IPv4 header', off, 1);
      return;
    }
    if (off + hl > end) return this.truncated(off + 20);
    if ((ff & 0x3fff) !== 0) {
      this.f('Problem', undefined, 'IP fragment: this pane reads one frame alone, without the other fragments, so what the datagram carries is not decoded here', 0, 0);
      return;
    }
    this.payload(b[off + 9], off + hl, Math.min(off + total, this.reportedEnd), quoted);
  }

  private ipv6(off: number, quoted: boolean): void {
    const b = this.b, end = this.end;
    if (end - off < 40) return this.truncated(off);
    const plen = u16(b, off + 4);
    const total = plen === 0 && !quoted ? end - off : plen + 40;
    this.layer(quoted ? 'IPv6 (quoted)' : 'IPv6', off, off + 40);
    const w = u32(b, off);
    this.f('Version', 'ipv6.version', w >>> 28, off, 1);
    if (w >>> 28 !== 6) {
      this.f('Problem', undefined, 'bad IPv6 header', off, 1);
      return;
    }
    this.f('Traffic class', 'ipv6.tclass', hex((w >>> 20) & 0xff, 2), off, 2);
    this.f('Flow label', 'ipv6.flow', hex(w & 0xfffff, 5), off + 1, 3);
    this.f('Payload length', 'ipv6.plen', plen, off + 4, 2);
    this.f('Next header', 'ipv6.nxt', b[off + 6], off + 6, 1);
    this.f('Hop limit', 'ipv6.hlim', b[off + 7], off + 7, 1);
    this.f('Source address', 'ipv6.src', formatIpv6(b, off + 8), off + 8, 16);
    this.f('Destination address', 'ipv6.dst', formatIpv6(b, off + 24), off + 24, 16);
    if (w >>> 28 !== 6) {
      this.f('Problem', undefined, 'bad IPv6 header', off, 1);
      return;
    }
    let nxt = b[off + 6];
    let p = off + 40;
    for (let n = 0; n < 16; n++) {
      if (nxt !== IpProto.HopByHop && nxt !== IpProto.Routing && nxt !== IpProto.Fragment && nxt !== IpProto.DestOpts && nxt !== IpProto.Ah) break;
      if (end - p < 8) return this.truncated(p);
      const len = nxt === IpProto.Fragment ? 8 : nxt === IpProto.Ah ? (b[p + 1] + 2) * 4 : (b[p + 1] + 1) * 8;
      this.layer(`IPv6 ${IPV6_EXT_NAMES[nxt]}`, p, p + len);
      this.f('Next header', undefined, b[p], p, 1);
      this.f('Length', undefined, len, p + 1, 1);
      if (nxt === IpProto.Fragment) {
        const fo = u16(b, p + 2);
        this.f('Fragment offset', 'ipv6.fragment.offset', fo >> 3, p + 2, 2);
        this.f('More fragments', 'ipv6.fragment.more', fo & 1, p + 3, 1);
        this.f('Identification', 'ipv6.fragment.id', hex(u32(b, p + 4), 8), p + 4, 4);
        if ((fo & 0xfff9) !== 0) {
          this.f('Problem', undefined, 'IP fragment: this pane reads one frame alone, without the other fragments, so what the datagram carries is not decoded here', 0, 0);
          return;
        }
      }
      nxt = b[p];
      p += len;
    }
    this.payload(nxt, p, Math.min(off + total, this.reportedEnd), quoted);
  }

  private payload(proto: number, off: number, lend: number, quoted: boolean): void {
    if (off >= this.end) return;
    switch (proto) {
      case IpProto.Tcp: this.tcp(off, lend, quoted); return;
      case IpProto.Udp: this.udp(off, lend, quoted); return;
      case IpProto.Icmp: if (!quoted) this.icmp(off, lend, false); return;
      case IpProto.Icmpv6: if (!quoted) this.icmp(off, lend, true); return;
      case IpProto.Ipip: if (!quoted && this.deeper()) this.ipv4(off, false); return;
      case IpProto.Ipv6: if (!quoted && this.deeper()) this.ipv6(off, false); return;
      case IpProto.Gre: if (!quoted) this.gre(off); return;
      default:
        this.data(off, lend);
    }
  }

  private data(off: number, lend: number): void {
    const e = Math.min(lend, this.end);
    if (e <= off) return;
    this.layer('Data', off, e);
    this.f('Length', 'data.len', e - off, off, e - off);
  }

  private tcp(off: number, lend: number, quoted: boolean): void {
    const b = this.b, end = this.end;
    const cap = end - off;
    if (cap < 4) return this.truncated(off);
    const hl = cap >= 13 ? (b[off + 12] >> 4) * 4 : 20;
    this.layer(quoted ? 'TCP (quoted)' : 'TCP', off, off + hl);
    this.f('Source port', 'tcp.srcport', u16(b, off), off, 2);
    this.f('Destination port', 'tcp.dstport', u16(b, off + 2), off + 2, 2);
    // tshark labels the quoted header's numbers as plain (not relative) seq/ack; we follow it. Quoted
    // by ICMPv6 it gives the raw sequence number as well (by ICMPv4 it does not).
    if (cap >= 8) {
      this.f('Sequence number', quoted ? 'tcp.seq' : 'tcp.seq_raw', u32(b, off + 4), off + 4, 4);
      if (quoted && this.quotedByV6) this.f('Sequence number (raw)', 'tcp.seq_raw', u32(b, off + 4), off + 4, 4);
    }
    if (cap >= 12) {
      if (quoted) this.f('Acknowledgment number', 'tcp.ack', u32(b, off + 8), off + 8, 4);
      this.f('Acknowledgment number (raw)', 'tcp.ack_raw', u32(b, off + 8), off + 8, 4);
    }
    if (cap < 14) return;
    this.f('Header length', 'tcp.hdr_len', hl, off + 12, 1);
    const flags = u16(b, off + 12) & 0x0fff;
    this.f('Flags', 'tcp.flags', hex(flags, 4), off + 12, 2);
    this.f('Flags (text)', 'tcp.flags.str', tcpFlagsText(flags), off + 12, 2);
    if (cap >= 16) {
      this.f('Window', 'tcp.window_size_value', u16(b, off + 14), off + 14, 2);
      if (quoted) this.f('Window (scaled)', 'tcp.window_size', u16(b, off + 14), off + 14, 2);
    }
    if (cap >= 18) this.f('Checksum', 'tcp.checksum', hex(u16(b, off + 16), 4), off + 16, 2);
    if (cap >= 20) this.f('Urgent pointer', 'tcp.urgent_pointer', u16(b, off + 18), off + 18, 2);
    // An IP length beyond the frame as it was on the wire: the segment ends with the frame (tshark).
    if (!quoted && lend > this.end + this.uncaptured) lend = this.end + this.uncaptured;
    if (hl < 20 || (!quoted && off + hl > lend)) {
      this.f('Problem', undefined, `bad header length ${hl}`, off + 12, 1);
      return;
    }
    if (!quoted) this.f('Segment length', 'tcp.len', lend - off - hl, 0, 0);
    if (hl > 20) this.tcpOptions(off + 20, off + hl);
    if (!quoted && lend - off - hl > 0 && off + hl < end) {
      const ps = off + hl, n = ps + 2 <= end ? u16(b, ps) : 0;
      // DNS over TCP: a segment holding a whole length-prefixed message.
      if ((u16(b, off) === DNS_PORT || u16(b, off + 2) === DNS_PORT) && n >= 12 && ps + 2 + n <= Math.min(lend, end)) {
        this.layer('DNS over TCP', ps, ps + 2 + n);
        this.f('Length', 'dns.length', n, ps, 2);
        this.dns(ps + 2, ps + 2 + n);
      } else this.data(ps, lend);
    }
  }

  /** A DNS message at `b[off, end)` under tshark's field names (the header, each question and record). */
  private dns(off: number, end: number, name = 'DNS'): void {
    const m = parseDns(this.b, off, Math.min(end, this.end));
    if (!m) { this.data(off, end); return; }
    if (this.cur?.name !== 'DNS over TCP') this.layer(name, off, end);
    const f = (name: string, key: string | undefined, v: string | number, at = off, len = 0) => this.f(name, key, v, at, len);
    f('Transaction ID', 'dns.id', hex(m.id, 4), off, 2);
    f('Flags', 'dns.flags', hex(m.flags, 4), off + 2, 2);
    f('Response', 'dns.flags.response', m.response ? 1 : 0);
    f(`Opcode (${dnsOpcodeName(m.opcode)})`, 'dns.flags.opcode', m.opcode);
    if (m.response) f('Authoritative', 'dns.flags.authoritative', (m.flags >> 10) & 1);
    f('Truncated', 'dns.flags.truncated', (m.flags >> 9) & 1);
    f('Recursion desired', 'dns.flags.recdesired', (m.flags >> 8) & 1);
    if (m.response) f('Recursion available', 'dns.flags.recavail', (m.flags >> 7) & 1);
    if (m.response) f('Reply code', 'dns.flags.rcode', m.rcode);
    if (m.response && m.rcode) f('Reply code name', undefined, dnsRcodeName(m.rcode));
    f('Questions', 'dns.count.queries', m.counts[0], off + 4, 2);
    if (m.opcode === 5) {
      // UPDATE (RFC 2136) names the sections zone, prerequisites, updates.
      f('Prerequisites', 'dns.count.prerequisites', m.counts[1], off + 6, 2);
      f('Updates', 'dns.count.updates', m.counts[2], off + 8, 2);
    } else {
      f('Answer RRs', 'dns.count.answers', m.counts[1], off + 6, 2);
      f('Authority RRs', 'dns.count.auth_rr', m.counts[2], off + 8, 2);
    }
    f('Additional RRs', 'dns.count.add_rr', m.counts[3], off + 10, 2);
    // Each question and record: its name, then the fixed part after it (type, class, TTL, data length).
    const nameEnd = (start: number, last: number) => readDnsName(this.b, off, Math.min(end, this.end), start)?.next ?? last;
    for (const q of m.questions) {
      const t = nameEnd(q.start, q.end - 4);
      f('Query name', 'dns.qry.name', q.name, q.start, t - q.start);
      f(`Query type (${dnsTypeName(q.type)})`, 'dns.qry.type', q.type, t, 2);
      f('Query class', 'dns.qry.class', hex(q.cls, 4), t + 2, 2);
    }
    const rr = (r: (typeof m.answers)[number]) => {
      const t = nameEnd(r.start, r.start), data = t + 10, dlen = r.end - data;
      if (r.type === 41) { f('EDNS UDP payload size', 'dns.rr.udp_payload_size', (r.cls | (r.cacheFlush ? 0x8000 : 0)), t + 2, 2); return; }
      f('Name', 'dns.resp.name', r.name, r.start, t - r.start);
      f(`Type (${dnsTypeName(r.type)})`, 'dns.resp.type', r.type, t, 2);
      f('Time to live', 'dns.resp.ttl', r.ttl, t + 4, 4);
      if (r.type === 1 && r.data) f('Address', 'dns.a', r.data, data, dlen);
      else if (r.type === 28 && r.data) f('AAAA address', 'dns.aaaa', r.data, data, dlen);
      else if (r.type === 5 && r.data) f('CNAME', 'dns.cname', r.data, data, dlen);
      else if (r.data) f('Data', undefined, r.data, data, dlen);
    };
    for (const r of [...m.answers, ...m.authority, ...m.additional]) rr(r);
    if (m.malformed) f('Problem', undefined, 'malformed DNS message');
  }

  private tcpOptions(start: number, hdrEnd: number): void {
    const b = this.b;
    const st = walkTcpOptions(b, start, hdrEnd, this.end, (kind, o, len) => {
      switch (kind) {
        case TcpOpt.Eol: this.f('End of options', 'tcp.option_kind', 0, o, 1); break;
        case TcpOpt.Nop: this.f('No-operation', 'tcp.option_kind', 1, o, 1); break;
        case TcpOpt.Mss: this.f('Maximum segment size', 'tcp.options.mss_val', u16(b, o + 2), o, len); break;
        case TcpOpt.WindowScale:
          this.f('Window scale shift', 'tcp.options.wscale.shift', b[o + 2], o, len);
          this.f('Window scale multiplier', 'tcp.options.wscale.multiplier', 2 ** Math.min(b[o + 2], 14), o, len);
          break;
        case TcpOpt.SackPermitted: this.f('SACK permitted', 'tcp.options.sack_perm', 1, o, len); break;
        case TcpOpt.Sack:
          for (let p = o + 2; p + 8 <= o + len; p += 8) {
            // Raw edges; tshark's sack_le/sack_re are relative, which is the TCP analysis's business.
            this.f('SACK left edge (raw)', 'tcp.options.sack_le_raw', u32(b, p), p, 4);
            this.f('SACK right edge (raw)', 'tcp.options.sack_re_raw', u32(b, p + 4), p + 4, 4);
          }
          break;
        case TcpOpt.Timestamps:
          this.f('Timestamp value', 'tcp.options.timestamp.tsval', u32(b, o + 2), o + 2, 4);
          this.f('Timestamp echo reply', 'tcp.options.timestamp.tsecr', u32(b, o + 6), o + 6, 4);
          break;
        default: this.f(`Option kind ${kind}`, 'tcp.option_kind', kind, o, len);
      }
    });
    if (st === 1) this.f('Problem', undefined, 'malformed TCP options', start, hdrEnd - start);
  }

  private udp(off: number, lend: number, quoted: boolean): void {
    const b = this.b, end = this.end;
    if (end - off < 4) return this.truncated(off);
    this.layer(quoted ? 'UDP (quoted)' : 'UDP', off, off + 8);
    const dport = u16(b, off + 2);
    this.f('Source port', 'udp.srcport', u16(b, off), off, 2);
    this.f('Destination port', 'udp.dstport', dport, off + 2, 2);
    if (end - off < 8) return;
    this.f('Length', 'udp.length', u16(b, off + 4), off + 4, 2);
    this.f('Checksum', 'udp.checksum', hex(u16(b, off + 6), 4), off + 6, 2);
    if (quoted) return;
    const p = off + 8;
    if ((dport === UdpTunnelPort.Vxlan || dport === UdpTunnelPort.VxlanLinux) && end - p >= 8) {
      if (!this.deeper()) return;
      this.layer('VXLAN', p, p + 8);
      this.f('Flags', 'vxlan.flags', hex(u16(b, p), 4), p, 2);
      this.f('VNI', 'vxlan.vni', u24(b, p + 4), p + 4, 3);
      this.ethernet(p + 8);
    } else if (dport === UdpTunnelPort.Geneve && end - p >= 8) {
      if (!this.deeper()) return;
      const optLen = (b[p] & 0x3f) * 4;
      const proto = u16(b, p + 2);
      this.layer('Geneve', p, p + 8 + optLen);
      this.f('Version', 'geneve.version', b[p] >> 6, p, 1);
      this.f('Options length', 'geneve.option_len', optLen, p, 1);
      this.f('Protocol type', 'geneve.proto_type', hex(proto, 4), p + 2, 2);
      this.f('VNI', 'geneve.vni', u24(b, p + 4), p + 4, 3);
      if (proto === EtherType.TransparentEthernet) this.ethernet(p + 8 + optLen);
      else this.etherType(proto, p + 8 + optLen);
    } else if (!this.udpTunnel(dport, p) && !this.udpTunnel(u16(b, off), p)) {
      // Multicast DNS (5353) is its own protocol to tshark (`dns` does not match it; the dns.* fields do).
      const sport = u16(b, off);
      if (isDnsUdp(sport, dport) && Math.min(lend, end) - p >= 12) this.dns(p, Math.min(lend, end), sport === DNS_PORT || dport === DNS_PORT ? 'DNS' : 'MDNS');
      else this.data(p, lend);
    }
  }

  /** GTP-U, Teredo, AYIYA on `port` carrying IP at `p` (as the column decoder peels them); false when not. */
  private udpTunnel(port: number, p: number): boolean {
    const b = this.b, end = this.end;
    if (port === UnpeeledUdpPort.GreInUdp && end - p >= 4) { this.gre(p); return true; }
    let inner = -1;
    if (port === UdpTunnelPort.GtpU) {
      if (end - p < 8 || b[p] >> 5 !== 1 || (b[p] & 0x10) === 0 || b[p + 1] !== 0xff) return false;
      inner = p + 8;
      if ((b[p] & 7) !== 0) {
        if (end - p < 12) return false;
        inner = p + 12;
      }
      this.layer('GTP', p, inner);
      this.f('Flags', 'gtp.flags', hex(b[p], 2), p, 1);
      this.f('Message type', 'gtp.message', hex(b[p + 1], 2), p + 1, 1);
      this.f('Length', 'gtp.length', u16(b, p + 2), p + 2, 2);
      this.f('TEID', 'gtp.teid', hex(u32(b, p + 4), 8), p + 4, 4);
      if (inner === p + 12) {
        if (b[p] & 2) this.f('Sequence number', 'gtp.seq_number', hex(u16(b, p + 8), 4), p + 8, 2);
        if (b[p] & 1) this.f('N-PDU number', 'gtp.npdu_number', hex(b[p + 10], 2), p + 10, 1);
        let next = (b[p] & 4) !== 0 ? b[p + 11] : 0;
        if (b[p] & 4) this.f('Next extension header type', 'gtp.ext_hdr.next', hex(next, 2), p + 11, 1);
        while (next !== 0) {
          if (end - inner < 4) { this.truncated(inner); return true; }
          const len = b[inner] * 4;
          if (len === 0) { this.f('Problem', undefined, 'extension header of length 0', inner, 1); return true; }
          if (end - inner < len) { this.truncated(inner); return true; }
          this.layer('GTP extension header', inner, inner + len);
          this.f('Extension header length', 'gtp.ext_hdr.length', b[inner], inner, 1);
          next = b[inner + len - 1];
          this.f('Next extension header type', 'gtp.ext_hdr.next', hex(next, 2), inner + len - 1, 1);
          inner += len;
        }
      }
    } else if (port === UdpTunnelPort.Teredo) {
      if (end - p < 40 || !(b[p] >> 4 === 6 || (b[p] === 0 && b[p + 1] <= 1))) return false;
      inner = p;
      if (b[inner] === 0 && b[inner + 1] === 1) {
        const idLen = b[inner + 2], auLen = b[inner + 3];
        this.layer('Teredo authentication', inner, inner + 13 + idLen + auLen);
        this.f('Client identifier length', 'teredo.auth.idlen', idLen, inner + 2, 1);
        this.f('Authentication value length', 'teredo.auth.aulen', auLen, inner + 3, 1);
        inner += 13 + idLen + auLen;
      }
      if (end - inner >= 8 && b[inner] === 0 && b[inner + 1] === 0) {
        this.layer('Teredo origin indication', inner, inner + 8);
        // Both are sent inverted (each bit flipped).
        this.f('Origin UDP port', 'teredo.orig.port', u16(b, inner + 2) ^ 0xffff, inner + 2, 2);
        this.f('Origin IPv4 address', 'teredo.orig.addr', ipv4Text(b.map((x) => x ^ 0xff), inner + 4), inner + 4, 4);
        inner += 8;
      }
    } else if (port === UdpTunnelPort.Ayiya) {
      if (end - p < 8 || (b[p + 3] !== IpProto.Ipip && b[p + 3] !== IpProto.Ipv6)) return false;
      inner = p + 8 + (1 << (b[p] >> 4)) + (b[p + 1] >> 4) * 4;
      this.layer('AYIYA', p, inner);
      this.f('Identity field length', 'ayiya.idlen', hex(b[p] >> 4, 2), p, 1);
      this.f('Signature length', 'ayiya.siglen', hex(b[p + 1] >> 4, 2), p + 1, 1);
      this.f('Operation code', 'ayiya.opcode', hex(b[p + 2] & 15, 2), p + 2, 1);
      this.f('Next header', 'ayiya.nextheader', hex(b[p + 3], 2), p + 3, 1);
    } else return false;
    if (inner >= end) return true;
    if (!this.deeper()) return true;
    if (b[inner] >> 4 === 4) this.ipv4(inner, false);
    else if (b[inner] >> 4 === 6) this.ipv6(inner, false);
    else this.data(inner, end);
    return true;
  }

  private gre(off: number): void {
    const b = this.b;
    if (this.end - off < 4) return this.truncated(off);
    const fv = u16(b, off);
    const proto = u16(b, off + 2);
    let p = off + 4;
    const hasCsum = (fv & 0xc000) !== 0;
    const len = 4 + (hasCsum ? 4 : 0) + (fv & 0x2000 ? 4 : 0) + (fv & 0x1000 ? 4 : 0);
    this.layer('GRE', off, off + len);
    this.f('Flags and version', 'gre.flags_and_version', hex(fv, 4), off, 2);
    this.f('Protocol type', 'gre.proto', hex(proto, 4), off + 2, 2);
    if ((fv & 7) !== 0 || (fv & 0x4000) !== 0) return;
    if (this.end - off < len) return this.truncated(off + 4);
    if (hasCsum) { this.f('Checksum', 'gre.checksum', hex(u16(b, p), 4), p, 2); p += 4; }
    if (fv & 0x2000) { this.f('Key', 'gre.key', hex(u32(b, p), 8), p, 4); p += 4; }
    if (fv & 0x1000) { this.f('Sequence number', 'gre.sequence_number', u32(b, p), p, 4); p += 4; }
    if (!this.deeper()) return;
    if (proto === EtherType.TransparentEthernet) this.ethernet(p);
    else if (proto === EtherType.Erspan && (fv & 0x1000) === 0) {
      this.layer('ERSPAN type I', p, p);
      this.ethernet(p);
    } else if (proto === EtherType.Erspan || proto === EtherType.Erspan3) {
      const len = proto === EtherType.Erspan ? 8 : this.end - p >= 12 && (b[p + 11] & 1) !== 0 ? 20 : 12;
      if (this.end - p < len) return this.truncated(p);
      this.layer(proto === EtherType.Erspan ? 'ERSPAN type II' : 'ERSPAN type III', p, p + len);
      this.f('Version', 'erspan.version', b[p] >> 4, p, 1);
      this.f('VLAN', 'erspan.vlan', u16(b, p) & 0xfff, p, 2);
      this.f('Span id', 'erspan.spanid', u16(b, p + 2) & 0x3ff, p + 2, 2);
      this.ethernet(p + len);
    } else if (isArubaGreProto(proto)) this.wlan(p);
    else if (proto === EtherType.CiscoMetaData) {
      // Over GRE the MetaData header starts with the inner EtherType (on Ethernet it ends with it).
      if (this.end - p < 8) return this.truncated(p);
      this.layer('Cisco MetaData', p, p + 8);
      this.f('Type', 'cmd.type', hex(u16(b, p), 4), p, 2);
      this.f('Security group tag', 'cmd.sgt', u16(b, p + 6), p + 6, 2);
      this.etherType(u16(b, p), p + 8);
    } else this.etherType(proto, p);
  }

  private icmp(off: number, lend: number, v6: boolean): void {
    const b = this.b, end = this.end;
    if (end - off < 2) return this.truncated(off);
    const k = v6 ? 'icmpv6' : 'icmp';
    this.layer(v6 ? 'ICMPv6' : 'ICMP', off, Math.min(lend, off + 8));
    const type = b[off], code = b[off + 1];
    this.f('Type', `${k}.type`, type, off, 1);
    this.f('Code', `${k}.code`, code, off + 1, 1);
    if (end - off < 4) return;
    this.f('Checksum', `${k}.checksum`, hex(u16(b, off + 2), 4), off + 2, 2);
    if (end - off < 8) return;
    let isError: boolean;
    if (v6) {
      isError = type >= 1 && type <= 4;
      if (type === 2) this.f('MTU', 'icmpv6.mtu', u32(b, off + 4), off + 4, 4);
    } else {
      isError = ICMP_ERRORS_V4.has(type);
      if (type === 3 && code === 4) this.f('Next-hop MTU', 'icmp.mtu', u16(b, off + 6), off + 6, 2);
    }
    if ((!v6 && (type === 0 || type === 8)) || (v6 && (type === 128 || type === 129))) {
      this.f('Identifier', `${k}.ident`, u16(b, off + 4), off + 4, 2);
      this.f('Sequence number', `${k}.seq`, u16(b, off + 6), off + 6, 2);
    }
    const p = off + 8;
    if (!isError || p >= end) return;
    this.quotedByV6 = v6;
    if (b[p] >> 4 === 4) this.ipv4(p, true);
    else if (b[p] >> 4 === 6) this.ipv6(p, true);
  }
}

/** tshark's tcp.flags.str: 12 positions, reserved bits first, a dot for each bit not set. */
export function tcpFlagsText(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) s += flags & (1 << (11 - i)) ? letters[i] : '\u00b7';
  return s;
}

/**
 * Decode one packet's bytes into layers. `fcsLen` bytes at the end (a frame check sequence that was
 * captured) are left out of every layer. `uncaptured`: bytes of the frame (before its FCS) that
 * snaplen left out, when known; a TCP segment whose IP length reaches beyond them ends with the
 * frame, as tshark reads it (unknown, Infinity: the IP length is taken as it is).
 */
export function decodeDetail(bytes: Uint8Array, linkType: number, fcsLen = 0, uncaptured = Infinity): DetailLayer[] {
  const end = Math.max(0, bytes.length - fcsLen);
  const d = new DetailDecoder(bytes, end, uncaptured);
  d.link(linkType);
  if (fcsLen > 0 && bytes.length >= fcsLen) {
    let v = '0x';
    for (let i = end; i < bytes.length; i++) v += bytes[i].toString(16).padStart(2, '0');
    d.layers.push({ name: 'Frame check sequence', start: end, end: bytes.length, fields: [{ name: 'FCS', value: v, start: end, end: bytes.length }] });
  }
  return d.layers;
}

/** Every value of a tshark-style key across the layers, in layer order (outer first). */
/**
 * A frame's layers with the DNS message no single frame holds (src/decode/dnsTable.ts `joined`: a
 * message joined from TCP segments, or in a reassembled IP datagram) decoded after them, as tshark
 * shows it on the frame that completes it, in place of the frame's own trailing payload (Data). Its
 * fields name no byte range: their bytes are in several frames.
 */
export function withJoinedDns(layers: DetailLayer[], msg: Uint8Array | undefined, tcp: boolean, mdns = false, ports?: [number, number]): DetailLayer[] {
  if (!msg) return layers;
  const d = new DetailDecoder(msg, msg.length);
  d.joinedDns(tcp, mdns);
  const out = layers.length && layers[layers.length - 1].name === 'Data' ? layers.slice(0, -1) : [...layers];
  // A reassembled datagram's UDP header is in its first fragment: the ports as the packet table read them.
  if (!tcp && ports && !out.some((l) => l.name === 'UDP')) {
    out.push({ name: 'UDP', start: 0, end: 0, fields: [
      { name: 'Source port', key: 'udp.srcport', value: String(ports[0]) }, { name: 'Destination port', key: 'udp.dstport', value: String(ports[1]) },
    ] });
  }
  for (const l of d.layers) {
    out.push({ name: l.name, start: 0, end: 0, fields: l.fields.map(({ start: _s, end: _e, ...f }) => f) });
  }
  return out;
}

export function detailValues(layers: DetailLayer[], key: string): string[] {
  const out: string[] = [];
  for (const l of layers) for (const f of l.fields) if (f.key === key) out.push(f.value);
  return out;
}
