import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fingerprinter, fingerprintBytes, fingerprintMatches, fingerprintPrefix } from '../../src/share/fingerprint.js';
import { repoRoot } from './shareSamples.js';

const nodeSha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('share fingerprint', () => {
  const sample = new Uint8Array(readFileSync(path.join(repoRoot, 'public/samples/pmtu-blackhole.pcap')));

  it('is the SHA-256 of the file bytes, whatever the chunk sizes', () => {
    const expected = nodeSha256(sample);
    for (const size of [1, 7, 63, 64, 65, 4096, sample.length]) {
      const f = new Fingerprinter();
      for (let i = 0; i < sample.length; i += size) f.update(sample.subarray(i, i + size));
      f.update(new Uint8Array(0));
      expect(f.digestHex()).toBe(expected);
      expect(f.bytes).toBe(sample.length);
    }
    expect(fingerprintBytes(sample)).toBe(expected);
  });

  it('matches node:crypto for any bytes split anywhere', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 5 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const f = new Fingerprinter();
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          f.update(bytes.subarray(prev, p));
          prev = p;
        }
        return f.digestHex() === nodeSha256(bytes);
      }),
    );
  });

  it('is final once read', () => {
    const f = new Fingerprinter();
    f.update(new Uint8Array([1]));
    const d = f.digestHex();
    expect(f.digestHex()).toBe(d);
    expect(() => f.update(new Uint8Array([2]))).toThrow();
  });

  it('compares a link prefix with a full digest', () => {
    const full = fingerprintBytes(sample);
    expect(fingerprintPrefix(full)).toHaveLength(32);
    expect(fingerprintMatches(full, fingerprintPrefix(full))).toBe(true);
    expect(fingerprintMatches(full, full)).toBe(true);
    expect(fingerprintMatches(full, '0'.repeat(32))).toBe(false);
    expect(fingerprintMatches(full, '')).toBe(false);
  });
});
