/**
 * Throughput of the capture fingerprint (incremental SHA-256, @noble/hashes) on the loading path:
 * 64 MB fed in 1 MB chunks, as the worker streams a file. Compared with node:crypto (native code)
 * for scale; in the browser only the JavaScript implementation is available for streaming input.
 * Run: npx tsx scripts/bench/fingerprint.ts
 */
import { createHash } from 'node:crypto';
import { Fingerprinter } from '../../src/share/fingerprint.js';

const CHUNK = 1 << 20;
const TOTAL_MB = 64;
const chunk = new Uint8Array(CHUNK);
for (let i = 0; i < CHUNK; i++) chunk[i] = (i * 2654435761) >>> 24;

function run(label: string, hashAll: () => string): void {
  hashAll(); // warm up the JIT
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    hashAll();
    times.push(performance.now() - t);
  }
  const best = Math.min(...times);
  console.log(`${label}: ${(TOTAL_MB / (best / 1000)).toFixed(0)} MB/s (best of 3, ${best.toFixed(0)} ms for ${TOTAL_MB} MB)`);
}

run('Fingerprinter (@noble/hashes sha256)', () => {
  const f = new Fingerprinter();
  for (let i = 0; i < TOTAL_MB; i++) f.update(chunk);
  return f.digestHex();
});
run('node:crypto sha256 (reference)', () => {
  const h = createHash('sha256');
  for (let i = 0; i < TOTAL_MB; i++) h.update(chunk);
  return h.digest('hex');
});
