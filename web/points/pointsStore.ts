/**
 * Capture points in the UI: the open capture is point 0; "Add a capture point" reads another file
 * as point 1 (the next place on the path). The user names the points; names only change the words,
 * so renaming needs no new matching.
 */
import { create } from 'zustand';
import { SEVERITY_RANK, type Severity } from '../../src/diagnose/index';
import { fingerprintMatches } from '../../src/share/index';
import { currentFile } from '../store/session';
import type { PointsView } from './pointsCore';
import type { PointsReply, PointsRequest } from './protocol';
import PointsWorker from './points.worker.ts?worker';

export interface PointsState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** The files matched (point order); the first is the open capture. */
  files: File[];
  names: string[];
  view: PointsView | null;
  error: string | null;
  /** "Show on the joint chart" was chosen: the stream view brings the joint chart into sight once. */
  reveal: boolean;
}

export const usePoints = create<PointsState>()(() => ({ status: 'idle', files: [], names: [], view: null, error: null, reveal: false }));

/** Ask the stream view to scroll the joint chart into sight and give it the keyboard. */
export function revealJoint(): void {
  usePoints.setState({ reveal: true });
}

/** The stream view has shown the joint chart. */
export function jointRevealed(): void {
  usePoints.setState({ reveal: false });
}

/**
 * The cross-point findings of each stream of the open capture (its own stream numbers, as the
 * stream table shows them): how many and the most severe, to add to the stream's own.
 */
export function crossFindingsByStream(s: Pick<PointsState, 'files' | 'view'>, openFile: string | null): Map<number, { n: number; worst: Severity }> {
  const out = new Map<number, { n: number; worst: Severity }>();
  if (!s.view || s.files[0]?.name !== openFile) return out;
  for (const f of s.view.findings) {
    // Stream numbers are point 0's: a loss from point 1 back to 0 is counted on point 0's stream.
    const stream = f.from === 0 ? f.stream : f.toStream;
    const had = out.get(stream);
    out.set(stream, { n: (had?.n ?? 0) + 1, worst: had && SEVERITY_RANK[had.worst] >= SEVERITY_RANK[f.severity] ? had.worst : f.severity });
  }
  return out;
}

/** Every cross-point finding of the open capture. */
export function crossFindingCount(s: Pick<PointsState, 'files' | 'view'>, openFile: string | null): number {
  return s.view && s.files[0]?.name === openFile ? s.view.findings.length : 0;
}

let makeWorker: () => Worker = () => new PointsWorker();
let worker: Worker | null = null;
let seq = 0;

/** Tests swap the worker for a fake. */
export function setPointsWorkerFactory(f: () => Worker): void {
  makeWorker = f;
}

function defaultName(file: File): string {
  return file.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '');
}

export interface AddPointOptions {
  /** Names for the new point and for point 0 (a link's), instead of those made from the file names. */
  name?: string;
  name0?: string;
  /** The fingerprint (prefix) the file must have: another file is not added. */
  fingerprint?: string;
}

export type AddPointResult =
  | { ok: true }
  | { ok: false; reason: 'no-capture' | 'stale' | 'failed'; message?: string }
  | { ok: false; reason: 'mismatch'; fingerprint: string };

/** Match the open capture with `file` as the next capture point. */
export async function addPoint(file: File, opts: AddPointOptions = {}): Promise<AddPointResult> {
  const main = currentFile();
  if (!main) return { ok: false, reason: 'no-capture' };
  const files = [main, file];
  const prev = usePoints.getState();
  // Keep the name the user gave point 0 when the open capture is the same.
  const names = [opts.name0 ?? (prev.files[0] === main ? prev.names[0] : defaultName(main)), opts.name ?? defaultName(file)];
  usePoints.setState({ status: 'loading', files, names, view: null, error: null });
  worker?.terminate();
  worker = makeWorker();
  const id = ++seq;
  const reply = await new Promise<PointsReply>((resolve) => {
    worker!.onmessage = (ev: MessageEvent<PointsReply>) => resolve(ev.data);
    worker!.onerror = (ev: ErrorEvent) => { ev.preventDefault(); resolve({ id, ok: false, message: ev.message || 'the points worker stopped' }); };
    worker!.postMessage({ id, files, names } satisfies PointsRequest);
  });
  if (id !== seq) return { ok: false, reason: 'stale' };
  worker?.terminate();
  worker = null;
  if (!reply.ok) {
    usePoints.setState({ status: 'failed', error: reply.message });
    return { ok: false, reason: 'failed', message: reply.message };
  }
  const got = reply.view.points[1]?.fingerprint ?? '';
  if (opts.fingerprint !== undefined && !(got && fingerprintMatches(got, opts.fingerprint))) {
    // Not the file asked for: the points stay as they were.
    const { status, files: f, names: n, view, error } = prev;
    usePoints.setState({ status, files: f, names: n, view, error });
    return { ok: false, reason: 'mismatch', fingerprint: got };
  }
  usePoints.setState({ status: 'ready', view: reply.view });
  return { ok: true };
}

export function renamePoint(index: number, name: string): void {
  usePoints.setState((s) => ({ names: s.names.map((n, i) => (i === index ? name : n)) }));
}

export function clearPoints(): void {
  seq++;
  worker?.terminate();
  worker = null;
  usePoints.setState({ status: 'idle', files: [], names: [], view: null, error: null, reveal: false });
}
