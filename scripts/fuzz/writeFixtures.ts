/**
 * Writes the hand-made hostile captures of tests/fixtures/fuzz/ (run once; the files are committed):
 *   tsx scripts/fuzz/writeFixtures.ts
 * Each is a shape of damage worth keeping even when no fuzz run has failed on it yet.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Prng } from '../gen/prng';
import { deepTunnelFrame, optionSoupFrame } from './craft';
import { putU32 } from './structure';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures', 'fuzz');

function pcap(frames: Uint8Array[], opts: { snaplen?: number; caplenOf?: (i: number, n: number) => number } = {}): Uint8Array {
  const size = 24 + frames.reduce((a, f) => a + 16 + f.length, 0);
  const b = new Uint8Array(size);
  putU32(b, 0, 0xa1b2c3d4, true);
  b[4] = 2; b[6] = 4;
  putU32(b, 16, opts.snaplen ?? 262144, true);
  putU32(b, 20, 1, true);
  let o = 24;
  frames.forEach((f, i) => {
    putU32(b, o, 1_700_000_000 + i, true);
    putU32(b, o + 8, opts.caplenOf ? opts.caplenOf(i, f.length) : f.length, true);
    putU32(b, o + 12, f.length, true);
    b.set(f, o + 16);
    o += 16 + f.length;
  });
  return b;
}

function pcapngZeroBlock(): Uint8Array {
  const b = new Uint8Array(28 + 12 + 8);
  putU32(b, 0, 0x0a0d0d0a, true); putU32(b, 4, 28, true); putU32(b, 8, 0x1a2b3c4d, true);
  b[12] = 1; putU32(b, 16, 0xffffffff, true); putU32(b, 20, 0xffffffff, true); putU32(b, 24, 28, true);
  putU32(b, 28, 6, true); putU32(b, 32, 0, true); // an EPB claiming length 0
  return b;
}

const rng = new Prng(7);
const fixtures: Record<string, Uint8Array> = {
  'hand-deep-tunnel-100.bin': pcap([deepTunnelFrame(rng, 100), deepTunnelFrame(rng, 64), deepTunnelFrame(rng, 33)]),
  'hand-option-soup.bin': pcap(Array.from({ length: 64 }, () => optionSoupFrame(rng))),
  'hand-caplen-4g.bin': pcap([optionSoupFrame(rng), optionSoupFrame(rng)], { caplenOf: (i, n) => (i === 1 ? 0xffffffff : n) }),
  'hand-snaplen-0-caplen-over.bin': pcap([optionSoupFrame(rng)], { snaplen: 0, caplenOf: (_i, n) => n + 1 }),
  'hand-pcapng-zero-length-block.bin': pcapngZeroBlock(),
  'hand-header-cut.bin': pcap([]).slice(0, 10),
};
for (const [name, bytes] of Object.entries(fixtures)) writeFileSync(path.join(dir, name), bytes);
writeFileSync(path.join(dir, 'hand-permalink-garbage.url.txt'), '#v=2&fp=%zz&s=-1&w=NaN,1e999&f=0x10&snap=' + 'A'.repeat(5000));
console.log(`wrote ${Object.keys(fixtures).length + 1} fixtures to ${path.relative(process.cwd(), dir)}`);
