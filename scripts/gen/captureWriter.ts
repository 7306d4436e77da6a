/**
 * Streams a classic pcap (µs) or a pcapng (one SHB, one IDB, EPBs) to disk through one large
 * buffer: records are built in place with a DataView and the buffer is written out whenever it
 * fills, so memory stays flat however big the file grows.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type OutputFormat = 'pcap' | 'pcapng';

const BUFFER_BYTES = 8 << 20;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262144;

export class CaptureWriter {
  readonly buf = new Uint8Array(BUFFER_BYTES);
  readonly dv = new DataView(this.buf.buffer);
  private pos = 0;
  private flushed = 0;
  private readonly fd: number;
  private frameStart = 0;
  packets = 0;

  constructor(path: string, readonly format: OutputFormat) {
    this.fd = openSync(path, 'w');
    if (format === 'pcap') this.writePcapHeader();
    else this.writePcapngHeader();
  }

  /** Bytes written so far, including what is still buffered. */
  get bytes(): number {
    return this.flushed + this.pos;
  }

  /** Bytes a record of `frameLen` bytes adds to the file. */
  recordSize(frameLen: number): number {
    return this.format === 'pcap' ? 16 + frameLen : 32 + ((frameLen + 3) & ~3);
  }

  /**
   * Start a record of `frameLen` captured bytes at `usSinceEpoch`; returns the buffer offset where the
   * frame's bytes go. Call endRecord() once they are written.
   */
  beginRecord(usSinceEpoch: number, frameLen: number): number {
    const size = this.recordSize(frameLen);
    if (this.pos + size > this.buf.length) this.flush();
    const dv = this.dv;
    const p = this.pos;
    if (this.format === 'pcap') {
      const sec = Math.floor(usSinceEpoch / 1e6);
      dv.setUint32(p, sec, true);
      dv.setUint32(p + 4, usSinceEpoch - sec * 1e6, true);
      dv.setUint32(p + 8, frameLen, true);
      dv.setUint32(p + 12, frameLen, true);
      this.frameStart = p + 16;
    } else {
      dv.setUint32(p, 6, true); // Enhanced Packet Block
      dv.setUint32(p + 4, size, true);
      dv.setUint32(p + 8, 0, true); // interface 0
      const high = Math.floor(usSinceEpoch / 4294967296);
      dv.setUint32(p + 12, high, true);
      dv.setUint32(p + 16, usSinceEpoch - high * 4294967296, true);
      dv.setUint32(p + 20, frameLen, true);
      dv.setUint32(p + 24, frameLen, true);
      this.frameStart = p + 28;
      // Padding must be zero; the buffer is reused, so clear it.
      for (let i = frameLen; i < ((frameLen + 3) & ~3); i++) this.buf[p + 28 + i] = 0;
      dv.setUint32(p + size - 4, size, true);
    }
    this.pos = p + size;
    return this.frameStart;
  }

  endRecord(): void {
    this.packets++;
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.flushed += this.pos;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private writePcapHeader(): void {
    const dv = this.dv;
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setInt32(8, 0, true);
    dv.setUint32(12, 0, true);
    dv.setUint32(16, SNAPLEN, true);
    dv.setUint32(20, LINKTYPE_ETHERNET, true);
    this.pos = 24;
  }

  private writePcapngHeader(): void {
    const dv = this.dv;
    // Section Header Block, section length unknown (-1): we stream and cannot seek back.
    dv.setUint32(0, 0x0a0d0d0a, true);
    dv.setUint32(4, 28, true);
    dv.setUint32(8, 0x1a2b3c4d, true);
    dv.setUint16(12, 1, true);
    dv.setUint16(14, 0, true);
    dv.setInt32(16, -1, true);
    dv.setInt32(20, -1, true);
    dv.setUint32(24, 28, true);
    // Interface Description Block: Ethernet, default µs resolution, one if_name option.
    const name = 'eth0';
    const optLen = 4 + ((name.length + 3) & ~3) + 4; // if_name + opt_endofopt
    const idbLen = 20 + optLen;
    let p = 28;
    dv.setUint32(p, 1, true);
    dv.setUint32(p + 4, idbLen, true);
    dv.setUint16(p + 8, LINKTYPE_ETHERNET, true);
    dv.setUint16(p + 10, 0, true);
    dv.setUint32(p + 12, SNAPLEN, true);
    p += 16;
    dv.setUint16(p, 2, true); // if_name
    dv.setUint16(p + 2, name.length, true);
    for (let i = 0; i < name.length; i++) this.buf[p + 4 + i] = name.charCodeAt(i);
    p += 4 + ((name.length + 3) & ~3);
    dv.setUint32(p, 0, true); // opt_endofopt
    p += 4;
    dv.setUint32(p, idbLen, true);
    this.pos = p + 4;
  }
}
