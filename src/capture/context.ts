/**
 * State shared by the format parsers of one reader: the sink, the one reused record, packet
 * numbering, and warning delivery (with a cap per message so a damaged million-packet file does
 * not produce a million warnings).
 */
import type { CaptureBlockInfo, CaptureRecord, CaptureSink, CaptureWarning, WarningKind } from './types';
import { formatMessage, type CaptureMessageKey } from './messages';

/** Non-fatal warnings of one message key delivered before the rest are only counted. */
const WARNINGS_PER_KEY = 10;

/** The reused record: `data` is made on demand so the hot path allocates nothing. */
export class ReusedRecord implements CaptureRecord {
  index = 0;
  fileOffset = 0;
  dataOffset = 0;
  tsSec = 0;
  tsNsec = 0;
  capturedLength = 0;
  originalLength = 0;
  interfaceId = 0;
  linkType = 0;
  buf: Uint8Array = new Uint8Array(0);
  bufOffset = 0;
  view: DataView = new DataView(new ArrayBuffer(0));
  fcsLen = 0;
  packetFlags = 0;
  hasTimestamp = true;

  get data(): Uint8Array {
    return this.buf.subarray(this.bufOffset, this.bufOffset + this.capturedLength);
  }
}

export class ReaderContext {
  readonly record = new ReusedRecord();
  /** Packets delivered so far (the next packet's 0-based index). */
  packets = 0;
  stopped = false;
  private readonly perKey = new Map<string, { count: number; first: string }>();

  constructor(
    readonly sink: CaptureSink,
    readonly maxRecordBytes: number,
  ) {}

  /** Deliver a warning; a fatal one also stops the reader. */
  warn(
    kind: WarningKind,
    key: CaptureMessageKey,
    offset: number,
    params: Record<string, string | number>,
    fatal: boolean,
    frame?: number,
  ): void {
    if (this.stopped) return;
    if (fatal) this.stopped = true;
    const message = formatMessage(key, { offset, ...params });
    if (!fatal) {
      const seen = this.perKey.get(key);
      if (seen) {
        seen.count++;
        if (seen.count > WARNINGS_PER_KEY) return;
      } else {
        this.perKey.set(key, { count: 1, first: message });
      }
    }
    const w: CaptureWarning = { kind, offset, message, key, params: { offset, ...params }, fatal };
    if (frame !== undefined) w.frame = frame;
    this.sink.onWarning?.(w);
  }

  /** At the end: say how many warnings were held back. */
  flushSuppressed(offset: number): void {
    for (const [, v] of this.perKey) {
      if (v.count <= WARNINGS_PER_KEY) continue;
      const count = v.count - WARNINGS_PER_KEY;
      const params = { count, first: v.first };
      this.sink.onWarning?.({
        kind: 'other', offset, message: formatMessage('capture.suppressed', params), key: 'capture.suppressed', params, fatal: false,
      });
    }
    this.perKey.clear();
  }

  block(info: CaptureBlockInfo): void {
    this.sink.onBlock?.(info);
  }

  /** Hand the filled record to the sink and count it. */
  emitRecord(): void {
    this.record.index = this.packets++;
    this.sink.onRecord(this.record);
  }
}
