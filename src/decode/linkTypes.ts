/**
 * Link-layer header types we decode (LINKTYPE_* values as written in pcap / pcapng files: the
 * registry LINK_TYPES, each with its name and framing), and the few protocol numbers the decoders
 * switch on. Shared by the column decoder and the detail decoder.
 */

export const LinkType = {
  Null: 0, // BSD loopback, 4-byte address family in the capturing host's byte order
  Ethernet: 1,
  /** DLT_RAW as some old writers put it in the file; wiretap reads 12 and 14 as raw IP. */
  RawDlt12: 12,
  RawDlt14: 14,
  /** FDDI: frame control byte, destination and source addresses, then an 802.2 LLC header. */
  Fddi: 10,
  Raw: 101,
  /** Cisco HDLC: address, control, then a 2-byte protocol that is an EtherType. */
  CiscoHdlc: 104,
  /** 802.11 frames without a radio header (no FCS, as tshark assumes). */
  Ieee80211: 105,
  Loop: 108, // OpenBSD loopback, address family in network byte order
  LinuxSll: 113,
  /** 802.11 frames after a radiotap header (its flags say whether an FCS trails the frame). */
  Radiotap: 127,
  Ipv4: 228,
  Ipv6: 229,
  /** Linux NFLOG: family, version, resource id, then TLVs, the packet in the payload TLV. */
  Nflog: 239,
  LinuxSll2: 276,
} as const;

/**
 * How a link type's header is read: the column decoder (decoder.ts) and the detail decoder
 * (detail.ts) have one branch per framing, never one per link type number.
 */
export const Framing = {
  Ethernet: 1,
  /** Raw IP, version from the first nibble. */
  RawIp: 2,
  Ipv4: 3,
  Ipv6: 4,
  /** 4-byte address family in the capturing host's byte order (LINKTYPE_NULL). */
  BsdNull: 5,
  /** 4-byte address family in network byte order (LINKTYPE_LOOP). */
  BsdLoop: 6,
  LinuxSll: 7,
  LinuxSll2: 8,
  /** Frame control, 6+6 byte addresses, then 802.2 LLC (LINKTYPE_FDDI). */
  Fddi: 9,
  /** Address, control, 2-byte EtherType (LINKTYPE_C_HDLC). */
  CiscoHdlc: 10,
  /** An 802.11 MAC header first (LINKTYPE_IEEE802_11). */
  Ieee80211: 11,
  /** A radiotap header, then an 802.11 frame (LINKTYPE_IEEE802_11_RADIOTAP). */
  Radiotap: 12,
  /** NFLOG header and TLVs (LINKTYPE_NFLOG). */
  Nflog: 13,
} as const;
export type Framing = (typeof Framing)[keyof typeof Framing];

export interface LinkTypeInfo {
  /** What the summary, the warnings and the caveats call it. */
  name: string;
  framing: Framing;
}

/**
 * Every link type decoded, in one place: adding one read like an existing one (another number for
 * raw IP, say) is one line here; a new framing is a `Framing` value and a branch in decoder.ts and
 * detail.ts (see src/decode/README.md).
 */
export const LINK_TYPES: Readonly<Record<number, LinkTypeInfo>> = {
  [LinkType.Null]: { name: 'BSD loopback (NULL)', framing: Framing.BsdNull },
  [LinkType.Ethernet]: { name: 'Ethernet', framing: Framing.Ethernet },
  [LinkType.RawDlt12]: { name: 'Raw IP', framing: Framing.RawIp },
  [LinkType.RawDlt14]: { name: 'Raw IP', framing: Framing.RawIp },
  [LinkType.Raw]: { name: 'Raw IP', framing: Framing.RawIp },
  [LinkType.Loop]: { name: 'OpenBSD loopback (LOOP)', framing: Framing.BsdLoop },
  [LinkType.LinuxSll]: { name: 'Linux cooked capture (SLL)', framing: Framing.LinuxSll },
  [LinkType.Ipv4]: { name: 'Raw IPv4', framing: Framing.Ipv4 },
  [LinkType.Ipv6]: { name: 'Raw IPv6', framing: Framing.Ipv6 },
  [LinkType.LinuxSll2]: { name: 'Linux cooked capture v2 (SLL2)', framing: Framing.LinuxSll2 },
  [LinkType.Fddi]: { name: 'FDDI', framing: Framing.Fddi },
  [LinkType.CiscoHdlc]: { name: 'Cisco HDLC', framing: Framing.CiscoHdlc },
  [LinkType.Ieee80211]: { name: 'IEEE 802.11', framing: Framing.Ieee80211 },
  [LinkType.Radiotap]: { name: '802.11 radiotap', framing: Framing.Radiotap },
  [LinkType.Nflog]: { name: 'Linux NFLOG', framing: Framing.Nflog },
};

/** Names of the link types decoded, by number. */
export const LINK_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(LINK_TYPES).map(([lt, info]) => [lt, info.name]),
);

/** How link type `lt` is read; 0 when it is not decoded. */
export function framingOf(lt: number): Framing | 0 {
  return LINK_TYPES[lt]?.framing ?? 0;
}

export function isSupportedLinkType(lt: number): boolean {
  return LINK_TYPES[lt] !== undefined;
}

export const EtherType = {
  Ipv4: 0x0800,
  Ipv6: 0x86dd,
  Vlan: 0x8100,
  QinQ: 0x88a8,
  /** Pre-standard QinQ outer tag still emitted by some switches. */
  QinQOld: 0x9100,
  TransparentEthernet: 0x6558,
  /** Cisco MetaData (TrustSec inline tag): 8 bytes, the next EtherType in its last two. */
  CiscoMetaData: 0x8909,
  /** PPPoE session stage: 6-byte PPPoE header, then a PPP protocol number. */
  PppoeSession: 0x8864,
  Mpls: 0x8847,
  MplsMulticast: 0x8848,
  /** 802.1ah provider backbone bridging: 4-byte I-tag, customer MACs, then an EtherType. */
  Pbb: 0x88e7,
  /** Cisco FabricPath: FTag/TTL, then the inner frame's MACs and EtherType. */
  FabricPath: 0x8903,
  /** 802.1BR E-Tag: 6 bytes, then an EtherType. */
  ETag: 0x893f,
  /** Cisco VN-Tag: 4 bytes, then an EtherType. */
  VnTag: 0x8926,
  /** ERSPAN type I (no GRE sequence number) or II, as a GRE protocol type. */
  Erspan: 0x88be,
  /** ERSPAN type III, as a GRE protocol type. */
  Erspan3: 0x22eb,
} as const;

/** PPP protocol numbers (PPPoE, Cisco HDLC carry EtherTypes instead). */
export const PppProto = {
  Ipv4: 0x0021,
  Ipv6: 0x0057,
} as const;

/** Aruba's GRE protocol types for 802.11 frames from its access points. */
export function isArubaGreProto(p: number): boolean {
  return p >= 0x8200 && p <= 0x83ff;
}

export function isVlanTpid(t: number): boolean {
  return t === EtherType.Vlan || t === EtherType.QinQ || t === EtherType.QinQOld;
}

export const IpProto = {
  HopByHop: 0,
  Icmp: 1,
  Ipip: 4,
  Tcp: 6,
  Udp: 17,
  Ipv6: 41,
  Routing: 43,
  Fragment: 44,
  Gre: 47,
  Ah: 51,
  Icmpv6: 58,
  NoNext: 59,
  DestOpts: 60,
} as const;

/** UDP ports of the UDP-based tunnels (destination port decides, as the kernel does). */
export const UdpTunnelPort = {
  Vxlan: 4789,
  /** Linux kernel's default VXLAN port (flannel). */
  VxlanLinux: 8472,
  Geneve: 6081,
  /** GTPv1-U (either port: a G-PDU carries an IP packet). */
  GtpU: 2152,
  /** Teredo server port (either port). */
  Teredo: 3544,
  /** AYIYA (either port). */
  Ayiya: 5072,
} as const;

/** Tunnels peeled at most this deep; deeper nesting is an anomaly (and a guard against crafted loops). */
export const MAX_TUNNEL_DEPTH = 8;

/** BSD loopback address-family values meaning IPv6 (NetBSD/OpenBSD, FreeBSD, macOS). */
export function isBsdAfInet6(af: number): boolean {
  return af === 24 || af === 28 || af === 30;
}

// ---- What is not decoded (Anomaly.NotDecoded), and the names the caveats give it ----

/**
 * EtherTypes of traffic that carries no IP, or only its own control: expected on a link, not a sign
 * that something was hidden. Any other EtherType the decoder does not peel is counted as not decoded.
 */
const ORDINARY_ETHERTYPES = new Set<number>([
  0x0806, // ARP
  0x8035, // RARP (on Cisco HDLC, the same number is SLARP)
  0x8102, // Wellfleet BOFL keep-alive
  0x0842, // Wake-on-LAN
  0x6002, 0x6003, 0x6004, 0x6005, 0x6006, 0x6007, // DEC MOP, DECnet, LAT, ...
  0x809b, 0x80f3, // AppleTalk, AARP
  0x8137, 0x8138, // IPX
  0x8808, // Ethernet flow control (PAUSE)
  0x8809, // slow protocols (LACP, marker, OAM)
  0x8863, // PPPoE discovery
  0x886f, // Microsoft NLB heartbeat
  0x888e, // EAPOL (802.1X)
  0x8892, // PROFINET
  0x889a, // HyperSCSI
  0x88a2, // ATA over Ethernet
  0x88a4, // EtherCAT
  0x88ab, // Ethernet Powerlink
  0x88b8, 0x88b9, 0x88ba, // IEC 61850 GOOSE, GSE, sampled values
  0x88c7, // 802.11i pre-authentication
  0x88cc, // LLDP
  0x88cd, // SERCOS III
  0x88d9, // LLTD
  0x88e1, 0x8912, // HomePlug
  0x88e3, // MRP (media redundancy)
  0x88f5, 0x88f6, // MVRP, MMRP
  0x88f7, // PTP
  0x88fb, // PRP
  0x8902, // CFM (802.1ag / Y.1731 OAM)
  0x8906, 0x8914, // FCoE, FIP
  0x890d, // 802.11 data encapsulation (TDLS)
  0x892f, // HSR
  0x893a, // IEEE 1905.1
  0x22f0, // AVTP (audio/video bridging)
  0x9000, // loopback (configuration test protocol)
  // Protocol types seen only in GRE: OSI (IS-IS), Cisco's CDP and NHRP.
  0x00fe, 0x2000, 0x2001,
]);

export function isOrdinaryEtherType(t: number): boolean {
  return ORDINARY_ETHERTYPES.has(t);
}

/** Human names of the EtherTypes a caveat may name (what hides IP, and a few others). */
export const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x86dd: 'IPv6',
  0x0806: 'ARP',
  0x8100: '802.1Q VLAN',
  0x88a8: '802.1ad QinQ',
  0x8864: 'PPPoE session',
  0x880b: 'PPP',
  0x8847: 'MPLS',
  0x8848: 'MPLS multicast',
  0x88e7: '802.1ah PBB',
  0x88be: 'ERSPAN',
  0x22eb: 'ERSPAN type III',
  0x88e5: 'MACsec',
  0x894f: 'NSH',
  0x22f3: 'TRILL',
  0x8903: 'Cisco FabricPath',
  0x8926: 'VN-Tag',
  0x893f: '802.1BR E-Tag',
  0x6558: 'transparent Ethernet bridging',
  0x6559: 'Frame Relay',
  0x88b5: 'local experimental',
  0x88b6: 'local experimental',
};

/** Name of a protocol carried by GRE (an EtherType, or Aruba's range for 802.11 frames). */
export function greProtoName(p: number): string | undefined {
  if (isArubaGreProto(p)) return 'Aruba 802.11';
  return ETHERTYPE_NAMES[p];
}

/** Names of link types this decoder does not read, for the caveat that says so. */
export const OTHER_LINK_TYPE_NAMES: Record<number, string> = {
  3: 'AX.25',
  6: 'Token Ring',
  7: 'ARCNET',
  8: 'SLIP',
  9: 'PPP',
  50: 'PPP in HDLC framing',
  51: 'PPPoE',
  100: 'ATM RFC 1483',
  107: 'Frame Relay',
  119: '802.11 Prism header',
  122: 'IP over Fibre Channel',
  139: 'MTP2 with pseudo-header',
  143: 'DOCSIS',
  163: '802.11 AVS header',
  187: 'Bluetooth HCI H4',
  189: 'Linux USB',
  192: 'PPI',
  195: 'IEEE 802.15.4',
  201: 'Bluetooth HCI H4 with pseudo-header',
  204: 'PPP with direction',
  215: 'IEEE 802.15.4 non-ASK PHY',
  220: 'Linux USB memory-mapped',
  227: 'SocketCAN',
  230: 'IEEE 802.15.4 without FCS',
  240: 'Netanalyzer',
  249: 'USBPcap',
  253: 'Linux netlink',
  251: 'Bluetooth LE link layer',
  256: 'Bluetooth LE link layer with pseudo-header',
  283: 'IEEE 802.15.4 with TAP',
};

/**
 * UDP ports of tunnels that are not peeled, and their names (the UDP packet is decoded, not what it
 * carries). GTP-U, Teredo and AYIYA are peeled when what they carry is IP (UdpTunnelPort), GRE in UDP
 * always; they stay here for the packets on their port that carry something else.
 */
export const UnpeeledUdpPort = {
  L2tp: 1701,
  GtpU: 2152,
  Teredo: 3544,
  LispData: 4341,
  GreInUdp: 4754,
  VxlanGpe: 4790,
  Ayiya: 5072,
  CapwapData: 5247,
  MplsInUdp: 6635,
} as const;

export const UNPEELED_UDP_NAMES: Record<number, string> = {
  1701: 'L2TP',
  2152: 'GTP-U',
  3544: 'Teredo',
  4341: 'LISP',
  4754: 'GRE in UDP',
  4790: 'VXLAN-GPE',
  5072: 'AYIYA',
  5247: 'CAPWAP',
  6635: 'MPLS in UDP',
};

export function isUnpeeledUdpPort(port: number): boolean {
  switch (port) {
    case UnpeeledUdpPort.L2tp: case UnpeeledUdpPort.GtpU: case UnpeeledUdpPort.Teredo: case UnpeeledUdpPort.LispData:
    case UnpeeledUdpPort.GreInUdp: case UnpeeledUdpPort.VxlanGpe: case UnpeeledUdpPort.Ayiya: case UnpeeledUdpPort.CapwapData:
    case UnpeeledUdpPort.MplsInUdp:
      return true;
    default:
      return false;
  }
}

/** IP protocols whose payload the decoder cannot reach (encrypted, or an encapsulation not peeled), with names. */
export const UNPEELED_IP_PROTO_NAMES: Record<number, string> = {
  50: 'IPsec ESP',
  51: 'IPsec AH',
  97: 'EtherIP',
  115: 'L2TPv3',
  137: 'MPLS in IP',
};

export function isUnpeeledIpProto(p: number): boolean {
  return p === 50 || p === 51 || p === 97 || p === 115 || p === 137;
}
