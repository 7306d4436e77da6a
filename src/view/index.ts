/**
 * The views' public face: what the app's worker and UI read of src/view (the stream table's rows,
 * a stream's packet rows, chart series and their marks, a story's frame links).
 */
export * from './series';
export { streamGraph, type GraphInput } from './graphs';
export * from './graphTypes';
export * from './rows';
export { splitFrameRefs, type StoryPart } from './story';
export { HoleKind, type HoleBands } from './holes';
export { rowsOfStream, type StreamIndex } from './streamIndex';
export {
  followChunks, followFormatter, followTcpPlan, followUdpPlan, gapText, readFollow,
  type FollowChunk, type FollowEndpoint, type FollowFormat, type FollowFormatter, type FollowPage, type FollowPlan, type FollowSource,
} from './follow';
export {
  streamStats, type CloseKind, type CloseStats, type HandshakeStats, type RttStats, type SideStats, type StreamStats,
} from './streamStats';
export {
  ListProto, echoKey, echoRequestCandidates, etherTypeName, isEchoReply, icmpTypeText, listProto, listProtoName, needsFrame, rowText, tcpAnalysisPrefix, tcpFlagWords, tcpInfo,
  type FrameView, type ListSource, type ListTcp, type RowText,
} from './packetInfo';
export {
  UDP_JSON_MAX, UdpMark, buildUdpConversations, findingsByUdpConversation, selectUdpConversations, topUdpConversations, udpApp, udpConversationOf,
  udpConversationRow, udpDnsSummary, udpPortApp, udpTimeline,
  type UdpConversationRow, type UdpConversations, type UdpDnsSummary, type UdpSortKey, type UdpTimeline,
} from './udp';
export {
  PACKET_SORT_KEYS, addressRanks, packetListRow, positionInList, sortPacketList,
  type ListTimes, type PacketListRow, type PacketSortKey,
} from './packetList';
