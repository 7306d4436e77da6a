/**
 * The reader keeps nothing of a chunk once push() returns, so a caller may read the whole file
 * through one buffer. Checked by scribbling over the buffer after every push: the records and
 * warnings must be those of the file read in one piece.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '../../src/capture/index';
import type { CaptureWarning } from '../../src/capture/types';
import { crlfToLf, lfToCrlf, pcapFile, withLineFeeds } from './captureBuilders';

const fixture = (f: string) => new Uint8Array(readFileSync(path.resolve(__dirname, '..', 'fixtures', 'capture', f)));

interface Seen {
  records: { index: number; fileOffset: number; tsSec: number; data: number[] }[];
  warnings: CaptureWarning[];
  bytesConsumed: number;
}

/** Read `file` in chunks of `size` bytes (whole when 0), through one reused buffer when `reuse`. */
function read(file: Uint8Array, size = 0, reuse = false): Seen {
  const seen: Seen = { records: [], warnings: [], bytesConsumed: 0 };
  const reader = createCaptureReader({
    onRecord(r) { seen.records.push({ index: r.index, fileOffset: r.fileOffset, tsSec: r.tsSec, data: Array.from(r.data) }); },
    onWarning(w) { seen.warnings.push(w); },
  });
  const step = size > 0 ? size : Math.max(1, file.length);
  const buf = new Uint8Array(step);
  for (let i = 0; i < file.length; i += step) {
    const part = file.subarray(i, i + step);
    if (!reuse) { reader.push(part); continue; }
    buf.set(part);
    reader.push(buf.subarray(0, part.length));
    buf.fill(0xa5); // what the next read would do to bytes the reader still pointed at
  }
  reader.end();
  seen.bytesConsumed = reader.bytesConsumed;
  return seen;
}

describe('a chunk may be reused once push returns', () => {
  it('pcap, pcapng and gzip fixtures read the same through one buffer', () => {
    for (const f of ['pmtu-blackhole.node-eth0.pcap', 'pmtu-blackhole.node-eth0-tunl0.pcapng', 'pmtu-blackhole.node-eth0.pcapng.gz']) {
      const file = fixture(f);
      const whole = read(file);
      expect(whole.records.length).toBeGreaterThan(0);
      for (const size of [1, 7, 100, 4093, 65536]) expect(read(file, size, true)).toEqual(whole);
    }
  });

  it('text-mode damage is still explained from the packet before it, wherever the chunk ended', () => {
    const records = [0, 1, 2, 3].map((i) => ({ sec: 1700000000 + i, frac: 1000 * i, data: withLineFeeds(200 + 13 * i, i) }));
    const crlf = pcapFile({ records: records.map((r) => ({ ...r, data: lfToCrlf(r.data) })) });
    for (const file of [lfToCrlf(pcapFile({ records })), crlfToLf(crlf)]) {
      const whole = read(file);
      expect(whole.warnings).toEqual([expect.objectContaining({ kind: 'text-mode-corruption', frame: 2 })]);
      for (let size = 1; size <= 600; size++) expect(read(file, size, true)).toEqual(whole);
    }
  });

  it('a gzip header longer than the inflater slice (a 100 kB file name) reads the same', () => {
    const plain = fixture('pmtu-blackhole.node-eth0.pcap');
    const gz = gzipSync(plain, { filename: 'x'.repeat(100_000) });
    const whole = read(plain);
    for (const size of [1000, 4093, 65536, 1 << 20]) expect(read(gz, size, true).records).toEqual(whole.records);
  });

  it('damaged files read the same through one buffer (property)', () => {
    const files = [fixture('pmtu-blackhole.server-eth0.pcap'), fixture('pcapng-test-generator.le.test202.pcapng'), fixture('pmtu-blackhole.node-eth0.pcapng.gz')];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 600 }),
        (which, edits, size) => {
          const b = files[which].slice();
          for (const [at, v] of edits) b[at % b.length] = v;
          expect(read(b, size, true)).toEqual(read(b));
        },
      ),
      { numRuns: 200 },
    );
  });
});
