/** The benchmark captures: generated once into bench-data/, reused afterwards. */
import { existsSync, mkdirSync } from 'node:fs';
import { generateCapture } from '../gen/generate';
import { defaultCapturePath } from '../gen-capture';

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export function ensureCapture(size: number, format: 'pcap' | 'pcapng', seed: number): string {
  const path = defaultCapturePath(size, format, seed);
  if (!existsSync(path)) {
    mkdirSync('bench-data', { recursive: true });
    process.stderr.write(`generating ${path} ...\n`);
    const r = generateCapture({ out: path, format, sizeBytes: size, seed });
    process.stderr.write(`  ${r.packets} packets, ${r.streams} streams in ${r.seconds.toFixed(1)} s\n`);
  }
  return path;
}
