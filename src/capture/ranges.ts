/**
 * Re-reading bytes of a capture by offset after the analysis: the packets of an export, the payloads
 * of a followed stream. Offsets count bytes of the (decompressed) capture, as the records and the
 * packet table hold them.
 *
 *   const bytes = captureBytes(blobRead(file), { compressed: analysis.compressed });   // browser
 *   const bytes = captureBytes(fileRead(handle), { compressed });                      // Node (src/cli/readFile.ts)
 *   const frame = await bytes.read(offset, length);
 *
 * Plain files are read in windows (1 MiB by default) around the asked range, so reading the frames
 * of a stream one by one costs one file read per window, not per packet. A gzip-compressed file
 * cannot be read at an offset: it is inflated from the start, once, forward; ranges asked in
 * ascending order (what an export and a followed stream ask) cost one pass over the file, and a
 * range before the last one starts the inflation over. Nothing but the current window is kept.
 */
import { Gunzip } from 'fflate';

/** Reads `length` bytes of the file as stored (compressed or not) at `offset`; fewer at its end. */
export type RawRead = (offset: number, length: number) => Promise<Uint8Array>;

export interface CaptureBytes {
  /**
   * Bytes [offset, offset + length) of the (decompressed) capture; fewer when the capture ends
   * before. The answer is a view valid until the next call: copy what you keep.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface CaptureBytesOptions {
  /** The file is gzip-compressed (Analysis.compressed). */
  compressed: boolean;
  /** Bytes read around a range of a plain file (default 1 MiB); compressed bytes read at a time for gzip. */
  window?: number;
}

const DEFAULT_WINDOW = 1 << 20;

/** Ranges of a Blob or File (the browser). */
export function blobRead(blob: Blob): RawRead {
  return async (offset, length) => new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer());
}

export function captureBytes(raw: RawRead, options: CaptureBytesOptions): CaptureBytes {
  const window = Math.max(4096, options.window ?? DEFAULT_WINDOW);
  return options.compressed ? new GzipBytes(raw, window) : new PlainBytes(raw, window);
}

class PlainBytes implements CaptureBytes {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;

  constructor(private readonly raw: RawRead, private readonly window: number) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    const end = offset + length;
    if (offset < this.start || end > this.start + this.buf.length) {
      // Short at the file's end: the window then holds all there is, and the answer is cut to it.
      this.buf = await this.raw(offset, Math.max(length, this.window));
      this.start = offset;
    }
    const from = offset - this.start;
    return this.buf.subarray(from, Math.min(this.buf.length, from + length));
  }
}

/**
 * Forward-only inflation: `out` holds decompressed bytes [outStart, outStart + outLen), from the
 * start of the last range asked; what comes before is dropped.
 */
class GzipBytes implements CaptureBytes {
  private gunzip: Gunzip | null = null;
  private rawPos = 0;
  private rawDone = false;
  /** Decompressed bytes produced so far (the offset just past the last one). */
  private produced = 0;
  private out: Uint8Array = new Uint8Array(0);
  private outStart = 0;
  private outLen = 0;
  /** Bytes before this offset are not needed any more. */
  private keepFrom = 0;
  private failed: Error | null = null;

  constructor(private readonly raw: RawRead, private readonly window: number) {}

  private restart(): void {
    this.gunzip = new Gunzip((data) => this.take(data));
    this.rawPos = 0;
    this.rawDone = false;
    this.produced = 0;
    this.outStart = 0;
    this.outLen = 0;
    this.failed = null;
  }

  /** Keep what lies at or after keepFrom. */
  private take(data: Uint8Array): void {
    const at = this.produced;
    this.produced += data.length;
    if (this.produced <= this.keepFrom) return;
    const skip = Math.max(0, this.keepFrom - at);
    const part = data.subarray(skip);
    const partStart = at + skip;
    // Drop kept bytes before keepFrom.
    if (this.outStart < this.keepFrom) {
      const drop = Math.min(this.outLen, this.keepFrom - this.outStart);
      this.out.copyWithin(0, drop, this.outLen);
      this.outLen -= drop;
      this.outStart += drop;
    }
    if (this.outLen === 0) this.outStart = partStart;
    if (this.outLen + part.length > this.out.length) {
      const bigger = new Uint8Array(Math.max(this.out.length * 2, this.outLen + part.length, 1 << 16));
      bigger.set(this.out.subarray(0, this.outLen));
      this.out = bigger;
    }
    this.out.set(part, this.outLen);
    this.outLen += part.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    if (!this.gunzip || offset < this.outStart || (this.outLen === 0 && offset < this.produced)) this.restart();
    this.keepFrom = offset;
    const end = offset + length;
    while (this.produced < end && !this.rawDone) {
      const chunk = await this.raw(this.rawPos, this.window);
      this.rawPos += chunk.length;
      const last = chunk.length < this.window;
      try {
        (this.gunzip as Gunzip).push(chunk, last);
      } catch (e) {
        this.failed = e instanceof Error ? e : new Error(String(e));
        this.rawDone = true;
      }
      if (last) this.rawDone = true;
    }
    if (this.failed && this.produced < end) throw this.failed;
    const from = offset - this.outStart;
    if (from < 0 || from >= this.outLen) return new Uint8Array(0);
    return this.out.subarray(from, Math.min(this.outLen, from + length));
  }
}
