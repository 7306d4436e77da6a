/**
 * Node-only: read a capture file in chunks into a CaptureSession (or any sink). Kept out of
 * src/pipeline.ts, which also runs in the browser worker.
 */
import { createReadStream } from 'node:fs';
import type { CaptureSink } from '../capture/types';
import { CaptureSession, defaultReaderFactory, type ReaderFactory } from '../pipeline';

/** Chunk size of the reads; small enough to exercise chunk boundaries, big enough to be fast. */
const CHUNK = 1 << 20;

async function pump(path: string, push: (c: Uint8Array) => void): Promise<void> {
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  for await (const chunk of stream) push(chunk as Uint8Array);
}

/** Feed the whole file into the session, then end() it (which finishes its processors). */
export async function readCaptureFileIntoSession(path: string, session: CaptureSession): Promise<CaptureSession> {
  await pump(path, (c) => session.push(c));
  session.end();
  return session;
}

/** Read the file's records into a bare sink (no decoding): the second pass of `fields`. */
export async function readCaptureFile(path: string, sink: CaptureSink, createReader?: ReaderFactory): Promise<void> {
  const reader = (createReader ?? defaultReaderFactory())(sink);
  await pump(path, (c) => reader.push(c));
  reader.end();
}
