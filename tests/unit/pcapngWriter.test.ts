/**
 * The pcapng export read back by our own reader (tshark's reading is in tests/oracle/exportPcapng):
 * interfaces (link type, snaplen, name, resolution, FCS length), time stamps at the source's
 * resolution, bytes, lengths, a big-endian source's packet options (comments and flags), a Simple
 * Packet Block kept, comments added; parts of the asked size.
 */
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { createCaptureReader } from '../../src/capture/index';
import { captureBytes } from '../../src/capture/ranges';
import type { CaptureInterface } from '../../src/capture/types';
import { tsResolution } from '../../src/capture/pcapngWriter';
import { PcapngBuilder, bytes, pcapFile } from './captureBuilders';

interface Read { ifaces: CaptureInterface[]; recs: { ts: string; iface: number; cap: number; orig: number; data: number[]; flags: number }[]; blocks: string[] }

function read(file: Uint8Array): Read {
  const out: Read = { ifaces: [], recs: [], blocks: [] };
  const r = createCaptureReader({
    onInterface: (i) => out.ifaces.push({ ...i }),
    onRecord: (rec) => out.recs.push({
      ts: `${rec.tsSec}.${String(rec.tsNsec).padStart(9, '0')}`, iface: rec.interfaceId, cap: rec.capturedLength,
      orig: rec.originalLength, data: [...rec.data], flags: rec.packetFlags ?? 0,
    }),
    onBlock: (b) => out.blocks.push(b.name),
  });
  r.push(file);
  r.end();
  return out;
}

function analyse(file: Uint8Array): Analysis {
  const run = openAnalysis();
  run.push(file);
  return run.finish();
}

async function exported(file: Uint8Array, a: Analysis, req = a.exportRows({ rows: Uint32Array.from({ length: a.columns.length }, (_, i) => i) }), chunkBytes?: number): Promise<{ bytes: Uint8Array; parts: number }> {
  const parts: Uint8Array[] = [];
  const src = captureBytes(async (o, l) => file.slice(o, o + l), { compressed: false, window: 4096 });
  for await (const p of a.exportPcapng(req, src, { chunkBytes })) parts.push(p);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return { bytes: all, parts: parts.length };
}

const has = (hay: Uint8Array, needle: string) => Buffer.from(hay).includes(Buffer.from(needle));

describe('pcapng export', () => {
  it('a pcapng of two interfaces, big-endian, with options, an SPB, and 2^-20 s units', async () => {
    const utf8 = (s: string) => new TextEncoder().encode(s);
    const file = new PcapngBuilder()
      .shb({ le: false })
      .idb({ linkType: 1, snaplen: 1500, name: 'eth0', description: 'uplink', fcslen: 4 })
      .idb({ linkType: 101, snaplen: 65535, name: 'tun0', tsresol: 0x80 | 20 })
      .spb({ data: bytes(60, 1) })
      .epb({ iface: 0, ts: 1_700_000_000_123_456n, data: bytes(70, 2), orig: 90, flags: 1, options: [[1, utf8('first comment')]] })
      .epb({ iface: 1, ts: (1_700_000_001n << 20n) + 12345n, data: bytes(41, 3) })
      .build();
    const src = read(file);
    const a = analyse(file);
    const out = await exported(file, a);
    const back = read(out.bytes);
    expect(back.recs).toEqual(src.recs);
    expect(back.ifaces.map(({ section: _s, ...i }) => i)).toEqual(src.ifaces.map(({ section: _s, ...i }) => i));
    expect(back.blocks).toEqual(['SHB', 'IDB', 'IDB', 'SPB', 'EPB', 'EPB']);
    expect(has(out.bytes, 'first comment')).toBe(true);
  });

  it('a stream of a nanosecond pcap: the rows asked, comments added, in parts', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ sec: 1_700_000_000 + i, frac: 999_999_990 + (i % 10), data: bytes(100 + i, i) }));
    const file = pcapFile({ magic: 'nsec', records, snaplen: 4000 });
    const a = analyse(file);
    const rows = Uint32Array.from([3, 4, 40]);
    const out = await exported(file, a, { rows, comments: new Map([[4, 'the one']]), sectionComment: 'three frames' }, 128);
    expect(out.parts).toBeGreaterThan(1);
    const back = read(out.bytes);
    const src = read(file);
    expect(back.recs).toEqual([src.recs[3], src.recs[4], src.recs[40]]);
    expect(back.ifaces[0]).toMatchObject({ linkType: 1, snapLen: 4000, tsUnitsPerSecond: 1e9 });
    expect(has(out.bytes, 'the one') && has(out.bytes, 'three frames')).toBe(true);
  });

  it('writes the resolutions it can keep, nanoseconds otherwise', () => {
    expect(tsResolution(1e6)).toEqual({ code: 6, units: 1e6 });
    expect(tsResolution(2 ** 20)).toEqual({ code: 0x94, units: 2 ** 20 });
    expect(tsResolution(1e12)).toEqual({ code: 9, units: 1e9 });
  });
});
