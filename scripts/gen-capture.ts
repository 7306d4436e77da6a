/**
 * Writes a big deterministic capture for benchmarks and stress tests.
 *   tsx scripts/gen-capture.ts [--size 1GiB] [--format pcap|pcapng] [--seed 1] [--out bench-data/x.pcap]
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateCapture } from './gen/generate';
import { parseArgs, parseSize } from './gen/args';

export function defaultCapturePath(sizeBytes: number, format: 'pcap' | 'pcapng', seed: number): string {
  const mib = Math.round(sizeBytes / (1 << 20));
  return `bench-data/synthetic-${mib}MiB-s${seed}.${format}`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const format = args.format === 'pcapng' ? 'pcapng' : 'pcap';
  const sizeBytes = parseSize(args.size ?? '1GiB');
  const seed = Number.parseInt(args.seed ?? '1', 10) >>> 0;
  const out = args.out ?? defaultCapturePath(sizeBytes, format, seed);
  mkdirSync(dirname(out), { recursive: true });
  const r = generateCapture({
    out, format, sizeBytes, seed,
    onProgress: (bytes, packets) => process.stderr.write(`\r${(bytes / 2 ** 20).toFixed(0)} MiB, ${packets} packets`),
  });
  process.stderr.write('\n');
  console.log(`${out}: ${r.bytes} bytes, ${r.packets} packets, ${r.streams} streams ` +
    `(big stream ${r.bigStreamPackets} packets), ${r.seconds.toFixed(1)} s, ${(r.bytes / 2 ** 20 / r.seconds).toFixed(0)} MiB/s`);
}

if (process.argv[1]?.endsWith('gen-capture.ts')) main();
