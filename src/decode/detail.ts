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

import { u16, u24, u32, u32le } from './bytes';
import { formatIpv6 } from './columns';
import { EtherType, Framing, IpProto, MAX_TUNNEL_DEPTH, UdpTunnelPort, framingOf, isBsdAfInet6, isVlanTpid } from './linkTypes';
import { TcpOpt, walkTcpOptions } from './tcpOptions';

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

const ICMP_ERRORS_V4 = new Set([3, 4, 5, 11, 12]);

const IPV6_EXT_NAMES: Record<number, string> = {
  0: 'hop-by-hop options', 43: 'routing header', 44: 'fragment header', 51: 'authentication header', 60: 'destination options',
};

class DetailDecoder {
  readonly layers: DetailLayer[] = [];
  private depth = 0;
  private cur: DetailLayer | null = null;

  /** `uncaptured`: bytes of the frame (before any FCS) not captured (snaplen), when known; else Infinity. */
  constructor(private readonly b: Uint8Array, private readonly end: number, private readonly uncaptured = Infinity) {}

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
      default:
        this.layer('Unsupported link type', 0, end).fields.push({ name: 'Link type', value: String(lt) });
    }
  }

  private ethernet(off: number): void {
    const b = this.b;
    if (this.end - off < 14) return this.truncated(off);
    this.layer('Ethernet', off, off + 14);
    this.f('Destination', 'eth.dst', macText(b, off), off, 6);
    this.f('Source', 'eth.src', macText(b, off + 6), off + 6, 6);
    this.f('Type', 'eth.type', hex(u16(b, off + 12), 4), off + 12, 2);
    this.etherType(u16(b, off + 12), off + 14);
  }

  private etherType(type: number, off: number): void {
    const b = this.b;
    for (;;) {
      if (isVlanTpid(type)) {
        if (this.end - off < 4) return this.truncated(off);
        // tshark files an 802.1ad service tag under its own protocol name, other tags under vlan.
        const k = type === EtherType.QinQ ? 'ieee8021ad' : 'vlan';
        this.layer(type === EtherType.QinQ ? '802.1ad service tag' : '802.1Q VLAN', off, off + 4);
        const tci = u16(b, off);
        this.f('Priority', `${k}.priority`, tci >> 13, off, 2);
        this.f('Drop eligible', `${k}.dei`, (tci >> 12) & 1, off, 2);
        this.f('VLAN id', `${k}.id`, tci & 0xfff, off, 2);
        type = u16(b, off + 2);
        this.f('Type', `${k}.etype`, hex(type, 4), off + 2, 2);
        off += 4;
      } else if (type === EtherType.CiscoMetaData) {
        if (this.end - off < 8) return this.truncated(off);
        this.layer('Cisco MetaData', off, off + 8);
        this.f('Security group tag', 'cmd.sgt', u16(b, off + 4), off + 4, 2);
        type = u16(b, off + 6);
        this.f('Type', 'cmd.type', hex(type, 4), off + 6, 2);
        off += 8;
      } else break;
    }
    if (type === EtherType.Ipv4) this.ipv4(off, false);
    else if (type === EtherType.Ipv6) this.ipv6(off, false);
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
    this.payload(b[off + 9], off + hl, off + total, quoted);
  }

  private ipv6(off: number, quoted: boolean): void {
    const b = this.b, end = this.end;
    if (end - off < 40) return this.truncated(off);
    const plen = u16(b, off + 4);
    const total = plen === 0 && !quoted ? end - off : plen + 40;
    this.layer(quoted ? 'IPv6 (quoted)' : 'IPv6', off, off + 40);
    const w = u32(b, off);
    this.f('Version', 'ipv6.version', w >>> 28, off, 1);
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
    this.payload(nxt, p, off + total, quoted);
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
    // tshark labels the quoted header's numbers as plain (not relative) seq/ack; we follow it.
    if (cap >= 8) this.f('Sequence number', quoted ? 'tcp.seq' : 'tcp.seq_raw', u32(b, off + 4), off + 4, 4);
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
    if (!quoted && lend - off - hl > 0 && off + hl < end) this.data(off + hl, lend);
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
    } else this.data(p, lend);
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
export function detailValues(layers: DetailLayer[], key: string): string[] {
  const out: string[] = [];
  for (const l of layers) for (const f of l.fields) if (f.key === key) out.push(f.value);
  return out;
}
