/**
 * Node-only: read a capture file in chunks into a CaptureSession (or any sink). Kept out of
 * src/pipeline.ts, which also runs in the browser worker.
 */
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createCaptureReader } from '../capture/index';
import type { CaptureSink } from '../capture/types';
import type { Analysis, AnalysisRun } from '../analysis';
import type { CaptureSession, ReaderFactory } from '../pipeline';

const CHUNK = 1 << 20;

/**
 * Read the file through one reused buffer: a reader keeps nothing of a chunk once push() returns
 * (CaptureReader.push), so a fresh buffer per read would only be garbage (~35 MB of it at 1 GiB).
 */
async function pump(path: string, push: (c: Uint8Array) => void, stopped: () => boolean): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead <= 0) break;
      push(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
      if (stopped()) break;
    }
  } finally {
    await fh.close();
  }
}

/** Size of the file in bytes, or undefined when it cannot be read (the read then reports why). */
export function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** Feed the whole file into the session, then end() it (which finishes its processors). I/O errors reject. */
export async function readCaptureFileIntoSession(path: string, session: CaptureSession): Promise<CaptureSession> {
  await pump(path, (c) => session.push(c), () => session.stopped);
  session.end();
  return session;
}

/** Feed the whole file into an analysis, then finish it. I/O errors reject. */
export async function readCaptureFileIntoAnalysis(path: string, run: AnalysisRun): Promise<Analysis> {
  await pump(path, (c) => run.push(c), () => run.stopped);
  return run.finish();
}

/** Read the file's records into a bare sink (no decoding): the second pass of `fields`. */
export async function readCaptureFile(path: string, sink: CaptureSink, createReader: ReaderFactory = createCaptureReader): Promise<void> {
  const reader = createReader(sink);
  await pump(path, (c) => reader.push(c), () => reader.stopped);
  reader.end();
}
