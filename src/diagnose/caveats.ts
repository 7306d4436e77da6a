/**
 * Analysis caveats: what about the capture itself limits what the analysis can say, in words, so a
 * reader never trusts a number the capture cannot back. Unlike findings they are not about the
 * network: a capture started mid-connection, packets seen twice, drops on the capturing side,
 * packets the decoder could not read, and the reader's warnings (damage, memory limit).
 * Like findings they hold message keys and parameters, rendered in any language by renderCaveat().
 */
import { groupThousands } from '../capture/messages';
import { Anomaly, TcpFlag } from '../decode/columns';
import { translate, type Lang, type MessageKey } from '../i18n/index';
import { warningMsg, warningParams } from '../i18n/warnings';
import { assignStreams, buildStreams } from './streams';
import { listParams } from './text';
import type { DiagnoseInput, Msg } from './types';

export type CaveatKind = 'memory-limit' | 'reader-warnings' | 'capture-drops' | 'mid-connection' | 'duplicate-capture' | 'decode-anomalies';

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
}

const EXAMPLES = 5;
const n = (x: number) => groupThousands(x);

/** Decoder anomalies worth a caveat, in the order shown (a snap length shorter than the packet is not one). */
const ANOMALY_KEYS: [Anomaly, MessageKey][] = [
  [Anomaly.UnknownLinkType, 'caveat.anomaly.linkType'],
  [Anomaly.Truncated, 'caveat.anomaly.truncated'],
  [Anomaly.BadIpHeader, 'caveat.anomaly.badIp'],
  [Anomaly.BadTcpHeader, 'caveat.anomaly.badTcpHeader'],
  [Anomaly.BadTcpOptions, 'caveat.anomaly.badTcpOptions'],
  [Anomaly.Fragment, 'caveat.anomaly.fragment'],
  [Anomaly.TunnelTooDeep, 'caveat.anomaly.tunnelTooDeep'],
];

const MEMORY_KEYS: Record<string, MessageKey> = {
  'capture.memoryLimit': 'caveat.memoryLimit',
  'capture.packetLimit': 'caveat.packetLimit',
  'capture.memoryRefused': 'caveat.memoryRefused',
};

/** Every caveat of a capture, most consequential first; empty for a clean, complete capture. */
export function caveats(input: CaveatInput): Caveat[] {
  return [...readerCaveats(input), ...dropCaveats(input), ...midConnection(input), ...duplicates(input), ...anomalies(input)];
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

function endpoint(input: CaveatInput, addr: number, port: number): string {
  const t = input.cols.addresses.text[addr] ?? '?';
  return input.cols.addresses.family[addr] === 6 ? `[${t}]:${port}` : `${t}:${port}`;
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
  for (let i = 0; i < c.length && points.size < 2; i++) points.add(pointOf(input, i));
  if (points.size < 2) return []; // one capture point: nothing can be seen twice
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
    message: { key: 'caveat.duplicates', params: { count: n(copies), points: points.size } },
    details: [{ key: 'caveat.duplicatesFrames', params: { count: Math.min(EXAMPLES, frames.length), ...listParams('frames', frames.slice(0, EXAMPLES)) } }],
    frames: frames.slice(0, EXAMPLES),
  }];
}

function anomalies(input: CaveatInput): Caveat[] {
  const c = input.cols;
  const counts = new Map<Anomaly, { count: number; frames: number[] }>();
  let total = 0;
  for (let i = 0; i < c.length; i++) {
    const a = c.anomalies[i];
    if (!a) continue;
    let any = false;
    for (const [bit] of ANOMALY_KEYS) {
      if (!(a & bit)) continue;
      any = true;
      const e = counts.get(bit) ?? { count: 0, frames: [] };
      e.count++;
      if (e.frames.length < EXAMPLES) e.frames.push(i + 1);
      counts.set(bit, e);
    }
    if (any) total++;
  }
  if (!total) return [];
  const details: Msg[] = [];
  const frames: number[] = [];
  for (const [bit, key] of ANOMALY_KEYS) {
    const e = counts.get(bit);
    if (!e) continue;
    details.push({ key, params: { count: n(e.count), ...listParams('frames', e.frames) } });
    frames.push(...e.frames);
  }
  return [{
    kind: 'decode-anomalies', severity: 'warning', count: total,
    message: { key: 'caveat.anomalies', params: { count: n(total) } },
    details, frames: [...new Set(frames)].sort((a, b) => a - b).slice(0, EXAMPLES),
  }];
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
