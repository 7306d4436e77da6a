/**
 * The worker's state and views, without the message plumbing: it reads a File (any Blob) through the
 * core, keeps the columns and the analysis, and answers the protocol's view requests. No DOM, so the
 * same code runs in a Web Worker and in Node tests.
 */
import { Fingerprinter, FINGERPRINT_SLICE_BYTES } from '../../src/share/fingerprint';
import { LINK_TYPE_NAMES } from '../../src/decode/linkTypes';
import {
  indexFramesByStream, packetRow, positionInStream, selectStreams, severityRank, streamDataSpans, streamRow,
  type StreamFindingCount, type StreamFrameIndex, type StreamRow,
} from '../../src/view/rows';
import type { Caveat as CaveatView, StreamFacts } from '../../src/diagnose/index';
import { splitFrameRefs } from '../../src/view/story';
import type { Core, CoreAnalysis, CoreFinding } from './core';
import { readRange } from './readRange';
import {
  PROGRESS_INTERVAL_MS, type CaptureSummaryView, type Direction, type FindingItem, type FindingView, type PacketDetailView,
  type ProgressView, type Request, type ResultMap, type Severity,
} from './protocol';

type Req<T extends Request['type']> = Extract<Request, { type: T }>;

const ENCAP_NAMES: [number, string][] = [[1, 'IPIP'], [2, '6in4'], [4, 'GRE'], [8, 'VXLAN'], [16, 'Geneve'], [32, 'VLAN']];
const MAX_PAGE = 5000;
/** Read size: the fingerprint's slice, big enough that per-read costs vanish, small enough to stay flat in memory. */
const READ_SLICE_BYTES = FINGERPRINT_SLICE_BYTES;

/** Interface indexes of Linux cooked v2 packets (a `-i any` capture), in ascending order. */
function sllIfIndexes(cols: CoreAnalysis['columns']): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < cols.length; i++) if (cols.sllIfIndex[i] >= 0) seen.add(cols.sllIfIndex[i]);
  return [...seen].sort((x, y) => x - y);
}

/** A finding's line in the list. */
function itemOf(f: CoreFinding, lang: string): FindingItem {
  return {
    id: f.id, kind: f.kind, severity: f.severity, stream: f.stream, ...(f.streams.length > 1 ? { streams: f.streams } : {}),
    dir: f.dir, frame: f.frames[0] ?? null, t0: f.t0, t1: f.t1, title: f.title(lang), ...(f.pathMtu ? { pathMtu: f.pathMtu } : {}),
  };
}

/** A diagnosis's findings by stream: a grouped finding under every stream it covers. */
function findingsByStream(d: Diagnosis): Map<number, CoreFinding[]> {
  if (d.byStream) return d.byStream;
  const by = new Map<number, CoreFinding[]>();
  for (const f of d.findings) {
    for (const s of f.streams) {
      const list = by.get(s);
      if (list) { if (list[list.length - 1] !== f) list.push(f); } else by.set(s, [f]);
    }
  }
  d.byStream = by;
  return by;
}

export class EngineError extends Error {
  constructor(readonly kind: 'no-capture' | 'bad-request' | 'read-failed', message: string) {
    super(message);
  }
}

/**
 * One MTU's diagnoses: the core's findings, most severe first, the list's lines per language, and
 * the per-stream numbers the stream table shows (the same the CLI reports).
 */
interface Diagnosis {
  mtu: number;
  findings: CoreFinding[];
  byId: Map<string, CoreFinding>;
  items: Map<string, FindingItem[]>;
  facts: (StreamFacts | undefined)[];
  /** The capture's caveats with what the diagnoses found (packets captured twice, data never captured). */
  caveats: CaveatView[];
  /** The findings of each stream, a grouped finding under each of its streams: made when first asked. */
  byStream: Map<number, CoreFinding[]> | null;
}

/**
 * Diagnoses kept: the one shown and the one before (opening at a chosen MTU diagnoses at the
 * inferred one too; a snapshot may ask for either). A third MTU diagnoses again.
 */
const DIAGNOSES_KEPT = 2;

interface Loaded {
  file: Blob;
  analysis: CoreAnalysis;
  summary: CaptureSummaryView;
  t0: number;
  index: StreamFrameIndex;
  /** Most recent first. */
  diagnoses: Diagnosis[];
  /** The diagnosis of the last list asked for: the stream table counts its findings. */
  shown: Diagnosis | null;
  rows: StreamRow[] | null;
  /** When each direction of each stream sent data (streamDataSpans): made once, with the first rows. */
  spans: Float64Array | null;
  order: { key: string; positions: number[] } | null;
}

export class AnalysisEngine {
  private loaded: Loaded | null = null;
  private cancelRequested = false;

  constructor(private readonly core: Core) {}

  cancel(): boolean {
    this.cancelRequested = true;
    return true;
  }

  /** Read the whole file (or until cancelled), analyse it, diagnose with the given MTU. */
  async open(file: Blob & { name?: string }, mtu: number, lang: string, onProgress: (p: ProgressView) => void): Promise<CaptureSummaryView> {
    this.loaded = null;
    this.cancelRequested = false;
    const run = this.core.start(file.size);
    const started = Date.now();
    let bytes = 0;
    let lastReport = started;
    const report = () => {
      const elapsedMs = Date.now() - started;
      const packets = run.packets();
      onProgress({ bytes, totalBytes: file.size, packets, packetsPerSecond: elapsedMs > 0 ? (packets * 1000) / elapsedMs : 0, elapsedMs });
    };
    report();
    // The permalink fingerprint (src/share/fingerprint.ts), hashed as the slices go by: no second pass.
    const fingerprinter = new Fingerprinter();
    // Fixed slices read with Blob.slice, the next one already requested while the core parses this
    // one: file reading overlaps parsing, and the slices match the fingerprint's (no copying there).
    const read = (at: number) => (at < file.size ? file.slice(at, Math.min(file.size, at + READ_SLICE_BYTES)).arrayBuffer() : null);
    try {
      let next = read(0);
      while (next) {
        const value = new Uint8Array(await next);
        // A file that shrank since it was chosen ends early rather than loop.
        next = value.byteLength > 0 ? read(bytes + value.byteLength) : null;
        run.push(value);
        await fingerprinter.update(value);
        bytes += value.byteLength;
        const now = Date.now();
        if (now - lastReport >= PROGRESS_INTERVAL_MS) {
          lastReport = now;
          report();
          // A macrotask pause lets a Cancel message in; reading alone may only yield microtasks.
          await new Promise((r) => setTimeout(r, 0));
        }
        if (this.cancelRequested) {
          next?.catch(() => undefined);
          break;
        }
      }
    } catch (e) {
      throw new EngineError('read-failed', e instanceof Error ? e.message : String(e));
    }
    report();
    const analysis = run.finish({ stopped: this.cancelRequested });
    const cols = analysis.columns;
    const t0 = cols.length > 0 ? cols.time(0) : 0;
    const stream = analysis.tcp.stream;
    const index = indexFramesByStream((i) => stream[i], cols.length, analysis.tcp.streams.length);
    this.loaded = {
      file, analysis, t0, index, diagnoses: [], shown: null, rows: null, spans: null, order: null,
      // A cancelled read hashed only part of the file: no fingerprint rather than a wrong one.
      summary: { ...this.buildSummary(file, analysis, bytes, index), fingerprint: this.cancelRequested ? '' : await fingerprinter.digestHex() },
    };
    this.findings(mtu, lang);
    return this.loaded.summary;
  }

  private need(): Loaded {
    if (!this.loaded) throw new EngineError('no-capture', 'no capture is loaded');
    return this.loaded;
  }

  private buildSummary(file: Blob & { name?: string }, a: CoreAnalysis, bytesRead: number, index: StreamFrameIndex): CaptureSummaryView {
    const cols = a.columns;
    const n = cols.length;
    return {
      fileName: file.name ?? 'capture',
      fileSize: file.size,
      format: a.compressed ? `${a.format} (gzip)` : a.format,
      linkTypes: a.linkTypes.map((lt) => ({ linkType: lt, name: LINK_TYPE_NAMES[lt] ?? `link type ${lt}` })),
      interfaces: a.interfaces.map((i) => ({ id: i.id, name: i.name, linkType: i.linkType })),
      sllIfIndexes: sllIfIndexes(cols),
      packets: n,
      tcpPackets: index.frames.length,
      firstTime: n ? cols.time(0) : 0,
      lastTime: n ? cols.time(n - 1) : 0,
      streams: a.tcp.streams.length,
      problemStreams: 0,
      tunnels: ENCAP_NAMES.filter(([bit]) => a.encaps & bit).map(([, name]) => name),
      warnings: a.warnings.map((w) => ({ ...w })),
      caveats: a.caveats,
      bytesRead,
      cancelled: this.cancelRequested,
      analysisAvailable: true,
    };
  }

  summary(): ResultMap['summary'] {
    return { summary: this.loaded?.summary ?? null };
  }

  /** This MTU's diagnoses, from the cache or run now. */
  private diagnosis(l: Loaded, mtu: number): Diagnosis {
    const kept = l.diagnoses.find((d) => d.mtu === mtu);
    if (kept) {
      l.diagnoses = [kept, ...l.diagnoses.filter((d) => d !== kept)];
      return kept;
    }
    const { findings, streams: facts, caveats } = l.analysis.diagnose(mtu);
    findings.sort((x, y) => severityRank(y.severity) - severityRank(x.severity) || x.stream - y.stream);
    const d: Diagnosis = { mtu, findings, byId: new Map(findings.map((f) => [f.id, f])), items: new Map(), facts, caveats, byStream: null };
    l.diagnoses = [d, ...l.diagnoses].slice(0, DIAGNOSES_KEPT);
    return d;
  }

  /**
   * The findings list at this MTU, titles in this language; most severe first, then by stream.
   * Diagnoses again only for an MTU not seen lately; a language switch only renders the titles.
   */
  findings(mtu: number, lang: string): ResultMap['findings'] {
    const l = this.need();
    const d = this.diagnosis(l, mtu);
    if (l.shown !== d) {
      l.shown = d;
      l.rows = null;
      l.order = null;
      l.summary = { ...l.summary, problemStreams: [...findingsByStream(d).keys()].filter((s) => s >= 0).length, caveats: d.caveats };
    }
    let items = d.items.get(lang);
    if (!items) {
      items = d.findings.map((f) => itemOf(f, lang));
      d.items.set(lang, items);
    }
    return { findings: items };
  }

  /** One finding in full: story, remedy, numbers, every evidence frame. */
  finding(id: string, mtu: number, lang: string): ResultMap['finding'] {
    const l = this.need();
    const f = this.diagnosis(l, mtu).byId.get(id);
    return { finding: f ? this.fullView(l, f, lang) : null };
  }

  /** The findings of one stream in full (the stream view's analysis text). */
  streamFindings(stream: number, mtu: number, lang: string): ResultMap['streamFindings'] {
    const l = this.need();
    this.checkStream(l, stream);
    const of = findingsByStream(this.diagnosis(l, mtu)).get(stream) ?? [];
    return { findings: of.map((f) => this.fullView(l, f, lang)) };
  }

  private fullView(l: Loaded, f: CoreFinding, lang: string): FindingView {
    const maxFrame = l.analysis.columns.length;
    const split = (p: string) => splitFrameRefs(p, maxFrame);
    const text = f.text(lang);
    return {
      ...itemOf(f, lang), title: text.title, frames: f.frames, numbers: f.numbers(),
      story: text.paragraphs.map(split), remedy: text.remedy.map(split),
    };
  }

  private streamRows(l: Loaded): StreamRow[] {
    if (l.rows) return l.rows;
    const per = new Map<number, StreamFindingCount>();
    const shown = l.shown;
    if (shown) {
      for (const [stream, list] of findingsByStream(shown)) {
        let worst: Severity | null = null;
        for (const f of list) if (severityRank(f.severity) > severityRank(worst)) worst = f.severity;
        per.set(stream, { count: list.length, worst });
      }
    }
    const cols = l.analysis.columns, tcp = l.analysis.tcp;
    // Rows are rebuilt when the findings change; the data spans depend on the packets only.
    const spans = (l.spans ??= streamDataSpans(cols, tcp, tcp.streams.length));
    // Retransmissions and holes as the diagnoses counted them from each segment's fate (the CLI's numbers).
    const counts = (i: number) => {
      const f = shown?.facts[i];
      return f ? { retrans: f.retransmitted, holes: f.holes } : undefined;
    };
    l.rows = tcp.streams.map((s) => streamRow(s, cols, l.t0, per.get(s.index), counts(s.index), spans));
    return l.rows;
  }

  streams(r: Req<'streams'>): ResultMap['streams'] {
    const l = this.need();
    const rows = this.streamRows(l);
    const key = JSON.stringify([r.sort, r.filter, r.problemsOnly]);
    if (!l.order || l.order.key !== key) l.order = { key, positions: selectStreams(rows, r) };
    const pos = l.order.positions;
    const from = Math.max(0, Math.min(r.from, pos.length));
    const count = Math.max(0, Math.min(r.count, MAX_PAGE));
    return { total: pos.length, rows: pos.slice(from, from + count).map((p) => rows[p]) };
  }

  private checkStream(l: Loaded, stream: number): void {
    if (!Number.isInteger(stream) || stream < 0 || stream >= l.analysis.tcp.streams.length) throw new EngineError('bad-request', `there is no TCP stream ${stream}`);
  }

  packetRows(r: Req<'packetRows'>): ResultMap['packetRows'] {
    const l = this.need();
    this.checkStream(l, r.stream);
    const start = l.index.offsets[r.stream];
    const total = l.index.offsets[r.stream + 1] - start;
    const from = Math.max(0, Math.min(r.from, total));
    const end = Math.min(total, from + Math.max(0, Math.min(r.count, MAX_PAGE)));
    const rows = [];
    for (let p = from; p < end; p++) rows.push(packetRow(l.analysis.columns, l.analysis.tcp, l.index.frames[start + p], r.mtu, l.t0));
    return { total, rows };
  }

  locateFrame(frame: number): ResultMap['locateFrame'] {
    const l = this.need();
    const row = frame - 1;
    const tcp = l.analysis.tcp;
    if (!Number.isInteger(row) || row < 0 || row >= l.analysis.columns.length) return null;
    const stream = tcp.stream[row];
    if (stream < 0) return null;
    const dir: Direction = tcp.dir[row] ? 1 : 0;
    return { stream, position: positionInStream(l.index, stream, row), dir, time: l.analysis.columns.time(row) - l.t0 };
  }

  /**
   * Re-read one packet's bytes from the file by its offset and decode its headers; with why
   * Wireshark's rules flagged it and what became of it (its fate, in `lang`).
   */
  async packetDetail(frame: number, lang = 'en'): Promise<ResultMap['packetDetail']> {
    const l = this.need();
    const cols = l.analysis.columns;
    const row = frame - 1;
    if (!Number.isInteger(row) || row < 0 || row >= cols.length) throw new EngineError('bad-request', `there is no frame ${frame}`);
    const off = cols.fileOffset[row] + cols.dataDelta[row];
    const len = cols.capLen[row];
    const bytes = await readRange(l.file, off, len, l.analysis.compressed);
    const iface = l.analysis.interfaces.find((i) => i.id === cols.iface[row]);
    let layers: PacketDetailView['layers'] = [];
    let note: string | null = null;
    try {
      layers = this.core.decodeDetail(bytes, iface?.linkType ?? 1, iface?.fcsLen ?? 0);
    } catch (e) {
      note = e instanceof Error ? e.message : String(e);
    }
    const why = l.analysis.tcp.explain(row).map((w) => ({ flag: w.flag, rule: w.rule, text: w.text, values: w.values }));
    const fate = l.analysis.fate(row, lang);
    const detail: PacketDetailView = {
      frame, capturedLength: len, originalLength: cols.origLen[row], layers, why, bytes, note,
      fate: fate ? { key: fate.key, parts: splitFrameRefs(fate.text, cols.length) } : null,
    };
    return { detail };
  }

  streamSeries(r: Req<'streamSeries'>): ResultMap['streamSeries'] {
    const l = this.need();
    this.checkStream(l, r.stream);
    return { series: l.analysis.series({ stream: r.stream, dir: r.dir, t0: r.t0, t1: r.t1, pixels: r.pixels, mtu: r.mtu }) };
  }
}
