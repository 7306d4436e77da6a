/**
 * pcapng: a sequence of blocks {type, length, body, length again}. Each Section Header Block starts
 * a section with its own byte order and its own interface table; packet blocks name an interface
 * of their section, whose description says how to read their time stamps.
 */
import type { ReaderContext } from './context';
import type { UnitParser } from './framer';
import { pcapngTextModeDamage } from './textMode';
import { splitTimestamp, ts } from './timestamps';
import type { CaptureInterface } from './types';

export const SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const TWO32 = 4294967296;

export const enum BlockType {
  Idb = 1,
  Pb = 2,
  Spb = 3,
  Nrb = 4,
  Isb = 5,
  Epb = 6,
  Dsb = 10,
  Cb = 0x00000bad,
  Dcb = 0x40000bad,
}

const NAMES: Record<number, string> = {
  [SHB_TYPE]: 'SHB', 1: 'IDB', 2: 'PB', 3: 'SPB', 4: 'NRB', 5: 'ISB', 6: 'EPB', 7: 'IRIG', 8: 'AFDX',
  9: 'JEB', 10: 'DSB', 0x00000bad: 'CB', 0x40000bad: 'DCB',
};

export function blockName(type: number): string {
  return NAMES[type] ?? `0x${type.toString(16).padStart(8, '0')}`;
}

/** Smallest legal length per block type (header, fixed fields, trailer). */
const MIN_LENGTH: Record<number, number> = { [SHB_TYPE]: 28, 1: 20, 2: 32, 3: 16, 5: 24, 6: 32 };

/** What a packet block needs of its interface, per section. */
interface SectionInterface {
  info: CaptureInterface;
  resol: number;
  pow2: boolean;
}

const utf8 = new TextDecoder('utf-8');

/** Option string: UTF-8, not NUL-terminated, but a NUL ends it. */
function optionString(buf: Uint8Array, from: number, len: number): string {
  let end = from;
  while (end < from + len && buf[end] !== 0) end++;
  return utf8.decode(buf.subarray(from, end));
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

export class PcapngParser implements UnitParser {
  private le = true;
  private section = -1;
  private skipSection = false;
  private ifaces: SectionInterface[] = [];
  private nextInterfaceId = 0;
  private readonly maxBlock: number;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly compressed: boolean,
  ) {
    this.maxBlock = Math.max(16 * 1024 * 1024, ctx.maxRecordBytes + 1024 * 1024);
  }

  headerBytes(): number {
    return 12;
  }

  unitLength(view: DataView, buf: Uint8Array, off: number, streamOffset: number): number {
    let type = view.getUint32(off, this.le);
    if (type === SHB_TYPE) {
      const bom = view.getUint32(off + 8, false);
      if (bom === BYTE_ORDER_MAGIC) this.le = false;
      else if (bom === 0x4d3c2b1a) this.le = true;
      else {
        this.ctx.warn('bad-magic', 'capture.badByteOrder', streamOffset, {}, true);
        return -1;
      }
    } else {
      // The reserved "text-mode damage" types are numbers in the section's byte order: check both.
      const how = pcapngTextModeDamage(buf[off], buf[off + 1], buf[off + 2], buf[off + 3])
        ?? pcapngTextModeDamage(buf[off + 3], buf[off + 2], buf[off + 1], buf[off]);
      if (how) {
        this.ctx.warn('text-mode-corruption', 'capture.textMode', streamOffset, { how }, true);
        return -1;
      }
      if (this.section < 0) {
        this.ctx.warn('bad-magic', 'capture.badBlockType', streamOffset, {}, true);
        return -1;
      }
    }
    type = view.getUint32(off, this.le);
    const len = view.getUint32(off + 4, this.le);
    if (len < (MIN_LENGTH[type] ?? 12) || len % 4 !== 0) {
      this.ctx.warn('bad-block-length', 'capture.badBlockLength', streamOffset, { length: len }, true);
      return -1;
    }
    if (len > this.maxBlock) {
      this.ctx.warn('bad-block-length', 'capture.blockTooLarge', streamOffset, { length: len, max: this.maxBlock }, true);
      return -1;
    }
    return len;
  }

  unit(buf: Uint8Array, view: DataView, off: number, len: number, streamOffset: number): boolean {
    const le = this.le;
    const type = view.getUint32(off, le);
    const trailer = view.getUint32(off + len - 4, le);
    if (type === SHB_TYPE) this.startSection(view, off, streamOffset);
    this.ctx.block({ type, name: blockName(type), offset: streamOffset, length: len, section: this.section });
    if (trailer !== len) {
      this.ctx.warn('trailing-length-mismatch', 'capture.trailingLength', streamOffset,
        { block: blockName(type), trailer, length: len }, false);
    }
    if (this.skipSection) return true;
    switch (type) {
      case BlockType.Epb:
        this.packet(buf, view, off, len, streamOffset, view.getUint32(off + 8, le), true);
        break;
      case BlockType.Pb:
        this.packet(buf, view, off, len, streamOffset, view.getUint16(off + 8, le), true);
        break;
      case BlockType.Spb:
        this.packet(buf, view, off, len, streamOffset, 0, false);
        break;
      case BlockType.Idb:
        this.interface(buf, view, off, len);
        break;
      case BlockType.Isb:
        this.statistics(view, off, len, streamOffset);
        break;
      default:
        // NRB, DSB, custom, local and unknown blocks: nothing the analysis needs.
        break;
    }
    return true;
  }

  truncated(buf: Uint8Array, view: DataView, have: number, need: number, streamOffset: number): void {
    const frame = this.ctx.packets + 1;
    if (this.section < 0 && (have < 28 || need < 0)) {
      this.ctx.warn('truncated-header', 'capture.truncatedFileHeader', streamOffset, { size: 28 }, true);
      return;
    }
    const type = have >= 4 ? view.getUint32(0, this.le) : -1;
    const isPacket = type === BlockType.Epb || type === BlockType.Spb || type === BlockType.Pb;
    if (isPacket && need >= 0) {
      this.ctx.warn('truncated-record', 'capture.truncatedRecord', streamOffset, { frame }, true, frame);
    } else if (isPacket || type < 0) {
      this.ctx.warn('truncated-header', 'capture.truncatedHeader', streamOffset, { frame }, true, frame);
    } else {
      const how = pcapngTextModeDamage(buf[0], buf[1], buf[2], buf[3]);
      if (how) this.ctx.warn('text-mode-corruption', 'capture.textMode', streamOffset, { how }, true);
      else this.ctx.warn('truncated-record', 'capture.truncatedBlock', streamOffset, { block: blockName(type) }, true);
    }
  }

  finished(): void {}

  private startSection(view: DataView, off: number, streamOffset: number): void {
    const major = view.getUint16(off + 12, this.le);
    const minor = view.getUint16(off + 14, this.le);
    this.section++;
    this.ifaces = [];
    // Section length (offset 16, 64 bits, may be -1) is not needed to read a stream in order.
    this.skipSection = major !== 1;
    if (this.skipSection) {
      this.ctx.warn('other', 'capture.unsupportedSection', streamOffset, { major, minor }, false);
    }
    if (this.section === 0) {
      this.ctx.sink.onFormat?.('pcapng', {
        byteOrder: this.le ? 'le' : 'be', compressed: this.compressed, versionMajor: major, versionMinor: minor,
      });
    }
  }

  private interface(buf: Uint8Array, view: DataView, off: number, len: number): void {
    const le = this.le;
    const info: CaptureInterface = {
      id: this.nextInterfaceId++,
      linkType: view.getUint16(off + 8, le),
      snapLen: view.getUint32(off + 12, le),
      name: null,
      description: null,
      tsUnitsPerSecond: 1e6,
      tsOffsetSeconds: 0,
      fcsLen: 0,
      section: this.section,
    };
    let resol = 6, pow2 = false;
    const end = off + len - 4;
    for (let p = off + 16; p + 4 <= end; ) {
      const code = view.getUint16(p, le);
      const olen = view.getUint16(p + 2, le);
      const v = p + 4;
      if (code === 0 || v + olen > end) break;
      if (code === 2) info.name = optionString(buf, v, olen);
      else if (code === 3) info.description = optionString(buf, v, olen);
      else if (code === 9 && olen >= 1) {
        const r = buf[v];
        pow2 = (r & 0x80) !== 0;
        resol = r & 0x7f;
      } else if (code === 13 && olen >= 1) {
        // The draft says bits in one place and octets elsewhere; writers use octets (4 for
        // Ethernet), but a multiple of 8 from 16 up can only be bits.
        const f = buf[v];
        info.fcsLen = f >= 16 && f % 8 === 0 ? f / 8 : f;
      } else if (code === 14 && olen >= 8) {
        const hi = le ? view.getInt32(v + 4, true) : view.getInt32(v, false);
        const lo = le ? view.getUint32(v, true) : view.getUint32(v + 4, false);
        info.tsOffsetSeconds = hi * TWO32 + lo;
      }
      p = v + pad4(olen);
    }
    info.tsUnitsPerSecond = pow2 ? Math.pow(2, resol) : Math.pow(10, resol);
    this.ifaces.push({ info, resol, pow2 });
    this.ctx.sink.onInterface?.(info);
  }

  /** EPB (hasTs, 32-bit interface id), obsolete PB (hasTs, 16-bit id), SPB (no time stamp). */
  private packet(
    buf: Uint8Array, view: DataView, off: number, len: number, streamOffset: number, localId: number, hasTs: boolean,
  ): void {
    const le = this.le;
    const ctx = this.ctx;
    const frame = ctx.packets + 1;
    const iface = localId < this.ifaces.length ? this.ifaces[localId] : undefined;
    if (iface === undefined) {
      ctx.warn('unknown-interface', 'capture.unknownInterface', streamOffset, { frame, iface: localId }, false, frame);
      return;
    }
    let dataAt: number, cap: number, orig: number;
    if (hasTs) {
      dataAt = off + 28;
      cap = view.getUint32(off + 20, le);
      orig = view.getUint32(off + 24, le);
      const room = len - 32;
      if (cap > room) {
        ctx.warn('bad-record-length', 'capture.packetBeyondBlock', streamOffset, { frame, caplen: cap, room }, false, frame);
        return;
      }
    } else {
      dataAt = off + 12;
      orig = view.getUint32(off + 8, le);
      // An SPB holds min(original length, snapshot length) bytes; the block's room bounds both.
      cap = Math.min(orig, len - 16);
      const snap = iface.info.snapLen;
      if (snap > 0 && cap > snap) cap = snap;
    }
    if (cap > ctx.maxRecordBytes) {
      ctx.warn('bad-record-length', 'capture.packetTooLarge', streamOffset, { frame, caplen: cap, max: ctx.maxRecordBytes }, false, frame);
      return;
    }
    const rec = ctx.record;
    if (hasTs) {
      splitTimestamp(view.getUint32(off + 12, le), view.getUint32(off + 16, le), iface.resol, iface.pow2);
      rec.tsSec = ts.sec + iface.info.tsOffsetSeconds;
      rec.tsNsec = ts.nsec;
    } else {
      rec.tsSec = 0;
      rec.tsNsec = 0;
    }
    let flags = 0;
    let fcsLen = iface.info.fcsLen;
    if (hasTs) {
      // Options follow the padded data; only epb_flags (code 2) matters here.
      const end = off + len - 4;
      for (let p = dataAt + pad4(cap); p + 4 <= end; ) {
        const code = view.getUint16(p, le);
        const olen = view.getUint16(p + 2, le);
        if (code === 0 || p + 4 + olen > end) break;
        if (code === 2 && olen >= 4) {
          flags = view.getUint32(p + 4, le);
          const f = (flags >>> 5) & 0xf;
          if (f !== 0) fcsLen = f;
        }
        p += 4 + pad4(olen);
      }
    }
    rec.fileOffset = streamOffset;
    rec.dataOffset = streamOffset + (dataAt - off);
    rec.capturedLength = cap;
    rec.originalLength = orig;
    rec.interfaceId = iface.info.id;
    rec.linkType = iface.info.linkType;
    rec.fcsLen = fcsLen;
    rec.packetFlags = flags;
    rec.hasTimestamp = hasTs;
    rec.buf = buf;
    rec.bufOffset = dataAt;
    rec.view = view;
    ctx.emitRecord();
  }

  private statistics(view: DataView, off: number, len: number, streamOffset: number): void {
    const le = this.le;
    const localId = view.getUint32(off + 8, le);
    const iface = this.ifaces[localId];
    if (iface === undefined) {
      this.ctx.warn('unknown-interface', 'capture.unknownInterfaceStats', streamOffset, { iface: localId }, false);
      return;
    }
    const stats: { interfaceId: number; received?: number; dropped?: number; osDropped?: number } = { interfaceId: iface.info.id };
    let any = false;
    const end = off + len - 4;
    for (let p = off + 20; p + 4 <= end; ) {
      const code = view.getUint16(p, le);
      const olen = view.getUint16(p + 2, le);
      const v = p + 4;
      if (code === 0 || v + olen > end) break;
      if ((code === 4 || code === 5 || code === 7) && olen >= 8) {
        const hi = view.getUint32(le ? v + 4 : v, le);
        const lo = view.getUint32(le ? v : v + 4, le);
        const n = hi * TWO32 + lo;
        if (code === 4) stats.received = n;
        else if (code === 5) stats.dropped = n;
        else stats.osDropped = n;
        any = true;
      }
      p = v + pad4(olen);
    }
    if (any) this.ctx.sink.onInterfaceStats?.(stats);
  }
}
