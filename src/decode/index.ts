/** The decoding layer's public face. */
export { PacketDecoder } from './decoder';
export { decodeDetail, detailValues, tcpFlagsText, withJoinedDns, type DetailField, type DetailLayer } from './detail';
export { joinedDnsOf } from './dnsTable';
export { LinkType, LINK_TYPES, LINK_TYPE_NAMES, isSupportedLinkType, type LinkTypeInfo } from './linkTypes';
export * from './columns';
export { dnsInfo, dnsOpcodeName, dnsRcodeName, dnsTypeName, parseDns, readDnsName, type DnsMessage, type DnsQuestion, type DnsRecord } from './dns';
export { arpInfo, parseArp, type ArpPacket } from './arp';
export { DnsBit, DnsFlag, DnsRcode, DnsTable, isDnsUdp } from './dnsTable';
export { withAppLayers } from './appLayers';
