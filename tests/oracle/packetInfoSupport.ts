/**
 * The packet list's Protocol and Info columns against tshark's `_ws.col.Protocol` and `_ws.col.Info`.
 * tshark's columns are kept in tests/fixtures/packetInfo/tshark-columns.tsv.gz (made by
 * `npx tsx scripts/packet-info-oracle.ts gen`), ours are made in-process: the whole file in memory,
 * each row's bytes decoded where the list would re-read them (needsFrame).
 *
 * Compared: Protocol on every frame; Info on the frames tshark names TCP, ICMP, ICMPv6, ARP, DNS,
 * MDNS or LLMNR (what we decode), tshark's " [TCP segment of a reassembled PDU]" suffix (an
 * application-layer reassembly we do not do) taken off first and counted.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'fflate';
import { openAnalysis } from '../../src/analysis';
import { decodeDetail } from '../../src/decode/index';
import { echoKey, echoRequestCandidates, isEchoReply, needsFrame, rowText, type FrameView, type ListSource } from '../../src/view/index';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(HERE, '..', '..', '..', 'shared');
export const FIXTURE = path.resolve(HERE, '..', 'fixtures', 'packetInfo', 'tshark-columns.tsv.gz');

/** Captures compared, relative to ../shared. */
export function oracleCaptures(shared = SHARED): string[] {
  const out: string[] = [];
  const caps = path.join(shared, 'captures');
  if (existsSync(caps)) {
    for (const f of readdirSorted(caps)) if (/\.(pcap|pcapng)$/.test(f)) out.push(`captures/${f}`);
  }
  const zeek = path.join(shared, 'realworld', 'zeek');
  if (existsSync(zeek)) {
    for (const f of readdirSorted(zeek)) {
      if (/^(arp|linuxsll-arp|snap-arp|dns|icmp_|ipv6-fragmented-dns|ticks-dns)/.test(f) && /\.(pcap|pcapng)$/.test(f)) out.push(`realworld/zeek/${f}`);
    }
    for (const sub of ['dns', 'icmp']) {
      for (const f of readdirSorted(path.join(zeek, sub))) if (/\.(pcap|pcapng)$/.test(f)) out.push(`realworld/zeek/${sub}/${f}`);
    }
  }
  return out;
}

function readdirSorted(d: string): string[] {
  return existsSync(d) ? readdirSync(d).sort() : [];
}

export interface TsharkColumns {
  file: string;
  /** Per frame (index = frame − 1): Protocol and Info. */
  protocol: string[];
  info: string[];
}

export function readFixture(file = FIXTURE): TsharkColumns[] {
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(file))));
  const out: TsharkColumns[] = [];
  let cur: TsharkColumns | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      cur = { file: line.slice(1), protocol: [], info: [] };
      out.push(cur);
      continue;
    }
    const tab = line.indexOf('\t');
    cur!.protocol.push(line.slice(0, tab));
    cur!.info.push(line.slice(tab + 1));
  }
  return out;
}

/** Our Protocol and Info of every frame of a capture. */
export function ourColumns(file: string): { protocol: string[]; info: string[] } {
  let data = new Uint8Array(readFileSync(file));
  const run = openAnalysis({ expectedBytes: data.length });
  run.push(data);
  const a = run.finish();
  if (a.compressed) data = gunzipSync(data);
  const src: ListSource = { cols: a.columns, tcp: a.tcp };
  const cols = a.columns;
  const protocol: string[] = [], info: string[] = [];
  const frameOf = (r: number): FrameView => {
    const off = cols.fileOffset[r] + cols.dataDelta[r];
    const bytes = data.subarray(off, off + cols.capLen[r]);
    const iface = a.interfaces[cols.iface[r]];
    const fcsLen = iface ? Math.max(0, Math.min(iface.fcsLen - (cols.origLen[r] - cols.capLen[r]), bytes.length)) : 0;
    let layers: ReturnType<typeof decodeDetail> = [];
    try { layers = decodeDetail(bytes, iface?.linkType ?? 1, fcsLen); } catch { layers = []; }
    return { bytes, layers };
  };
  for (let r = 0; r < cols.length; r++) {
    let frame: FrameView | null = null;
    if (needsFrame(cols, r)) {
      frame = frameOf(r);
      if (isEchoReply(cols, r)) {
        const key = echoKey(cols, r, frame);
        const req = echoRequestCandidates(cols, r).find((c) => echoKey(cols, c, frameOf(c)) === key);
        if (key >= 0 && req !== undefined) frame.requestIn = req + 1;
      }
    }
    const t = rowText(src, r, frame);
    protocol.push(t.protocol);
    info.push(t.info);
  }
  return { protocol, info };
}

export const INFO_PROTOCOLS = new Set(['TCP', 'ICMP', 'ICMPv6', 'ARP', 'DNS', 'MDNS', 'LLMNR']);
const REASSEMBLY = ' [TCP segment of a reassembled PDU]';

export interface Agreement {
  frames: number;
  protocolSame: number;
  /** Per tshark protocol of the Info comparison: frames, equal. */
  info: Map<string, { frames: number; same: number }>;
  /** Frames whose tshark Info carried the reassembly suffix. */
  reassemblySuffix: number;
  /** Examples of differences: file, frame, ours, tshark's. */
  examples: { file: string; frame: number; kind: 'protocol' | 'info'; ours: string; theirs: string }[];
}

export function emptyAgreement(): Agreement {
  return { frames: 0, protocolSame: 0, info: new Map(), reassemblySuffix: 0, examples: [] };
}

export function compare(acc: Agreement, file: string, ours: { protocol: string[]; info: string[] }, theirs: TsharkColumns, maxExamples = 400): void {
  const n = Math.min(ours.protocol.length, theirs.protocol.length);
  for (let i = 0; i < n; i++) {
    acc.frames++;
    const tp = theirs.protocol[i];
    if (ours.protocol[i] === tp) acc.protocolSame++;
    else if (acc.examples.length < maxExamples) acc.examples.push({ file, frame: i + 1, kind: 'protocol', ours: ours.protocol[i], theirs: tp });
    if (!INFO_PROTOCOLS.has(tp)) continue;
    let ti = theirs.info[i];
    if (ti.endsWith(REASSEMBLY)) { ti = ti.slice(0, -REASSEMBLY.length); acc.reassemblySuffix++; }
    const e = acc.info.get(tp) ?? { frames: 0, same: 0 };
    e.frames++;
    if (ours.info[i] === ti) e.same++;
    else if (acc.examples.length < maxExamples) acc.examples.push({ file, frame: i + 1, kind: 'info', ours: ours.info[i], theirs: ti });
    acc.info.set(tp, e);
  }
}

export function formatAgreement(a: Agreement): string {
  const pct = (x: number, n: number) => (n ? ((100 * x) / n).toFixed(2) : '—');
  const lines = [`Protocol: ${a.protocolSame}/${a.frames} frames equal (${pct(a.protocolSame, a.frames)} %)`];
  let f = 0, s = 0;
  for (const [p, e] of [...a.info].sort()) {
    lines.push(`Info ${p.padEnd(7)}: ${e.same}/${e.frames} (${pct(e.same, e.frames)} %)`);
    f += e.frames; s += e.same;
  }
  lines.push(`Info all   : ${s}/${f} (${pct(s, f)} %); tshark's reassembly suffix taken off on ${a.reassemblySuffix} frames`);
  return lines.join('\n');
}
