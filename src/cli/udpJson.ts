/**
 * The UDP conversations of the `analyze` JSON (docs/analyze-json.md, `udp`): the analysis's
 * conversations (src/view/udp.ts, numbered as tshark's udp.stream), at most UDP_JSON_MAX of them (the
 * most bytes first), so a capture of 100,000 conversations stays a readable report.
 */
import type { Analysis } from '../analysis';
import type { Finding } from '../diagnose/index';
import { findingsByUdpConversation, topUdpConversations, udpConversationRow, UDP_JSON_MAX, type UdpDnsSummary } from '../view/udp';

export interface UdpConversationJson {
  index: number;
  a: string;
  b: string;
  /** DNS, mDNS (read as such), else the protocol of a well-known port (NTP, QUIC, DHCP, ...), or ''. */
  app: string;
  packets: { aToB: number; bToA: number };
  /** Frame bytes. */
  bytes: { aToB: number; bToA: number };
  /** Seconds since the capture's first packet. */
  start: number;
  duration: number;
  dns: UdpDnsSummary | null;
  /** Ids of the findings citing a packet of the conversation (the DNS findings). */
  findings: string[];
}

export interface UdpJson {
  /** Conversations in the capture (or, with -Y, having a selected packet). */
  count: number;
  /** Conversations listed (at most `limit`: the most bytes first, listed in number order). */
  shown: number;
  limit: number;
  conversations: UdpConversationJson[];
}

export function udpJson(analysis: Analysis, findings: readonly Finding[], keep?: (c: number) => boolean): UdpJson {
  const u = analysis.udp();
  const cols = analysis.columns;
  let count = 0;
  for (let c = 0; c < u.count; c++) if (!keep || keep(c)) count++;
  const list = topUdpConversations(u, UDP_JSON_MAX, keep);
  const about = findingsByUdpConversation(u, findings);
  const conversations = list.map((c): UdpConversationJson => {
    const r = udpConversationRow(cols, u, c);
    return {
      index: c, a: r.a, b: r.b, app: r.app,
      packets: { aToB: r.packetsDir[0], bToA: r.packetsDir[1] },
      bytes: { aToB: r.bytesDir[0], bToA: r.bytesDir[1] },
      start: r.startTime, duration: r.duration, dns: r.dns,
      findings: (about.get(c) ?? []).map((f) => f.id),
    };
  });
  return { count, shown: conversations.length, limit: UDP_JSON_MAX, conversations };
}
