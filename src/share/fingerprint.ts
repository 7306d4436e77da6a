/**
 * The capture's fingerprint: SHA-256 of the file's raw bytes (before any gzip decompression),
 * computed incrementally as the worker streams the file, so it costs no second pass and never
 * needs the whole file in memory (WebCrypto's digest() is one-shot and would).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Hex digits of the fingerprint a link carries: 128 bits tell captures apart with no real chance of collision. */
export const FINGERPRINT_HEX_CHARS = 32;

export class Fingerprinter {
  private readonly hash = sha256.create();
  private total = 0;
  private done: string | null = null;

  /** Feed the next chunk of the file; chunks may be of any size, including empty. */
  update(chunk: Uint8Array): void {
    if (this.done !== null) throw new Error('Fingerprinter: update() after digestHex()');
    this.hash.update(chunk);
    this.total += chunk.length;
  }

  /** Bytes hashed so far: the file's size once it has been read to the end. */
  get bytes(): number {
    return this.total;
  }

  /** Full 64-digit lower-case hex digest; ends the hashing (later calls return the same value). */
  digestHex(): string {
    if (this.done === null) this.done = bytesToHex(this.hash.digest());
    return this.done;
  }
}

/** Fingerprint of bytes already in memory (tests, the CLI, small files). */
export function fingerprintBytes(bytes: Uint8Array): string {
  const f = new Fingerprinter();
  f.update(bytes);
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
