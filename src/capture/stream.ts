/**
 * One level of the input: waits for the first bytes, recognises the format, then forwards every
 * chunk to the matching framer, or through a streaming gunzip to another level.
 */
import { Gunzip } from 'fflate';
import type { ReaderContext } from './context';
import { Framer } from './framer';
import { PcapParser } from './pcap';
import { PcapngParser } from './pcapng';
import { hexBytes, sniff } from './sniff';

const SNIFF_BYTES = 4;

interface Target {
  push(chunk: Uint8Array): void;
  end(): void;
  readonly bytesConsumed: number;
}

/** Smallest gzip member: 10-byte header, an empty deflate block, 8-byte trailer. */
const GZIP_MIN = 18;
/** Compressed bytes handed to the inflater at a time. */
const GZIP_SLICE = 1 << 16;

class GzipTarget implements Target {
  private readonly inner: StreamLevel;
  private readonly gunzip: Gunzip;
  private failed = false;
  /**
   * The inflater does not notice a missing trailer, so we check it: the last 8 compressed bytes
   * end with the member's decompressed size (mod 2^32), counted from where the member started.
   */
  private readonly tail = new Uint8Array(8);
  private compressedBytes = 0;
  private memberStart = 0;
  /**
   * Every compressed byte is staged, in two buffers used in turn: the inflater never sees a view of
   * the caller's chunk (which the caller may reuse once push returns), and the one view it keeps
   * (its last input, while a gzip header is still incomplete) it copies at the next push, by which
   * time the other buffer is being filled.
   */
  private readonly staged = [new Uint8Array(GZIP_SLICE), new Uint8Array(GZIP_SLICE)];
  private current = 0;
  private stagedLen = 0;

  constructor(private readonly ctx: ReaderContext) {
    this.inner = new StreamLevel(ctx, true);
    this.gunzip = new Gunzip((data) => {
      if (data.length > 0) this.inner.push(data);
    });
    this.gunzip.onmember = () => {
      this.memberStart = this.inner.bytesConsumed;
    };
  }

  get bytesConsumed(): number {
    return this.inner.bytesConsumed;
  }

  push(chunk: Uint8Array): void {
    if (this.failed || this.ctx.stopped) return;
    this.keepTail(chunk);
    // The inflater gets the compressed stream in the same slices whatever the chunking, so what
    // it delivers before damage (and where it notices it) does not depend on the chunk sizes.
    const n = chunk.length;
    for (let i = 0; i < n; ) {
      const buf = this.staged[this.current];
      const take = Math.min(GZIP_SLICE - this.stagedLen, n - i);
      buf.set(chunk.subarray(i, i + take), this.stagedLen);
      this.stagedLen += take;
      i += take;
      if (this.stagedLen < GZIP_SLICE) return;
      this.stagedLen = 0;
      this.current ^= 1;
      if (!this.inflate(buf, false)) return;
    }
  }

  /** Feed the inflater (which copies what it keeps); false once it failed. */
  private inflate(slice: Uint8Array, final: boolean): boolean {
    if (this.failed || this.ctx.stopped) return false;
    try {
      this.gunzip.push(slice, final);
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  end(): void {
    if (!this.failed && !this.ctx.stopped) {
      try {
        this.gunzip.push(this.staged[this.current].slice(0, this.stagedLen), true);
      } catch (e) {
        this.fail(e);
      }
    }
    if (!this.failed && !this.ctx.stopped) {
      const t = this.tail;
      const isize = (t[4] | (t[5] << 8) | (t[6] << 16) | (t[7] << 24)) >>> 0;
      const size = (this.inner.bytesConsumed - this.memberStart) % 4294967296;
      if (this.compressedBytes < GZIP_MIN || isize !== size) this.fail(new Error('unexpected end of file'));
    }
    this.inner.end();
  }

  private keepTail(chunk: Uint8Array): void {
    this.compressedBytes += chunk.length;
    if (chunk.length >= 8) {
      this.tail.set(chunk.subarray(chunk.length - 8));
    } else {
      this.tail.copyWithin(0, chunk.length);
      this.tail.set(chunk, 8 - chunk.length);
    }
  }

  private fail(e: unknown): void {
    this.failed = true;
    const detail = e instanceof Error ? e.message : String(e);
    this.ctx.warn('gzip-error', 'capture.gzip', this.inner.bytesConsumed, { detail }, true);
  }
}

export class StreamLevel implements Target {
  private readonly head = new Uint8Array(SNIFF_BYTES);
  private headLen = 0;
  private target: Target | null = null;
  private ended = false;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly compressed: boolean,
  ) {}

  get bytesConsumed(): number {
    return this.target ? this.target.bytesConsumed : this.headLen;
  }

  push(chunk: Uint8Array): void {
    if (this.ended || this.ctx.stopped) return;
    if (this.target) {
      this.target.push(chunk);
      return;
    }
    const take = Math.min(SNIFF_BYTES - this.headLen, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLen);
    this.headLen += take;
    if (this.headLen < SNIFF_BYTES) return;
    if (!this.choose()) return;
    const t = this.target as Target | null;
    if (!t) return;
    t.push(this.head.slice());
    if (take < chunk.length) t.push(chunk.subarray(take));
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.target) {
      this.target.end();
      return;
    }
    if (this.ctx.stopped) return;
    if (this.headLen === 0) this.ctx.warn('truncated-header', 'capture.empty', 0, {}, true);
    else this.ctx.warn('truncated-header', 'capture.tooShort', 0, { size: this.headLen }, true);
  }

  /** Pick the target for the sniffed format; false when the stream cannot be read. */
  private choose(): boolean {
    const s = sniff(this.head);
    const ctx = this.ctx;
    switch (s.kind) {
      case 'gzip':
        this.target = new GzipTarget(ctx);
        return true;
      case 'pcap':
        this.target = new Framer(new PcapParser(ctx, this.compressed), () => ctx.stopped);
        return true;
      case 'pcapng':
        this.target = new Framer(new PcapngParser(ctx, this.compressed), () => ctx.stopped);
        return true;
      case 'text-mode':
        ctx.warn('text-mode-corruption', 'capture.textMode', 0, { how: s.how }, true);
        break;
      case 'other':
        ctx.warn('bad-magic', 'capture.otherFormat', 0, { what: s.what, hint: s.hint }, true);
        break;
      default:
        ctx.warn('bad-magic', 'capture.unknownFormat', 0, { bytes: hexBytes(this.head) }, true);
    }
    ctx.sink.onFormat?.('unknown', { byteOrder: 'le', compressed: this.compressed, versionMajor: 0, versionMinor: 0 });
    return false;
  }
}
