/**
 * Throughput of the capture fingerprint on the loading path (src/share/fingerprint.ts): 64 MB fed in
 * 4 MiB chunks, as the worker reads a file. WebCrypto's native digest of fixed slices against the
 * JavaScript one (@noble/hashes, the fallback where WebCrypto is missing), and node:crypto's plain
 * streaming SHA-256 for scale. Run: npx tsx scripts/bench/fingerprint.ts
 */
import { createHash } from 'node:crypto';
import { Fingerprinter } from '../../src/share/fingerprint.js';

const CHUNK = 4 << 20;
const CHUNKS = 16;
const TOTAL_MB = (CHUNK * CHUNKS) / 1e6;
const chunk = new Uint8Array(CHUNK);
for (let i = 0; i < CHUNK; i++) chunk[i] = (i * 2654435761) >>> 24;

async function run(label: string, hashAll: () => Promise<string>): Promise<void> {
  await hashAll(); // warm up the JIT
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await hashAll();
    times.push(performance.now() - t);
  }
  const best = Math.min(...times);
  console.log(`${label}: ${(TOTAL_MB / (best / 1000)).toFixed(0)} MB/s (best of 3, ${best.toFixed(0)} ms for ${TOTAL_MB.toFixed(0)} MB)`);
}

async function fingerprint(useWebCrypto: boolean): Promise<string> {
  const f = new Fingerprinter({ useWebCrypto });
  for (let i = 0; i < CHUNKS; i++) await f.update(chunk);
  return f.digestHex();
}

await run('Fingerprinter (WebCrypto slices)', () => fingerprint(true));
await run('Fingerprinter (@noble/hashes slices, fallback)', () => fingerprint(false));
await run('node:crypto sha256 (reference)', () => {
  const h = createHash('sha256');
  for (let i = 0; i < CHUNKS; i++) h.update(chunk);
  return Promise.resolve(h.digest('hex'));
});
