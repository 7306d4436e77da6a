/** Reading a capture file from disk in Node (CLI, tests, benchmarks); not for the web app. */
import { createReadStream } from 'node:fs';
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
