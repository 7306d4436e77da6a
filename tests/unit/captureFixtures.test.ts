/** The small real captures kept in tests/fixtures/capture, read with every chunking. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockSequence, CHUNK_SIZES, epochText, readBytes, readTsv } from './captureHarness';
import { readCaptureFile } from '../../src/capture/node';

const dir = path.resolve(__dirname, '..', 'fixtures', 'capture');
const captures = readdirSync(dir).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort();
const load = (f: string) => new Uint8Array(readFileSync(path.join(dir, f)));

describe('capture fixtures', () => {
  it('are there', () => {
    expect(captures.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of captures) {
    it(`${f}: identical records for chunks of ${CHUNK_SIZES.join(', ')} (0 = whole) bytes, no warnings`, () => {
      const bytes = load(f);
      const whole = readBytes(bytes);
      expect(whole.warnings).toEqual([]);
      expect(whole.stopped).toBe(false);
      for (const c of CHUNK_SIZES) expect(readBytes(bytes, c)).toEqual(whole);
    });

    const tsv = path.join(dir, `${f}.frames.tsv`);
    if (existsSync(tsv)) {
      it(`${f}: frames, time stamps and lengths equal tshark's`, () => {
        const rows = readTsv(readFileSync(tsv, 'utf8'));
        const r = readBytes(load(f));
        expect(r.records.length).toBe(rows.length);
        expect(r.records.map((x) => `${x.index + 1}\t${epochText(x.tsSec, x.tsNsec)}\t${x.originalLength}`)).toEqual(
          rows.map((row) => `${row['frame.number']}\t${row['frame.time_epoch']}\t${row['frame.len']}`),
        );
      });
    }

    const txt = path.join(dir, f.replace(/\.pcapng$/, '.txt'));
    if (f.endsWith('.pcapng') && existsSync(txt)) {
      it(`${f}: block sequence as its description says`, () => {
        const r = readBytes(load(f));
        expect(r.blocks.map((b) => b.name)).toEqual(blockSequence(readFileSync(txt, 'utf8')));
      });
    }
  }

  it('big- and little-endian versions of the generator files hold the same packets', () => {
    for (const f of captures.filter((x) => x.startsWith('pcapng-test-generator.le.'))) {
      const le = readBytes(load(f));
      const be = readBytes(load(f.replace('.le.', '.be.')));
      expect(be.records).toEqual(le.records);
      expect(be.interfaces).toEqual(le.interfaces);
      expect(le.records.length + le.interfaces.length).toBeGreaterThan(0);
    }
  });

  it('a gzip-compressed capture reads like the plain one, offsets in the decompressed stream', () => {
    const plain = readBytes(load('pmtu-blackhole.node-eth0.pcapng'));
    const gz = readBytes(load('pmtu-blackhole.node-eth0.pcapng.gz'));
    expect(gz.records).toEqual(plain.records);
    expect(gz.formatInfo).toMatchObject({ compressed: true });
    expect(gz.bytesConsumed).toBe(plain.bytesConsumed);
  });

  it('readCaptureFile streams a file from disk', async () => {
    let n = 0;
    let lastLen = 0;
    const res = await readCaptureFile(path.join(dir, 'pmtu-blackhole.node-eth0.pcap'), {
      onRecord(r) { n++; lastLen = r.originalLength; },
    }, 1000);
    expect(res).toEqual({ bytes: load('pmtu-blackhole.node-eth0.pcap').length, stopped: false });
    expect(n).toBe(32);
    expect(lastLen).toBeGreaterThan(0);
  });
});
