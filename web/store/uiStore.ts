/**
 * The UI state: what the user chose (selection, zoom, MTU, filters, language). Small and plain so it
 * serialises: the permalink code (web/share: buildLink.ts, useLinkSync.ts) reads the fields of
 * `UrlState` from the store and writes them back with `setFromUrlState`. Large data never lives here;
 * the worker owns it and answers views.
 */
import { create } from 'zustand';
import type { Lang } from '../../src/i18n/index';
import type { GraphKind } from '../../src/view/index';
import type { Direction, InferredMtu, StreamSort } from '../worker/protocol';

/** 'inferred': the path MTU the diagnoses found (a black hole's bracket, an ICMP "too big"), else 1500. */
export type MtuPresetId = 'inferred' | 'ethernet' | 'ipip' | 'vxlan' | 'calico' | 'wireguard' | 'custom';

/** Path MTU presets: the common overlay MTUs on a 1500-byte network (see the MTU guide). */
export const MTU_PRESETS: readonly { id: Exclude<MtuPresetId, 'custom' | 'inferred'>; mtu: number }[] = [
  { id: 'ethernet', mtu: 1500 },
  { id: 'ipip', mtu: 1480 },
  { id: 'vxlan', mtu: 1450 },
  { id: 'calico', mtu: 1440 },
  { id: 'wireguard', mtu: 1420 },
];

export const MTU_MIN = 576;
export const MTU_MAX = 65535;
/** What "Inferred" means when the diagnoses inferred nothing: Ethernet. */
export const MTU_FALLBACK = 1500;


export interface TimeWindow {
  t0: number;
  t1: number;
}

/** The graph under the sequence chart (web/chart/GraphPanel.tsx): none, or one of the stream graphs. */
export type GraphChoice = 'none' | GraphKind;

/** The part of the UI state a permalink carries. Every field is plain JSON. */
export interface UrlState {
  stream: number | null;
  dir: Direction;
  frame: number | null;
  finding: string | null;
  zoom: TimeWindow | null;
  mtuPreset: MtuPresetId;
  mtu: number;
  problemsOnly: boolean;
  filter: string;
  sort: StreamSort;
  /** The graph under the sequence chart, and the throughput's moving-average window in seconds (0: automatic). */
  graph: GraphChoice;
  graphAverage: number;
}

export interface UiState extends UrlState {
  lang: Lang;
  /** The path MTU the open capture's diagnoses inferred (null: none, or nothing open). */
  inferredMtu: InferredMtu | null;
  showKeys: boolean;
  selectStream(stream: number | null, dir?: Direction): void;
  /**
   * Open a stream from the stream table: its data direction, zoomed to when the data moved (see
   * streamOpening in findingWindow.ts); zoom null is the whole stream.
   */
  openStream(o: { stream: number; dir: Direction; zoom: TimeWindow | null }): void;
  selectFrame(frame: number | null): void;
  /** Open a finding: its stream, direction, first evidence frame and time window. */
  openFinding(f: { id: string; stream: number; dir: Direction | null; frame: number | null; zoom: TimeWindow | null }): void;
  setDir(dir: Direction): void;
  setZoom(zoom: TimeWindow | null): void;
  setMtuPreset(id: MtuPresetId): void;
  setCustomMtu(mtu: number): void;
  /** The diagnoses answered: remember what they inferred, and follow it while "Inferred" is chosen. */
  setInferredMtu(inferred: InferredMtu | null): void;
  setProblemsOnly(on: boolean): void;
  setFilter(text: string): void;
  setSort(sort: StreamSort): void;
  setGraph(graph: GraphChoice): void;
  setGraphAverage(seconds: number): void;
  setLang(lang: Lang): void;
  setShowKeys(show: boolean): void;
  /** Escape: drop the frame first, then the stream. */
  clearSelection(): void;
  setFromUrlState(partial: Partial<UrlState>): void;
  /** Back to a fresh view (a new capture was opened). */
  resetView(): void;
}

export const LANG_STORAGE_KEY = 'capture-inspector.lang';

export function initialLanguage(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // Storage can be blocked (private mode, sandboxed frame): fall back to the browser language.
  }
  const nav = globalThis.navigator?.language ?? 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const DEFAULT_URL_STATE: UrlState = {
  stream: null,
  dir: 0,
  frame: null,
  finding: null,
  zoom: null,
  mtuPreset: 'inferred',
  mtu: MTU_FALLBACK,
  problemsOnly: false,
  filter: '',
  sort: { key: 'index', desc: false },
  graph: 'none',
  graphAverage: 0,
};

export function clampMtu(mtu: number): number {
  if (!Number.isFinite(mtu)) return 1500;
  return Math.min(MTU_MAX, Math.max(MTU_MIN, Math.round(mtu)));
}

/** The number "Inferred" stands for. */
export function inferredValue(inferred: InferredMtu | null): number {
  return inferred?.max ?? MTU_FALLBACK;
}

/** The MTU to diagnose with: 0 while "Inferred" is chosen, so the diagnoses infer it themselves. */
export function diagnoseMtu(s: Pick<UrlState, 'mtuPreset' | 'mtu'>): number {
  return s.mtuPreset === 'inferred' ? 0 : s.mtu;
}

/** The preset a number belongs to, or custom. */
export function presetOf(mtu: number): MtuPresetId {
  return MTU_PRESETS.find((p) => p.mtu === mtu)?.id ?? 'custom';
}

/** A copy of the `UrlState` fields of a state (what a link restores; the store tests compare it). */
export function urlStateOf(s: UrlState): UrlState {
  return {
    stream: s.stream, dir: s.dir, frame: s.frame, finding: s.finding, zoom: s.zoom ? { ...s.zoom } : null,
    mtuPreset: s.mtuPreset, mtu: s.mtu, problemsOnly: s.problemsOnly, filter: s.filter, sort: { ...s.sort },
    graph: s.graph, graphAverage: s.graphAverage,
  };
}

export const useUi = create<UiState>()((set, get) => ({
  ...DEFAULT_URL_STATE,
  lang: initialLanguage(),
  inferredMtu: null,
  showKeys: false,
  selectStream: (stream, dir) =>
    set((s) => (stream === s.stream && (dir ?? s.dir) === s.dir ? s : { stream, dir: dir ?? 0, frame: null, finding: null, zoom: null })),
  openStream: (o) => set({ stream: o.stream, dir: o.dir, frame: null, finding: null, zoom: o.zoom ? { ...o.zoom } : null }),
  selectFrame: (frame) => set({ frame }),
  openFinding: (f) => set({ stream: f.stream, dir: f.dir ?? 0, frame: f.frame, finding: f.id, zoom: f.zoom }),
  setDir: (dir) => set({ dir, zoom: null }),
  setZoom: (zoom) => set({ zoom }),
  setMtuPreset: (id) => {
    if (id === 'custom') set({ mtuPreset: 'custom' });
    else if (id === 'inferred') set((s) => ({ mtuPreset: 'inferred', mtu: inferredValue(s.inferredMtu) }));
    else set({ mtuPreset: id, mtu: MTU_PRESETS.find((p) => p.id === id)?.mtu ?? 1500 });
  },
  setCustomMtu: (mtu) => set({ mtuPreset: 'custom', mtu: clampMtu(mtu) }),
  setInferredMtu: (inferredMtu) =>
    set((s) => (s.mtuPreset === 'inferred' ? { inferredMtu, mtu: inferredValue(inferredMtu) } : { inferredMtu })),
  setProblemsOnly: (problemsOnly) => set({ problemsOnly }),
  setFilter: (filter) => set({ filter }),
  setSort: (sort) => set({ sort }),
  setGraph: (graph) => set({ graph }),
  setGraphAverage: (graphAverage) => set({ graphAverage: Number.isFinite(graphAverage) && graphAverage > 0 ? graphAverage : 0 }),
  setLang: (lang) => {
    try {
      globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
    } catch {
      // Not remembered when storage is blocked; the switch still works for this visit.
    }
    set({ lang });
  },
  setShowKeys: (showKeys) => set({ showKeys }),
  clearSelection: () => {
    const s = get();
    if (s.showKeys) set({ showKeys: false });
    else if (s.frame !== null) set({ frame: null });
    else if (s.stream !== null) set({ stream: null, finding: null, zoom: null });
  },
  setFromUrlState: (p) => {
    const next: Partial<UrlState> = { ...p };
    if (p.mtuPreset === 'inferred') next.mtu = inferredValue(get().inferredMtu);
    else if (p.mtu !== undefined) {
      next.mtu = clampMtu(p.mtu);
      if (p.mtuPreset === undefined) next.mtuPreset = presetOf(next.mtu);
    }
    set(next);
  },
  resetView: () => set({ stream: null, dir: 0, frame: null, finding: null, zoom: null }),
}));
