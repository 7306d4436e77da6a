/**
 * The worker's state and views, without the message plumbing: it reads a File (any Blob) through the
 * core, keeps the columns and the analysis, and answers the protocol's view requests. No DOM, so the
 * same code runs in a Web Worker and in Node tests.
 */
import { asFrame, asRow, asStreamId, frameOf, rowOf, type FollowTarget } from '../../src/index';
import { blobRead, captureBytes, type CaptureBytes } from '../../src/capture/index';
import { joinedDnsOf, withAppLayers, withJoinedDns } from '../../src/decode/index';
import { Fingerprinter, FINGERPRINT_SLICE_BYTES } from '../../src/share/index';
import {
  GRAPH_KINDS, echoKey, echoRequestCandidates, isEchoReply, needsFrame, packetListRow, packetRow, positionInList, positionInStream, selectStreams,
  sortPacketList, splitFrameRefs, type FrameView, type ListSource, type StreamRowIndex, type StreamRow,
} from '../../src/view/index';
import type { Caveat as CaveatView } from '../../src/diagnose/index';
import type { Core, CoreAnalysis, CoreDiagnosis, CoreFinding } from './core';
import { readRange, readRanges } from './readRange';
import { UdpViews } from './udpViews';
import {
  PROGRESS_INTERVAL_MS, type CaptureSummaryView, type Direction, type FindingItem, type FindingView, type PacketDetailView,
  type FollowChunkView, type FollowTargetView, type PacketListQuery, type PacketListRowView, type ProgressView,
  type Request, type ResultMap,
} from './protocol';

type Req<T extends Request['type']> = Extract<Request, { type: T }>;

const MAX_PAGE = 5000;
/** Read size: the fingerprint's slice, big enough that per-read costs vanish, small enough to stay flat in memory. */
const READ_SLICE_BYTES = FINGERPRINT_SLICE_BYTES;

/** Most rows of the list of every packet in one page (their bytes may be re-read: keep it small). */
const MAX_LIST_PAGE = 500;

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
  /** The list of every packet: its last order (by sort and filter) and the displayed rows it came from. */
  list: { key: string; order: Uint32Array; displayed: Uint32Array | null; filterError?: string } | null;
  /** The capture's bytes by offset (follow stream, export), made when first needed. */
  bytes: CaptureBytes | null;
  /** The stream table's last display filter: the streams with a matching packet (1 per stream), or why it failed. */
  streamMask: { filter: string; mask: Uint8Array | null; error?: string } | null;
  /** The UDP conversation list's views, made when first asked. */
  udp?: UdpViews;
}

/** Most payload bytes of one page of a followed stream. */
const MAX_FOLLOW_PAGE = 1 << 20;
/** Plan entries read per pass while looking for the chunks of one direction. */
const FOLLOW_SCAN_BYTES = 1 << 20;

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
    this.maskRun = null;
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
      file, analysis, t0, index, diagnoses: [], shown: null, rows: null, order: null, list: null, bytes: null, streamMask: null,
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

  private udpViews(l: Loaded): UdpViews {
    return (l.udp ??= new UdpViews(l.analysis.analysis, l.file, l.analysis.compressed));
  }

  /** A page of the UDP conversations (src/view/udp.ts). */
  udpConversations(r: Req<'udpConversations'>): Promise<ResultMap['udpConversations']> {
    return this.udpViews(this.need()).page(r);
  }

  /** One UDP conversation: its line, timeline, and the findings citing its packets, in full. */
  udpConversation(r: Req<'udpConversation'>): ResultMap['udpConversation'] {
    const l = this.need();
    const v = this.udpViews(l);
    const got = v.conversation(r.conversation, r.pixels);
    const frames = v.frames(r.conversation);
    if (!got || !frames) return { view: null };
    const cited = this.diagnosis(l, r.mtu).core.findings.filter((f) => f.frames.some((fr) => frames.has(fr)));
    return { view: { ...got, findings: cited.map((f) => this.fullView(l, f, r.lang)) } };
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

  /**
   * A page of the stream table. With a display filter (`display`), only the streams having a matching
   * packet: run with `streamsFiltered`, which reads the frames the filter needs first.
   */
  streams(r: Req<'streams'>): ResultMap['streams'] {
    const l = this.need();
    const display = r.display?.trim() ?? '';
    if (display && l.streamMask?.filter !== display) throw new EngineError('bad-request', 'the display filter has not been run');
    return this.streamPage(l, r, display ? l.streamMask : null);
  }

  private streamPage(l: Loaded, r: Req<'streams'>, m: Loaded['streamMask']): ResultMap['streams'] {
    const rows = this.streamRows(l);
    const mask = m?.mask ?? null;
    const key = JSON.stringify([r.sort, r.filter, r.problemsOnly, mask ? m?.filter : '']);
    if (!l.order || l.order.key !== key) {
      const all = selectStreams(rows, r);
      l.order = { key, positions: mask ? all.filter((p) => mask[rows[p].index] === 1) : all };
    }
    const pos = l.order.positions;
    const from = Math.max(0, Math.min(r.from, pos.length));
    const count = Math.max(0, Math.min(r.count, MAX_PAGE));
    return { total: pos.length, rows: pos.slice(from, from + count).map((p) => rows[p]), ...(m?.error ? { filterError: m.error } : {}) };
  }

  /** The display filter being run for the stream table (pages asked meanwhile wait for the same run). */
  private maskRun: { filter: string; done: Promise<NonNullable<Loaded['streamMask']>> } | null = null;

  /** The stream table's page, the display filter run first when it is new (its frames re-read from the File). */
  async streamsFiltered(r: Req<'streams'>): Promise<ResultMap['streams']> {
    const l = this.need();
    const display = r.display?.trim() ?? '';
    if (!display) return this.streamPage(l, r, null);
    if (l.streamMask?.filter === display) return this.streamPage(l, r, l.streamMask);
    if (this.maskRun?.filter !== display) {
      const done = (async () => {
        try {
          const res = await l.analysis.analysis.filterFetching(display, async (rows) => {
            const list = Array.from(rows);
            const got = await readRanges(l.file, list.map((x) => l.analysis.analysis.frameRange(asRow(x))), l.analysis.compressed);
            return new Map(list.map((x, k) => [x, got[k]]));
          });
          return { filter: display, mask: res.streams() };
        } catch (e) {
          return { filter: display, mask: null, error: e instanceof Error ? e.message : String(e) };
        }
      })();
      this.maskRun = { filter: display, done };
    }
    const m = await this.maskRun.done;
    if (this.loaded !== l) throw new EngineError('no-capture', 'another capture was opened');
    l.streamMask = m;
    return this.streamPage(l, r, m);
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
      // ARP and LLMNR, which the detail decoder leaves as data, read as layers of their own (DNS is the decoder's).
      layers = withAppLayers(this.core.decodeDetail(bytes, iface?.linkType ?? 1, iface?.fcsLen ?? 0), bytes);
      // A DNS message this frame completes but does not hold whole (joined TCP segments, a reassembled datagram).
      const j = joinedDnsOf(cols, row);
      if (j) layers = withJoinedDns(layers, j.msg, j.tcp, j.mdns, j.ports);
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

  /** A stream graph (throughput, RTT or window) of one direction, decimated like the series. */
  streamGraph(r: Req<'streamGraph'>): ResultMap['streamGraph'] {
    const l = this.need();
    this.checkStream(l, r.stream);
    if (!GRAPH_KINDS.includes(r.kind)) throw new EngineError('bad-request', `there is no graph kind ${String(r.kind)}`);
    return {
      graph: l.analysis.graph({ stream: r.stream, dir: r.dir, kind: r.kind, t0: r.t0, t1: r.t1, pixels: r.pixels, average: r.average }),
    };
  }
  /**
   * The displayed rows of a display filter (ascending), null for every row; the analysis's filter
   * (src/filter), the bytes it needs re-read from the File. A filter that cannot be used shows every
   * row and says why.
   */
  private async displayedRows(l: Loaded, filter: string): Promise<{ rows: Uint32Array | null; error?: string }> {
    if (filter.trim() === '') return { rows: null };
    try {
      const res = await l.analysis.analysis.filterFetching(filter, async (rows) => {
        const list = Array.from(rows);
        const got = await readRanges(l.file, list.map((r) => l.analysis.analysis.frameRange(asRow(r))), l.analysis.compressed);
        return new Map(list.map((r, k) => [r, got[k]]));
      });
      return { rows: res.rows() };
    } catch (e) {
      return { rows: null, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async listOrder(l: Loaded, q: PacketListQuery): Promise<NonNullable<Loaded['list']>> {
    const key = JSON.stringify([q.sort.key, q.sort.desc, q.filter.trim()]);
    if (l.list?.key === key) return l.list;
    const prev = l.list && JSON.parse(l.list.key)[2] === q.filter.trim() ? l.list : null;
    const shown = prev ? { rows: prev.displayed, error: prev.filterError } : await this.displayedRows(l, q.filter);
    const src = this.listSource(l);
    const order = sortPacketList(src, shown.rows, q.sort.key, q.sort.desc);
    l.list = { key, order, displayed: shown.rows, ...(shown.error ? { filterError: shown.error } : {}) };
    return l.list;
  }

  private listSource(l: Loaded): ListSource {
    return { cols: l.analysis.columns, tcp: l.analysis.analysis.tcp };
  }

  /** Rows' bytes re-read from the file and decoded (the detail decoder), by row. */
  private async frames(l: Loaded, rows: number[]): Promise<Map<number, FrameView>> {
    const cols = l.analysis.columns;
    const out = new Map<number, FrameView>();
    if (rows.length === 0) return out;
    const got = await readRanges(l.file, rows.map((r) => ({ offset: cols.fileOffset[r] + cols.dataDelta[r], length: cols.capLen[r] })), l.analysis.compressed);
    rows.forEach((r, k) => {
      const iface = l.analysis.interfaces.find((i) => i.id === cols.iface[r]);
      let layers: FrameView['layers'] = [];
      try { layers = this.core.decodeDetail(got[k], iface?.linkType ?? 1, iface?.fcsLen ?? 0); } catch { layers = []; }
      out.set(r, { bytes: got[k], layers });
    });
    return out;
  }

  /** A page of the list of every packet: its rows in the query's order, with their texts. */
  async packetList(r: Req<'packetList'>): Promise<ResultMap['packetList']> {
    const l = this.need();
    const list = await this.listOrder(l, r.query);
    const total = list.order.length;
    const from = Math.max(0, Math.min(Math.floor(r.from) || 0, total));
    const end = Math.min(total, from + Math.max(0, Math.min(Math.floor(r.count) || 0, MAX_LIST_PAGE)));
    const cols = l.analysis.columns;
    const rows = Array.from(list.order.subarray(from, end));
    const need = rows.filter((row) => needsFrame(cols, row));
    const frames = await this.frames(l, need);
    // An echo reply names its request: the candidates' bytes, read in a second pass.
    const replies = need.filter((row) => isEchoReply(cols, row));
    if (replies.length) {
      const cand = new Map(replies.map((row) => [row, echoRequestCandidates(cols, row)]));
      const more = await this.frames(l, [...new Set([...cand.values()].flat())].filter((c) => !frames.has(c)));
      for (const row of replies) {
        const f = frames.get(row)!;
        const k = echoKey(cols, row, f);
        const req = cand.get(row)!.find((c) => echoKey(cols, c, frames.get(c) ?? more.get(c)!) === k);
        if (k >= 0 && req !== undefined) f.requestIn = req + 1;
      }
    }
    const refs = Uint32Array.from(r.query.refs.map((f) => rowOf(asFrame(f))).filter((x) => Number.isInteger(x) && x >= 0 && x < cols.length)).sort();
    const times = { displayed: list.displayed, refs };
    const src = this.listSource(l);
    const out: PacketListRowView[] = rows.map((row) => packetListRow(src, row, frames.get(row) ?? null, times));
    return { total, rows: out, ...(list.filterError ? { filterError: list.filterError } : {}) };
  }

  /** Where a frame is in the list of this query (null: no such frame, or not displayed). */
  async packetListLocate(r: Req<'packetListLocate'>): Promise<ResultMap['packetListLocate']> {
    const l = this.need();
    const row = rowOf(asFrame(r.frame));
    if (!Number.isInteger(row) || row < 0 || row >= l.analysis.columns.length) return null;
    const list = await this.listOrder(l, r.query);
    const position = positionInList(list.order, row, r.query.sort.key === 'number' && !r.query.sort.desc);
    return position >= 0 ? { position } : null;
  }

  private bytesOf(l: Loaded): CaptureBytes {
    return (l.bytes ??= captureBytes(blobRead(l.file), { compressed: l.analysis.compressed }));
  }

  private followPlan(l: Loaded, t: FollowTargetView) {
    let target: FollowTarget;
    if ('tcp' in t) {
      if (!Number.isInteger(t.tcp) || t.tcp < 0) return null;
      target = { tcp: asStreamId(t.tcp) };
    } else {
      const row = rowOf(asFrame(t.udp));
      if (!Number.isInteger(row) || row < 0 || row >= l.analysis.columns.length) return null;
      target = { udp: asFrame(t.udp) };
    }
    return l.analysis.analysis.follow(target);
  }

  /**
   * A page of a followed stream: the chunks of the directions asked from plan entry `from` on, about
   * `maxBytes` of payload (at least one chunk), read from the File by offset; a page of one direction
   * reads on past the other's chunks.
   */
  async follow(r: Req<'follow'>): Promise<ResultMap['follow']> {
    const l = this.need();
    const plan = this.followPlan(l, r.target);
    if (!plan) return { info: null, chunks: [], next: 0 };
    const info = { protocol: plan.protocol, stream: plan.stream, a: plan.a, b: plan.b, count: plan.count, bytes: plan.bytes, notCaptured: plan.notCaptured };
    const want = (d: number) => r.dirs === 'both' || r.dirs === d;
    const maxBytes = Math.max(1, Math.min(Math.floor(r.maxBytes) || MAX_FOLLOW_PAGE, MAX_FOLLOW_PAGE));
    const chunks: FollowChunkView[] = [];
    let from = Math.max(0, Math.floor(r.from) || 0);
    let size = 0;
    const bytes = this.bytesOf(l);
    while (from < plan.count && size < maxBytes) {
      // One direction only: its neighbours are skipped without reading their bytes where the plan says so.
      if (!want(plan.dir[from])) { from++; continue; }
      const page = await l.analysis.analysis.readFollow(plan, bytes, { from, maxBytes: r.dirs === 'both' ? maxBytes - size : FOLLOW_SCAN_BYTES });
      if (!page.length) break;
      for (const c of page) {
        from = c.index + 1;
        if (!want(c.dir)) continue;
        chunks.push(c.kind === 'data'
          ? { index: c.index, dir: c.dir, frame: c.frame, kind: 'data', bytes: c.bytes.slice() }
          : { index: c.index, dir: c.dir, frame: c.frame, kind: 'gap', length: c.length });
        size += c.kind === 'data' ? c.bytes.length : 0;
        if (size >= maxBytes) break;
      }
    }
    return { info, chunks, next: from };
  }

  /** The payload of the directions asked, in stream order, as one Blob (holes left out). */
  async followSave(r: Req<'followSave'>): Promise<ResultMap['followSave']> {
    const l = this.need();
    const plan = this.followPlan(l, r.target);
    if (!plan) throw new EngineError('bad-request', 'there is no such stream to follow');
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    for await (const c of l.analysis.analysis.followChunks(plan, this.bytesOf(l))) {
      if (c.kind !== 'data' || (r.dirs !== 'both' && r.dirs !== c.dir)) continue;
      parts.push(c.bytes.slice());
      size += c.bytes.length;
    }
    return { blob: new Blob(parts, { type: 'application/octet-stream' }), bytes: size };
  }

  /** Packets as pcapng: a stream, a finding's evidence, the packets a display filter shows. */
  async exportPcapng(r: Req<'exportPcapng'>): Promise<ResultMap['exportPcapng']> {
    const l = this.need();
    const a = l.analysis.analysis;
    const t = r.target;
    let req;
    if ('stream' in t) {
      this.checkStream(l, t.stream);
      req = a.exportRows({ stream: asStreamId(t.stream) });
    } else if ('finding' in t) {
      const f = this.diagnosis(l, t.mtu).byId.get(t.finding);
      if (!f) throw new EngineError('bad-request', `there is no finding ${t.finding}`);
      req = a.exportRows({ finding: f.source, lang: t.lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en' });
    } else {
      const shown = await this.displayedRows(l, t.filter);
      if (shown.error) return { blob: null, packets: 0, error: shown.error };
      req = a.exportRows(shown.rows ? { rows: shown.rows } : { rows: Uint32Array.from({ length: l.analysis.columns.length }, (_, i) => i) });
    }
    const parts: Uint8Array<ArrayBuffer>[] = [];
    for await (const p of a.exportPcapng(req, this.bytesOf(l))) parts.push(p.slice());
    return { blob: new Blob(parts, { type: 'application/octet-stream' }), packets: req.rows.length };
  }
}
