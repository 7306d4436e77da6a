/**
 * Captures kept in this browser (opt-in): the Origin Private File System holds each dropped file
 * under its fingerprint, so a reload, or a link opened later on this machine, reopens the capture
 * without another drop. Nothing leaves the machine; the user sees what is kept and can clear it.
 *
 * Layout: directory "captures", one file per capture named by its full fingerprint, and beside it
 * "<fingerprint>.json" with the original name, size and date. The JSON is written after the data,
 * so a capture without one is an unfinished copy and is ignored (and removed by clearing).
 * Copies stream with createWritable (its swap file is committed on close): the file is never held
 * in memory.
 */
import { create } from 'zustand';
import { fingerprintMatches } from '../../src/share/index';
import { openedFromFile } from '../offline/place';

const DIR = 'captures';
const PREF = 'captureInspector.keepCaptures';

export interface KeptCapture {
  fingerprint: string;
  name: string;
  size: number;
  /** When it was kept, epoch milliseconds. */
  keptAt: number;
}

export interface KeepState {
  /** OPFS with streaming writes exists here; when false the option is hidden. */
  available: boolean;
  enabled: boolean;
  kept: KeptCapture[];
  /** The last copy or reopen that failed (quota, permissions), for the panel. */
  error: string | null;
  /** Fingerprint being written now. */
  writing: string | null;
}

function readPref(): boolean {
  try {
    return localStorage.getItem(PREF) === '1';
  } catch {
    return false;
  }
}

/** Streaming writes from the page need FileSystemFileHandle.createWritable (not only getDirectory). */
export function keepSupported(): boolean {
  // A page opened from a file has no origin of its own to keep files for (browsers refuse or share it).
  if (openedFromFile()) return false;
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function' &&
    typeof FileSystemFileHandle !== 'undefined' && 'createWritable' in FileSystemFileHandle.prototype;
}

export const useKeep = create<KeepState>()(() => ({
  available: keepSupported(), enabled: keepSupported() && readPref(), kept: [], error: null, writing: null,
}));

async function dir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(DIR, { create: true });
}

function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** What is kept (finished copies only), newest first. */
export async function listKept(): Promise<KeptCapture[]> {
  if (!useKeep.getState().available) return [];
  const d = await dir();
  const out: KeptCapture[] = [];
  // entries() is typed in lib "DOM.AsyncIterable", which this project does not load.
  const entries = (d as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
  for await (const [name, h] of entries) {
    if (h.kind !== 'file' || !name.endsWith('.json')) continue;
    try {
      const meta = JSON.parse(await (await (h as FileSystemFileHandle).getFile()).text()) as KeptCapture;
      if (typeof meta.fingerprint === 'string' && typeof meta.name === 'string') out.push(meta);
    } catch {
      // A damaged note: the capture is treated as not kept.
    }
  }
  return out.sort((x, y) => y.keptAt - x.keptAt);
}

export async function refreshKept(): Promise<void> {
  try {
    useKeep.setState({ kept: await listKept() });
  } catch (e) {
    useKeep.setState({ error: errText(e) });
  }
}

export function setKeepEnabled(on: boolean): void {
  try {
    localStorage.setItem(PREF, on ? '1' : '0');
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  useKeep.setState({ enabled: on, error: null });
  // Ask the browser not to evict the kept captures under storage pressure (it may say no).
  if (on) void navigator.storage.persist?.().catch(() => false);
}

/** Copy a capture into the store unless it is there already. */
export async function keepCapture(file: Blob & { name?: string }, fingerprint: string): Promise<void> {
  const st = useKeep.getState();
  if (!st.available || !st.enabled || !fingerprint || st.writing === fingerprint) return;
  if (st.kept.some((k) => k.fingerprint === fingerprint)) return;
  useKeep.setState({ writing: fingerprint, error: null });
  try {
    const d = await dir();
    // Kept already (the list may not be read yet): its note exists only once the copy is complete.
    if (await d.getFileHandle(`${fingerprint}.json`).then(() => true, () => false)) return;
    const data = await d.getFileHandle(fingerprint, { create: true });
    // pipeTo closes the writable at the end (committing it) and aborts it on error.
    await file.stream().pipeTo(await data.createWritable());
    const meta: KeptCapture = { fingerprint, name: file.name ?? 'capture', size: file.size, keptAt: Date.now() };
    const note = await (await d.getFileHandle(`${fingerprint}.json`, { create: true })).createWritable();
    await note.write(JSON.stringify(meta));
    await note.close();
  } catch (e) {
    useKeep.setState({ error: errText(e) });
    await removeKept(fingerprint).catch(() => undefined);
  } finally {
    useKeep.setState({ writing: null });
    await refreshKept();
  }
}

/** The kept file for a link's fingerprint (a prefix), named as it was dropped; null when not kept. */
export async function findKept(fingerprintPrefix: string): Promise<File | null> {
  if (!useKeep.getState().available) return null;
  const meta = (await listKept()).find((k) => fingerprintMatches(k.fingerprint, fingerprintPrefix));
  if (!meta) return null;
  const blob = await (await (await dir()).getFileHandle(meta.fingerprint)).getFile();
  // A File over the OPFS file: no copy, the worker reads it in slices as it would a dropped file.
  return new File([blob], meta.name, { type: blob.type, lastModified: blob.lastModified });
}

export async function removeKept(fingerprint: string): Promise<void> {
  const d = await dir();
  for (const name of [fingerprint, `${fingerprint}.json`]) await d.removeEntry(name).catch(() => undefined);
}

/** Remove every kept capture, unfinished copies included. */
export async function clearKept(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(DIR, { recursive: true }).catch(() => undefined);
  useKeep.setState({ kept: [], error: null });
}
