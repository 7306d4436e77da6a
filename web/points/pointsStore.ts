/**
 * Capture points in the UI: the open capture is point 0; "Add a capture point" reads another file
 * as point 1 (the next place on the path). The user names the points; names only change the words,
 * so renaming needs no new matching.
 */
import { create } from 'zustand';
import { fingerprintMatches } from '../../src/share/index';
import { currentFile } from '../store/session';
import type { PointsView } from './pointsCore';
import type { PointsReply, PointsRequest } from './protocol';

export interface PointsState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** The files matched (point order); the first is the open capture. */
  files: File[];
  names: string[];
  view: PointsView | null;
  error: string | null;
}

export const usePoints = create<PointsState>()(() => ({ status: 'idle', files: [], names: [], view: null, error: null }));

let makeWorker: () => Worker = () => new Worker(new URL('./points.worker.ts', import.meta.url), { type: 'module' });
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
  usePoints.setState({ status: 'idle', files: [], names: [], view: null, error: null });
}
