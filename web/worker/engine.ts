/**
 * The worker's state and views, without the message plumbing: it reads a File (any Blob) through the
 * core, keeps the columns and the analysis, and answers the protocol's view requests. No DOM, so the
 * same code runs in a Web Worker and in Node tests.
 */
import { asFrame, asStreamId, frameOf, rowOf } from '../../src/index';
import { Fingerprinter, FINGERPRINT_SLICE_BYTES } from '../../src/share/index';
import {
  packetRow, positionInStream, selectStreams, splitFrameRefs, type StreamRowIndex, type StreamRow,
} from '../../src/view/index';
import type { Caveat as CaveatView } from '../../src/diagnose/index';
import type { Core, CoreAnalysis, CoreDiagnosis, CoreFinding } from './core';
import { readRange } from './readRange';
import {
  PROGRESS_INTERVAL_MS, type CaptureSummaryView, type Direction, type FindingItem, type FindingView, type PacketDetailView,
  type ProgressView, type Request, type ResultMap,
} from './protocol';

type Req<T extends Request['type']> = Extract<Request, { type: T }>;

const MAX_PAGE = 5000;
/** Read size: the fingerprint's slice, big enough that per-read costs vanish, small enough to stay flat in memory. */
const READ_SLICE_BYTES = FINGERPRINT_SLICE_BYTES;

/** A finding's line in the list. */
function itemOf(f: CoreFinding, lang: string): FindingItem {
  return {
    id: f.id, kind: f.kind, severity: f.severity, stream: f.stream, ...(f.streams.length > 1 ? { streams: f.streams } : {}),
    dir: f.dir, frame: f.frames[0] ?? null, t0: f.t0, t1: f.t1, title: f.title(lang), ...(f.pathMtu ? { pathMtu: f.pathMtu } : {}),
  };
}

export class EngineError extends Error {
  constructor(readonly kind: 'no-capture' | 'bad-request' | 'read-failed', message: string) {
    super(message);
  }
}

/**
 * One MTU's diagnosis as the engine presents it: the analysis's findings (in its order, the CLI's),
 * found by id, and the list's lines per language.
 */
interface Diagnosis {
  mtu: number;
  core: CoreDiagnosis;
  byId: Map<string, CoreFinding>;
  items: Map<string, FindingItem[]>;
  /** The capture's caveats with what the diagnoses found (packets captured twice, data never captured). */
  caveats: CaveatView[];
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
  index: StreamRowIndex;
  /** Most recent first. */
  diagnoses: Diagnosis[];
  /** The diagnosis of the last list asked for: the stream table counts its findings. */
  shown: Diagnosis | null;
  rows: StreamRow[] | null;
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
    // The analysis's per-stream rows (the chart reads the same): a stream's packet list is a slice of it.
    const rows = analysis.streamIndex();
    const index: StreamRowIndex = { offsets: rows.offsets, rows: rows.rows };
    this.loaded = {
      file, analysis, t0, index, diagnoses: [], shown: null, rows: null, order: null,
      // A cancelled read hashed only part of the file: no fingerprint rather than a wrong one.
      summary: { ...this.buildSummary(file, analysis, bytes), fingerprint: this.cancelRequested ? '' : await fingerprinter.digestHex() },
    };
    this.findings(mtu, lang);
    return this.loaded.summary;
  }

  private need(): Loaded {
    if (!this.loaded) throw new EngineError('no-capture', 'no capture is loaded');
    return this.loaded;
  }

  /** The analysis's summary (the CLI's `capture`), with what only the app shows. */
  private buildSummary(file: Blob & { name?: string }, a: CoreAnalysis, bytesRead: number): CaptureSummaryView {
    const sum = a.summary();
    return {
      fileName: file.name ?? 'capture',
      fileSize: file.size,
      format: sum.compressed ? `${sum.format} (gzip)` : sum.format,
      linkTypes: sum.linkTypes.map((linkType, i) => ({ linkType, name: sum.linkTypeNames[i] })),
      interfaces: sum.interfaces,
      sllIfIndexes: sum.sllIfIndexes,
      packets: sum.packets,
      tcpPackets: sum.tcpPackets,
      firstTime: sum.firstTime,
      lastTime: sum.lastTime,
      streams: sum.streams,
      problemStreams: 0,
      tunnels: sum.tunnels,
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
    const core = l.analysis.diagnose(mtu);
    const d: Diagnosis = { mtu, core, byId: new Map(core.findings.map((f) => [f.id, f])), items: new Map(), caveats: core.caveats };
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
      l.summary = { ...l.summary, problemStreams: d.core.problemStreams, caveats: d.caveats };
    }
    let items = d.items.get(lang);
    if (!items) {
      items = d.core.findings.map((f) => itemOf(f, lang));
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
    const of = this.diagnosis(l, mtu).core.byStream.get(stream) ?? [];
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

  /** The analysis's stream table at the MTU of the list shown (its findings are the ones counted). */
  private streamRows(l: Loaded): StreamRow[] {
    return (l.rows ??= l.analysis.streamTable(l.shown?.mtu ?? 0));
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
    for (let p = from; p < end; p++) rows.push(packetRow(l.analysis.columns, l.analysis.tcp, l.index.rows[start + p], r.mtu, l.t0));
    return { total, rows };
  }

  /** `frame`: as the message carries it, checked here. */
  locateFrame(frame: number): ResultMap['locateFrame'] {
    const l = this.need();
    const row = rowOf(asFrame(frame));
    const tcp = l.analysis.tcp;
    if (!Number.isInteger(row) || row < 0 || row >= l.analysis.columns.length) return null;
    const stream = asStreamId(tcp.stream[row]);
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
    const row = rowOf(asFrame(frame));
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
      frame: frameOf(row), capturedLength: len, originalLength: cols.origLen[row], layers, why, bytes, note,
      fate: fate ? { key: fate.key, parts: splitFrameRefs(fate.text, cols.length) } : null,
    };
    return { detail };
  }

  /** A stream's numbers, healthy or not (the stream view's "Numbers"). */
  streamStats(stream: number): ResultMap['streamStats'] {
    const l = this.need();
    this.checkStream(l, stream);
    return { stats: l.analysis.streamStats(stream) };
  }

  streamSeries(r: Req<'streamSeries'>): ResultMap['streamSeries'] {
    const l = this.need();
    this.checkStream(l, r.stream);
    return { series: l.analysis.series({ stream: asStreamId(r.stream), dir: r.dir, t0: r.t0, t1: r.t1, pixels: r.pixels, mtu: r.mtu }) };
  }
}
