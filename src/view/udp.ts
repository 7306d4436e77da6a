/**
 * UDP conversations: every UDP packet of the capture grouped by its address/port pair (both
 * directions), numbered in the order of their first packet as tshark numbers `udp.stream`. Built
 * once, when first asked, from the packet table alone (two passes, a few typed arrays: nothing per
 * packet but a conversation number): per conversation its endpoints, packets and bytes per direction
 * (A is the side that sent the first packet), first and last time, what it carries (DNS from the DNS
 * side table, else a well-known port), and a DNS summary (queries, answered, unanswered, errors)
 * with each query linked to the response that answered it.
 *
 * The rows are the innermost UDP header's: a tunnel's outer UDP (VXLAN, GTP-U, ...) is not a
 * conversation here, where tshark numbers it too.
 */
import { L4, type PacketColumns } from '../decode/columns';
import { DnsBit, DnsFlag, type DnsTable } from '../decode/dnsTable';
import type { Direction, Frame } from '../types';
import { endpointText } from './rows';

/** What a conversation carries: the protocol tshark would show, by the DNS table or a port. */
const PORT_APPS: Record<number, string> = {
  53: 'DNS', 67: 'DHCP', 68: 'DHCP', 69: 'TFTP', 123: 'NTP', 137: 'NBNS', 138: 'NetBIOS', 161: 'SNMP', 162: 'SNMP', 443: 'QUIC',
  500: 'ISAKMP', 514: 'Syslog', 546: 'DHCPv6', 547: 'DHCPv6', 1194: 'OpenVPN', 1812: 'RADIUS', 1813: 'RADIUS', 1900: 'SSDP',
  3478: 'STUN', 4500: 'IPsec NAT-T', 5060: 'SIP', 5353: 'mDNS', 5355: 'LLMNR', 8472: 'VXLAN', 4789: 'VXLAN', 51820: 'WireGuard',
};

/** The application name of a UDP port pair, '' when neither port is a well-known one. */
export function udpPortApp(a: number, b: number): string {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  return PORT_APPS[lo] ?? PORT_APPS[hi] ?? '';
}

/** DNS summary of a conversation. */
export interface UdpDnsSummary {
  /** Query messages (QR clear). */
  queries: number;
  /** Queries a response of the same id answered (the latest query of that id before it). */
  answered: number;
  /** Queries never answered in the capture (0 for mDNS, whose answers go to the group). */
  unanswered: number;
  /** Responses with an error rcode (SERVFAIL, NXDOMAIN, REFUSED, ...). */
  errors: number;
  responses: number;
}

export interface UdpConversations {
  count: number;
  /** Conversation of each packet row; -1 for a row that is not UDP. */
  stream: Int32Array;
  /** Rows of conversation c are rows[offsets[c] .. offsets[c + 1]), in capture order. */
  offsets: Uint32Array;
  rows: Uint32Array;
  /** Endpoint A (the first packet's sender) and B: interned address ids and ports. */
  addrA: Uint32Array;
  portA: Uint16Array;
  addrB: Uint32Array;
  portB: Uint16Array;
  /** UDP packets and their frame bytes per direction: [2c] A→B, [2c + 1] B→A. */
  packets: Uint32Array;
  bytes: Float64Array;
  /** ICMP errors quoting a packet of the conversation (among its rows, not counted in `packets`). */
  icmp: Uint32Array;
  /** Seconds since the capture's first frame of the first and last packet. */
  first: Float64Array;
  last: Float64Array;
  /** DNS counts per conversation: queries, responses, answered, errors at [4c ..]. */
  dns: Uint32Array;
  /** Conversations carrying multicast DNS. */
  mdns: Uint8Array;
  /**
   * For each entry of the DNS table: the entry it is linked to (a query's response, a response's
   * query), -1 for none; queries over TCP and replies without a query stay -1.
   */
  dnsPeer: Int32Array;
  /** Bytes held. */
  bytesHeld: number;
}

const enum Dns { Queries = 0, Responses = 1, Answered = 2, Errors = 3 }

/** Group the UDP rows of the packet table into conversations (tshark's udp.stream numbering). */
export function buildUdpConversations(cols: PacketColumns): UdpConversations {
  const n = cols.length;
  const stream = new Int32Array(n).fill(-1);
  // Endpoint = address id × 65536 + port; a pair is looked up from its smaller endpoint.
  const byLow = new Map<number, Map<number, number>>();
  let count = 0;
  const addrA: number[] = [], portA: number[] = [], addrB: number[] = [], portB: number[] = [];
  // ICMP errors quoting a UDP header belong to the quoted packet's conversation (tshark numbers them so).
  const quoted = cols.icmpQuotedUdp;
  let qi = 0;
  for (let r = 0; r < n; r++) {
    let src: number, dst: number, sport: number, dport: number;
    if (cols.l4[r] === L4.Udp) {
      src = cols.src[r]; dst = cols.dst[r]; sport = cols.srcPort[r]; dport = cols.dstPort[r];
    } else {
      while (qi < quoted.length && quoted[qi] < r) qi++;
      if (qi >= quoted.length || quoted[qi] !== r) continue;
      src = cols.qSrc[r]; dst = cols.qDst[r]; sport = cols.qSrcPort[r]; dport = cols.qDstPort[r];
    }
    const s = src * 65536 + sport, d = dst * 65536 + dport;
    const lo = s < d ? s : d, hi = s < d ? d : s;
    let inner = byLow.get(lo);
    if (!inner) byLow.set(lo, (inner = new Map()));
    let c = inner.get(hi);
    if (c === undefined) {
      c = count++;
      inner.set(hi, c);
      addrA.push(src); portA.push(sport); addrB.push(dst); portB.push(dport);
    }
    stream[r] = c;
  }
  const offsets = new Uint32Array(count + 1);
  for (let r = 0; r < n; r++) if (stream[r] >= 0) offsets[stream[r] + 1]++;
  for (let c = 0; c < count; c++) offsets[c + 1] += offsets[c];
  const rows = new Uint32Array(offsets[count]);
  const fill = offsets.slice(0, count);
  const A = Uint32Array.from(addrA), PA = Uint16Array.from(portA), B = Uint32Array.from(addrB), PB = Uint16Array.from(portB);
  const packets = new Uint32Array(2 * count), bytes = new Float64Array(2 * count);
  const first = new Float64Array(count).fill(NaN), last = new Float64Array(count).fill(NaN);
  const sec0 = n ? cols.tsSec[0] : 0, nsec0 = n ? cols.tsNsec[0] : 0;
  const icmp = new Uint32Array(count);
  for (let r = 0; r < n; r++) {
    const c = stream[r];
    if (c < 0) continue;
    rows[fill[c]++] = r;
    if (cols.l4[r] !== L4.Udp) icmp[c]++;
    else {
      const k = 2 * c + (cols.src[r] === A[c] && cols.srcPort[r] === PA[c] ? 0 : 1);
      packets[k]++;
      bytes[k] += cols.origLen[r];
    }
    const t = cols.tsSec[r] - sec0 + (cols.tsNsec[r] - nsec0) / 1e9;
    if (!(t >= first[c])) first[c] = t;
    if (!(t <= last[c])) last[c] = t;
  }
  const { dns, mdns, peer } = dnsOfConversations(cols, cols.dns, stream, count);
  const bytesHeld = stream.byteLength + offsets.byteLength + rows.byteLength + count * (4 + 2 + 4 + 2 + 8 + 16 + 4 + 16 + 16 + 1) + peer.byteLength;
  return { count, stream, offsets, rows, addrA: A, portA: PA, addrB: B, portB: PB, packets, bytes, icmp, first, last, dns, mdns, dnsPeer: peer, bytesHeld };
}

/**
 * DNS per conversation: each query (QR clear) waits for a response of the same id in the same
 * conversation; a response answers the latest such query not yet answered (a retry of the same id
 * leaves the earlier copy unanswered, as it timed out), as the DNS diagnoses match them.
 */
function dnsOfConversations(cols: PacketColumns, dt: DnsTable, stream: Int32Array, count: number): { dns: Uint32Array; mdns: Uint8Array; peer: Int32Array } {
  const dns = new Uint32Array(4 * count);
  const mdns = new Uint8Array(count);
  const peer = new Int32Array(dt.length).fill(-1);
  // Open queries: (conversation, id) → entry of the latest unanswered query.
  const open = new Map<number, number>();
  for (let e = 0; e < dt.length; e++) {
    const row = dt.row[e];
    const c = row < stream.length ? stream[row] : -1;
    if (c < 0 || dt.bits[e] & DnsBit.Tcp) continue;
    if (dt.bits[e] & DnsBit.Mdns) mdns[c] = 1;
    const key = c * 65536 + dt.id[e];
    if ((dt.flags[e] & DnsFlag.Response) === 0) {
      dns[4 * c + Dns.Queries]++;
      open.set(key, e);
      continue;
    }
    dns[4 * c + Dns.Responses]++;
    if ((dt.flags[e] & 15) !== 0) dns[4 * c + Dns.Errors]++;
    const q = open.get(key);
    if (q === undefined) continue;
    open.delete(key);
    // The query's sender is the response's receiver.
    if (cols.src[dt.row[q]] !== cols.dst[row] || cols.srcPort[dt.row[q]] !== cols.dstPort[row]) continue;
    peer[q] = e;
    peer[e] = q;
    dns[4 * c + Dns.Answered]++;
  }
  return { dns, mdns, peer };
}

/** A conversation's DNS summary; null when it carried no DNS message. */
export function udpDnsSummary(u: UdpConversations, c: number): UdpDnsSummary | null {
  const q = u.dns[4 * c + Dns.Queries], resp = u.dns[4 * c + Dns.Responses];
  if (q + resp === 0) return null;
  const answered = u.dns[4 * c + Dns.Answered];
  return { queries: q, responses: resp, answered, unanswered: u.mdns[c] ? 0 : q - answered, errors: u.dns[4 * c + Dns.Errors] };
}

/** The application of conversation c: DNS / mDNS when the DNS table read it, else by port, else ''. */
export function udpApp(u: UdpConversations, c: number): string {
  if (u.dns[4 * c + Dns.Queries] + u.dns[4 * c + Dns.Responses] > 0) return u.mdns[c] ? 'mDNS' : 'DNS';
  return udpPortApp(u.portA[c], u.portB[c]);
}

/** One line of the UDP conversation list. */
export interface UdpConversationRow {
  index: number;
  a: string;
  b: string;
  app: string;
  packets: number;
  /** A→B, B→A. */
  packetsDir: [number, number];
  /** Frame bytes, as tshark's conversation statistics count them. */
  bytes: number;
  bytesDir: [number, number];
  startTime: number;
  duration: number;
  dns: UdpDnsSummary | null;
  /** ICMP errors quoting its packets (port unreachable, TTL exceeded, ...). */
  icmp: number;
}

export function udpConversationRow(cols: PacketColumns, u: UdpConversations, c: number): UdpConversationRow {
  const text = cols.addresses.text, fam = cols.addresses.family;
  return {
    index: c,
    a: endpointText(text[u.addrA[c]] ?? '?', fam[u.addrA[c]] ?? 4, u.portA[c]),
    b: endpointText(text[u.addrB[c]] ?? '?', fam[u.addrB[c]] ?? 4, u.portB[c]),
    app: udpApp(u, c),
    packets: u.packets[2 * c] + u.packets[2 * c + 1],
    packetsDir: [u.packets[2 * c], u.packets[2 * c + 1]],
    bytes: u.bytes[2 * c] + u.bytes[2 * c + 1],
    bytesDir: [u.bytes[2 * c], u.bytes[2 * c + 1]],
    // To the nanosecond: the difference of two floats would print 0.002810999999999453.
    startTime: Math.round(u.first[c] * 1e9) / 1e9,
    duration: Math.round((u.last[c] - u.first[c]) * 1e9) / 1e9,
    dns: udpDnsSummary(u, c),
    icmp: u.icmp[c],
  };
}

export type UdpSortKey = 'index' | 'start' | 'packets' | 'bytes' | 'duration' | 'app' | 'unanswered';

function sortValue(u: UdpConversations, c: number, key: UdpSortKey): number {
  switch (key) {
    case 'index': return c;
    case 'start': return u.first[c];
    case 'packets': return u.packets[2 * c] + u.packets[2 * c + 1];
    case 'bytes': return u.bytes[2 * c] + u.bytes[2 * c + 1];
    case 'duration': return u.last[c] - u.first[c];
    case 'unanswered': return u.mdns[c] ? 0 : u.dns[4 * c + Dns.Queries] - u.dns[4 * c + Dns.Answered];
    case 'app': return 0;
  }
}

/**
 * The conversations to list, in order: those in `mask` (1 = keep; null: all) whose endpoints,
 * application or number match every token of the free text, sorted by `key` (ties by number).
 */
export function selectUdpConversations(
  cols: PacketColumns, u: UdpConversations, opts: { sort: { key: UdpSortKey; desc: boolean }; filter: string; mask?: Uint8Array | null },
): Uint32Array {
  const tokens = opts.filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const keep: number[] = [];
  for (let c = 0; c < u.count; c++) {
    if (opts.mask && !opts.mask[c]) continue;
    if (tokens.length) {
      const r = udpConversationRow(cols, u, c);
      const hay = `${r.a} ${r.b} ${r.app}`.toLowerCase();
      if (!tokens.every((t) => { const bare = t.replace(/^#/, ''); return (/^\d+$/.test(bare) && Number(bare) === c) || hay.includes(t); })) continue;
    }
    keep.push(c);
  }
  const { key, desc } = opts.sort;
  const sign = desc ? -1 : 1;
  if (key === 'app') {
    const names = new Map(keep.map((c) => [c, udpApp(u, c)]));
    keep.sort((x, y) => sign * (names.get(x) ?? '').localeCompare(names.get(y) ?? '') || x - y);
  } else if (key !== 'index' || desc) {
    keep.sort((x, y) => sign * (sortValue(u, x, key) - sortValue(u, y, key)) || x - y);
  }
  return Uint32Array.from(keep);
}

/** Bits of `UdpTimeline.flags`. */
export const UdpMark = {
  DnsQuery: 1,
  DnsResponse: 2,
  /** A query never answered in the capture. */
  Unanswered: 4,
  /** A response with an error rcode. */
  DnsError: 8,
  /** An ICMP error quoting a packet of the conversation (drawn in the lane back to the quoted packet's sender). */
  Icmp: 16,
} as const;

/**
 * A conversation's timeline: one mark per packet (or, past `MAX_MARKS`, per pixel column and
 * direction: the count and the largest packet; a query never answered, an error response and an ICMP
 * error never merged), and each DNS query linked to its response (the first MAX_LINKS).
 */
export interface UdpTimeline {
  conversation: number;
  /** Seconds since the capture start of the conversation's first and last packet. */
  t0: number;
  t1: number;
  /** Marks: time, direction (0 = A→B), largest frame length, packets merged, first frame, UdpMark bits. */
  time: Float64Array;
  dir: Uint8Array;
  len: Uint32Array;
  count: Uint32Array;
  frame: Uint32Array;
  flags: Uint8Array;
  /** Largest frame length of the conversation (the marks' scale). */
  maxLen: number;
  /** Packets were merged per pixel column. */
  decimated: boolean;
  /** Query → response links: times and frames; `links` of them (at most MAX_LINKS). */
  linkQ: Float64Array;
  linkR: Float64Array;
  linkQFrame: Uint32Array;
  linkRFrame: Uint32Array;
}

const MAX_MARKS = 4000;
const NEVER_MERGED = UdpMark.Unanswered | UdpMark.DnsError | UdpMark.Icmp;
const MAX_LINKS = 2000;

export function udpTimeline(cols: PacketColumns, u: UdpConversations, c: number, pixels: number): UdpTimeline | null {
  if (!(Number.isInteger(c) && c >= 0 && c < u.count)) return null;
  const rows = u.rows.subarray(u.offsets[c], u.offsets[c + 1]);
  const dt = cols.dns;
  const sec0 = cols.length ? cols.tsSec[0] : 0, nsec0 = cols.length ? cols.tsNsec[0] : 0;
  const timeOf = (r: number) => cols.tsSec[r] - sec0 + (cols.tsNsec[r] - nsec0) / 1e9;
  const t0 = u.first[c], t1 = u.last[c];
  // DNS bits of each row of the conversation (the DNS table is ordered by row: one search, then a walk).
  const dnsFlags = (e: number): number => {
    const resp = (dt.flags[e] & DnsFlag.Response) !== 0;
    let f = resp ? UdpMark.DnsResponse : UdpMark.DnsQuery;
    if (!resp && u.dnsPeer[e] < 0 && !u.mdns[c]) f |= UdpMark.Unanswered;
    if (resp && (dt.flags[e] & 15) !== 0) f |= UdpMark.DnsError;
    return f;
  };
  let e = rows.length ? lowerEntry(dt, rows[0]) : 0;
  const time: number[] = [], dir: number[] = [], len: number[] = [], cnt: number[] = [], frame: number[] = [], flags: number[] = [];
  const decimate = rows.length > MAX_MARKS;
  const cols2 = Math.max(1, Math.min(4096, Math.floor(pixels) || 1));
  const span = t1 - t0 > 0 ? t1 - t0 : 1;
  // Per direction, the open merged mark: its pixel column and its index in the lists.
  const openCol = [-1, -1], openAt = [-1, -1];
  let maxLen = 0;
  const linkQ: number[] = [], linkR: number[] = [], linkQF: number[] = [], linkRF: number[] = [];
  for (const r of rows) {
    while (e < dt.length && dt.row[e] < r) e++;
    const entry = e < dt.length && dt.row[e] === r ? e : -1;
    const isIcmp = cols.l4[r] !== L4.Udp;
    const d = udpDirection(cols, u, c, r);
    const t = timeOf(r);
    const l = cols.origLen[r];
    if (l > maxLen) maxLen = l;
    const f = isIcmp ? UdpMark.Icmp : entry >= 0 ? dnsFlags(entry) : 0;
    if (entry >= 0 && f & UdpMark.DnsQuery && u.dnsPeer[entry] >= 0 && linkQ.length < MAX_LINKS) {
      const pr = dt.row[u.dnsPeer[entry]];
      linkQ.push(t); linkR.push(timeOf(pr)); linkQF.push(r + 1); linkRF.push(pr + 1);
    }
    // Merged: everything but what a reader looks for (a query never answered, an error, an ICMP error).
    if (decimate && (f & NEVER_MERGED) === 0) {
      const px = Math.min(cols2 - 1, Math.floor(((t - t0) / span) * cols2));
      if (openCol[d] === px) {
        const k = openAt[d];
        cnt[k]++;
        flags[k] |= f;
        if (l > len[k]) len[k] = l;
        continue;
      }
      openCol[d] = px;
      openAt[d] = time.length;
    }
    time.push(t); dir.push(d); len.push(l); cnt.push(1); frame.push(r + 1); flags.push(f);
  }
  return {
    conversation: c, t0, t1, maxLen, decimated: decimate,
    time: Float64Array.from(time), dir: Uint8Array.from(dir), len: Uint32Array.from(len), count: Uint32Array.from(cnt),
    frame: Uint32Array.from(frame), flags: Uint8Array.from(flags),
    linkQ: Float64Array.from(linkQ), linkR: Float64Array.from(linkR), linkQFrame: Uint32Array.from(linkQF), linkRFrame: Uint32Array.from(linkRF),
  };
}

/** First entry of the DNS table at or after packet row `row`. */
function lowerEntry(dt: DnsTable, row: number): number {
  let lo = 0, hi = dt.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (dt.row[mid] < row) lo = mid + 1; else hi = mid; }
  return lo;
}

/** The conversation of a frame, -1 when it is not UDP. */
export function udpConversationOf(u: UdpConversations, frame: Frame): number {
  const r = frame - 1;
  return r >= 0 && r < u.stream.length ? u.stream[r] : -1;
}

/** Which side of conversation c sent row `row`; an ICMP error goes back to the quoted packet's sender. */
export function udpDirection(cols: PacketColumns, u: UdpConversations, c: number, row: number): Direction {
  if (cols.l4[row] !== L4.Udp) return cols.qSrc[row] === u.addrA[c] && cols.qSrcPort[row] === u.portA[c] ? 1 : 0;
  return cols.src[row] === u.addrA[c] && cols.srcPort[row] === u.portA[c] ? 0 : 1;
}

/** The findings whose evidence holds a packet of each conversation (the DNS findings, which have no TCP stream), by conversation. */
export function findingsByUdpConversation<F extends { frames: readonly number[] }>(u: UdpConversations, findings: readonly F[]): Map<number, F[]> {
  const out = new Map<number, F[]>();
  for (const f of findings) {
    const seen = new Set<number>();
    for (const fr of f.frames) {
      const c = fr >= 1 && fr <= u.stream.length ? u.stream[fr - 1] : -1;
      if (c < 0 || seen.has(c)) continue;
      seen.add(c);
      const list = out.get(c);
      if (list) list.push(f); else out.set(c, [f]);
    }
  }
  return out;
}

/** Conversations in the CLI's JSON at most: the largest by bytes (the count says how many there are). */
export const UDP_JSON_MAX = 1000;

/** The conversations to report when at most `max` fit: the most bytes first, ties by number; returned in number order. */
export function topUdpConversations(u: UdpConversations, max = UDP_JSON_MAX, keep?: (c: number) => boolean): number[] {
  const all: number[] = [];
  for (let c = 0; c < u.count; c++) if (!keep || keep(c)) all.push(c);
  if (all.length <= max) return all;
  const total = (c: number) => u.bytes[2 * c] + u.bytes[2 * c + 1];
  return all.sort((x, y) => total(y) - total(x) || x - y).slice(0, max).sort((x, y) => x - y);
}
