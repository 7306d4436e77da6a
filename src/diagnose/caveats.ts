/**
 * Analysis caveats: what about the capture itself limits what the analysis can say, in words, so a
 * reader never trusts a number the capture cannot back. Unlike findings they are not about the
 * network: a capture started mid-connection, packets seen twice, drops on the capturing side,
 * packets the decoder could not read, and the reader's warnings (damage, memory limit).
 * Like findings they hold message keys and parameters, rendered in any language by renderCaveat().
 */
import { groupThousands } from '../capture/messages';
import { Anomaly, L4, NotDecoded, TcpFlag, notDecodedKind, notDecodedValue, type PacketColumns } from '../decode/columns';
import {
  ETHERTYPE_NAMES, LINK_TYPE_NAMES, OTHER_LINK_TYPE_NAMES, UNPEELED_IP_PROTO_NAMES, UNPEELED_UDP_NAMES, greProtoName,
} from '../decode/linkTypes';
import { translate, type Lang, type MessageKey } from '../i18n/index';
import { warningMsg, warningParams } from '../i18n/warnings';
import { ipLenBeyondFrame } from './delivery';
import { assignStreams, buildStreams } from './streams';
import { listParams } from './text';
import type { DiagnoseInput, Msg } from './types';

export type CaveatKind = 'memory-limit' | 'reader-warnings' | 'capture-drops' | 'capture-gaps' | 'one-direction' | 'mid-connection' | 'duplicate-capture' | 'decode-anomalies';

export interface Caveat {
  kind: CaveatKind;
  /** 'warning': part of the capture is missing or unread; 'info': read in full, but read with care. */
  severity: 'warning' | 'info';
  /** How many things it concerns (streams, packets, warnings), as counted for the message. */
  count: number;
  /** One sentence: what, and what it means for the analysis. */
  message: Msg;
  /** Supporting lines: examples, counts per kind, the reader's own messages. */
  details: Msg[];
  /** Example frames (1-based), first ones first. */
  frames: number[];
  /** Example TCP streams, when it is about streams. */
  streams?: number[];
}

export interface CaveatInput extends DiagnoseInput {
  /** Packets the capturing side reported dropped (pcapng ISB), per interface id (CaptureSession.interfaceDrops). */
  interfaceDrops?: ReadonlyMap<number, number>;
  /** Packets that were copies of one seen at another capture point, when the diagnoses already counted them. */
  copies?: number;
  /**
   * Sequence gaps the receiver acknowledged but the capture never saw (the diagnoses' segment fates):
   * how many, their bytes, the frame after the first gap of each stream concerned, and the streams.
   */
  notCaptured?: { gaps: number; bytes: number; frames: number[]; streams: number[] };
}

const EXAMPLES = 5;
const n = (x: number) => groupThousands(x);

/**
 * Decoder anomalies worth a caveat, in the order shown (a snap length shorter than the packet is not
 * one). Packets in an encapsulation not decoded (Anomaly.NotDecoded) come first, one line per kind.
 * An IP fragment (Anomaly.Fragment) is none by itself: the decoder reassembles datagrams, and only
 * the fragments of those it could not complete (PacketColumns.fragments) are counted, after these.
 */
const ANOMALY_KEYS: [Anomaly, MessageKey][] = [
  [Anomaly.Truncated, 'caveat.anomaly.truncated'],
  [Anomaly.BadIpHeader, 'caveat.anomaly.badIp'],
  [Anomaly.BadTcpHeader, 'caveat.anomaly.badTcpHeader'],
  [Anomaly.BadTcpOptions, 'caveat.anomaly.badTcpOptions'],
  [Anomaly.TunnelTooDeep, 'caveat.anomaly.tunnelTooDeep'],
];
const COUNTED = ANOMALY_KEYS.reduce((m, [bit]) => m | bit, Anomaly.NotDecoded as number);

const MEMORY_KEYS: Record<string, MessageKey> = {
  'capture.memoryLimit': 'caveat.memoryLimit',
  'capture.packetLimit': 'caveat.packetLimit',
  'capture.memoryRefused': 'caveat.memoryRefused',
};

/** Every caveat of a capture, most consequential first; empty for a clean, complete capture. */
export function caveats(input: CaveatInput): Caveat[] {
  return [...readerCaveats(input), ...dropCaveats(input), ...captureGaps(input), ...oneDirection(input), ...midConnection(input), ...duplicates(input), ...anomalies(input)];
}

function readerCaveats(input: CaveatInput): Caveat[] {
  const out: Caveat[] = [];
  const warnings = input.warnings ?? [];
  const packets = input.cols.length;
  const memory = warnings.find((w) => w.kind === 'memory-limit');
  if (memory) {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(memory.params ?? {})) params[k] = typeof v === 'number' ? n(v) : v;
    out.push({
      kind: 'memory-limit', severity: 'warning', count: packets,
      message: { key: MEMORY_KEYS[memory.key] ?? 'caveat.memoryLimit', params }, details: [], frames: memory.frame ? [memory.frame] : [],
    });
  }
  const others = warnings.filter((w) => w.kind !== 'memory-limit');
  if (!others.length) return out;
  const fatal = others.find((w) => w.fatal);
  const message: Msg = fatal
    ? { key: 'caveat.readerStopped', params: { count: n(others.length), offset: n(fatal.offset), packets: n(packets) } }
    : { key: 'caveat.readerWarnings', params: { count: n(others.length), packets: n(packets) } };
  out.push({
    kind: 'reader-warnings', severity: fatal ? 'warning' : 'info', count: others.length, message,
    // The reader's own sentences, each placed in the file, nested so they render in any language.
    // Most of the reader's sentences already say where ("... at byte 1,870"): only the others get it added.
    details: others.slice(0, 20).map((w) => ({
      key: w.message.includes(`byte ${n(w.offset)}`) ? 'caveat.readerWarningPlaced' : 'caveat.readerWarning',
      params: { ...warningParams('message', warningMsg(w, others), w.message), offset: n(w.offset) },
    })),
    frames: others.filter((w) => w.frame !== undefined).slice(0, EXAMPLES).map((w) => w.frame as number),
  });
  return out;
}

function dropCaveats(input: CaveatInput): Caveat[] {
  const drops = [...(input.interfaceDrops ?? new Map<number, number>())].filter(([, d]) => d > 0);
  const total = drops.reduce((s, [, d]) => s + d, 0);
  if (!total) return [];
  const name = (id: number) => input.interfaces?.find((i) => i && i.id === id)?.name ?? `#${id}`;
  return [{
    kind: 'capture-drops', severity: 'warning', count: total,
    message: { key: 'caveat.drops', params: { count: n(total) } },
    details: drops.map(([id, d]) => ({ key: 'caveat.dropsOn', params: { iface: name(id), count: n(d) } })),
    frames: [],
  }];
}

/** Data the receiver acknowledged that the capture never saw: the capture point missed it, the network did not. */
function captureGaps(input: CaveatInput): Caveat[] {
  const g = input.notCaptured;
  if (!g || g.gaps === 0) return [];
  const frames = [...g.frames].sort((a, b) => a - b).slice(0, EXAMPLES);
  return [{
    kind: 'capture-gaps', severity: 'warning', count: g.gaps,
    message: { key: 'caveat.notCaptured', params: { count: n(g.gaps), bytes: n(g.bytes), streams: n(g.streams.length) } },
    details: [{ key: 'caveat.notCapturedFrames', params: { count: frames.length, ...listParams('frames', frames) } }],
    frames, streams: g.streams.slice(0, EXAMPLES),
  }];
}

function endpoint(input: CaveatInput, addr: number, port: number): string {
  const t = input.cols.addresses.text[addr] ?? '?';
  return input.cols.addresses.family[addr] === 6 ? `[${t}]:${port}` : `${t}:${port}`;
}

/**
 * Streams of which only one direction was captured although its packets show the other side was
 * there: acknowledgements that move on (the other side sent data), a handshake completed without its
 * SYN/ACK, or a SYN/ACK without the SYN. Asymmetric routing, a load balancer's direct return, a
 * capture filter.
 */
function oneDirection(input: CaveatInput): Caveat[] {
  const c = input.cols;
  const view = input.tcp ?? assignStreams(c);
  // Per stream: directions seen (bits), first ack value, whether acks moved, whether a pure SYN or a SYN/ACK came.
  const dirs = new Map<number, { bits: number; ack: number; moved: boolean; syn: boolean; synAck: boolean; after: boolean; row: number }>();
  for (let i = 0; i < c.length; i++) {
    const s = view.stream[i];
    if (s < 0) continue;
    let e = dirs.get(s);
    if (!e) { e = { bits: 0, ack: -1, moved: false, syn: false, synAck: false, after: false, row: i }; dirs.set(s, e); }
    e.bits |= 1 << (view.dir[i] ? 1 : 0);
    const f = c.tcpFlags[i];
    if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === TcpFlag.Syn) e.syn = true;
    else if ((f & (TcpFlag.Syn | TcpFlag.Ack)) === (TcpFlag.Syn | TcpFlag.Ack)) e.synAck = true;
    else if (f & TcpFlag.Ack) {
      if (e.syn) e.after = true;
      if (e.ack >= 0 && e.ack !== c.ackRaw[i]) e.moved = true;
      e.ack = c.ackRaw[i];
    }
  }
  const one: number[] = [], rows: number[] = [];
  for (const [s, e] of dirs) {
    if (e.bits === 3) continue;
    if (e.moved || (e.syn && e.after) || e.synAck) { one.push(s); rows.push(e.row); }
  }
  if (!one.length) return [];
  return [{
    kind: 'one-direction', severity: 'warning', count: one.length,
    message: { key: 'caveat.oneDirection', params: { count: n(one.length), total: n(dirs.size) } },
    details: [{ key: 'caveat.oneDirectionStreams', params: { count: Math.min(one.length, EXAMPLES), ...listParams('streams', one.slice(0, EXAMPLES)) } }],
    frames: rows.slice(0, EXAMPLES).map((i) => i + 1), streams: one.slice(0, EXAMPLES),
  }];
}

/** Streams whose first captured packet is not a pure SYN: their handshake, and so its window scale, was not seen. */
function midConnection(input: CaveatInput): Caveat[] {
  const c = input.cols;
  const view = input.tcp ?? assignStreams(c);
  const seen = new Set<number>();
  const mid: number[] = [];
  const firstRow: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const s = view.stream[i];
    if (s < 0 || seen.has(s)) continue;
    seen.add(s);
    // A SYN/ACK first means the client's SYN (and its window scale) was missed too.
    if ((c.tcpFlags[i] & (TcpFlag.Syn | TcpFlag.Ack)) !== TcpFlag.Syn) { mid.push(s); firstRow.push(i); }
  }
  if (!mid.length) return [];
  const examples = mid.slice(0, 3).map((s, k) => {
    const i = firstRow[k];
    return { key: 'caveat.midConnectionStream' as MessageKey, params: { stream: s, a: endpoint(input, c.src[i], c.srcPort[i]), b: endpoint(input, c.dst[i], c.dstPort[i]), frame: n(i + 1) } };
  });
  return [{
    kind: 'mid-connection', severity: 'info', count: mid.length,
    message: { key: 'caveat.midConnection', params: { count: n(mid.length), total: n(seen.size) } },
    details: examples, frames: firstRow.slice(0, EXAMPLES).map((i) => i + 1), streams: mid.slice(0, EXAMPLES),
  }];
}

/** Capture point of a row, as the diagnoses tell copies apart: interface, and the Linux cooked interface index. */
function pointOf(input: CaveatInput, i: number): number {
  return input.cols.iface[i] * 65536 + (input.cols.sllIfIndex[i] + 1);
}

function duplicates(input: CaveatInput): Caveat[] {
  const c = input.cols;
  const points = new Set<number>();
  if (input.copies === 0) return [];
  let found = 0;
  const frames: number[] = [];
  for (const m of buildStreams(c, input.tcp ?? assignStreams(c))) {
    for (let p = 0; p < m.copy.length; p++) {
      if (!m.copy[p]) continue;
      found++;
      frames.push(m.rows[p] + 1);
    }
  }
  // The diagnoses' own count when given (the same rule, so normally the same number).
  const copies = input.copies ?? found;
  if (!copies) return [];
  for (let i = 0; i < c.length; i++) points.add(pointOf(input, i));
  frames.sort((a, b) => a - b);
  return [{
    kind: 'duplicate-capture', severity: 'info', count: copies,
    message: points.size > 1
      ? { key: 'caveat.duplicates', params: { count: n(copies), points: points.size } }
      : { key: 'caveat.duplicatesOnePoint', params: { count: n(copies) } },
    details: [{ key: 'caveat.duplicatesFrames', params: { count: Math.min(EXAMPLES, frames.length), ...listParams('frames', frames.slice(0, EXAMPLES)) } }],
    frames: frames.slice(0, EXAMPLES),
  }];
}

/** Lines for the kinds of encapsulation not decoded, most packets first, at most this many (the rest summed up). */
const NOT_DECODED_LINES = 8;

const hex4 = (v: number) => '0x' + v.toString(16).padStart(4, '0');
const named = (label: string, name: string | undefined) => (name ? `${label} ${name}` : label);

function linkTypeName(lt: number): string | undefined {
  if (lt >= 147 && lt <= 162) return `DLT_USER${lt - 147}`;
  return OTHER_LINK_TYPE_NAMES[lt] ?? LINK_TYPE_NAMES[lt];
}

/** What a NotDecodedTally code was, in words: its message key and the label of the value (e.g. "0x8864 PPPoE session"). */
export function notDecodedWhat(code: number): { key: MessageKey; what: string } {
  const v = notDecodedValue(code);
  switch (notDecodedKind(code)) {
    case NotDecoded.LinkType: return { key: 'caveat.notDecoded.linkType', what: named(String(v), linkTypeName(v)) };
    case NotDecoded.EtherType: return { key: 'caveat.notDecoded.etherType', what: named(hex4(v), ETHERTYPE_NAMES[v]) };
    case NotDecoded.LlcSnap: return { key: 'caveat.notDecoded.llcSnap', what: named(hex4(v), ETHERTYPE_NAMES[v]) };
    case NotDecoded.GreProto: return { key: 'caveat.notDecoded.gre', what: named(hex4(v), greProtoName(v)) };
    case NotDecoded.UdpTunnel: return { key: 'caveat.notDecoded.udp', what: named(String(v), UNPEELED_UDP_NAMES[v]) };
    case NotDecoded.IpProto: return { key: 'caveat.notDecoded.ipProto', what: named(String(v), UNPEELED_IP_PROTO_NAMES[v]) };
    case NotDecoded.LoopbackFamily: return { key: 'caveat.notDecoded.loopback', what: String(v) };
    default: return { key: 'caveat.notDecoded.other', what: '' }; // code 0: kinds beyond the tally's limit
  }
}

/** One line per kind of encapsulation not decoded (the tally's codes), most packets first. */
function notDecodedLines(c: PacketColumns, marked: number): { details: Msg[]; frames: number[] } {
  const tally = c.notDecoded;
  const codes = [...tally.counts.keys()].sort((a, b) => (tally.counts.get(b) ?? 0) - (tally.counts.get(a) ?? 0) || a - b);
  const details: Msg[] = [];
  const frames: number[] = [];
  // Rows marked without being counted (a table built by hand) are told as "other".
  let restCount = Math.max(0, marked - tally.total);
  const restRows: number[] = [];
  codes.forEach((code, k) => {
    const count = tally.counts.get(code) ?? 0;
    const rows = (tally.rows.get(code) ?? []).filter((r) => r < c.length);
    frames.push(...rows.map((r) => r + 1));
    // Code 0 holds whatever was beyond the tally's number of kinds; the smallest kinds join it.
    if (code === 0 || (k >= NOT_DECODED_LINES - 1 && codes.length > NOT_DECODED_LINES)) {
      restCount += count;
      restRows.push(...rows);
      return;
    }
    const { key, what } = notDecodedWhat(code);
    details.push({ key, params: { what, count: n(count), ...listParams('frames', rows.map((r) => r + 1)) } });
  });
  if (restCount) {
    const rows = restRows.sort((x, y) => x - y).slice(0, EXAMPLES);
    details.push({ key: 'caveat.notDecoded.other', params: { count: n(restCount), ...listParams('frames', rows.map((r) => r + 1)) } });
  }
  return { details, frames };
}

function anomalies(input: CaveatInput): Caveat[] {
  const c = input.cols;
  const counts = new Map<Anomaly, { count: number; frames: number[] }>();
  // IP length beyond the frame on the wire: read (tcp.len from the frame), but named (delivery.ts ipLenBeyondFrame).
  const beyondFrame = { count: 0, frames: [] as number[] };
  let total = 0, notDecoded = 0, decoded = 0;
  for (let i = 0; i < c.length; i++) {
    const a = c.anomalies[i];
    // TCP or UDP the analysis could read (a tunnel's carrier whose payload was not decoded is not).
    if ((c.l4[i] === L4.Tcp || c.l4[i] === L4.Udp) && !(a & Anomaly.NotDecoded)) decoded++;
    if (!a) continue;
    let any = false;
    if (a & Anomaly.NotDecoded) { any = true; notDecoded++; }
    for (const [bit] of ANOMALY_KEYS) {
      if (!(a & bit)) continue;
      any = true;
      const e = counts.get(bit) ?? { count: 0, frames: [] };
      e.count++;
      if (e.frames.length < EXAMPLES) e.frames.push(i + 1);
      counts.set(bit, e);
    }
    if (a & Anomaly.IpLenBeyondCaptured && ipLenBeyondFrame(c, i)) {
      any = true;
      beyondFrame.count++;
      if (beyondFrame.frames.length < EXAMPLES) beyondFrame.frames.push(i + 1);
    }
    if (any) total++;
  }
  // Fragments of datagrams never reassembled (each row is in one datagram only).
  const frag = c.fragments;
  let fragOnly = 0;
  for (const row of frag.incompleteRows) if (!(c.anomalies[row] & COUNTED)) fragOnly++;
  total += fragOnly;
  if (!total) return frag.overlaps ? [overlapsOnly(c)] : [];
  const { details, frames } = notDecoded ? notDecodedLines(c, notDecoded) : { details: [], frames: [] };
  for (const [bit, key] of ANOMALY_KEYS) {
    const e = counts.get(bit);
    if (!e) continue;
    details.push({ key, params: { count: n(e.count), ...listParams('frames', e.frames) } });
    frames.push(...e.frames);
  }
  if (beyondFrame.count) {
    details.push({ key: 'caveat.anomaly.ipLenBeyondFrame', params: { count: n(beyondFrame.count), ...listParams('frames', beyondFrame.frames) } });
    frames.push(...beyondFrame.frames);
  }
  if (frag.incomplete) {
    const first = [...frag.incompleteRows].sort((x, y) => x - y).slice(0, EXAMPLES).map((r) => r + 1);
    details.push({ key: 'caveat.anomaly.fragment', params: { datagrams: n(frag.incomplete), count: n(frag.incompleteRows.length), ...listParams('frames', first) } });
    frames.push(...first);
  }
  if (frag.overlaps) details.push(overlapLine(c));
  const params = { count: n(total), packets: n(c.length), notDecoded: n(notDecoded), datagrams: n(frag.incomplete) };
  // No TCP or UDP could be read at all: the analysis saw nothing, and must say that is why it found nothing.
  const key: MessageKey = !decoded ? 'caveat.nothingDecoded'
    : notDecoded === total ? 'caveat.notDecoded'
      : fragOnly === total ? 'caveat.unreassembled'
        : notDecoded ? 'caveat.anomaliesNotDecoded' : 'caveat.anomalies';
  return [{
    kind: 'decode-anomalies', severity: 'warning', count: total,
    message: { key, params },
    // Every frame a line names (its first ones), so each is among the caveat's examples.
    details, frames: [...new Set(frames)].sort((a, b) => a - b),
  }];
}

/** Overlapping IP fragments: read, but with a choice made where their bytes disagree. */
function overlapLine(c: PacketColumns): Msg {
  const f = c.fragments;
  return { key: 'caveat.anomaly.fragmentOverlap', params: { count: n(f.overlaps), ...listParams('frames', f.overlapRows.map((r) => r + 1)) } };
}

/** Overlapping fragments and nothing else the decoder stumbled on: worth knowing, nothing missed. */
function overlapsOnly(c: PacketColumns): Caveat {
  const f = c.fragments;
  return {
    kind: 'decode-anomalies', severity: 'info', count: f.overlaps,
    message: { key: 'caveat.fragmentOverlaps', params: { count: n(f.overlaps) } },
    details: [overlapLine(c)], frames: f.overlapRows.map((r) => r + 1),
  };
}

export interface RenderedCaveat {
  kind: CaveatKind;
  severity: Caveat['severity'];
  text: string;
  details: string[];
}

export function renderCaveat(c: Caveat, lang: Lang): RenderedCaveat {
  return { kind: c.kind, severity: c.severity, text: translate(lang, c.message.key, c.message.params), details: c.details.map((d) => translate(lang, d.key, d.params)) };
}
