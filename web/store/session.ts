/**
 * The loaded capture as the UI knows it: status, progress, summary and the findings list (all small:
 * a finding's story stays in the worker until shown), plus the actions that talk to the worker.
 * Per-packet data stays in the worker; tables ask for pages.
 */
import { create } from 'zustand';
import { AnalysisClient, type Outcome } from '../worker/client';
import AnalysisWorker from '../worker/analysis.worker.ts?worker';
import { inlineSampleBytes } from '../offline/place';
import type { CaptureSummaryView, FindingItem, FindingView, InferredMtu, ProgressView, Request, RequestType, ResultMap } from '../worker/protocol';
import { diagnoseMtu, useUi } from './uiStore';

export type Status = 'idle' | 'loading' | 'ready' | 'failed';

export interface SessionState {
  status: Status;
  fileName: string | null;
  progress: ProgressView | null;
  summary: CaptureSummaryView | null;
  /** The findings list (titles only; `findingDetails` and `streamFindings` fetch the rest). */
  findings: FindingItem[];
  /** Set when reading or the worker failed; text for the user. */
  error: { kind: 'crashed' | 'failed' | 'sample'; message: string } | null;
  /** Bumped whenever the data behind the views changes, so tables fetch again. */
  generation: number;
}

export const useSession = create<SessionState>()(() => ({
  status: 'idle', fileName: null, progress: null, summary: null, findings: [], error: null, generation: 0,
}));

let client: AnalysisClient | null = null;
// A `?worker` import: a file of its own when served, inlined and started from a Blob URL in the one-file build.
let makeWorker: () => Worker = () => new AnalysisWorker();

/** Tests swap the worker for a fake. */
export function setWorkerFactory(f: () => Worker): void {
  makeWorker = f;
  client?.reset();
  client = null;
}

function getClient(): AnalysisClient {
  client ??= new AnalysisClient(
    () => makeWorker(),
    (e) => {
      if (e.type === 'progress') useSession.setState({ progress: e.progress });
      else useSession.setState((s) => ({ status: 'failed', error: { kind: 'crashed', message: e.message }, generation: s.generation + 1 }));
    },
  );
  return client;
}

export function ask<T extends RequestType>(req: Extract<Request, { type: T }>): Promise<Outcome<ResultMap[T]>> {
  try {
    return getClient().request(req);
  } catch (e) {
    // A browser may refuse to start a worker at all (a Blob URL made by a page opened from a file, a
    // policy): say so instead of leaving the page waiting.
    const message = `this browser refused to start the analysis worker: ${e instanceof Error ? e.message : String(e)}`;
    useSession.setState((s) => ({ status: 'failed', error: { kind: 'crashed', message }, generation: s.generation + 1 }));
    return Promise.resolve({ ok: false, error: { kind: 'internal', message } });
  }
}

/** The smallest path MTU the findings reveal (several black holes: the narrowest path decides). */
export function inferredMtuOf(findings: readonly Pick<FindingItem, 'pathMtu'>[]): InferredMtu | null {
  let best: InferredMtu | null = null;
  for (const f of findings) if (f.pathMtu && (!best || f.pathMtu.max < best.max)) best = f.pathMtu;
  return best;
}

let openSeq = 0;
/** The file of the latest open, for features that copy it (web/share/keep.ts); the worker reads its own reference. */
let openedFile: File | null = null;

export function currentFile(): File | null {
  return openedFile;
}

export async function openFile(file: File): Promise<void> {
  const mine = ++openSeq;
  openedFile = file;
  const ui = useUi.getState();
  ui.resetView();
  ui.setInferredMtu(null);
  useSession.setState((s) => ({
    status: 'loading', fileName: file.name, progress: { bytes: 0, totalBytes: file.size, packets: 0, packetsPerSecond: 0, elapsedMs: 0 },
    summary: null, findings: [], error: null, generation: s.generation + 1,
  }));
  const opened = await ask({ type: 'open', file, mtu: diagnoseMtu(ui), lang: ui.lang });
  // A newer open replaced this one: its result no longer matters.
  if (mine !== openSeq || useSession.getState().status !== 'loading') return;
  if (!opened.ok) {
    useSession.setState((s) => ({ status: 'failed', error: { kind: 'failed', message: opened.error.message }, generation: s.generation + 1 }));
    return;
  }
  const now = useUi.getState();
  // The "Inferred" choice shows what the capture alone reveals: when another MTU is chosen, ask for
  // that first (the worker keeps the findings of the last request, so the chosen MTU's come last).
  const alone = now.mtuPreset === 'inferred' ? null : await ask({ type: 'findings', mtu: 0, lang: now.lang });
  const f = await ask({ type: 'findings', mtu: diagnoseMtu(now), lang: now.lang });
  const summary = await ask({ type: 'summary' });
  const basis = alone ?? f;
  useUi.getState().setInferredMtu(basis.ok ? inferredMtuOf(basis.value.findings) : null);
  useSession.setState((s) => ({
    status: 'ready',
    summary: summary.ok && summary.value.summary ? summary.value.summary : opened.value.summary,
    findings: [],
    generation: s.generation + 1,
  }));
  // Mounting the whole overview at once was the page's longest task after a big load (~30 ms on an
  // idle machine, over 50 on a busy one): the findings list mounts one task later, halving it.
  await new Promise((r) => setTimeout(r, 0));
  if (mine !== openSeq || useSession.getState().status !== 'ready') return;
  useSession.setState({ findings: f.ok ? f.value.findings : [] });
}

async function fetchSample(url: string): Promise<Blob> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.blob();
}

export async function openSample(url = 'samples/pmtu-blackhole.pcap'): Promise<void> {
  try {
    // The one-file build carries the sample inside (a page opened from file:// fetches nothing).
    const inline = inlineSampleBytes();
    const blob = inline ? new Blob([inline]) : await fetchSample(url);
    await openFile(new File([blob], url.split('/').pop() ?? 'sample.pcap', { type: 'application/vnd.tcpdump.pcap' }));
  } catch (e) {
    useSession.setState({ error: { kind: 'sample', message: e instanceof Error ? e.message : String(e) } });
  }
}

/**
 * The reader's reason when nothing at all could be read (not a capture, or damaged before the first
 * packet): such a file gets an explanation instead of an empty overview that says "no problem found".
 */
export function unreadableReason(summary: CaptureSummaryView | null): CaptureSummaryView['warnings'][number] | null {
  if (!summary || summary.packets > 0 || summary.cancelled) return null;
  return summary.warnings.find((w) => w.fatal) ?? null;
}

export function cancelOpen(): void {
  void ask({ type: 'cancel' });
}

/** Diagnose again with the current MTU and language (the worker caches per pair). */
export async function refreshFindings(): Promise<void> {
  if (useSession.getState().status !== 'ready') return;
  const ui = useUi.getState();
  const f = await ask({ type: 'findings', mtu: diagnoseMtu(ui), lang: ui.lang });
  const summary = await ask({ type: 'summary' });
  if (!f.ok) return;
  useSession.setState((s) => ({
    findings: f.value.findings,
    summary: summary.ok && summary.value.summary ? summary.value.summary : s.summary,
    generation: s.generation + 1,
  }));
}

/** One finding in full (story, remedy, numbers) at the current MTU, in `lang` (default: the page's). */
export async function findingDetails(id: string, lang?: string): Promise<FindingView | null> {
  const ui = useUi.getState();
  const o = await ask({ type: 'finding', id, mtu: diagnoseMtu(ui), lang: lang ?? ui.lang });
  return o.ok ? o.value.finding : null;
}

/** The findings of one stream in full, at the current MTU and in the page's language. */
export async function streamFindings(stream: number): Promise<FindingView[] | null> {
  const ui = useUi.getState();
  const o = await ask({ type: 'streamFindings', stream, mtu: diagnoseMtu(ui), lang: ui.lang });
  return o.ok ? o.value.findings : null;
}
