import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytes, pcapFile, type PcapMagicName } from './captureBuilders';
import { CHUNK_SIZES, readBytes } from './captureHarness';

const recs = [
  { sec: 1700000000, frac: 123456, data: bytes(60, 1) },
  { sec: 1700000001, frac: 999999, data: bytes(1514, 2), orig: 1514 },
  { sec: 1700000002, frac: 0, data: bytes(96, 3), orig: 1500 },
];

describe('classic pcap', () => {
  for (const magic of ['usec', 'nsec', 'modified'] as PcapMagicName[]) {
    for (const le of [true, false]) {
      it(`reads ${magic} files, ${le ? 'little' : 'big'}-endian, with any chunking`, () => {
        const file = pcapFile({ magic, le, records: recs });
        const whole = readBytes(file);
        expect(whole.warnings).toEqual([]);
        expect(whole.format).toBe(magic === 'nsec' ? 'pcap-nsec' : 'pcap');
        expect(whole.formatInfo).toMatchObject({ byteOrder: le ? 'le' : 'be', compressed: false, versionMajor: 2, versionMinor: 4 });
        expect(whole.records.map((r) => [r.tsSec, r.tsNsec])).toEqual(
          recs.map((r) => [r.sec, magic === 'nsec' ? r.frac : r.frac * 1000]),
        );
        expect(whole.records.map((r) => [r.capturedLength, r.originalLength])).toEqual([[60, 60], [1514, 1514], [96, 1500]]);
        const hdr = magic === 'modified' ? 24 : 16;
        expect(whole.records[1].fileOffset).toBe(24 + hdr + 60);
        expect(whole.records[1].dataOffset).toBe(24 + hdr + 60 + hdr);
        expect(whole.records[2].data).toEqual(Array.from(recs[2].data));
        for (const c of CHUNK_SIZES) expect(readBytes(file, c)).toEqual(whole);
      });
    }
  }

  it('reads the link type and the FCS length bits of the link-type field', () => {
    // libpcap: 0x04000000 says an FCS length is present, the top 4 bits give it in 16-bit words.
    const r = readBytes(pcapFile({ linkTypeField: 0x24000000 | 1, records: recs }));
    expect(r.interfaces[0]).toMatchObject({ linkType: 1, fcsLen: 4, snapLen: 262144, tsUnitsPerSecond: 1e6 });
    expect(r.records[0]).toMatchObject({ linkType: 1, fcsLen: 4 });
    const none = readBytes(pcapFile({ linkTypeField: 276, records: recs }));
    expect(none.interfaces[0]).toMatchObject({ linkType: 276, fcsLen: 0 });
  });

  it('swaps caplen and origlen for versions before 2.3, and for 2.3 when caplen > origlen', () => {
    const old = pcapFile({ versionMinor: 2, records: [{ sec: 1, data: bytes(40), caplen: 1500, orig: 40 }] });
    // Written as caplen 1500 / origlen 40 by an old writer: the real caplen is 40.
    const r = readBytes(old);
    expect(r.records[0]).toMatchObject({ capturedLength: 40, originalLength: 1500 });
    const maybe = readBytes(pcapFile({ versionMinor: 3, records: [{ sec: 1, data: bytes(40), caplen: 1500, orig: 40 }] }));
    expect(maybe.records[0]).toMatchObject({ capturedLength: 40, originalLength: 1500 });
  });

  it('carries an out-of-range fraction into the seconds', () => {
    const r = readBytes(pcapFile({ records: [{ sec: 10, frac: 2_500_000, data: bytes(20) }] }));
    expect(r.records[0]).toMatchObject({ tsSec: 12, tsNsec: 500_000_000 });
  });

  it('warns once, and reads on, when packets exceed the snapshot length', () => {
    const r = readBytes(pcapFile({ snaplen: 64, records: recs }));
    expect(r.records).toHaveLength(3);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ kind: 'bad-record-length', fatal: false, frame: 2, offset: 24 + 16 + 60 });
  });

  it('stops at an absurd captured length with the packet number and offset', () => {
    const file = pcapFile({ records: [...recs, { sec: 1700000003, data: bytes(10), caplen: 0x7fff0000 }] });
    for (const c of CHUNK_SIZES) {
      const r = readBytes(file, c);
      expect(r.records).toHaveLength(3);
      expect(r.stopped).toBe(true);
      expect(r.warnings).toHaveLength(1);
      const w = r.warnings[0];
      expect(w).toMatchObject({ kind: 'bad-record-length', fatal: true, frame: 4, key: 'capture.recordTooLarge' });
      expect(w.offset).toBe(24 + 3 * 16 + 60 + 1514 + 96);
      expect(w.message).toBe(
        'packet 4 at byte 1,742 claims 2,147,418,112 captured bytes, more than the 262,144-byte limit: the file is damaged from here on',
      );
    }
  });

  it('honours maxRecordBytes', () => {
    const r = readBytes(pcapFile({ records: recs }), 0, { maxRecordBytes: 1000 });
    expect(r.records).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ fatal: true, frame: 2 });
  });

  it('a file cut at every byte yields every whole record and one warning, never an exception', () => {
    const file = pcapFile({ records: recs });
    const ends = [24, 24 + 16 + 60, 24 + 32 + 60 + 1514, file.length];
    for (let cut = 0; cut <= file.length; cut++) {
      for (const c of [1, 5, 0]) {
        const r = readBytes(file.subarray(0, cut), c);
        const whole = ends.filter((e) => e <= cut).length - 1;
        expect(r.records.length).toBe(Math.max(0, whole));
        if (ends.includes(cut) && cut > 0) {
          expect(r.warnings).toEqual([]);
        } else {
          expect(r.warnings).toHaveLength(1);
          expect(r.warnings[0].fatal).toBe(true);
        }
      }
    }
  });

  it('names the cut-short packet in words', () => {
    const file = pcapFile({ records: recs });
    const r = readBytes(file.subarray(0, file.length - 10));
    expect(r.warnings[0]).toMatchObject({
      kind: 'truncated-record', frame: 3, offset: 24 + 32 + 60 + 1514, key: 'capture.truncatedRecord',
      message: 'the file ends in the middle of packet 3 at byte 1,630: the capture was cut short',
      params: { frame: 3, offset: 1630 },
    });
    const h = readBytes(file.subarray(0, 24 + 8));
    expect(h.warnings[0]).toMatchObject({ kind: 'truncated-header', frame: 1, offset: 24 });
    const f = readBytes(file.subarray(0, 10));
    expect(f.warnings[0]).toMatchObject({ kind: 'truncated-header', key: 'capture.truncatedFileHeader' });
  });

  it('Ixia files: 4 more bytes after the file header, ns (hardware) or µs (software)', () => {
    for (const [magic, nsec] of [[0x1c0001ac, true], [0x1c0001ab, false]] as const) {
      const std = pcapFile({ records: recs });
      const file = new Uint8Array(std.length + 4);
      file.set(std.subarray(0, 24));
      file.set(std.subarray(24), 28);
      new DataView(file.buffer).setUint32(0, magic, true);
      const r = readBytes(file);
      expect(r.warnings).toEqual([]);
      expect(r.records.map((x) => x.capturedLength)).toEqual([60, 1514, 96]);
      expect(r.records[0].tsNsec).toBe(nsec ? 123456 : 123456000);
      expect(r.records[0].fileOffset).toBe(28);
    }
  });

  it('big-endian and little-endian copies of a real capture read the same', () => {
    const dir = path.resolve(__dirname, '..', 'fixtures', 'capture');
    const le = readBytes(new Uint8Array(readFileSync(path.join(dir, 'pmtu-blackhole.node-eth0.pcap'))));
    const be = readBytes(new Uint8Array(readFileSync(path.join(dir, 'pmtu-blackhole.node-eth0.be.pcap'))));
    expect(le.records.length).toBe(32);
    expect(be.records).toEqual(le.records);
    expect(be.formatInfo).toMatchObject({ byteOrder: 'be' });
  });
});
