import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FINGERPRINT_SLICE_BYTES, Fingerprinter, fingerprintBytes, fingerprintMatches, fingerprintPrefix,
} from '../../src/share/fingerprint.js';
import { repoRoot } from './shareSamples.js';

const nodeSha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/** The definition, written independently: SHA-256 over the SHA-256 digests of the 4 MiB slices. */
function reference(bytes: Uint8Array): string {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += FINGERPRINT_SLICE_BYTES) parts.push(nodeSha256(bytes.subarray(at, at + FINGERPRINT_SLICE_BYTES)));
  return nodeSha256(Buffer.concat(parts)).toString('hex');
}

async function chunked(bytes: Uint8Array, size: number, useWebCrypto = true): Promise<Fingerprinter> {
  const f = new Fingerprinter({ useWebCrypto });
  for (let i = 0; i < bytes.length; i += size) await f.update(bytes.subarray(i, i + size));
  await f.update(new Uint8Array(0));
  return f;
}

describe('share fingerprint', () => {
  const sample = new Uint8Array(readFileSync(path.join(repoRoot, 'public/samples/pmtu-blackhole.pcap')));
  // Over two slices and a part, with no repeating pattern.
  const big = new Uint8Array(2 * FINGERPRINT_SLICE_BYTES + 12_345);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;

  it('is SHA-256 over the slices\' SHA-256, whatever the chunk sizes', async () => {
    const expected = reference(sample);
    for (const size of [1, 7, 63, 64, 65, 4096, sample.length]) {
      const f = await chunked(sample, size);
      expect(await f.digestHex()).toBe(expected);
      expect(f.bytes).toBe(sample.length);
    }
    expect(await fingerprintBytes(sample)).toBe(expected);
  });

  it('cuts a big file into fixed slices, fed in any chunks, with WebCrypto or without', async () => {
    const expected = reference(big);
    for (const size of [1_000_003, FINGERPRINT_SLICE_BYTES, FINGERPRINT_SLICE_BYTES + 1, 3 * FINGERPRINT_SLICE_BYTES]) {
      expect(await (await chunked(big, size)).digestHex()).toBe(expected);
    }
    expect(await (await chunked(big, 1_000_003, false)).digestHex()).toBe(expected);
    // Not the plain SHA-256 of the file: the README says so.
    expect(expected).not.toBe(nodeSha256(big).toString('hex'));
  });

  it('of an empty file is the SHA-256 of nothing', async () => {
    expect(await fingerprintBytes(new Uint8Array(0))).toBe(nodeSha256(new Uint8Array(0)).toString('hex'));
  });

  it('matches the definition for any bytes split anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 5 }), fc.boolean(), async (bytes, cuts, web) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const f = new Fingerprinter({ useWebCrypto: web });
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          await f.update(bytes.subarray(prev, p));
          prev = p;
        }
        return (await f.digestHex()) === reference(bytes);
      }),
    );
  });

  it('is final once read', async () => {
    const f = new Fingerprinter();
    await f.update(new Uint8Array([1]));
    const d = await f.digestHex();
    expect(await f.digestHex()).toBe(d);
    expect(() => f.update(new Uint8Array([2]))).toThrow();
  });

  it('compares a link prefix with a full digest', async () => {
    const full = await fingerprintBytes(sample);
    expect(fingerprintPrefix(full)).toHaveLength(32);
    expect(fingerprintMatches(full, fingerprintPrefix(full))).toBe(true);
    expect(fingerprintMatches(full, full)).toBe(true);
    expect(fingerprintMatches(full, '0'.repeat(32))).toBe(false);
    expect(fingerprintMatches(full, '')).toBe(false);
  });
});
