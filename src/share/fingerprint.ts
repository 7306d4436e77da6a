/**
 * The capture's fingerprint, computed as the worker streams the file (no second pass, never the
 * whole file in memory):
 *
 *   fingerprint = SHA-256( SHA-256(slice 0) ‖ SHA-256(slice 1) ‖ … )
 *
 * over the file's raw bytes (before any gzip decompression) cut into fixed 4 MiB slices, the last one
 * shorter (an empty file has no slice). It is therefore NOT the `sha256sum` of the file. Why: a
 * streaming (incremental) SHA-256 exists in the browser only in JavaScript (~70–150 MB/s, which was
 * most of the time to load a big capture), while WebCrypto's native digest is one-shot; one-shot
 * digests of fixed slices, combined, give the same guarantee at native speed, and run beside the parser.
 * Where WebCrypto is missing (a page served over plain http from another host), the same digests are
 * computed in JavaScript, so the fingerprint never depends on where it was computed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Hex digits of the fingerprint a link carries: 128 bits tell captures apart with no real chance of collision. */
export const FINGERPRINT_HEX_CHARS = 32;

/** The slice size is part of the fingerprint's definition: changing it changes every fingerprint. */
export const FINGERPRINT_SLICE_BYTES = 4 * 1024 * 1024;

/** Slices hashed at once at most: each in-flight WebCrypto digest holds a copy of its slice. */
const MAX_IN_FLIGHT = 4;

type Digest = (bytes: Uint8Array) => Promise<Uint8Array>;

const subtle: SubtleCrypto | undefined = (globalThis as { crypto?: Crypto }).crypto?.subtle;

const nativeDigest: Digest | null = subtle
  ? async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  : null;

const scriptDigest: Digest = (bytes) => Promise.resolve(sha256(bytes));

export class Fingerprinter {
  private readonly digest: Digest;
  private readonly slice = new Uint8Array(FINGERPRINT_SLICE_BYTES);
  private fill = 0;
  private readonly digests: Promise<Uint8Array>[] = [];
  private settledUpTo = 0;
  private total = 0;
  private done: Promise<string> | null = null;

  /** `useWebCrypto: false` forces the JavaScript digest (tests; the result is the same). */
  constructor(options: { useWebCrypto?: boolean } = {}) {
    this.digest = options.useWebCrypto === false ? scriptDigest : (nativeDigest ?? scriptDigest);
  }

  /**
   * Feed the next chunk of the file; chunks may be of any size, including empty. The returned
   * promise settles once few enough slices are being hashed (await it to bound memory).
   */
  update(chunk: Uint8Array): Promise<void> {
    if (this.done !== null) throw new Error('Fingerprinter: update() after digestHex()');
    this.total += chunk.length;
    let at = 0;
    // Whole slices straight from the chunk (no copy here; WebCrypto copies its input itself).
    if (this.fill === 0) {
      while (chunk.length - at >= FINGERPRINT_SLICE_BYTES) {
        this.digests.push(this.digest(chunk.subarray(at, at + FINGERPRINT_SLICE_BYTES)));
        at += FINGERPRINT_SLICE_BYTES;
      }
    }
    while (at < chunk.length) {
      const n = Math.min(chunk.length - at, FINGERPRINT_SLICE_BYTES - this.fill);
      this.slice.set(chunk.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === FINGERPRINT_SLICE_BYTES) {
        // The digest copies the bytes before returning, so the buffer can be refilled at once.
        this.digests.push(this.digest(this.slice));
        this.fill = 0;
      }
    }
    return this.backpressure();
  }

  private async backpressure(): Promise<void> {
    while (this.digests.length - this.settledUpTo > MAX_IN_FLIGHT) await this.digests[this.settledUpTo++];
  }

  /** Bytes fed so far: the file's size once it has been read to the end. */
  get bytes(): number {
    return this.total;
  }

  /** Full 64-digit lower-case hex digest; ends the hashing (later calls return the same value). */
  digestHex(): Promise<string> {
    if (this.done === null) {
      if (this.fill > 0) this.digests.push(this.digest(this.slice.subarray(0, this.fill)));
      this.fill = 0;
      this.done = (async () => {
        const parts = await Promise.all(this.digests);
        const joined = new Uint8Array(parts.length * 32);
        parts.forEach((p, i) => joined.set(p, i * 32));
        return bytesToHex(await this.digest(joined));
      })();
    }
    return this.done;
  }
}

/** Fingerprint of bytes already in memory (tests, the CLI, small files). */
export async function fingerprintBytes(bytes: Uint8Array): Promise<string> {
  const f = new Fingerprinter();
  await f.update(bytes);
  return f.digestHex();
}

/** The prefix a link carries and the UI shows. */
export function fingerprintPrefix(hex: string, chars = FINGERPRINT_HEX_CHARS): string {
  return hex.slice(0, chars).toLowerCase();
}

/**
 * Does a capture's full fingerprint match the (possibly shorter) one from a link? Both are
 * lower-cased hex; a link's prefix must be at least 32 digits (validated when it is parsed).
 */
export function fingerprintMatches(fullHex: string, linkHex: string): boolean {
  const a = fullHex.toLowerCase();
  const b = linkHex.toLowerCase();
  return b.length > 0 && b.length <= a.length && a.startsWith(b);
}
