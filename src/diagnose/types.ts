/**
 * The finding model: what the diagnoses conclude about a capture, per stream and per direction.
 * A finding holds numbers and message references (key + parameters), never finished sentences,
 * so the same finding renders in every language of the catalogue (see src/i18n).
 */
import type { CaptureFormat, CaptureInterface, CaptureWarning } from '../capture/types';
import type { PacketColumns } from '../decode/columns';
import type { TcpStreamInfo } from '../tcp/types';
import type { MessageKey } from '../i18n/messages.en';
import type { Direction, Frame } from '../types';
import type { RateLimit } from './rate';

export type Severity = 'critical' | 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, error: 3, warning: 2, info: 1 };

export type FindingKind =
  | 'pmtu-blackhole'
  | 'oversized-df'
  | 'icmp-ptb'
  | 'retransmission-timeout'
  | 'reset'
  | 'handshake-failure'
  | 'zero-window-stall'
  | 'high-loss'
  | 'slow-transfer'
  | 'small-receive-buffer'
  | 'nagle-delayed-ack'
  | 'slow-start-after-idle'
  | 'lost-between-points'
  | 'dns-timeout'
  | 'dns-search-expansion'
  | 'dns-error'
  | 'syn-dropped'
  | 'paws-drop'
  | 'asymmetric-path'
  | 'idle-timeout'
  | 'foreign-reset'
  | 'untranslated-reply';

export type MsgParams = Record<string, string | number>;

/** One sentence or paragraph, to be rendered in the reader's language. */
export interface Msg {
  key: MessageKey;
  params?: MsgParams;
}

export interface MtuBracket {
  /** Largest IP total length seen delivered. */
  min: number;
  /** Smallest IP total length never delivered, minus one. */
  max: number;
}

export interface Encapsulation {
  /** Names of the tunnel layers peeled, outermost first, e.g. ["IPIP"], ["VXLAN"]. */
  kinds: string[];
  /** Bytes of tunnel headers in front of the inner IP header. */
  overhead: number;
}

interface FindingBase {
  /** Stable: kind, stream, direction and first evidence frame, e.g. "pmtu-blackhole:s0:d0:f21". */
  id: string;
  severity: Severity;
  stream: number;
  /** 0 = A→B (A sent the stream's first packet), 1 = B→A; null when about the whole stream. */
  direction: Direction | null;
  /** Evidence, 1-based frame numbers, the most telling first. */
  frames: Frame[];
  /**
   * Every stream of a grouped finding (one pattern over several connections: a port scan, a peer
   * resetting them all), `stream` being the one told in detail; absent for a single stream.
   */
  streams?: number[];
  /** Seconds since the first packet of the capture: the window worth looking at. */
  t0: number;
  t1: number;
  title: Msg;
  summary: Msg;
  story: Msg[];
  remedy: Msg[];
}

export interface PmtuBlackholeFinding extends FindingBase {
  kind: 'pmtu-blackhole';
  /** Path MTU bracket as inner IP bytes. */
  pathMtu: MtuBracket;
  /** The same bracket as outer (on the wire) IP bytes when the packets were tunnelled. */
  outerPathMtu: MtuBracket | null;
  /** Where the evidence comes from: the sender's retransmissions, or the receiver's unfilled hole. */
  evidence: 'sender' | 'receiver';
  /** MSS advertised in the SYN of A and of B (0 when not seen). */
  mss: [number, number];
  /** ICMP "fragmentation needed" / "packet too big" captured for this direction. */
  icmpFrames: number[];
  encapsulation: Encapsulation | null;
  /**
   * MTU and MSS clamp the evidence guarantees: the largest size seen delivered on the path with Don't
   * Fragment set, or exactly what an ICMP "too big" inside the bracket reports. Never a guess.
   */
  suggestedMtu: number;
  suggestedMss: number;
  /** Larger values that may hold (a common setting, a tunnel's usual size), not proven: each with its probe. */
  candidateMtus: { mtu: number; basis: 'common' | 'tunnel' | 'icmp'; probe: string }[];
  lostSize: number;
  transmissions: number;
}

export interface OversizedDfFinding extends FindingBase {
  kind: 'oversized-df';
  mtu: number;
  mtuSource: 'user' | 'inferred' | 'ethernet';
  count: number;
  delivered: number;
  maxIpLen: number;
}

export interface IcmpPtbFinding extends FindingBase {
  kind: 'icmp-ptb';
  mtu: number;
  adapted: boolean;
}

export interface RtoFinding extends FindingBase {
  kind: 'retransmission-timeout';
  retransmissions: number;
  /** Seconds between successive transmissions of the same bytes. */
  intervals: number[];
  duration: number;
  ending: 'rst-self' | 'rst-peer' | 'fin-peer' | 'capture-end';
}

export interface ResetFinding extends FindingBase {
  kind: 'reset';
  /**
   * 'mid-stream': data of either side unacknowledged when the RST came; 'after-exchange': nothing
   * pending (an abortive close); 'no-data': no byte exchanged before it (a scan, a health check, a lone RST).
   */
  context: 'mid-stream' | 'after-exchange' | 'after-fin' | 'idle' | 'no-data';
  /** Who sent the RST: 'client'/'server' when the handshake was seen, else 'A'/'B'. */
  by: 'client' | 'server' | 'A' | 'B';
  bytes: [number, number];
}

export interface HandshakeFinding extends FindingBase {
  kind: 'handshake-failure';
  reason: 'refused' | 'unanswered' | 'no-final-ack';
  attempts: number;
}

export interface ZeroWindowFinding extends FindingBase {
  kind: 'zero-window-stall';
  duration: number;
  probes: number;
  reopened: boolean;
}

export interface HighLossFinding extends FindingBase {
  kind: 'high-loss';
  /** Original data segments of the direction. */
  segments: number;
  /** Segments lost (after plus before the capture point): each was sent again. */
  retransmitted: number;
  rate: number;
  holes: number;
  recovered: boolean;
  /** Seen here, never delivered, sent again. */
  lostAfterCapture: number;
  /** Sequence gaps filled later by a retransmission. */
  lostBeforeCapture: number;
  /** Re-sends the receiver did not need (D-SACK, or already acknowledged): not counted as loss. */
  spurious: number;
  /** Gaps acknowledged without being captured: the capture missed them, not counted as loss. */
  notCaptured: number;
}

/**
 * A transfer slow enough to matter (src/diagnose/rate.ts): what limited it, as shares of its time.
 * `t0`/`t1` are the transfer's window on the chart, `direction` its sender.
 */
export interface SlowTransferFinding extends FindingBase {
  kind: 'slow-transfer';
  dominant: RateLimit;
  shares: Record<RateLimit, number>;
  bytes: number;
  seconds: number;
  /** bytes × 8 / seconds / 10^6. */
  mbps: number;
  /** Round-trip time (s) the verdict used; 0 when unknown. */
  rtt: number;
}

/**
 * The receiver's window capped the transfer: in flight up to the advertised window for `share` of
 * its time. `window` is the largest window advertised; `maxMbps` = window × 8 / rtt, the most it
 * allows at this round-trip time; `bytesPerMbit` = rtt × 125000, the window each Mbit/s needs.
 */
export interface SmallReceiveBufferFinding extends FindingBase {
  kind: 'small-receive-buffer';
  share: number;
  window: number;
  /** The receiver offered window scaling (false: its window can never exceed 65535 bytes). */
  scaled: boolean;
  rtt: number;
  mbps: number;
  maxMbps: number;
  bytesPerMbit: number;
}

/**
 * Nagle's algorithm against delayed ACKs: a small segment held by the sender until the ACK of the
 * previous one, which the receiver delayed. `holds`: how often; `heldSeconds`: their total wait.
 */
export interface NagleFinding extends FindingBase {
  kind: 'nagle-delayed-ack';
  holds: number;
  heldSeconds: number;
  /** Median seconds each small segment waited for the delayed ACK (40 ms and 200 ms are the usual timers). */
  medianHold: number;
  rtt: number;
}

/**
 * Slow start after idle: after a pause longer than the RTO the sender began each burst with a small
 * window again. `restarts`: how often; `firstRound`: bytes in a burst's first round trip (median);
 * `flightBefore`: bytes in flight before the pause (median).
 */
export interface SlowStartIdleFinding extends FindingBase {
  kind: 'slow-start-after-idle';
  restarts: number;
  firstRound: number;
  flightBefore: number;
  rtt: number;
}

/**
 * Packets seen at one capture point and never at the next (src/points). `stream` and `direction`
 * are those of the `from` capture; `frames` are frame numbers in the `from` capture.
 */
export interface LostBetweenPointsFinding extends FindingBase {
  kind: 'lost-between-points';
  /** Point indices (argument order of the captures, or interfaces of one capture). */
  from: number;
  to: number;
  fromName: string;
  toName: string;
  /** The same connection's stream index at `to`. */
  toStream: number;
  /** Packets of this direction the `from` point saw, and how many of them reached `to`. */
  packets: number;
  lost: number;
  /** Some matched packets: [frame at from, frame at to]. */
  matchedFrames: [number, number][];
  /** One-way delay between the points, seconds (NaN when nothing matched). */
  delayMin: number;
  delayMedian: number;
}

/**
 * DNS queries left unanswered (`stream` -1: not about a TCP stream), one finding per client and
 * server: those asked again after the resolver's timeout and those never answered while the capture
 * watched at least that long.
 */
export interface DnsTimeoutFinding extends FindingBase {
  kind: 'dns-timeout';
  client: string;
  server: string;
  /** Queries from the client to the server in the capture. */
  queries: number;
  /** Queries without a response: asked again, or watched for the timeout. */
  unanswered: number;
  /** Unanswered queries asked again (same name and type) after a timeout. */
  retries: number;
  /** Seconds from each unanswered query to its re-ask (the resolver's timeout, 5 s for glibc). */
  retryAfter: number[];
  /** Re-asks sent from the same source port as the lost query. */
  samePort: number;
  /** Unanswered queries whose parallel twin (A with AAAA, same socket) was answered: the conntrack race. */
  parallel: number;
  /** Questions asked at least twice and never answered. */
  failed: number;
  /** Unanswered queries an ICMP destination unreachable quoted (no DNS server at that address, or a filter). */
  unreachable: number;
  /** Queries answered (without error) a second or more after they were sent, and the longest wait (seconds). */
  slow: number;
  slowest: number;
  /** Seconds the lookups waited on timeouts of a second or more. */
  timeLost: number;
  /** The timeout taken: the longest re-ask seen, else 5 s. */
  timeout: number;
  /** Names and types of the unanswered queries, "api.example.com (AAAA)". */
  names: string[];
}

/** A client's lookups that tried the search domains (each an NXDOMAIN) before the real name. */
export interface DnsSearchFinding extends FindingBase {
  kind: 'dns-search-expansion';
  client: string;
  server: string;
  lookups: number;
  /** NXDOMAIN answers to expanded names, in all and the median per lookup, and per lookup. */
  nxdomains: number;
  nxdomainsPerLookup: number;
  nxdomainsEach: number[];
  /** Seconds from a lookup's first expanded query to the real name's query: in all, median per lookup. */
  timeLost: number;
  timeLostPerLookup: number;
  searchDomains: string[];
  names: string[];
}

/** Error answers (SERVFAIL, REFUSED, FORMERR, NOTIMP) from one server to one client. */
export interface DnsErrorFinding extends FindingBase {
  kind: 'dns-error';
  client: string;
  server: string;
  errors: number;
  /** Responses by error name. */
  rcodes: Record<string, number>;
  names: string[];
}

/**
 * A connection killed by an idle timeout (src/diagnose/idleTimeout.ts): silent for `idle` seconds,
 * then its first write failed. The middlebox's timeout is at most `idle` and more than `survived`
 * (the longest earlier silence after which both sides still sent; 0 when none).
 */
export interface IdleTimeoutFinding extends FindingBase {
  kind: 'idle-timeout';
  idle: number;
  survived: number;
  /** 'rst': answered by a RST within a few round trips; 'retransmissions': sent again and again, never acknowledged. */
  ending: 'rst' | 'retransmissions';
  /**
   * A write after the silence met the failure (true); false: the RST came unasked, when the timer
   * fired (a load balancer resetting on idle), and `idle` is the timeout itself.
   */
  prompted: boolean;
  /** Re-sends of the write before the RST or the end. */
  retransmissions: number;
  /** Frame of the RST (0 without). */
  rstFrame: number;
  /** The RST's TTL differs from the peer's own packets (true), matches them (false); null without a RST. */
  rstForeign: boolean | null;
  /** Idle timeouts of common middleboxes consistent with the silence (seconds, nearest below it first). */
  defaults: number[];
}

/** RSTs whose TTL (hop limit) differs from every other packet of their sender (src/diagnose/foreignReset.ts). */
export interface ForeignResetFinding extends FindingBase {
  kind: 'foreign-reset';
  /** TTL of the first such RST, and the sender's usual TTL. */
  ttl: number;
  usualTtl: number;
  /** Such RSTs in the connection. */
  rsts: number;
  /** The RST's IPv4 ID continues the sender's numbering (true), breaks it (false); null: nothing to compare. */
  ipIdFits: boolean | null;
  /** The sender's own packets did not all have one TTL. */
  varied: boolean;
}

/**
 * Replies to a connection to a service address that came from the backend's own address, which the
 * client reset (src/diagnose/untranslated.ts). `stream` is the connection to the service address.
 */
export interface UntranslatedReplyFinding extends FindingBase {
  kind: 'untranslated-reply';
  client: string;
  service: string;
  backend: string;
  /** The stream of the backend's packets (the first, when they make several), and all of them. */
  replyStream: number;
  replyStreams: number[];
  replies: number;
  clientResets: number;
  /** The first stray reply answered the SYN ('handshake') or data ('data'). */
  phase: 'handshake' | 'data';
}

/**
 * New connections from one client whose SYNs went unanswered while its other new connections to the
 * same services were answered at once (src/diagnose/synDropped.ts). `stream` is the connection told
 * in detail, `streams` every failed or delayed one.
 */
export interface SynDroppedFinding extends FindingBase {
  kind: 'syn-dropped';
  client: string;
  /** Services with failed or delayed connections: "addr:port (hit/new connections)". */
  services: string[];
  /** Services the client reached in the capture with every new connection answered at once: "addr:port (0/n)". */
  unaffected: string[];
  /** New connections from the client to the affected services. */
  connections: number;
  /** Never answered although the SYN was sent again; answered only after a retry. */
  failed: number;
  delayed: number;
  /**
   * Connections whose SYN the server answered with a bare ACK (it still held an earlier connection of
   * the same ports, TIME-WAIT) and the client reset before sending the SYN again.
   */
  staleAck: number;
  /** SYNs left without an answer: every SYN of the failed connections, those before the SYN-ACK of the delayed ones. */
  unansweredSyns: number;
  /** (failed + delayed) / connections. */
  share: number;
  /** Seconds from the first SYN to each retry, in the connection told in detail (Linux: 1, 3, 7, 15 s; newer kernels a second apart at first). */
  retryAfter: number[];
  /** Connections of the client established before, carrying data while the SYNs went unanswered. */
  carriedOn: number;
  /** Failed or delayed connections whose four-tuple an earlier connection had closed less than 120 s before (no RST). */
  reusedPorts: number;
}

/**
 * Connections from one address to one server whose SYNs, sent again and again, carried a TCP
 * timestamp behind one that address had just sent the server on another connection, and were never
 * answered, while its connections with timestamps ahead were: consistent with PAWS dropping them
 * (hosts behind one NAT address, the server keeping the last timestamp per peer). src/diagnose/paws.ts.
 */
export interface PawsDropFinding extends FindingBase {
  kind: 'paws-drop';
  client: string;
  server: string;
  /** Connections never answered, their SYNs all behind. */
  connections: number;
  /** Their SYNs (attempts). */
  syns: number;
  /** Connections from the address to the server answered meanwhile. */
  answered: number;
  /** TSval ticks the first SYN told in detail was behind the other connection's latest TSval. */
  behindBy: number;
}

/**
 * The server's SYN-ACKs took another way than the SYNs (src/diagnose/asymmetric.ts): never seen at
 * this capture point while the rest of the server's packets were ('synack-unseen'), seen on an
 * interface no SYN of the connection was seen on ('interface'), or from (to) another Ethernet
 * neighbour than the SYN went to (came from) ('mac').
 */
export interface AsymmetricPathFinding extends FindingBase {
  kind: 'asymmetric-path';
  variant: 'synack-unseen' | 'interface' | 'mac';
  client: string;
  server: string;
  /** Handshakes that show it, of the handshakes between the two hosts. */
  handshakes: number;
  of: number;
  /**
   * Interfaces of the SYN and of the SYN-ACK ('interface'), or the Ethernet neighbours ('mac': the one
   * the SYN went to and the one the SYN-ACK came from, on a capture at the client's side; the one
   * the SYN came from and the one the SYN-ACK went to, at the server's); null for 'synack-unseen'.
   */
  synInterface: string | null;
  synAckInterface: string | null;
}

export type Finding =
  | SynDroppedFinding
  | PawsDropFinding
  | AsymmetricPathFinding
  | IdleTimeoutFinding
  | ForeignResetFinding
  | UntranslatedReplyFinding
  | DnsTimeoutFinding
  | DnsSearchFinding
  | DnsErrorFinding
  | LostBetweenPointsFinding
  | PmtuBlackholeFinding
  | OversizedDfFinding
  | IcmpPtbFinding
  | RtoFinding
  | ResetFinding
  | HandshakeFinding
  | ZeroWindowFinding
  | HighLossFinding
  | SlowTransferFinding
  | SmallReceiveBufferFinding
  | NagleFinding
  | SlowStartIdleFinding;

/** The TCP analyzer's results, when the pipeline ran it (indexed like the packet columns). */
export interface TcpView {
  /** Stream index per row, -1 for non-TCP rows. */
  stream: ArrayLike<number>;
  /** 0 = A→B, 1 = B→A per row. */
  dir: ArrayLike<number>;
  /** TcpFlagBit bits per row. */
  flags?: ArrayLike<number>;
  streams: TcpStreamInfo[];
}

/** What the diagnoses read: the packet table, and whatever else the session knows. */
export interface DiagnoseInput {
  cols: PacketColumns;
  tcp?: TcpView;
  format?: CaptureFormat;
  interfaces?: CaptureInterface[];
  warnings?: CaptureWarning[];
}

export interface DiagnoseOptions {
  /** Path MTU (inner IP bytes) the user expects, e.g. 1500, 1480 IPIP, 1450 VXLAN, 1440, 1420. */
  pathMtu?: number;
}
