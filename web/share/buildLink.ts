/**
 * From what is on screen to a link, and from a link back to the screen. The UI state lives in the
 * app's stores; this file only translates between them and src/share's ShareState.
 */
import {
  directionOfWire, findingFacts, fingerprintPrefix, resolveStream, wireDirection,
  type Endpoint, type FindingText, type Lang, type SeriesSnapshot, type Severity, type ShareState, type StreamIdentity,
} from '../../src/share/index';
import { linkPoints } from '../points/pointsLink';
import { ask, findingDetails, useSession } from '../store/session';
import { findingWindow as windowOfFinding } from '../store/findingWindow';
import { useFindingExpand } from '../store/findingExpand';
import { usePacketList } from '../store/packetListStore';
import { useUi, type GraphChoice, type TimeWindow } from '../store/uiStore';
import type { CaptureSummaryView, FindingItem, FindingView, StoryPart } from '../worker/protocol';

/** "198.18.1.2:39144" or "[2001:db8::1]:443" (the stream table's form) → endpoint. */
export function endpointOfText(text: string): Endpoint | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m ? { addr: m[1], port: Number(m[2]) } : null;
}

export interface StreamEnds {
  a: Endpoint;
  b: Endpoint;
  /** Initial sequence numbers from the handshake (null where none was seen). */
  isn: [number | null, number | null];
}

/** The two endpoints of a stream and its ISNs, from the worker's stream table. */
export async function streamEnds(stream: number): Promise<StreamEnds | null> {
  const o = await ask({ type: 'streams', sort: { key: 'index', desc: false }, filter: `#${stream}`, problemsOnly: false, from: 0, count: 1 });
  const row = o.ok ? o.value.rows.find((r) => r.index === stream) : undefined;
  const a = row ? endpointOfText(row.a) : null;
  const b = row ? endpointOfText(row.b) : null;
  return row && a && b ? { a, b, isn: row.isn } : null;
}

/** A link's stream reference: the index as a hint, the 5-tuple and ISNs as the identity. */
export function streamRef(index: number, ends: StreamEnds | null): NonNullable<ShareState['stream']> {
  if (!ends) return { index };
  const ref: NonNullable<ShareState['stream']> = { index, a: ends.a, b: ends.b };
  if (ends.isn[0] !== null || ends.isn[1] !== null) ref.isn = [ends.isn[0], ends.isn[1]];
  return ref;
}

export function captureRef(summary: CaptureSummaryView): ShareState['capture'] | null {
  if (!summary.fingerprint) return null;
  return { fingerprint: fingerprintPrefix(summary.fingerprint), name: summary.fileName, size: summary.fileSize };
}

/** The window a finding opens at (the findings list's, so the link opens what a click shows). */
export function findingWindow(f: Pick<FindingItem, 't0' | 't1'>): TimeWindow | null {
  return windowOfFinding(f.t0, f.t1);
}

/**
 * A link carries the MTU the user chose; with "Inferred" (the default) it carries none, and the
 * recipient's app infers the same number from the same capture.
 */
export function mtuOf(ui: { mtuPreset: string; mtu: number }): Pick<ShareState, 'mtu'> {
  return ui.mtuPreset === 'inferred' ? {} : { mtu: ui.mtu };
}

/**
 * With capture points loaded for the open capture, a link names them too (format v3), so that the
 * recipient is asked for every file and sees the cross-point findings.
 */
export function withPoints(state: ShareState): ShareState {
  const p = linkPoints();
  if (!p) return state;
  return { ...state, capture: p.point0 === undefined ? state.capture : { ...state.capture, point: p.point0 }, points: p.points };
}

/** A self-contained link's snapshot is of point 0 alone: it names no other point. */
export function withoutPoints(state: ShareState): ShareState {
  const { points: _points, ...rest } = state;
  const { point: _point, ...capture } = state.capture;
  return { ...rest, capture };
}

/** The state of what is on screen now; null before a capture is fully read. */
export async function currentState(): Promise<ShareState | null> {
  const summary = useSession.getState().summary;
  const capture = summary && captureRef(summary);
  if (!capture) return null;
  const ui = useUi.getState();
  const state: ShareState = { capture, ...mtuOf(ui), lang: ui.lang };
  if (ui.stream !== null) {
    const ends = await streamEnds(ui.stream);
    state.stream = streamRef(ui.stream, ends);
    state.direction = wireDirection(ui.dir);
    if (ui.zoom && ui.zoom.t1 > ui.zoom.t0) state.window = { ...ui.zoom };
    if (ui.frame !== null) state.frame = ui.frame;
    if (ui.finding !== null) state.finding = ui.finding;
    const graph = graphOf(ui);
    if (graph) state.graph = graph;
  }
  return withPoints(state);
}

/** The graph under the chart as a link says it; none shown: nothing said. */
export function graphOf(ui: { graph: GraphChoice; graphAverage: number }): ShareState['graph'] {
  if (ui.graph === 'none') return undefined;
  return ui.graph === 'throughput' && ui.graphAverage > 0 ? { kind: ui.graph, average: ui.graphAverage } : { kind: ui.graph };
}

/** The state a finding's "Copy link" carries: its stream, direction, window and first frame (only its id when it has no stream). */
export async function findingState(f: FindingItem): Promise<ShareState | null> {
  const summary = useSession.getState().summary;
  const capture = summary && captureRef(summary);
  if (!capture) return null;
  const ui = useUi.getState();
  // A finding about the capture as a whole (DNS: stream -1) has no stream: its link opens the
  // findings list with it expanded.
  if (f.stream < 0) return withPoints({ capture, ...mtuOf(ui), lang: ui.lang, finding: f.id });
  const ends = await streamEnds(f.stream);
  const state: ShareState = {
    capture, ...mtuOf(ui), lang: ui.lang, finding: f.id,
    stream: streamRef(f.stream, ends),
    direction: wireDirection(f.dir ?? 0),
  };
  const w = findingWindow(f);
  if (w) state.window = w;
  if (f.frame !== null) state.frame = f.frame;
  return withPoints(state);
}

function plainText(parts: StoryPart[][]): string[] {
  return parts.map((p) => p.map((x) => x.text).join(''));
}

/** A finding's text in both languages (a snapshot reads in either), fetched from the worker one finding at a time. */
async function findingTexts(id: string): Promise<{ view: FindingView | null; text: Partial<Record<Lang, FindingText>> }> {
  const text: Partial<Record<Lang, FindingText>> = {};
  let view: FindingView | null = null;
  for (const lang of ['en', 'zh-CN'] as const) {
    const f = await findingDetails(id, lang);
    if (!f) continue;
    view = f;
    text[lang] = { title: f.title, body: plainText(f.story), remedy: plainText(f.remedy), facts: findingFacts(f.numbers) };
  }
  return { view, text };
}

/** Chart width a snapshot is decimated for: enough detail for a laptop screen, small enough for a link. */
const SNAPSHOT_PIXELS = 1000;

/** The evidence of a state's stream and window, for a self-contained link or a report. */
export async function snapshotOf(state: ShareState): Promise<SeriesSnapshot | null> {
  if (!state.stream) return null;
  const ends = state.stream.a && state.stream.b ? { a: state.stream.a, b: state.stream.b } : await streamEnds(state.stream.index);
  if (!ends) return null;
  const w = state.window ?? { t0: NaN, t1: NaN };
  const o = await ask({
    type: 'streamSeries', stream: state.stream.index, dir: directionOfWire(state.direction ?? 'a'), t0: w.t0, t1: w.t1,
    pixels: SNAPSHOT_PIXELS, mtu: state.mtu ?? useUi.getState().mtu,
  });
  if (!o.ok) return null;
  // The graph shown under the chart, for the same window at the same width as the series.
  let graph: SeriesSnapshot['graph'];
  if (state.graph) {
    const g = await ask({
      type: 'streamGraph', stream: state.stream.index, dir: directionOfWire(state.direction ?? 'a'), kind: state.graph.kind,
      t0: o.value.series.t0, t1: o.value.series.t1, pixels: SNAPSHOT_PIXELS, average: state.graph.average ?? 0,
    });
    if (g.ok) graph = g.value.graph;
  }
  let finding: SeriesSnapshot['finding'] = null;
  if (state.finding) {
    const { view, text } = await findingTexts(state.finding);
    if (view) finding = { id: view.id, kind: view.kind, severity: view.severity as Severity, frames: view.frames, text };
  }
  const snapshot: SeriesSnapshot = { stream: { a: ends.a, b: ends.b, handshake: true }, series: o.value.series, finding, masked: false };
  if (graph) snapshot.graph = graph;
  return snapshot;
}

/** Put a link's view on screen (the capture is open and matches). Returns false when its stream is not there. */
export async function applyState(state: ShareState): Promise<boolean> {
  const ui = useUi.getState();
  // The link's language for this visit only: the recipient's saved choice is not overwritten.
  if (state.lang && state.lang !== ui.lang) useUi.setState({ lang: state.lang });
  ui.setFromUrlState(state.mtu !== undefined ? { mtu: state.mtu } : { mtuPreset: 'inferred' });
  if (!state.stream) {
    ui.selectStream(null);
    // A link to a finding without a stream (DNS): the findings list shows it expanded.
    if (state.finding) {
      usePacketList.getState().setTab('streams');
      useFindingExpand.getState().expand(state.finding);
    }
    return true;
  }
  let index = state.stream.index;
  if (state.stream.a && state.stream.b) {
    const o = await ask({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: useSession.getState().summary?.streams ?? 0 });
    const ids: StreamIdentity[] = [];
    for (const r of o.ok ? o.value.rows : []) {
      const a = endpointOfText(r.a), b = endpointOfText(r.b);
      if (a && b) ids.push({ index: r.index, addrA: a.addr, portA: a.port, addrB: b.addr, portB: b.port, isn: [r.isn[0] ?? -1, r.isn[1] ?? -1] });
    }
    const found = resolveStream(state.stream, ids);
    if (!found.ok) return false;
    index = found.index;
  }
  ui.setFromUrlState({
    stream: index,
    dir: directionOfWire(state.direction ?? 'a'),
    zoom: state.window ? { ...state.window } : null,
    frame: state.frame ?? null,
    finding: state.finding ?? null,
    // A link that names a graph shows it; one that names none (older links, a finding's link)
    // leaves the recipient's choice as it is.
    ...(state.graph ? { graph: state.graph.kind, graphAverage: state.graph.average ?? 0 } : {}),
  });
  return true;
}
