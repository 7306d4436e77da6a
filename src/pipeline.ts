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
}

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

  constructor(opts: CaptureSessionOptions = {}) {
    this.columns = new PacketColumns(opts.initialCapacity);
    this.decoder = new PacketDecoder(this.columns);
    this.processors = [...(opts.processors ?? [])];
    this.onRow = opts.onRow;
    this.reader = (opts.createReader ?? createCaptureReader)(this);
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
    return this.reader.stopped;
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.reader.end();
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
    const lt = rec.linkType;
    this.linkTypes.set(lt, (this.linkTypes.get(lt) ?? 0) + 1);
    if (!isSupportedLinkType(lt) && !this.unsupportedWarned.has(lt)) {
      this.unsupportedWarned.add(lt);
      this.warnings.push({
        kind: 'unsupported-link-type',
        offset: rec.fileOffset,
        frame: rec.index + 1,
        message: `packets of link type ${lt} are not decoded (supported: ${Object.keys(LINK_TYPE_NAMES).join(', ')}); they are listed without their protocol fields`,
        key: 'warning.unsupportedLinkType',
        params: { linkType: lt },
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
