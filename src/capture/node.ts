/** Reading a capture file from disk in Node (CLI, tests, benchmarks); not for the web app. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { captureBytes, type CaptureBytes, type RawRead } from './ranges';
import { createCaptureReader } from './index';
import type { CaptureReaderOptions, CaptureSink } from './types';

export interface ReadFileResult {
  /** Bytes of the (decompressed) capture read. */
  bytes: number;
  /** True when a fatal problem stopped reading early. */
  stopped: boolean;
}

/** Stream `path` through a capture reader in chunks of `chunkSize` bytes. I/O errors reject. */
export async function readCaptureFile(
  path: string,
  sink: CaptureSink,
  chunkSize = 1 << 20,
  options: CaptureReaderOptions = {},
): Promise<ReadFileResult> {
  const reader = createCaptureReader(sink, options);
  const stream = createReadStream(path, { highWaterMark: chunkSize });
  for await (const chunk of stream) {
    reader.push(chunk as Buffer);
    if (reader.stopped) {
      stream.destroy();
      break;
    }
  }
  reader.end();
  return { bytes: reader.bytesConsumed, stopped: reader.stopped };
}

/**
 * The capture's bytes by offset (src/capture/ranges.ts) from a file on disk; close() when done.
 * `compressed`: the file is gzip-compressed (Analysis.compressed).
 */
export async function openCaptureBytes(path: string, compressed: boolean): Promise<{ bytes: CaptureBytes; close(): Promise<void> }> {
  const fh = await open(path, 'r');
  const raw: RawRead = async (offset, length) => {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
      if (bytesRead <= 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  };
  return { bytes: captureBytes(raw, { compressed }), close: () => fh.close() };
}
