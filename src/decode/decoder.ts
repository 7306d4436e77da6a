/**
 * The hot-path decoder: one captured record → one row of the packet table. It walks link layer →
 * IP (tunnels peeled) → TCP/UDP/ICMP and writes straight into the reusable scratch row, so decoding
 * allocates nothing per packet (IPv6 address interning excepted, once per distinct address).
 *
 * For tunnelled frames the row describes the INNERMOST IP packet (what the TCP analysis needs) plus
 * the outermost packet's total length and DF bit and the bytes of encapsulation between the two
 * (what the MTU checks need). Other details of the outer headers (addresses, TTL, VNI, ...) are not
 * kept: the columns hold only what the analysis uses, and whoever needs more (the `fields` command,
 * the packet-detail pane) re-decodes the record with decodeDetail().
 *
 * Nothing is passed over in silence: a frame whose payload the decoder cannot reach because it does
 * not know the encapsulation (a link type, an EtherType such as MACsec, what PPPoE or MPLS carries
 * besides IP, a GRE payload such as Frame Relay, encrypted 802.11, a UDP tunnel such as L2TP, ESP)
 * is marked Anomaly.NotDecoded and counted by kind in PacketColumns.notDecoded, for the caveat that
 * says what was not seen. Ordinary traffic without IP (ARP, LLDP, spanning tree, ...) is not marked.
 * What is peeled is listed in src/decode/README.md.
 */

import type { CaptureInterface, CaptureRecord } from '../capture/types';
import { Anomaly, Encap, L4, NotDecoded, clearRow, notDecodedCode, type PacketColumns, type PacketRow } from './columns';
import { i32, u16, u16le, u32, u32le } from './bytes';
import {
  EtherType, Framing, IpProto, MAX_TUNNEL_DEPTH, PppProto, framingOf, UdpTunnelPort, UnpeeledUdpPort,
  isArubaGreProto, isBsdAfInet6, isOrdinaryEtherType, isUnpeeledIpProto, isUnpeeledUdpPort, isVlanTpid,
} from './linkTypes';
import { Reassembler } from './reassembly';
import { DNS_PORT, DnsBit, DnsTcpJoiner, MDNS_PORT, isDnsUdp } from './dnsTable';
import { OptWalk, TcpOpt, walkTcpOptions, type TcpOptionVisitor } from './tcpOptions';

export class PacketDecoder {
  private readonly cols: PacketColumns;
  private readonly row: PacketRow;
  /** FCS bytes per interface id. */
  private readonly fcsLen: number[] = [];
  // Per-packet walk state, kept on the instance so that no closure or object is made per packet.
  private b: Uint8Array = new Uint8Array(0);
  /** DNS messages over TCP split across segments (port 53 only). */
  private readonly dnsTcp = new DnsTcpJoiner();
  private end = 0;
  private depth = 0;
  private ipOff = -1;
  private ipVer = 0;
  private outerIpOff = -1;
  /** Where the innermost IP packet's destination address is, from its header's start (an IPv4 source route moves it). */
  private dstRel = 16;
  /** The walk reads a reassembled datagram (`b` is the reassembler's buffer): a fragment inside it is not reassembled. */
  private inReassembled = false;
  private readonly onOption: TcpOptionVisitor;
  /** IP fragments are gathered here; its tally is the table's (PacketColumns.fragments). */
  private readonly reassembler: Reassembler;

  constructor(cols: PacketColumns) {
    this.cols = cols;
    this.row = cols.cur;
    this.onOption = (kind, off, len) => this.option(kind, off, len);
    this.reassembler = new Reassembler(cols.fragments);
  }

  /** End of capture: the datagrams still missing fragments are counted as never reassembled. */
  finish(): void {
    this.reassembler.flush();
  }

  /** Tell the decoder about an interface (its FCS length matters). */
  addInterface(iface: CaptureInterface): void {
    this.fcsLen[iface.id] = iface.fcsLen;
  }

  /** Decode one record into the next row of the table; returns the row index. */
  decode(rec: CaptureRecord): number {
    const r = this.row;
    clearRow(r);
    this.cols.discardPendingSack();
    this.cols.dns.unstage();
    r.tsSec = rec.tsSec;
    r.tsNsec = rec.tsNsec;
    r.fileOffset = rec.fileOffset;
    r.dataDelta = rec.dataOffset - rec.fileOffset;
    r.capLen = rec.capturedLength;
    r.origLen = rec.originalLength;
    r.iface = rec.interfaceId;
    // The record's bytes where the reader has them (no subarray per packet: nothing is allocated
    // here); every offset below is into `b`, the packet starting at `base`.
    let b: Uint8Array, base: number;
    if (rec.buf !== undefined && rec.bufOffset !== undefined) { b = rec.buf; base = rec.bufOffset; }
    else { b = rec.data; base = 0; }
    let end = base + rec.capturedLength;
    const fcs = this.fcsLen[rec.interfaceId] ?? 0;
    if (fcs > 0) {
      // The FCS trails the original frame: only the part of it that was captured is cut.
      const present = fcs - (rec.originalLength - rec.capturedLength);
      if (present > 0) end = Math.max(base, end - present);
    }
    this.b = b;
    this.end = end;
    this.depth = 0;
    this.ipOff = -1;
    this.ipVer = 0;
    this.outerIpOff = -1;
    this.inReassembled = false;
    this.link(rec.linkType, base);
    this.internAddresses();
    const row = this.cols.commit(r);
    this.cols.dns.commit(row);
    return row;
  }

  /** The framing of the last link type seen (a capture has one or a few): no registry look-up per packet. */
  private framingLt = -1;
  private framing: Framing | 0 = 0;

  private link(lt: number, o: number): void {
    const b = this.b, end = this.end, r = this.row;
    if (lt !== this.framingLt) { this.framingLt = lt; this.framing = framingOf(lt); }
    switch (this.framing) {
      case Framing.Ethernet:
        if (end - o >= 14) { r.ethDst = this.cols.macs.intern(b, o); r.ethSrc = this.cols.macs.intern(b, o + 6); }
        this.ethernet(o);
        return;
      case Framing.RawIp:
        if (end - o < 1) r.anomalies |= Anomaly.Truncated;
        else if (b[o] >> 4 === 4) this.ipv4(o);
        else if (b[o] >> 4 === 6) this.ipv6(o);
        else r.anomalies |= Anomaly.BadIpHeader;
        return;
      case Framing.Ipv4:
        this.ipv4(o);
        return;
      case Framing.Ipv6:
        this.ipv6(o);
        return;
      case Framing.BsdNull:
      case Framing.BsdLoop: {
        if (end - o < 4) { r.anomalies |= Anomaly.Truncated; return; }
        let af = this.framing === Framing.BsdLoop ? u32(b, o) : u32le(b, o);
        // NULL is in the capturing host's order: a value with zero low half was written big-endian.
        if (this.framing === Framing.BsdNull && (af & 0xffff) === 0) af = u32(b, o);
        if (af === 2) this.ipv4(o + 4);
        else if (isBsdAfInet6(af)) this.ipv6(o + 4);
        else this.notDecoded(NotDecoded.LoopbackFamily, af);
        return;
      }
      case Framing.LinuxSll:
        if (end - o < 16) { r.anomalies |= Anomaly.Truncated; return; }
        r.sllPktType = u16(b, o);
        this.sllProtocol(u16(b, o + 14), o + 16);
        return;
      case Framing.LinuxSll2:
        if (end - o < 20) { r.anomalies |= Anomaly.Truncated; return; }
        r.sllIfIndex = u32(b, o + 4) | 0;
        r.sllPktType = b[o + 10];
        this.sllProtocol(u16(b, o), o + 20);
        return;
      case Framing.Fddi:
        if (end - o < 13) { r.anomalies |= Anomaly.Truncated; return; }
        // Frame control 0x50-0x57 / 0xd0-0xd7: an LLC frame; the others (SMT, MAC, tokens) carry no IP.
        if ((b[o] & 0x30) === 0x10) this.llc(o + 13);
        return;
      case Framing.CiscoHdlc:
        if (end - o < 4) { r.anomalies |= Anomaly.Truncated; return; }
        this.etherType(u16(b, o + 2), o + 4);
        return;
      case Framing.Ieee80211:
        this.wlan(o, NotDecoded.LinkType, lt);
        return;
      case Framing.Radiotap:
        this.radiotap(o, lt);
        return;
      case Framing.Nflog:
        this.nflog(o, lt);
        return;
      default:
        this.notDecoded(NotDecoded.LinkType, lt);
    }
  }

  /** A radiotap header at `o` (its own little-endian length), then an 802.11 frame. */
  private radiotap(o: number, lt: number): void {
    const b = this.b, end = this.end, r = this.row;
    if (end - o < 8) { r.anomalies |= Anomaly.Truncated; return; }
    const len = u16le(b, o + 2);
    if (len < 8 || end - o < len) { r.anomalies |= Anomaly.Truncated; return; }
    // The fields follow the presence words (bit 31: another word follows); TSFT (8 bytes, 8-aligned)
    // comes before the flags byte, whose bit 0x10 says an FCS ends the frame.
    const present = u32le(b, o + 4);
    let q = o + 8;
    for (let w = present; (w & 0x80000000) !== 0 && q + 4 <= o + len; q += 4) w = u32le(b, q);
    if (present & 1) q = o + ((q - o + 7) & ~7) + 8;
    if ((present & 2) !== 0 && q < o + len && (b[q] & 0x10) !== 0) this.end = Math.max(o + len, end - 4);
    this.wlan(o + len, NotDecoded.LinkType, lt);
  }

  /**
   * Linux NFLOG at `o`: family, version, resource id, then TLVs (length and type in the logging host's
   * order: read little-endian, as tshark does; 4-byte aligned); the payload TLV (type 9) holds the IP
   * packet.
   */
  private nflog(o: number, lt: number): void {
    const b = this.b, end = this.end, r = this.row;
    let q = o + 4;
    if (end - q < 4) { r.anomalies |= Anomaly.Truncated; return; }
    while (end - q >= 4) {
      const len = u16le(b, q);
      const type = u16le(b, q + 2) & 0x7fff;
      if (len < 4) break;
      if (type === 9) {
        // The payload may be cut by the snapshot length: the IP lengths say how much is missing.
        if (b[o] === 2) this.ipv4(q + 4);
        else if (b[o] === 10) this.ipv6(q + 4);
        else this.notDecoded(NotDecoded.LinkType, lt);
        return;
      }
      q += (len + 3) & ~3;
    }
    // No payload TLV within the captured bytes (or a TLV with a bad length): no packet to read.
    r.anomalies |= Anomaly.Truncated;
  }

  /** The rest of the frame is in an encapsulation not decoded: say which (Anomaly.NotDecoded). */
  private notDecoded(kind: NotDecoded, value: number): void {
    const r = this.row;
    r.anomalies |= Anomaly.NotDecoded;
    r.notDecoded = notDecodedCode(kind, value);
  }

  /** A Linux cooked header's protocol: an EtherType, or below 0x0600 an ARPHRD-specific value (4: an 802.2 LLC frame). */
  private sllProtocol(p: number, off: number): void {
    if (p >= 0x0600) this.etherType(p, off);
    else if (p === 4) this.llc(off);
  }

  private ethernet(off: number): void {
    if (this.end - off < 14) { this.row.anomalies |= Anomaly.Truncated; return; }
    this.etherType(u16(this.b, off + 12), off + 14);
  }

  /**
   * Dispatch on an EtherType at `off`, peeling any stack of VLAN (and Cisco MetaData) tags first. A
   * value up to 1500 is an 802.3 length: an LLC header follows. `kind` says where the type was read
   * (an Ethernet type field, or a GRE header), for what is not decoded.
   */
  private etherType(type: number, off: number, kind: NotDecoded = NotDecoded.EtherType): void {
    const b = this.b, r = this.row;
    for (;;) {
      if (isVlanTpid(type)) {
        if (this.end - off < 4) { r.anomalies |= Anomaly.Truncated; return; }
        r.encap |= Encap.Vlan;
        type = u16(b, off + 2);
        off += 4;
      } else if (type === EtherType.CiscoMetaData) {
        if (this.end - off < 8) { r.anomalies |= Anomaly.Truncated; return; }
        type = u16(b, off + 6);
        off += 8;
      } else break;
      kind = NotDecoded.EtherType; // a tag's type field is an EtherType whatever carried the tag
    }
    if (type === EtherType.Ipv4) this.ipv4(off);
    else if (type === EtherType.Ipv6) this.ipv6(off);
    else if (type <= 1500 && kind === NotDecoded.EtherType) this.llc(off);
    else this.otherEtherType(type, off, kind);
  }

  /**
   * The EtherTypes beyond IP and VLAN tags (nothing here runs for a plain Ethernet + IP frame): layer-2
   * headers (PBB, FabricPath, E-Tag, VN-Tag, MPLS with an Ethernet pseudowire) are peeled in a loop,
   * which also takes the VLAN tags and LLC behind them, so that no stack of them recurses; PPPoE and
   * MPLS hand IP on. What is still unknown is counted as not decoded (kind, as etherType's).
   */
  private otherEtherType(type: number, off: number, kind: NotDecoded): void {
    const b = this.b, r = this.row;
    let end = this.end;
    for (;;) {
      switch (type) {
        case EtherType.Ipv4: this.ipv4(off); return;
        case EtherType.Ipv6: this.ipv6(off); return;
        case EtherType.Vlan: case EtherType.QinQ: case EtherType.QinQOld:
          if (end - off < 4) { r.anomalies |= Anomaly.Truncated; return; }
          r.encap |= Encap.Vlan;
          type = u16(b, off + 2);
          off += 4;
          break;
        case EtherType.CiscoMetaData:
          if (end - off < 8) { r.anomalies |= Anomaly.Truncated; return; }
          type = u16(b, off + 6);
          off += 8;
          break;
        case EtherType.Pbb: // I-tag, customer destination and source, EtherType
          if (end - off < 18) { r.anomalies |= Anomaly.Truncated; return; }
          type = u16(b, off + 16);
          off += 18;
          break;
        case EtherType.FabricPath: // FTag/TTL, the inner frame's destination and source, EtherType
          if (end - off < 16) { r.anomalies |= Anomaly.Truncated; return; }
          type = u16(b, off + 14);
          off += 16;
          // tshark takes the last 4 bytes for the FabricPath frame's FCS, whatever the capture did.
          end = this.end = Math.max(off, end - 4);
          break;
        case EtherType.ETag:
          if (end - off < 8) { r.anomalies |= Anomaly.Truncated; return; }
          type = u16(b, off + 6);
          off += 8;
          break;
        case EtherType.VnTag:
          if (end - off < 6) { r.anomalies |= Anomaly.Truncated; return; }
          type = u16(b, off + 4);
          off += 6;
          break;
        case EtherType.PppoeSession: {
          // Version/type 0x11, code 0 (session data), session id, length, then the PPP protocol.
          if (end - off < 8) { r.anomalies |= Anomaly.Truncated; return; }
          const proto = u16(b, off + 6);
          // The PPPoE payload length ends the packet, as for tshark: bytes after it (Ethernet
          // padding) are not the IP packet's even where its length claims them.
          if (proto === PppProto.Ipv4 || proto === PppProto.Ipv6) this.end = Math.min(end, Math.max(off + 8, off + 6 + u16(b, off + 4)));
          if (proto === PppProto.Ipv4) this.ipv4(off + 8);
          else if (proto === PppProto.Ipv6) this.ipv6(off + 8);
          // 0x8000 and up: PPP's own control (LCP, IPCP, authentication, ...), no IP.
          else if (proto < 0x8000) this.notDecoded(NotDecoded.EtherType, EtherType.PppoeSession);
          return;
        }
        case EtherType.Mpls: case EtherType.MplsMulticast: {
          // Pop labels to the bottom of the stack.
          let p = off;
          for (;;) {
            if (end - p < 4) { r.anomalies |= Anomaly.Truncated; return; }
            p += 4;
            if (b[p - 2] & 1) break;
          }
          // Label 14 at the bottom: OAM alert (no IP); 13 (GAL) is followed by an associated channel.
          const label = (u32(b, p - 4) >>> 12);
          if (end - p < 1) { r.anomalies |= Anomaly.Truncated; return; }
          const nib = b[p] >> 4;
          // What follows is guessed from its first nibble, as tshark does: IP by version; 1 an
          // associated channel (control); 0 an Ethernet pseudowire, after a control word when its
          // first two bytes are zero (a destination MAC seldom starts so; tshark weighs the MACs'
          // vendors instead); anything else is not decoded.
          if (nib === 4) { this.ipv4(p); return; }
          if (nib === 6) { this.ipv6(p); return; }
          if (label === 14 || nib === 1) return;
          if (nib !== 0) { this.notDecoded(NotDecoded.EtherType, type); return; }
          if (end - p >= 2 && b[p + 1] === 0) p += 4;
          if (end - p < 14) { r.anomalies |= Anomaly.Truncated; return; }
          type = u16(b, p + 12);
          off = p + 14;
          break;
        }
        default:
          if (type <= 1500) {
            if (kind === NotDecoded.EtherType) this.llc(off);
            else this.notDecoded(kind, type);
          } else if (!isOrdinaryEtherType(type)) this.notDecoded(kind, type);
          return;
      }
      kind = NotDecoded.EtherType; // a tag's type field is an EtherType whatever carried the tag
    }
  }

  /**
   * An 802.2 LLC header at `off`. Only SNAP with an EtherType (RFC 1042 and 802.1H OUIs) can carry IP;
   * other SAPs (spanning tree, NetBIOS, IPX, IS-IS, ...) and organisations' own SNAP protocols
   * (Cisco's CDP, VTP, PVST+, ...) are ordinary traffic.
   */
  private llc(off: number): void {
    const b = this.b;
    if (this.end - off < 8 || b[off] !== 0xaa || (b[off + 1] & 0xfe) !== 0xaa || b[off + 2] !== 0x03) return;
    if (b[off + 3] !== 0 || b[off + 4] !== 0 || (b[off + 5] !== 0 && b[off + 5] !== 0xf8)) return;
    const pid = u16(b, off + 6);
    if (pid === EtherType.Ipv4) this.ipv4(off + 8);
    else if (pid === EtherType.Ipv6) this.ipv6(off + 8);
    else if (!isOrdinaryEtherType(pid)) this.notDecoded(NotDecoded.LlcSnap, pid);
  }

  /**
   * An 802.11 frame at `off`: a data frame's MAC header (24 bytes; 30 with four addresses; +2 QoS
   * control; +4 HT control when a QoS frame has the order bit), then LLC/SNAP (in an A-MSDU, the last
   * subframe's, after its 14-byte header). Management and control frames and data frames without a
   * body carry no IP; an encrypted body is counted as not decoded under (kind, value).
   */
  private wlan(off: number, kind: NotDecoded, value: number): void {
    const b = this.b, r = this.row;
    if (this.end - off < 24) { r.anomalies |= Anomaly.Truncated; return; }
    const fc = b[off], flags = b[off + 1];
    if ((fc & 0x0c) !== 0x08 || (fc & 0x40) !== 0) return; // not data, or no body (null function, CF-only)
    if (flags & 0x40) { this.notDecoded(kind, value); return; } // protected: the body is encrypted
    let h = off + ((flags & 3) === 3 ? 30 : 24);
    let amsdu = false;
    if (fc & 0x80) {
      if (this.end - h < 2) { r.anomalies |= Anomaly.Truncated; return; }
      amsdu = (b[h] & 0x80) !== 0;
      h += (flags & 0x80) !== 0 ? 6 : 2;
    }
    // More fragments, or a fragment number other than 0: part of a frame only.
    if ((flags & 0x04) !== 0 || (b[off + 22] & 15) !== 0) { r.anomalies |= Anomaly.Fragment; return; }
    if (!amsdu) { this.llc(h); return; }
    // An A-MSDU holds several packets (each subframe: destination, source, length, padded to 4
    // bytes); the row takes the last, which ends where the sender's next segment starts.
    for (;;) {
      if (this.end - h < 14) { r.anomalies |= Anomaly.Truncated; return; }
      const next = h + ((14 + u16(b, h + 12) + 3) & ~3);
      if (this.end - next < 14 + 8) break;
      h = next;
    }
    this.llc(h + 14);
  }

  /** Entering a tunnel: false (and an anomaly) when nested too deep. */
  private deeper(): boolean {
    if (++this.depth > MAX_TUNNEL_DEPTH) {
      this.row.anomalies |= Anomaly.TunnelTooDeep;
      return false;
    }
    return true;
  }

  /** Common part of entering an IP header (outer or inner). */
  private enterIp(off: number, total: number, df: number): void {
    const r = this.row;
    if (this.outerIpOff < 0) {
      this.outerIpOff = off;
      r.outerIpLen = total;
      r.outerDf = df;
    }
    // A new (inner) IP packet: what an outer layer said about L4 no longer applies.
    r.l4 = L4.None;
    r.srcPort = 0;
    r.dstPort = 0;
    r.encapOverhead = off - this.outerIpOff;
    this.ipOff = off;
  }

  private ipv4(off: number): void {
    const b = this.b, end = this.end, r = this.row;
    if (end - off < 20) { r.anomalies |= Anomaly.Truncated; return; }
    const hl = (b[off] & 15) * 4;
    if (b[off] >> 4 !== 4 || hl < 20) { r.anomalies |= Anomaly.BadIpHeader; return; }
    let total = u16(b, off + 2);
    // Total length 0: written by a host doing segmentation offload; the captured bytes are the packet.
    if (total === 0) total = end - off;
    else if (total < hl) { r.anomalies |= Anomaly.BadIpHeader; return; }
    const ff = u16(b, off + 6);
    const df = (ff >> 14) & 1;
    this.enterIp(off, total, df);
    this.ipVer = 4;
    this.dstRel = 16;
    r.ipVersion = 4;
    r.ipLen = total;
    r.ipId = u16(b, off + 4);
    r.ipDf = df;
    r.ipTtl = b[off + 8];
    if (off + total > end) r.anomalies |= Anomaly.IpLenBeyondCaptured;
    if (off + hl > end) { r.anomalies |= Anomaly.Truncated; return; }
    if (hl > 20) this.dstRel = sourceRouteEnd(b, off, hl);
    if ((ff & 0x3fff) !== 0) {
      const key = `4 ${u32(b, off + 12)} ${u32(b, off + 16)} ${r.ipId} ${b[off + 9]}`;
      this.fragment(key, b[off + 9], (ff & 0x1fff) * 8, (ff & 0x2000) !== 0, off + hl, off + total, false);
      return;
    }
    this.payload(b[off + 9], off + hl, off + total);
  }

  /**
   * An IPv4 or IPv6 fragment, its bytes at [ps, pe) (pe as the IP lengths say), `proto` what the
   * datagram carries. Marked Anomaly.Fragment and handed to the reassembler; when it completes the
   * datagram, the walk goes on in the reassembler's buffer, which holds this frame's bytes from the
   * outermost IP header up to `ps` and then the whole reassembled payload (offsets shift so that the
   * outermost IP header is at 0). The row's IP lengths stay this fragment's (tshark's ip.len): only
   * the TCP/UDP/ICMP read from the payload is the datagram's.
   */
  private fragment(key: string, proto: number, fragOff: number, more: boolean, ps: number, pe: number, v6: boolean): void {
    const r = this.row;
    if (pe < ps) { r.anomalies |= Anomaly.BadIpHeader; return; }
    r.anomalies |= Anomaly.Fragment;
    if (this.inReassembled) return;
    const b = this.b, head = ps - this.outerIpOff;
    const captured = Math.max(0, Math.min(this.end, pe) - ps);
    const total = this.reassembler.add(key, r.tsSec + r.tsNsec / 1e9, this.cols.length, fragOff, more, b, ps, pe - ps, captured, head);
    if (total < 0) return;
    const out = this.reassembler.out;
    out.set(b.subarray(this.outerIpOff, ps), 0);
    r.anomalies &= ~Anomaly.Fragment;
    this.inReassembled = true;
    this.b = out;
    this.end = head + total;
    this.ipOff -= this.outerIpOff;
    this.outerIpOff = 0;
    if (!v6) { this.payload(proto, head, head + total); return; }
    const l4 = this.skipIpv6Extensions(proto, head, head + total, true);
    if (l4 >= 0) this.payload(this.extNext, l4, head + total);
  }

  private ipv6(off: number): void {
    const b = this.b, end = this.end, r = this.row;
    if (end - off < 40) { r.anomalies |= Anomaly.Truncated; return; }
    if (b[off] >> 4 !== 6) { r.anomalies |= Anomaly.BadIpHeader; return; }
    const plen = u16(b, off + 4);
    // Payload length 0: jumbogram or segmentation offload; the captured bytes are the packet.
    const total = plen === 0 ? end - off : plen + 40;
    // IPv6 is never fragmented on the way, which is what DF means for IPv4: report it as set.
    this.enterIp(off, total, 1);
    this.ipVer = 6;
    this.dstRel = 24;
    r.ipVersion = 6;
    r.ipLen = total;
    r.ipId = 0;
    r.ipDf = 1;
    r.ipTtl = b[off + 7];
    if (off + total > end) r.anomalies |= Anomaly.IpLenBeyondCaptured;
    const l4 = this.skipIpv6Extensions(b[off + 6], off + 40, off + total, true);
    if (l4 < 0) return;
    this.payload(this.extNext, l4, off + total);
  }

  /** Next header after skipIpv6Extensions. */
  private extNext = 0;

  /**
   * Skip hop-by-hop, routing, fragment, destination-options and AH headers. Returns the offset of the
   * upper-layer header (its type in extNext), or -1 when it cannot be reached (anomaly noted). A
   * fragment header (offset or more-fragments set) is handed to the reassembler when `own` (the
   * packet's own headers, not a quoted one's); the walk of a datagram it completes is done then.
   */
  private skipIpv6Extensions(nxt: number, p: number, lend: number, own: boolean): number {
    const b = this.b, r = this.row;
    for (let n = 0; n < 16; n++) {
      if (nxt !== IpProto.HopByHop && nxt !== IpProto.Routing && nxt !== IpProto.Fragment && nxt !== IpProto.DestOpts && nxt !== IpProto.Ah) break;
      if (this.end - p < 8) { r.anomalies |= Anomaly.Truncated; return -1; }
      let len: number;
      if (nxt === IpProto.Fragment) {
        // Offset or more-fragments set: not a whole packet (an "atomic" fragment header is fine).
        const fo = u16(b, p + 2);
        if ((fo & 0xfff9) !== 0) {
          if (!own) { r.anomalies |= Anomaly.Fragment; return -1; }
          const ip = this.ipOff;
          const key = `6 ${hex128(b, ip + 8)} ${hex128(b, ip + 24)} ${u32(b, p + 4)} ${b[p]}`;
          this.fragment(key, b[p], fo & 0xfff8, (fo & 1) !== 0, p + 8, lend, true);
          return -1;
        }
        len = 8;
      } else if (nxt === IpProto.Ah) len = (b[p + 1] + 2) * 4;
      else len = (b[p + 1] + 1) * 8;
      nxt = b[p];
      p += len;
    }
    if (p > lend) { r.anomalies |= Anomaly.BadIpHeader; return -1; }
    this.extNext = nxt;
    return p;
  }

  /** What follows an IP header: `off` its start, `lend` the end given by the IP lengths. */
  private payload(proto: number, off: number, lend: number): void {
    const r = this.row;
    switch (proto) {
      case IpProto.Tcp: this.tcp(off, lend); return;
      case IpProto.Udp: this.udp(off); return;
      case IpProto.Icmp: this.icmp(off, false); return;
      case IpProto.Icmpv6: this.icmp(off, true); return;
      case IpProto.Ipip:
        if (!this.deeper()) return;
        r.encap |= Encap.Ipip;
        this.ipv4(off);
        return;
      case IpProto.Ipv6:
        if (!this.deeper()) return;
        r.encap |= this.ipVer === 4 ? Encap.SixInFour : Encap.Ipip;
        this.ipv6(off);
        return;
      case IpProto.Gre: this.gre(off); return;
      default:
        r.l4 = L4.Other;
        if (isUnpeeledIpProto(proto)) this.notDecoded(NotDecoded.IpProto, proto);
    }
  }

  private tcp(off: number, lend: number): void {
    const b = this.b, end = this.end, r = this.row;
    r.l4 = L4.Tcp;
    // Fields are taken as far as the captured bytes reach (snaplen may cut the header).
    const cap = end - off;
    if (cap < 4) { r.anomalies |= Anomaly.Truncated; return; }
    r.srcPort = u16(b, off);
    r.dstPort = u16(b, off + 2);
    if (cap >= 8) r.seqRaw = i32(b, off + 4);
    if (cap >= 12) r.ackRaw = i32(b, off + 8);
    if (cap < 14) { r.anomalies |= Anomaly.Truncated; return; }
    const hl = (b[off + 12] >> 4) * 4;
    r.tcpFlags = ((b[off + 12] & 1) << 8) | b[off + 13];
    if (cap >= 16) r.winRaw = u16(b, off + 14);
    // An IP length beyond the frame as it was on the wire (its original length, not what snaplen
    // kept): tshark takes the segment to end with the frame ("IPv4 total length exceeds packet
    // length"), and so do we, for tcp.len and the analysis. Not inside a reassembled datagram.
    if (!this.inReassembled) {
      const notCaptured = r.origLen - r.capLen, fcs = this.fcsLen[r.iface] ?? 0;
      const frameEnd = end + (notCaptured > fcs ? notCaptured - fcs : 0);
      if (lend > frameEnd) lend = frameEnd;
    }
    if (hl < 20 || off + hl > lend) { r.anomalies |= Anomaly.BadTcpHeader; return; }
    r.tcpHdrLen = hl;
    r.tcpLen = lend - off - hl;
    if (off + hl > end) r.anomalies |= Anomaly.Truncated;
    if (hl > 20) {
      const st = walkTcpOptions(b, off + 20, off + hl, end, this.onOption);
      if (st === OptWalk.Malformed) r.anomalies |= Anomaly.BadTcpOptions;
    }
    const ps = off + hl;
    if (r.tcpLen >= 4 && ps + 4 <= end) r.payloadHead = i32(b, ps);
    if ((r.srcPort === DNS_PORT || r.dstPort === DNS_PORT) && r.tcpLen > 0) this.dnsTcp.segment(this.cols.dns, b, ps, Math.min(end, ps + r.tcpLen), r.srcPort, r.dstPort, r.seqRaw, this.inReassembled);
  }

  private option(kind: number, off: number, len: number): void {
    const b = this.b, r = this.row;
    switch (kind) {
      case TcpOpt.Mss: r.mss = u16(b, off + 2); return;
      case TcpOpt.WindowScale: r.wscale = b[off + 2]; return;
      case TcpOpt.SackPermitted: r.sackPerm = 1; return;
      case TcpOpt.Timestamps:
        r.hasTs = 1;
        r.tsval = i32(b, off + 2);
        r.tsecr = i32(b, off + 6);
        return;
      case TcpOpt.Sack:
        for (let p = off + 2; p + 8 <= off + len; p += 8) this.cols.pushSack(i32(b, p), i32(b, p + 4));
        return;
    }
  }

  private udp(off: number): void {
    const b = this.b, end = this.end, r = this.row;
    r.l4 = L4.Udp;
    if (end - off < 4) { r.anomalies |= Anomaly.Truncated; return; }
    r.srcPort = u16(b, off);
    r.dstPort = u16(b, off + 2);
    if (end - off < 8) { r.anomalies |= Anomaly.Truncated; return; }
    const dport = r.dstPort;
    const p = off + 8;
    if (dport === UdpTunnelPort.Vxlan || dport === UdpTunnelPort.VxlanLinux) {
      if (end - p < 8) { r.anomalies |= Anomaly.Truncated; return; }
      if (!this.deeper()) return;
      r.encap |= Encap.Vxlan;
      this.ethernet(p + 8);
    } else if (dport === UdpTunnelPort.Geneve) {
      if (end - p < 8) { r.anomalies |= Anomaly.Truncated; return; }
      if (!this.deeper()) return;
      r.encap |= Encap.Geneve;
      const inner = p + 8 + (b[p] & 0x3f) * 4;
      const proto = u16(b, p + 2);
      if (proto === EtherType.TransparentEthernet) this.ethernet(inner);
      else this.etherType(proto, inner);
    } else if (isUnpeeledUdpPort(dport) || isUnpeeledUdpPort(r.srcPort)) {
      const port = isUnpeeledUdpPort(dport) ? dport : r.srcPort;
      if (this.carriesTraffic(port, p)) this.udpTunnel(port, p);
    } else if (isDnsUdp(r.srcPort, dport)) {
      this.cols.dns.stage(b, p, end, dport === MDNS_PORT || r.srcPort === MDNS_PORT ? DnsBit.Mdns : 0, this.inReassembled);
    }
  }

  /** The payload at `p` of a UDP tunnel that carries traffic (carriesTraffic): peeled, or counted as not decoded. */
  private udpTunnel(port: number, p: number): void {
    const b = this.b, end = this.end, r = this.row;
    // GRE in UDP (RFC 8086): a GRE header follows, as over IP.
    if (port === UnpeeledUdpPort.GreInUdp) { this.gre(p); return; }
    let inner = -1;
    let bit: Encap = Encap.UdpIp;
    if (port === UdpTunnelPort.GtpU) {
      // GTPv1-U G-PDU: 8 bytes; 12 when any of E, S, PN is set; then the chain of extension headers
      // (each its length in 4-byte units first and the next type last) while E is set.
      bit = Encap.Gtp;
      inner = p + 8;
      if ((b[p] & 7) !== 0) {
        inner = p + 12;
        if (end - p < 12) { r.anomalies |= Anomaly.Truncated; return; }
        let next = (b[p] & 4) !== 0 ? b[p + 11] : 0;
        while (next !== 0) {
          if (end - inner < 4) { r.anomalies |= Anomaly.Truncated; return; }
          const len = b[inner] * 4;
          if (len === 0) { inner = -1; break; }
          if (end - inner < len) { r.anomalies |= Anomaly.Truncated; return; }
          next = b[inner + len - 1];
          inner += len;
        }
      }
    } else if (port === UdpTunnelPort.Teredo) {
      // An authentication indicator (0x0001: lengths of the client id and authentication value, then
      // both, an 8-byte nonce and a confirmation byte), an origin indication (0x0000: port, address).
      inner = p;
      if (end - inner >= 4 && b[inner] === 0 && b[inner + 1] === 1) inner += 13 + b[inner + 2] + b[inner + 3];
      if (end - inner >= 8 && b[inner] === 0 && b[inner + 1] === 0) inner += 8;
      if (end - inner < 1 || b[inner] >> 4 !== 6) inner = -1;
    } else if (port === UdpTunnelPort.Ayiya) {
      // Identity (2^n bytes), signature (n * 4 bytes) after the 8-byte fixed part.
      inner = p + 8 + (1 << (b[p] >> 4)) + (b[p + 1] >> 4) * 4;
    }
    if (inner < 0 || end - inner < 1) { this.notDecoded(NotDecoded.UdpTunnel, port); return; }
    const v = b[inner] >> 4;
    if (v !== 4 && v !== 6) { this.notDecoded(NotDecoded.UdpTunnel, port); return; }
    if (!this.deeper()) return;
    r.encap |= bit;
    if (v === 4) this.ipv4(inner);
    else this.ipv6(inner);
  }

  /**
   * Whether the UDP payload at `p`, on the port of a tunnel not peeled, is that tunnel carrying
   * traffic (not its signalling, keep-alives, or another protocol on the same port).
   */
  private carriesTraffic(port: number, p: number): boolean {
    const b = this.b, left = this.end - p;
    switch (port) {
      // GTPv1-U, protocol type GTP, message G-PDU: a user packet follows.
      case UnpeeledUdpPort.GtpU: return left >= 8 && b[p] >> 5 === 1 && (b[p] & 0x10) !== 0 && b[p + 1] === 0xff;
      // An IPv6 packet, or first an origin or authentication indicator.
      case UnpeeledUdpPort.Teredo: return left >= 40 && (b[p] >> 4 === 6 || (b[p] === 0 && b[p + 1] <= 1));
      // Next header IPv4 or IPv6 (heartbeats say "no next header").
      case UnpeeledUdpPort.Ayiya: return left >= 8 && (b[p + 3] === IpProto.Ipip || b[p + 3] === IpProto.Ipv6);
      // L2TP version 2 or 3 data message (T bit clear), not a control message.
      case UnpeeledUdpPort.L2tp: return left >= 4 && (b[p] & 0x80) === 0 && ((b[p + 1] & 15) === 2 || (b[p + 1] & 15) === 3);
      default: return left >= 4;
    }
  }

  private gre(off: number): void {
    const b = this.b, r = this.row;
    if (this.end - off < 4) { r.anomalies |= Anomaly.Truncated; return; }
    const fv = u16(b, off);
    const proto = u16(b, off + 2);
    // Version 1 is PPTP's enhanced GRE (PPP inside); the routing bit means obsolete source routing.
    if ((fv & 7) !== 0 || (fv & 0x4000) !== 0) { r.l4 = L4.Other; this.notDecoded(NotDecoded.GreProto, proto); return; }
    let p = off + 4;
    if (fv & 0x8000) p += 4; // checksum + reserved
    if (fv & 0x2000) p += 4; // key
    if (fv & 0x1000) p += 4; // sequence number
    if (!this.deeper()) return;
    r.encap |= Encap.Gre;
    if (proto === EtherType.TransparentEthernet) this.ethernet(p);
    else if (proto === EtherType.Erspan) {
      // Type I has no sequence number and no header of its own; type II an 8-byte header.
      this.ethernet((fv & 0x1000) !== 0 ? p + 8 : p);
    } else if (proto === EtherType.Erspan3) {
      // 12 bytes, and an 8-byte platform subheader when its O bit (the last bit) is set.
      if (this.end - p < 12) { r.anomalies |= Anomaly.Truncated; return; }
      this.ethernet(p + ((b[p + 11] & 1) !== 0 ? 20 : 12));
    } else if (isArubaGreProto(proto)) {
      r.l4 = L4.Other; // stays so unless an IP packet follows
      this.wlan(p, NotDecoded.GreProto, proto);
    } else if (proto === EtherType.CiscoMetaData) {
      // Over GRE the MetaData header starts with the inner EtherType (on Ethernet it ends with it).
      if (this.end - p < 8) { r.anomalies |= Anomaly.Truncated; return; }
      r.l4 = L4.Other;
      this.etherType(u16(b, p), p + 8);
    } else {
      r.l4 = L4.Other; // stays so unless an IP packet follows
      this.etherType(proto, p, NotDecoded.GreProto);
    }
  }

  private icmp(off: number, v6: boolean): void {
    const b = this.b, end = this.end, r = this.row;
    r.l4 = v6 ? L4.Icmpv6 : L4.Icmp;
    if (end - off < 2) { r.anomalies |= Anomaly.Truncated; return; }
    const type = b[off];
    const code = b[off + 1];
    r.icmpType = type;
    r.icmpCode = code;
    if (end - off < 8) return;
    let isError: boolean;
    if (v6) {
      isError = type >= 1 && type <= 4;
      if (type === 2) r.icmpMtu = Math.min(u32(b, off + 4), 0xffff);
    } else {
      isError = type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
      if (type === 3 && code === 4) r.icmpMtu = u16(b, off + 6);
    }
    if (isError) this.quoted(off + 8);
  }

  /** The original packet quoted by an ICMP error: addresses, ports, sequence number, length. */
  private quoted(p: number): void {
    const b = this.b, end = this.end, r = this.row;
    const addrs = this.cols.addresses;
    if (end - p < 1) return;
    let l4 = -1;
    let proto = 0;
    if (b[p] >> 4 === 4) {
      if (end - p < 20) return;
      r.qIpLen = u16(b, p + 2);
      r.qSrc = addrs.internV4(i32(b, p + 12));
      r.qDst = addrs.internV4(i32(b, p + 16));
      if ((u16(b, p + 6) & 0x1fff) === 0) {
        proto = b[p + 9];
        l4 = p + (b[p] & 15) * 4;
      }
    } else if (b[p] >> 4 === 6) {
      if (end - p < 40) return;
      r.qIpLen = u16(b, p + 4) + 40;
      r.qSrc = addrs.internV6(b, p + 8);
      r.qDst = addrs.internV6(b, p + 24);
      // The quoted packet's extension headers are skipped without touching this row's anomalies.
      const keep = r.anomalies;
      l4 = this.skipIpv6Extensions(b[p + 6], p + 40, end, false);
      r.anomalies = keep;
      proto = this.extNext;
    }
    if (l4 < 0 || (proto !== IpProto.Tcp && proto !== IpProto.Udp) || end - l4 < 4) return;
    r.qSrcPort = u16(b, l4);
    r.qDstPort = u16(b, l4 + 2);
    if (proto === IpProto.Udp) {
      const list = this.cols.icmpQuotedUdp, row = this.cols.length;
      if (list[list.length - 1] !== row) list.push(row);
    }
    if (proto === IpProto.Tcp && end - l4 >= 8) r.qSeqRaw = i32(b, l4 + 4);
  }

  /** Intern the innermost IP addresses (only those: outer ones would bloat the table). */
  private internAddresses(): void {
    const off = this.ipOff;
    if (off < 0) return;
    const r = this.row, b = this.b, addrs = this.cols.addresses;
    if (this.ipVer === 4) {
      r.src = addrs.internV4(i32(b, off + 12));
      r.dst = addrs.internV4(i32(b, off + this.dstRel));
    } else {
      r.src = addrs.internV6(b, off + 8);
      r.dst = addrs.internV6(b, off + this.dstRel);
    }
  }
}

/**
 * Where an IPv4 header with options (`hl` bytes at `off`) names its destination, from the header's
 * start: 16, or with a loose or strict source route (options 131, 137) still under way the route's
 * last address, the packet's final destination (which tshark keys the conversation by). Under way:
 * the option's pointer is on one of its addresses; once past them the route is done, the header's
 * destination is the final one and the list holds the hops recorded.
 */
function sourceRouteEnd(b: Uint8Array, off: number, hl: number): number {
  const oend = off + hl;
  for (let p = off + 20; p < oend;) {
    const t = b[p];
    if (t === 0) break;
    if (t === 1) { p++; continue; }
    if (p + 1 >= oend) break;
    const len = b[p + 1];
    if (len < 2 || p + len > oend) break;
    // Type, length, pointer (1-based, into the option), then the route's addresses.
    if ((t === 131 || t === 137) && len >= 7 && (len - 3) % 4 === 0) {
      const ptr = b[p + 2];
      if (ptr >= 4 && ptr % 4 === 0 && ptr + 3 <= len) return p + len - 4 - off;
    }
    p += len;
  }
  return 16;
}

/** 16 bytes as hex (an IPv6 address in a reassembly key; fragments only). */
function hex128(b: Uint8Array, p: number): string {
  let s = '';
  for (let i = 0; i < 16; i += 4) s += u32(b, p + i).toString(16).padStart(8, '0');
  return s;
}
