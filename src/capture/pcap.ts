/**
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte header (24 bytes in the
 * "modified" format) and the captured bytes, in the writer's byte order.
 */
import type { ReaderContext } from './context';
import type { UnitParser } from './framer';
import { pcapTextModeDamage, type PrevRecord } from './textMode';
import type { CaptureFormat } from './types';

export const PCAP_FILE_HEADER = 24;

/** Magic numbers as read big-endian from the first four bytes. */
export const enum PcapMagic {
  Usec = 0xa1b2c3d4,
  Nsec = 0xa1b23c4d,
  Modified = 0xa1b2cd34,
  IxiaHw = 0x1c0001ac,
  IxiaSw = 0x1c0001ab,
}

const KNOWN = [PcapMagic.Usec, PcapMagic.Nsec, PcapMagic.Modified, PcapMagic.IxiaHw, PcapMagic.IxiaSw] as number[];

function swap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** The pcap magic at the start of a file in either byte order, or null. */
export function pcapMagic(be32: number): { magic: PcapMagic; le: boolean } | null {
  if (KNOWN.includes(be32)) return { magic: be32 as PcapMagic, le: false };
  const sw = swap32(be32);
  if (KNOWN.includes(sw)) return { magic: sw as PcapMagic, le: true };
  return null;
}

/** libpcap's link-type field: low 16 bits the link type, 0x04000000 "FCS length present", top 4 bits its length in 16-bit words. */
const LT_FCS_PRESENT = 0x04000000;
const LT_RESERVED = 0x03ff0000;

export class PcapParser implements UnitParser {
  private haveHeader = false;
  private le = true;
  private nsec = false;
  private recHeader = 16;
  private fileHeader = PCAP_FILE_HEADER;
  private snapLen = 0;
  private linkType = 0;
  private fcsLen = 0;
  /** 0: lengths as written; 1: caplen and origlen swapped (pcap < 2.3); 2: swapped when caplen > origlen (2.3). */
  private swapMode = 0;
  private warnedSnap = false;
  private warnedOrig = false;
  private prev: PrevRecord | null = null;
  private readonly prevScratch: PrevRecord = { buf: new Uint8Array(0), off: 0, len: 0, tsSec: 0 };
  /** Own copy of the previous record's bytes once the chunk holding them was released. */
  private prevCopy = new Uint8Array(0);
  private cap = 0;
  private orig = 0;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly compressed: boolean,
  ) {}

  headerBytes(): number {
    return this.haveHeader ? this.recHeader : PCAP_FILE_HEADER;
  }

  unitLength(view: DataView, buf: Uint8Array, off: number, streamOffset: number): number {
    if (!this.haveHeader) {
      const m = pcapMagic(view.getUint32(off, false));
      // Ixia files carry 4 more bytes after the standard header.
      this.fileHeader = m && (m.magic === PcapMagic.IxiaHw || m.magic === PcapMagic.IxiaSw) ? 28 : PCAP_FILE_HEADER;
      return this.fileHeader;
    }
    this.readLengths(view, off);
    const cap = this.cap;
    if (cap > this.ctx.maxRecordBytes) {
      const frame = this.ctx.packets + 1;
      const how = pcapTextModeDamage(this.prev, buf.slice(off, off + this.recHeader), this.le, this.limit());
      if (how) {
        this.ctx.warn('text-mode-corruption', 'capture.textMode', streamOffset, { how }, true, frame);
      } else {
        this.ctx.warn('bad-record-length', 'capture.recordTooLarge', streamOffset,
          { frame, caplen: cap, max: this.ctx.maxRecordBytes }, true, frame);
      }
      return -1;
    }
    return this.recHeader + cap;
  }

  unit(buf: Uint8Array, view: DataView, off: number, len: number, streamOffset: number): boolean {
    if (!this.haveHeader) return this.fileHeaderUnit(view, off, streamOffset);
    const le = this.le;
    this.readLengths(view, off);
    let sec = view.getUint32(off, le);
    let frac = view.getUint32(off + 4, le);
    const rec = this.ctx.record;
    const frame = this.ctx.packets + 1;
    if (!this.warnedSnap && this.snapLen > 0 && this.cap > this.snapLen) {
      this.warnedSnap = true;
      this.ctx.warn('bad-record-length', 'capture.recordLargerThanSnaplen', streamOffset,
        { frame, caplen: this.cap, snaplen: this.snapLen }, false, frame);
    }
    if (!this.warnedOrig && this.cap > this.orig) {
      this.warnedOrig = true;
      this.ctx.warn('bad-record-length', 'capture.recordCaplenOverOrig', streamOffset,
        { frame, caplen: this.cap, origlen: this.orig }, false, frame);
    }
    // A fraction at or over one second is out of spec; carry it into the seconds rather than fail.
    if (this.nsec) {
      if (frac >= 1e9) { sec += Math.floor(frac / 1e9); frac %= 1e9; }
      rec.tsNsec = frac;
    } else {
      if (frac >= 1e6) { sec += Math.floor(frac / 1e6); frac %= 1e6; }
      rec.tsNsec = frac * 1000;
    }
    rec.tsSec = sec;
    rec.fileOffset = streamOffset;
    rec.dataOffset = streamOffset + this.recHeader;
    rec.capturedLength = this.cap;
    rec.originalLength = this.orig;
    rec.interfaceId = 0;
    rec.linkType = this.linkType;
    rec.fcsLen = this.fcsLen;
    rec.packetFlags = 0;
    rec.hasTimestamp = true;
    rec.buf = buf;
    rec.bufOffset = off + this.recHeader;
    rec.view = view;
    this.ctx.emitRecord();
    const p = this.prevScratch;
    p.buf = buf; p.off = off + this.recHeader; p.len = len - this.recHeader; p.tsSec = sec;
    this.prev = p;
    return true;
  }

  truncated(_buf: Uint8Array, _view: DataView, have: number, need: number, streamOffset: number): void {
    if (!this.haveHeader) {
      this.ctx.warn('truncated-header', 'capture.truncatedFileHeader', streamOffset, { size: this.fileHeader }, true);
      return;
    }
    const frame = this.ctx.packets + 1;
    if (need < 0 || have < this.recHeader) {
      this.ctx.warn('truncated-header', 'capture.truncatedHeader', streamOffset, { frame }, true, frame);
    } else {
      this.ctx.warn('truncated-record', 'capture.truncatedRecord', streamOffset, { frame }, true, frame);
    }
  }

  finished(): void {}

  /** The previous record is kept to explain damage in the next one: copy it out of the chunk. */
  release(chunk: Uint8Array): void {
    const p = this.prev;
    if (p === null || p.buf !== chunk) return;
    if (this.prevCopy.length < p.len) this.prevCopy = new Uint8Array(Math.max(p.len, 2048));
    this.prevCopy.set(chunk.subarray(p.off, p.off + p.len));
    p.buf = this.prevCopy;
    p.off = 0;
  }

  private limit(): number {
    return this.snapLen > 0 ? Math.max(this.snapLen, 65535) : this.ctx.maxRecordBytes;
  }

  private readLengths(view: DataView, off: number): void {
    let cap = view.getUint32(off + 8, this.le);
    let orig = view.getUint32(off + 12, this.le);
    if (this.swapMode === 1 || (this.swapMode === 2 && cap > orig)) {
      const t = cap; cap = orig; orig = t;
    }
    this.cap = cap;
    this.orig = orig;
  }

  private fileHeaderUnit(view: DataView, off: number, streamOffset: number): boolean {
    const m = pcapMagic(view.getUint32(off, false));
    if (!m) return false; // the sniffer only sends pcap magics here
    const le = m.le;
    this.le = le;
    this.nsec = m.magic === PcapMagic.Nsec || m.magic === PcapMagic.IxiaHw;
    this.recHeader = m.magic === PcapMagic.Modified ? 24 : 16;
    const major = view.getUint16(off + 4, le);
    const minor = view.getUint16(off + 6, le);
    if (major < 2 || (major === 2 && minor < 3)) this.swapMode = 1;
    else if (major === 2 && minor === 3) this.swapMode = 2;
    if (major !== 2 || minor > 4) {
      this.ctx.warn('other', 'capture.pcapVersion', streamOffset, { major, minor }, false);
    }
    this.snapLen = view.getUint32(off + 16, le);
    const lt = view.getUint32(off + 20, le);
    this.linkType = lt & 0xffff;
    this.fcsLen = lt & LT_FCS_PRESENT ? ((lt >>> 28) & 0xf) * 2 : 0;
    if (lt & LT_RESERVED) {
      this.ctx.warn('other', 'capture.linkTypeReserved', streamOffset,
        { value: `0x${lt.toString(16).padStart(8, '0')}`, linkType: this.linkType }, false);
    }
    this.haveHeader = true;
    const format: CaptureFormat = this.nsec ? 'pcap-nsec' : 'pcap';
    this.ctx.sink.onFormat?.(format, { byteOrder: le ? 'le' : 'be', compressed: this.compressed, versionMajor: major, versionMinor: minor });
    this.ctx.sink.onInterface?.({
      id: 0, linkType: this.linkType, snapLen: this.snapLen, name: null, description: null,
      tsUnitsPerSecond: this.nsec ? 1e9 : 1e6, tsOffsetSeconds: 0, fcsLen: this.fcsLen, section: 0,
    });
    this.ctx.block({ type: -1, name: 'pcap header', offset: streamOffset, length: this.fileHeader, section: 0 });
    return true;
  }
}
