/**
 * The processing pipeline: capture reader → packet decoder → row processors (TCP analysis, ...), in
 * one pass, chunk by chunk. Runs unchanged in the browser worker, in Node and in tests (no DOM, no
 * node: imports; the Node file helper is src/cli/readFile.ts).
 *
 *   const s = new CaptureSession({ processors: [analyzer] });
 *   for (const chunk of chunks) s.push(chunk);
 *   s.end();            // flushes the reader, then calls every processor's finish()
 *   s.columns           // the packet table; s.warnings, s.format, s.interfaces, ...
 */

import { createCaptureReader } from './capture/index';
import { formatMessage, groupThousands, type CaptureMessageKey } from './capture/messages';
import type { CaptureFormat, CaptureInterface, CaptureReader, CaptureRecord, CaptureSink, CaptureWarning } from './capture/types';
import { PacketColumns, type RowProcessor } from './decode/columns';
import { PacketDecoder } from './decode/decoder';
import { isSupportedLinkType, LINK_TYPE_NAMES } from './decode/linkTypes';

export type ReaderFactory = (sink: CaptureSink) => CaptureReader;

export interface CaptureSessionOptions {
  processors?: RowProcessor[];
  /** How to make the capture reader (createCaptureReader of src/capture by default; tests may inject). */
  createReader?: ReaderFactory;
  /** Called for each record after its row is committed (e.g. to keep per-frame extras). */
  onRow?: (record: CaptureRecord, row: number) => void;
  initialCapacity?: number;
  /** Stop reading after this many packets (the CLI's --max-packets). */
  maxPackets?: number;
  /**
   * Memory budget of the packet table, bytes (rows × PacketColumns.bytesPerRow(), plus the DNS side
   * table's arrays and names): reading stops when the next row would not fit. The row processors'
   * per-row arrays come on top (the TCP analyzer's are sized like the columns).
   */
  maxTableBytes?: number;
  /**
   * Size of the input in bytes when known (a File's size, a file's stat): the packet table then grows
   * to the row count this size suggests instead of doubling, which keeps peak memory near the final
   * table. Ignored for compressed input.
   */
  expectedBytes?: number;
}

const ROW_BYTES = PacketColumns.bytesPerRow();

/** Budget of the packet table in the CLI: the machine's memory is the limit, not a browser tab's. */
export const CLI_TABLE_BYTES = 8 * 2 ** 30;

export class CaptureSession implements CaptureSink {
  readonly columns: PacketColumns;
  readonly interfaces: CaptureInterface[] = [];
  readonly warnings: CaptureWarning[] = [];
  format: CaptureFormat = 'unknown';
  formatInfo: { byteOrder: 'le' | 'be'; compressed: boolean; versionMajor: number; versionMinor: number } | null = null;
  /** Link types of the packets seen (count per link type). */
  readonly linkTypes = new Map<number, number>();
  /** Union of the Encap bits of every row. */
  encapsSeen = 0;
  /** Packets the capturing side reported dropped (pcapng ISB), per interface id. */
  readonly interfaceDrops = new Map<number, number>();
  private readonly processors: RowProcessor[];
  private readonly decoder: PacketDecoder;
  private readonly reader: CaptureReader;
  private readonly onRow: CaptureSessionOptions['onRow'];
  private readonly unsupportedWarned = new Set<number>();
  private ended = false;
  /** The 'memory-limit' warning once reading stopped for lack of room (nothing is read after it). */
  limitHit: CaptureWarning | null = null;
  private readonly maxRows: number;
  private readonly maxPackets: number;
  /** The table's budget in bytes (Infinity: none), the DNS side table counted in it. */
  private readonly maxTableBytes: number;

  constructor(opts: CaptureSessionOptions = {}) {
    const byBudget = opts.maxTableBytes !== undefined ? Math.floor(opts.maxTableBytes / PacketColumns.bytesPerRow()) : Infinity;
    this.maxPackets = opts.maxPackets ?? Infinity;
    this.maxTableBytes = opts.maxTableBytes ?? Infinity;
    this.maxRows = Math.max(0, Math.min(this.maxPackets, byBudget));
    this.columns = new PacketColumns(Math.min(opts.initialCapacity ?? 4096, this.maxRows), this.maxRows);
    if (opts.expectedBytes && opts.expectedBytes > 0) {
      const total = opts.expectedBytes;
      this.columns.planCapacity = (need, cap) => this.planCapacity(total, need, cap);
    }
    this.decoder = new PacketDecoder(this.columns);
    this.processors = [...(opts.processors ?? [])];
    this.onRow = opts.onRow;
    this.reader = (opts.createReader ?? createCaptureReader)(this);
  }

  /**
   * Rows to hold at the next growth: the rows so far scaled by the share of the file read, plus a
   * margin; 0 (double) before a representative share was read or when the input is compressed.
   * A low estimate costs a second copy of the whole table (both alive at once), a high one only the
   * unused margin, hence 8 %; growing at least by a sixteenth keeps a low one from costing many.
   */
  private planCapacity(total: number, need: number, cap: number): number {
    const done = this.reader.bytesConsumed;
    if (this.formatInfo?.compressed || done < Math.max(1 << 20, total / 32) || done >= total) return 0;
    const estimate = Math.ceil((need * total / done) * 1.08) + 1024;
    return Math.max(need, cap + (cap >> 4), estimate);
  }

  /** Add a processor before the first push (it then sees every row). */
  addProcessor(p: RowProcessor): void {
    if (this.columns.length > 0) throw new Error('addProcessor: rows were already processed');
    this.processors.push(p);
  }

  get packets(): number {
    return this.columns.length;
  }

  get bytesRead(): number {
    return this.reader.bytesConsumed;
  }

  /** True once the reader met damage it could not read past. */
  get stopped(): boolean {
    return this.reader.stopped || this.limitHit !== null;
  }

  push(chunk: Uint8Array): void {
    // After the limit the rest of the file is ignored, cheaply (the caller may still stream it by).
    if (this.limitHit) return;
    this.reader.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.limitHit) this.reader.end();
    // IP datagrams still missing fragments are given up now (counted in columns.fragments).
    this.decoder.finish();
    for (const p of this.processors) p.finish?.(this.columns);
  }

  // ---- CaptureSink ----

  onFormat(format: CaptureFormat, info: { byteOrder: 'le' | 'be'; compressed: boolean; versionMajor: number; versionMinor: number }): void {
    this.format = format;
    this.formatInfo = info;
  }

  onInterface(iface: CaptureInterface): void {
    this.interfaces[iface.id] = iface;
    this.decoder.addInterface(iface);
  }

  onRecord(rec: CaptureRecord): void {
    if (this.limitHit) return;
    if (this.columns.length >= this.maxRows) {
      const bytes = this.maxRows * PacketColumns.bytesPerRow();
      const byPackets = this.maxRows === this.maxPackets;
      this.stopForMemory(rec, byPackets ? 'capture.packetLimit' : 'capture.memoryLimit', byPackets ? { max: this.maxRows } : { limitMb: megabytes(bytes) });
      return;
    }
    // The DNS side table shares the budget: a capture of DNS only holds fewer rows.
    if (this.maxTableBytes !== Infinity && (this.columns.length + 1) * ROW_BYTES + this.columns.dns.bytesWithNext() > this.maxTableBytes) {
      this.stopForMemory(rec, 'capture.memoryLimit', { limitMb: megabytes(this.maxTableBytes) });
      return;
    }
    const before = this.columns.length;
    try {
      this.decodeRecord(rec);
    } catch (e) {
      if (!isAllocationFailure(e)) throw e;
      // A typed array could not grow: the engine's memory is exhausted. Drop the half-made row so
      // the table and the processors' results end consistently at the previous one.
      this.columns.length = before;
      this.columns.discardPendingSack();
      if (this.columns.icmpQuotedUdp[this.columns.icmpQuotedUdp.length - 1] === before) this.columns.icmpQuotedUdp.pop();
      this.columns.notDecoded.drop(before);
      this.stopForMemory(rec, 'capture.memoryRefused', { usedMb: megabytes(before * PacketColumns.bytesPerRow()) });
    }
  }

  private stopForMemory(rec: CaptureRecord, key: CaptureMessageKey, extra: Record<string, string | number>): void {
    const params = { packets: this.columns.length, offset: rec.fileOffset, ...extra };
    const w: CaptureWarning = { kind: 'memory-limit', offset: rec.fileOffset, frame: rec.index + 1, message: formatMessage(key, params), key, params, fatal: true };
    this.limitHit = w;
    this.warnings.push(w);
  }

  private decodeRecord(rec: CaptureRecord): void {
    const lt = rec.linkType;
    this.linkTypes.set(lt, (this.linkTypes.get(lt) ?? 0) + 1);
    if (!isSupportedLinkType(lt) && !this.unsupportedWarned.has(lt)) {
      this.unsupportedWarned.add(lt);
      // Strings: a link type and the list are written as they are, without thousands separators.
      const params = { linkType: String(lt), supported: Object.keys(LINK_TYPE_NAMES).join(', ') };
      this.warnings.push({
        kind: 'unsupported-link-type',
        offset: rec.fileOffset,
        frame: rec.index + 1,
        message: formatMessage('capture.unsupportedLinkType', params),
        key: 'capture.unsupportedLinkType',
        params,
        fatal: false,
      });
    }
    const row = this.decoder.decode(rec);
    this.encapsSeen |= this.columns.encap[row];
    for (let i = 0; i < this.processors.length; i++) this.processors[i].process(this.columns, row);
    this.onRow?.(rec, row);
  }

  onWarning(w: CaptureWarning): void {
    this.warnings.push(w);
  }

  onInterfaceStats(stats: { interfaceId: number; received?: number; dropped?: number }): void {
    if (stats.dropped !== undefined) this.interfaceDrops.set(stats.interfaceId, stats.dropped);
  }
}

/** Megabytes for a message: whole numbers from 10 MB up, one decimal below. */
function megabytes(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return mb >= 10 ? groupThousands(Math.round(mb)) : mb.toFixed(1);
}

/**
 * A typed array that could not be made: V8 "Array buffer allocation failed" / "Invalid typed array
 * length", Firefox and Safari "out of memory". Other RangeErrors (a DataView read out of bounds) are
 * bugs, and must not pass for a full memory.
 */
function isAllocationFailure(e: unknown): boolean {
  return (e instanceof RangeError || (e instanceof Error && e.name === 'InternalError')) && /alloc|memory|array( buffer)? length/i.test(e.message);
}
