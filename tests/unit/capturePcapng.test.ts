import { describe, expect, it } from 'vitest';
import { bytes, PcapngBuilder } from './captureBuilders';
import { CHUNK_SIZES, readBytes } from './captureHarness';

const NS = 1795635682818106033n;

function twoSections(): Uint8Array {
  return new PcapngBuilder()
    .shb({ le: true })
    .idb({ name: 'eth0', description: 'uplink', tsresol: 9, snaplen: 0 })
    .idb({ linkType: 101, name: 'tunl0', fcslen: 4 })
    .epb({ iface: 0, ts: NS, data: bytes(74, 1) })
    .epb({ iface: 1, ts: 1795635682818106n, data: bytes(61, 2), orig: 1400, flags: 0x2 })
    .nrb()
    .isb({ iface: 1, recv: 1000n, drop: 7n, osdrop: 2n })
    .block(0x00000bad, bytes(12, 9))
    .block(10, bytes(20, 8))
    .shb({ le: false })
    .idb({ linkType: 113, tsresol: 0x80 | 20, tsoffset: -3600 })
    .epb({ iface: 0, ts: (1795635682n << 20n) | (1n << 19n), data: bytes(42, 3) })
    .spb({ data: bytes(40, 4), orig: 40 })
    .pb({ iface: 0, ts: 5n << 20n, data: bytes(30, 5), drops: 3 })
    .build();
}

describe('pcapng', () => {
  it('reads several sections of different byte order, with any chunking', () => {
    const file = twoSections();
    const r = readBytes(file);
    expect(r.warnings).toEqual([]);
    expect(r.format).toBe('pcapng');
    expect(r.formatInfo).toMatchObject({ byteOrder: 'le', versionMajor: 1 });
    expect(r.blocks.map((b) => `${b.name}@${b.section}`)).toEqual([
      'SHB@0', 'IDB@0', 'IDB@0', 'EPB@0', 'EPB@0', 'NRB@0', 'ISB@0', 'CB@0', 'DSB@0', 'SHB@1', 'IDB@1', 'EPB@1', 'SPB@1', 'PB@1',
    ]);
    // Interface ids restart per section in the file but are global in what we report.
    expect(r.interfaces.map((i) => [i.id, i.section, i.linkType, i.name, i.tsUnitsPerSecond, i.fcsLen])).toEqual([
      [0, 0, 1, 'eth0', 1e9, 0],
      [1, 0, 101, 'tunl0', 1e6, 4],
      [2, 1, 113, null, 2 ** 20, 0],
    ]);
    expect(r.interfaces[0].description).toBe('uplink');
    expect(r.interfaces[2].tsOffsetSeconds).toBe(-3600);
    expect(r.records.map((x) => [x.index, x.interfaceId, x.linkType, x.tsSec, x.tsNsec, x.capturedLength, x.originalLength])).toEqual([
      [0, 0, 1, 1795635682, 818106033, 74, 74],
      [1, 1, 101, 1795635682, 818106000, 61, 1400],
      [2, 2, 113, 1795635682 - 3600, 500000000, 42, 42],
      [3, 2, 113, 0, 0, 40, 40],
      [4, 2, 113, 5 - 3600, 0, 30, 30],
    ]);
    expect(r.records[1]).toMatchObject({ packetFlags: 2, fcsLen: 4 });
    expect(r.records[3].hasTimestamp).toBe(false);
    expect(r.records[0].data).toEqual(Array.from(bytes(74, 1)));
    expect(r.records[0].dataOffset - r.records[0].fileOffset).toBe(28);
    expect(r.records[3].dataOffset - r.records[3].fileOffset).toBe(12);
    expect(Array.from(file.subarray(r.records[4].dataOffset, r.records[4].dataOffset + 30))).toEqual(Array.from(bytes(30, 5)));
    expect(r.stats).toEqual([{ interfaceId: 1, received: 1000, dropped: 7, osDropped: 2 }]);
    for (const c of CHUNK_SIZES) expect(readBytes(file, c)).toEqual(r);
  });

  it('an SPB holds min(original length, snaplen) bytes', () => {
    const file = new PcapngBuilder().shb().idb({ snaplen: 32 }).spb({ data: bytes(32, 1), orig: 1500 }).build();
    expect(readBytes(file).records[0]).toMatchObject({ capturedLength: 32, originalLength: 1500 });
    // Padding bytes at the end of the block are not packet bytes.
    const odd = new PcapngBuilder().shb().idb({ snaplen: 0 }).spb({ data: bytes(33, 1), orig: 33 }).build();
    expect(readBytes(odd).records[0]).toMatchObject({ capturedLength: 33 });
  });

  it('epb_flags FCS length overrides if_fcslen', () => {
    const file = new PcapngBuilder().shb().idb({ fcslen: 4 })
      .epb({ data: bytes(64), flags: 2 << 5 }).epb({ data: bytes(64) }).build();
    expect(readBytes(file).records.map((x) => x.fcsLen)).toEqual([2, 4]);
  });

  it('options end at the block end even without opt_endofopt; a NUL ends a string', () => {
    const name = new TextEncoder().encode('eth1\0junk');
    const file = new PcapngBuilder().shb().idb({ options: [[2, name]] }).build();
    expect(readBytes(file).interfaces[0].name).toBe('eth1');
  });

  it('warns about an unknown interface and reads on', () => {
    const file = new PcapngBuilder().shb().idb()
      .epb({ iface: 3, data: bytes(10) }).epb({ iface: 0, data: bytes(12) }).isb({ iface: 9, drop: 1n }).build();
    for (const c of CHUNK_SIZES) {
      const r = readBytes(file, c);
      expect(r.records.map((x) => x.capturedLength)).toEqual([12]);
      expect(r.warnings.map((w) => [w.kind, w.fatal, w.frame])).toEqual([
        ['unknown-interface', false, 1], ['unknown-interface', false, undefined],
      ]);
      expect(r.warnings[0].message).toMatch(/refers to interface 3/);
    }
  });

  it('a section of an unknown major version is skipped up to the next section', () => {
    const file = new PcapngBuilder().shb({ major: 2 }).idb().epb({ data: bytes(10) })
      .shb().idb().epb({ data: bytes(11) }).build();
    const r = readBytes(file);
    expect(r.records.map((x) => x.capturedLength)).toEqual([11]);
    expect(r.warnings.map((w) => w.key)).toEqual(['capture.unsupportedSection']);
  });

  it('a trailing length that differs from the leading one is reported', () => {
    const file = new PcapngBuilder().shb().idb().epb({ data: bytes(10) }).epb({ data: bytes(12) }).build();
    const dv = new DataView(file.buffer);
    const firstEpbEnd = 28 + 20 + 32 + 12;
    dv.setUint32(firstEpbEnd - 4, 999, true);
    const r = readBytes(file);
    expect(r.records).toHaveLength(2);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ kind: 'trailing-length-mismatch', fatal: false, offset: 48 });
  });

  it('an impossible block length stops reading with its offset', () => {
    const file = new PcapngBuilder().shb().idb().epb({ data: bytes(10) }).epb({ data: bytes(12) }).build();
    new DataView(file.buffer).setUint32(48 + 44 + 4, 13, true);
    for (const c of CHUNK_SIZES) {
      const r = readBytes(file, c);
      expect(r.records).toHaveLength(1);
      expect(r.warnings).toEqual([expect.objectContaining({ kind: 'bad-block-length', fatal: true, offset: 92 })]);
    }
  });

  it('a captured length beyond the block skips that packet only', () => {
    const file = new PcapngBuilder().shb().idb().epb({ data: bytes(8), caplen: 500 }).epb({ data: bytes(12) }).build();
    const r = readBytes(file);
    expect(r.records.map((x) => x.capturedLength)).toEqual([12]);
    expect(r.warnings[0]).toMatchObject({ kind: 'bad-record-length', fatal: false, frame: 1 });
  });

  it('a file cut at every byte yields every whole packet and one warning, never an exception', () => {
    const file = twoSections();
    const full = readBytes(file);
    const ends = full.blocks.map((b) => b.offset + b.length);
    for (let cut = 0; cut <= file.length; cut++) {
      for (const c of [1, 0]) {
        const r = readBytes(file.subarray(0, cut), c);
        const whole = full.records.filter((x) => ends.find((e) => e > x.fileOffset)! <= cut);
        expect(r.records).toEqual(whole);
        if (ends.includes(cut)) expect(r.warnings).toEqual([]);
        else {
          expect(r.warnings).toHaveLength(1);
          expect(r.warnings[0].fatal).toBe(true);
        }
      }
    }
  });

  it('recognises damage by a text-mode transfer at the start and inside', () => {
    const good = new PcapngBuilder().shb().idb().epb({ data: bytes(10) }).build();
    // CR LF → LF: 0A 0D 0D 0A becomes 0A 0D 0A.
    const crlf = new Uint8Array([0x0a, 0x0d, ...good.subarray(3)]);
    const r1 = readBytes(crlf);
    expect(r1.warnings).toEqual([expect.objectContaining({ kind: 'text-mode-corruption', fatal: true, offset: 0 })]);
    expect(r1.warnings[0].message).toMatch(/text-mode transfer .*CR LF → LF/);
    // LF → CR LF: every 0A gains a 0D in front.
    const lf: number[] = [];
    for (const b of good) { if (b === 0x0a) lf.push(0x0d); lf.push(b); }
    expect(readBytes(Uint8Array.from(lf)).warnings[0]).toMatchObject({ kind: 'text-mode-corruption' });
    // A second, damaged section header inside the file.
    const inside = new PcapngBuilder().shb().idb().epb({ data: bytes(10) }).raw(Uint8Array.of(0x0a, 0x0d, 0x0a, 0x1a, 0, 0, 0, 0, 0, 0, 0, 0)).build();
    const r3 = readBytes(inside);
    expect(r3.records).toHaveLength(1);
    expect(r3.warnings[0]).toMatchObject({ kind: 'text-mode-corruption', offset: good.length });
  });
});
