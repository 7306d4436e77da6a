/**
 * Capture readers: push chunks of a pcap, pcapng or gzip-compressed capture, get records.
 *
 *   const reader = createCaptureReader({ onRecord(r) { ... }, onWarning(w) { ... } });
 *   for await (const chunk of stream) reader.push(chunk);
 *   reader.end();
 */
import { ReaderContext } from './context';
import { StreamLevel } from './stream';
import type { CaptureReader, CaptureReaderOptions, CaptureSink } from './types';

export type * from './types';
export { captureMessages, formatMessage, groupThousands, type CaptureMessageKey } from './messages';
export { blockName } from './pcapng';
export { blobRead, captureBytes, type CaptureBytes, type CaptureBytesOptions, type RawRead } from './ranges';
export { tsResolution, writePcapng, type PcapngPacket, type PcapngWriteOptions } from './pcapngWriter';

/** Common readers' limit for one packet (larger claims mean corruption). */
export const DEFAULT_MAX_RECORD_BYTES = 262144;

export function createCaptureReader(sink: CaptureSink, options: CaptureReaderOptions = {}): CaptureReader {
  const ctx = new ReaderContext(sink, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  const top = new StreamLevel(ctx, false);
  let ended = false;
  return {
    push(chunk: Uint8Array): void {
      if (ended || chunk.length === 0) return;
      top.push(chunk);
    },
    end(): void {
      if (ended) return;
      ended = true;
      top.end();
      ctx.flushSuppressed(top.bytesConsumed);
    },
    get bytesConsumed(): number {
      return top.bytesConsumed;
    },
    get stopped(): boolean {
      return ctx.stopped;
    },
  };
}

/** The captured bytes of a record, re-read from the whole (decompressed) file by offset. */
export function readPacketAt(bytes: Uint8Array, rec: { dataOffset: number; capturedLength: number }): Uint8Array {
  return bytes.subarray(rec.dataOffset, Math.min(bytes.length, rec.dataOffset + rec.capturedLength));
}

/** The same from a Blob or File (uncompressed captures only: offsets count decompressed bytes). */
export async function readPacketFromBlob(blob: Blob, rec: { dataOffset: number; capturedLength: number }): Promise<Uint8Array> {
  const buf = await blob.slice(rec.dataOffset, rec.dataOffset + rec.capturedLength).arrayBuffer();
  return new Uint8Array(buf);
}
