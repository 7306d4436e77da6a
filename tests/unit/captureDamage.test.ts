/** Files that are not captures, or damaged ones: typed warnings in words, never an exception. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCaptureReader, groupThousands, readPacketAt } from '../../src/capture/index';
import { bytes, crlfToLf, lfToCrlf, PcapngBuilder, pcapFile, withLineFeeds } from './captureBuilders';
import { CHUNK_SIZES, readBytes } from './captureHarness';

const fixture = (f: string) => new Uint8Array(readFileSync(path.resolve(__dirname, '..', 'fixtures', 'capture', f)));

describe('not a capture', () => {
  it('an empty file', () => {
    const r = readBytes(new Uint8Array(0));
    expect(r.warnings).toEqual([expect.objectContaining({ key: 'capture.empty', message: 'the file is empty', fatal: true, offset: 0 })]);
    expect(r.stopped).toBe(true);
  });

  it('a file too short to hold a magic number', () => {
    expect(readBytes(Uint8Array.of(0xd4, 0xc3)).warnings[0]).toMatchObject({ key: 'capture.tooShort', params: { size: 2, offset: 0 } });
  });

  it('other formats are named with what to do', () => {
    const zip = readBytes(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4));
    expect(zip.warnings[0]).toMatchObject({ kind: 'bad-magic', fatal: true });
    expect(zip.warnings[0].message).toBe('this is a ZIP archive, not a pcap or pcapng capture; extract the capture from it first');
    const text = readBytes(new TextEncoder().encode('12:00:01.000 IP 10.0.0.1 > 10.0.0.2: Flags [S]\n'));
    expect(text.warnings[0].message).toMatch(/^this is a text file/);
    const junk = readBytes(Uint8Array.of(0, 1, 2, 3, 4, 5));
    expect(junk.warnings[0]).toMatchObject({ key: 'capture.unknownFormat', params: { bytes: '00 01 02 03', offset: 0 } });
    expect(junk.format).toBe('unknown');
  });
});

describe('gzip', () => {
  const plain = fixture('pmtu-blackhole.node-eth0.pcap');
  const gz = gzipSync(plain);
  const full = readBytes(plain);

  it('decompresses as a stream, identically for any chunking', () => {
    for (const c of CHUNK_SIZES) {
      const r = readBytes(gz, c);
      expect(r.records).toEqual(full.records);
      expect(r.warnings).toEqual([]);
    }
  });

  it('a cut-short gzip file gives the packets before the cut and one warning', () => {
    for (const cut of [5, 20, 100, gz.length >> 1, gz.length - 9, gz.length - 1]) {
      const r = readBytes(gz.subarray(0, cut), 997);
      expect(full.records.slice(0, r.records.length)).toEqual(r.records);
      // Cut inside the 8-byte trailer, every packet is there but the file is still incomplete.
      if (cut <= gz.length >> 1) expect(r.records.length).toBeLessThan(full.records.length);
      expect(r.warnings.filter((w) => w.fatal)).toHaveLength(1);
    }
  });

  it('damaged compressed data gives a gzip warning, not an exception', () => {
    const bad = gz.slice();
    for (let i = 30; i < 60; i++) bad[i] ^= 0x5a;
    const r = readBytes(bad);
    expect(r.warnings.some((w) => w.kind === 'gzip-error' || w.fatal)).toBe(true);
    expect(r.records.length).toBeLessThan(full.records.length);
  });

  it('several gzip members read as one stream', () => {
    const two = new Uint8Array([...gzipSync(plain.subarray(0, 1000)), ...gzipSync(plain.subarray(1000))]);
    expect(readBytes(two, 333).records).toEqual(full.records);
  });
});

describe('text-mode transfer damage of a classic pcap', () => {
  const file = pcapFile({
    records: [0, 1, 2, 3].map((i) => ({ sec: 1700000000 + i, frac: 1000 * i, data: withLineFeeds(200 + 13 * i, i) })),
  });

  it('LF → CR LF is recognised', () => {
    for (const c of CHUNK_SIZES) {
      const r = readBytes(lfToCrlf(file), c);
      expect(r.records).toHaveLength(1);
      expect(r.warnings).toEqual([expect.objectContaining({ kind: 'text-mode-corruption', fatal: true, frame: 2 })]);
      expect(r.warnings[0].message).toMatch(/LF → CR LF/);
    }
  });

  it('CR LF → LF is recognised', () => {
    const crlfFile = pcapFile({
      records: [0, 1, 2].map((i) => ({ sec: 1700000000 + i, data: lfToCrlf(withLineFeeds(180, i)) })),
    });
    expect(readBytes(crlfFile).warnings).toEqual([]);
    for (const c of CHUNK_SIZES) {
      const r = readBytes(crlfToLf(crlfFile), c);
      expect(r.records).toHaveLength(1);
      expect(r.warnings[0]).toMatchObject({ kind: 'text-mode-corruption', frame: 2 });
      expect(r.warnings[0].message).toMatch(/CR LF → LF/);
    }
  });
});

describe('reader behaviour', () => {
  it('warnings of one kind are capped, then counted', () => {
    const b = new PcapngBuilder().shb().idb();
    for (let i = 0; i < 25; i++) b.epb({ iface: 7, data: bytes(4) });
    const r = readBytes(b.build());
    expect(r.warnings.filter((w) => w.kind === 'unknown-interface')).toHaveLength(10);
    const last = r.warnings[r.warnings.length - 1];
    expect(last).toMatchObject({ kind: 'other', key: 'capture.suppressed', params: expect.objectContaining({ count: 15 }) });
  });

  it('numbers in messages get thousands separators', () => {
    expect(groupThousands(1048576)).toBe('1,048,576');
    expect(groupThousands(999)).toBe('999');
    expect(groupThousands(-1234)).toBe('-1,234');
  });

  it('readPacketAt re-reads a packet by offset', () => {
    const file = fixture('pmtu-blackhole.node-eth0-tunl0.pcapng');
    const r = readBytes(file, 4093);
    for (const rec of r.records) expect(Array.from(readPacketAt(file, rec))).toEqual(rec.data);
  });

  it('push after end, empty chunks and a throwing-free stop', () => {
    const got: number[] = [];
    const reader = createCaptureReader({ onRecord: (rec) => got.push(rec.index) });
    const file = pcapFile({ records: [{ sec: 1, data: bytes(10) }] });
    reader.push(new Uint8Array(0));
    reader.push(file);
    reader.end();
    reader.push(file);
    reader.end();
    expect(got).toEqual([0]);
    expect(reader.bytesConsumed).toBe(file.length);
    expect(reader.stopped).toBe(false);
  });

  it('random bytes after a valid header never throw', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let t = 0; t < 200; t++) {
      const head = t % 2 ? pcapFile({ records: [] }) : new PcapngBuilder().shb().idb().build();
      const tail = Uint8Array.from({ length: 64 + (t % 50) * 17 }, rnd);
      const r = readBytes(new Uint8Array([...head, ...tail]), (t % 7) + 1);
      expect(r.warnings.length).toBeGreaterThanOrEqual(0);
    }
  });

  it('damaged files give the same records and warnings whatever the chunking (property)', () => {
    const files = [
      fixture('pmtu-blackhole.server-eth0.pcap'),
      fixture('pcapng-test-generator.le.test202.pcapng'),
      fixture('pcapng-test-generator.be.test202.pcapng'),
      fixture('pmtu-blackhole.node-eth0.pcapng.gz'),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 600 }),
        fc.option(fc.nat()),
        (which, edits, chunk, cutAt) => {
          const b = files[which].slice();
          for (const [at, v] of edits) b[at % b.length] = v;
          const input = cutAt === null ? b : b.subarray(0, cutAt % (b.length + 1));
          const whole = readBytes(input);
          expect(readBytes(input, chunk)).toEqual(whole);
          expect(whole.warnings.filter((w) => w.fatal).length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
