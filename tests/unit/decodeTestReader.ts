/**
 * A deliberately small capture reader for the decoding tests (classic pcap in both byte orders and
 * time resolutions, pcapng SHB/IDB/EPB, gzip). It buffers the whole input and parses it at end();
 * the real streaming reader lives in src/capture. Only what the tests need, no damage handling.
 */
import { gunzipSync } from 'fflate';
import type { CaptureReader, CaptureRecord, CaptureSink } from '../../src/capture/types';

export function createTestReader(sink: CaptureSink): CaptureReader {
  const chunks: Uint8Array[] = [];
  let consumed = 0;
  return {
    push(c) { chunks.push(c.slice()); consumed += c.length; },
    end() {
      let all = new Uint8Array(consumed);
      let o = 0;
      for (const c of chunks) { all.set(c, o); o += c.length; }
      if (all[0] === 0x1f && all[1] === 0x8b) all = gunzipSync(all);
      parse(all, sink);
    },
    get bytesConsumed() { return consumed; },
    get stopped() { return false; },
  };
}

function parse(b: Uint8Array, sink: CaptureSink): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const rec: CaptureRecord = { index: 0, fileOffset: 0, dataOffset: 0, tsSec: 0, tsNsec: 0, capturedLength: 0, originalLength: 0, interfaceId: 0, linkType: 0, data: b };
  const magicBE = dv.getUint32(0, false);
  if (magicBE === 0x0a0d0d0a) return parsePcapng(b, dv, sink, rec);
  const le = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
  const nsec = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
  const lt = dv.getUint32(20, le);
  const fcsLen = lt & 0x04000000 ? ((lt >>> 28) & 0xf) * 2 : 0;
  sink.onFormat?.(nsec ? 'pcap-nsec' : 'pcap', { byteOrder: le ? 'le' : 'be', compressed: false, versionMajor: 2, versionMinor: 4 });
  sink.onInterface?.({ id: 0, linkType: lt & 0xffff, snapLen: dv.getUint32(16, le), name: null, description: null, tsUnitsPerSecond: nsec ? 1e9 : 1e6, tsOffsetSeconds: 0, fcsLen, section: 0 });
  let o = 24;
  for (let i = 0; o + 16 <= b.length; i++) {
    const cap = dv.getUint32(o + 8, le);
    if (o + 16 + cap > b.length) break;
    Object.assign(rec, {
      index: i, fileOffset: o, dataOffset: o + 16, tsSec: dv.getUint32(o, le),
      tsNsec: dv.getUint32(o + 4, le) * (nsec ? 1 : 1000), capturedLength: cap, originalLength: dv.getUint32(o + 12, le),
      interfaceId: 0, linkType: lt & 0xffff, data: b.subarray(o + 16, o + 16 + cap),
    });
    sink.onRecord(rec);
    o += 16 + cap;
  }
}

function parsePcapng(b: Uint8Array, dv: DataView, sink: CaptureSink, rec: CaptureRecord): void {
  const le = dv.getUint32(8, true) === 0x1a2b3c4d;
  sink.onFormat?.('pcapng', { byteOrder: le ? 'le' : 'be', compressed: false, versionMajor: 1, versionMinor: 0 });
  const ifaces: { linkType: number; res: number }[] = [];
  let o = 0;
  let index = 0;
  while (o + 12 <= b.length) {
    const type = dv.getUint32(o, le);
    const len = dv.getUint32(o + 4, le);
    if (type === 1) {
      let res = 1e6;
      let name: string | null = null;
      for (let p = o + 16; p + 4 <= o + len - 4; ) {
        const code = dv.getUint16(p, le), ol = dv.getUint16(p + 2, le);
        if (code === 0) break;
        if (code === 9) res = b[p + 4] & 0x80 ? 2 ** (b[p + 4] & 0x7f) : 10 ** b[p + 4];
        if (code === 2) name = new TextDecoder().decode(b.subarray(p + 4, p + 4 + ol));
        p += 4 + ((ol + 3) & ~3);
      }
      const linkType = dv.getUint16(o + 8, le);
      sink.onInterface?.({ id: ifaces.length, linkType, snapLen: dv.getUint32(o + 12, le), name, description: null, tsUnitsPerSecond: res, tsOffsetSeconds: 0, fcsLen: 0, section: 0 });
      ifaces.push({ linkType, res });
    } else if (type === 6) {
      const id = dv.getUint32(o + 8, le);
      const ts = (BigInt(dv.getUint32(o + 12, le)) << 32n) | BigInt(dv.getUint32(o + 16, le));
      const res = BigInt(ifaces[id].res);
      const cap = dv.getUint32(o + 20, le);
      Object.assign(rec, {
        index: index++, fileOffset: o, dataOffset: o + 28, tsSec: Number(ts / res),
        tsNsec: Number(((ts % res) * 1_000_000_000n) / res), capturedLength: cap, originalLength: dv.getUint32(o + 24, le),
        interfaceId: id, linkType: ifaces[id].linkType, data: b.subarray(o + 28, o + 28 + cap),
      });
      sink.onRecord(rec);
    }
    o += len;
  }
}
