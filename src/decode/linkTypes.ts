/**
 * Link-layer header types we decode (LINKTYPE_* values as written in pcap / pcapng files), and the
 * few protocol numbers the decoders switch on. Shared by the column decoder and the detail decoder.
 */

export const LinkType = {
  Null: 0, // BSD loopback, 4-byte address family in the capturing host's byte order
  Ethernet: 1,
  /** DLT_RAW as some old writers put it in the file; wiretap reads 12 and 14 as raw IP. */
  RawDlt12: 12,
  RawDlt14: 14,
  Raw: 101,
  Loop: 108, // OpenBSD loopback, address family in network byte order
  LinuxSll: 113,
  Ipv4: 228,
  Ipv6: 229,
  LinuxSll2: 276,
} as const;

export const LINK_TYPE_NAMES: Record<number, string> = {
  0: 'BSD loopback (NULL)',
  1: 'Ethernet',
  12: 'Raw IP',
  14: 'Raw IP',
  101: 'Raw IP',
  108: 'OpenBSD loopback (LOOP)',
  113: 'Linux cooked capture (SLL)',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  276: 'Linux cooked capture v2 (SLL2)',
};

export function isSupportedLinkType(lt: number): boolean {
  return LINK_TYPE_NAMES[lt] !== undefined;
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
} as const;

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
} as const;

/** Tunnels peeled at most this deep; deeper nesting is an anomaly (and a guard against crafted loops). */
export const MAX_TUNNEL_DEPTH = 8;

/** BSD loopback address-family values meaning IPv6 (NetBSD/OpenBSD, FreeBSD, macOS). */
export function isBsdAfInet6(af: number): boolean {
  return af === 24 || af === 28 || af === 30;
}
