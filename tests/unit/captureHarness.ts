/** Test helper: run bytes through a capture reader in chunks and collect everything it says. */
import { createCaptureReader } from '../../src/capture/index';
import type { CaptureBlockInfo, CaptureInterface, CaptureReaderOptions, CaptureWarning } from '../../src/capture/types';

export interface ReadRecord {
  index: number;
  fileOffset: number;
  dataOffset: number;
  tsSec: number;
  tsNsec: number;
  capturedLength: number;
  originalLength: number;
  interfaceId: number;
  linkType: number;
  fcsLen: number;
  packetFlags: number;
  hasTimestamp: boolean;
  data: number[];
}

export interface ReadResult {
  format: string | null;
  formatInfo: unknown;
  records: ReadRecord[];
  warnings: CaptureWarning[];
  interfaces: CaptureInterface[];
  blocks: CaptureBlockInfo[];
  stats: unknown[];
  bytesConsumed: number;
  stopped: boolean;
}

/** Chunk sizes every fixture is read with (whole file = 0). */
export const CHUNK_SIZES = [1, 7, 4093, 0];

export function readBytes(bytes: Uint8Array, chunkSize = 0, options: CaptureReaderOptions = {}): ReadResult {
  const res: ReadResult = {
    format: null, formatInfo: null, records: [], warnings: [], interfaces: [], blocks: [], stats: [], bytesConsumed: 0, stopped: false,
  };
  const reader = createCaptureReader({
    onFormat(f, info) { res.format = f; res.formatInfo = info; },
    onInterface(i) { res.interfaces.push({ ...i }); },
    onRecord(r) {
      // The record and its bytes are reused: copy, and check the allocation-free view agrees.
      const data = Array.from(r.data);
      if (r.buf && r.bufOffset !== undefined) {
        const alt = Array.from(r.buf.subarray(r.bufOffset, r.bufOffset + r.capturedLength));
        if (alt.join() !== data.join()) throw new Error('buf/bufOffset disagree with data');
      }
      res.records.push({
        index: r.index, fileOffset: r.fileOffset, dataOffset: r.dataOffset, tsSec: r.tsSec, tsNsec: r.tsNsec,
        capturedLength: r.capturedLength, originalLength: r.originalLength, interfaceId: r.interfaceId, linkType: r.linkType,
        fcsLen: r.fcsLen ?? 0, packetFlags: r.packetFlags ?? 0, hasTimestamp: r.hasTimestamp ?? true, data,
      });
    },
    onWarning(w) { res.warnings.push(w); },
    onBlock(b) { res.blocks.push({ ...b }); },
    onInterfaceStats(s) { res.stats.push({ ...s }); },
  }, options);
  const step = chunkSize > 0 ? chunkSize : Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length; i += step) reader.push(bytes.subarray(i, i + step));
  reader.end();
  res.bytesConsumed = reader.bytesConsumed;
  res.stopped = reader.stopped;
  return res;
}

/** Concatenate byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** "Block sequence: SHB, IDB, ..." of a pcapng-test-generator description file. */
export function blockSequence(txt: string): string[] {
  const line = txt.split('\n').find((l) => l.startsWith('Block sequence:'));
  return line ? line.slice('Block sequence:'.length).split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** "Block counts:" section of a pcapng-test-generator description file. */
export function blockCounts(txt: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of txt.matchAll(/^\t(\w+): (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** Rows of a tshark TSV with a header line: column name → value. */
export function readTsv(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(head.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** Our time stamp in tshark's frame.time_epoch form (9 decimals). */
export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}
