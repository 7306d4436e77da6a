/**
 * Writing pcapng (little-endian, one section): a Section Header Block, one Interface Description
 * Block per interface used, then one Enhanced Packet Block per packet with the packet's bytes as
 * captured. The output comes as chunks (about `chunkBytes` each), so an export of any size is never
 * held whole: the browser makes a Blob of the parts, Node writes them to a file stream.
 *
 *   for await (const part of writePcapng({ interfaces, packets, bytes, sectionComment })) sink(part);
 *
 * Time stamps keep the source's resolution (pcap µs, pcap-nsec and pcapng ns, other pcapng
 * if_tsresol values) and are written as absolute times (a source if_tsoffset is already added in).
 */
import type { CaptureInterface } from './types';
import type { CaptureBytes } from './ranges';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const SPB = 3;
const PB = 2;
/** Options of a packet block whose values are numbers (swapped from a big-endian source): code → width. */
const NUMERIC_OPTIONS: Record<number, number> = { 2: 4, 4: 8, 5: 8, 6: 4 };
/** Custom options: a private enterprise number (swapped), then opaque bytes. */
const CUSTOM_OPTIONS = new Set([2988, 2989, 19372, 19373]);
/** Options bigger than this mean a damaged block: they are not copied. */
const MAX_OPTIONS_BYTES = 1 << 16;

const TWO32 = 4294967296;
const utf8 = new TextEncoder();

/** One packet to write. */
export interface PcapngPacket {
  /** Interface id of the source (CaptureInterface.id); renumbered in the output. */
  iface: number;
  tsSec: number;
  tsNsec: number;
  /** Offset of the first packet byte in the (decompressed) capture, and the captured length. */
  dataOffset: number;
  capLen: number;
  origLen: number;
  /**
   * Offset of the packet's block when the source is pcapng: the block is re-read whole, so that its
   * options (comments, flags, hashes, drop counts, ...) are kept and a Simple Packet Block (no time
   * stamp) stays one when it can.
   */
  blockOffset?: number;
  /** Added after the source's own comments. */
  comment?: string;
}

export interface PcapngWriteOptions {
  /** The source's interfaces (Analysis.interfaces); only those the packets use are written. */
  interfaces: readonly CaptureInterface[];
  /** Interface ids used, ascending (written in this order, numbered 0, 1, ...). */
  used: readonly number[];
  /** The packets, in the order to write; iterated once. */
  packets: Iterable<PcapngPacket>;
  bytes: CaptureBytes;
  sectionComment?: string;
  /** shb_userappl. */
  application?: string;
  /** Output part size (default 1 MiB). */
  chunkBytes?: number;
}

/** How a resolution is written: the if_tsresol byte and the units per second. */
export function tsResolution(unitsPerSecond: number): { code: number; units: number } {
  for (let n = 0; n <= 9; n++) if (unitsPerSecond === 10 ** n) return { code: n, units: unitsPerSecond };
  for (let n = 0; n <= 30; n++) if (unitsPerSecond === 2 ** n) return { code: 0x80 | n, units: unitsPerSecond };
  // Finer than 1 ns, or a binary resolution the reader rounded to nanoseconds: nanoseconds it is.
  return { code: 9, units: 1e9 };
}

/** Growable little-endian output, cut into parts. */
class Out {
  private buf: Uint8Array;
  private view: DataView;
  len = 0;

  /** `size`: the part size; the buffer has room for a packet more. */
  constructor(private readonly size: number) {
    this.buf = new Uint8Array(size + 65536);
    this.view = new DataView(this.buf.buffer);
  }

  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  u8(v: number): void { this.room(1); this.buf[this.len++] = v; }
  u16(v: number): void { this.room(2); this.view.setUint16(this.len, v, true); this.len += 2; }
  u32(v: number): void { this.room(4); this.view.setUint32(this.len, v >>> 0, true); this.len += 4; }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.len); this.len += b.length; }
  pad(): void { while (this.len % 4) this.u8(0); }
  setU32(at: number, v: number): void { this.view.setUint32(at, v >>> 0, true); }

  option(code: number, value: Uint8Array): void {
    this.u16(code);
    this.u16(value.length);
    this.bytes(value);
    this.pad();
  }

  /** Start a block: returns where its length goes. */
  begin(type: number): number {
    this.u32(type);
    const at = this.len;
    this.u32(0);
    return at;
  }

  end(lengthAt: number): void {
    const total = this.len - (lengthAt - 4) + 4;
    this.u32(total);
    this.setU32(lengthAt, total);
  }

  get full(): boolean { return this.len >= this.size; }

  /** The bytes so far, as a new part; the buffer starts over. */
  take(): Uint8Array {
    const part = this.buf.slice(0, this.len);
    this.len = 0;
    return part;
  }
}

function endOptions(o: Out, any: boolean): void {
  if (any) { o.u16(OPT_END); o.u16(0); }
}

/** The time stamp as a count of `units` per second, split into two 32-bit words (no BigInt). */
function timestampWords(tsSec: number, tsNsec: number, units: number): [number, number] {
  // frac < units ≤ 1e9; tsSec · units can pass 2^53, so it is built in 16-bit limbs of tsSec.
  const frac = units === 1e9 ? tsNsec : Math.round((tsNsec * units) / 1e9);
  const sHi = Math.floor(tsSec / 65536), sLo = tsSec - sHi * 65536;
  // value = sHi·units·2^16 + sLo·units + frac; sHi·units < 2^47, sLo·units + frac < 2^47.
  const a = sHi * units;
  const aHi = Math.floor(a / 65536), aLo = a - aHi * 65536; // a·2^16 = aHi·2^32 + aLo·2^16
  let lo = aLo * 65536 + sLo * units + frac; // < 2^48
  let hi = aHi;
  const carry = Math.floor(lo / TWO32);
  lo -= carry * TWO32;
  hi += carry;
  return [hi, lo];
}

/** The source block's options as (code, value) pairs in little-endian form, or [] when unreadable. */
function sourceOptions(block: Uint8Array, start: number, end: number, le: boolean): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  const v = new DataView(block.buffer, block.byteOffset, block.byteLength);
  for (let p = start; p + 4 <= end; ) {
    const code = v.getUint16(p, le), len = v.getUint16(p + 2, le);
    if (code === OPT_END) break;
    if (p + 4 + len > end) return [];
    const value = block.slice(p + 4, p + 4 + len);
    if (!le) {
      const w = NUMERIC_OPTIONS[code];
      if (w && len === w) value.reverse();
      else if (CUSTOM_OPTIONS.has(code) && len >= 4) value.subarray(0, 4).reverse();
    }
    out.push([code, value]);
    p += 4 + ((len + 3) & ~3);
  }
  return out;
}

export async function* writePcapng(opts: PcapngWriteOptions): AsyncGenerator<Uint8Array> {
  const size = opts.chunkBytes ?? 1 << 20;
  const o = new Out(size);
  // Section Header Block.
  const shb = o.begin(SHB);
  o.u32(BYTE_ORDER_MAGIC);
  o.u16(1); o.u16(0);
  o.u32(0xffffffff); o.u32(0xffffffff); // section length not given
  if (opts.sectionComment) o.option(OPT_COMMENT, utf8.encode(opts.sectionComment));
  o.option(SHB_USERAPPL, utf8.encode(opts.application ?? 'Capture Inspector'));
  endOptions(o, true);
  o.end(shb);

  // Interface Description Blocks, numbered in the order of `used`.
  const outId = new Map<number, number>();
  const units: number[] = [];
  for (const id of opts.used) {
    const iface = opts.interfaces.find((i) => i.id === id);
    const linkType = iface?.linkType ?? 1;
    const res = tsResolution(iface?.tsUnitsPerSecond ?? 1e6);
    const b = o.begin(IDB);
    o.u16(linkType); o.u16(0);
    o.u32(iface?.snapLen ?? 0);
    if (iface?.name) o.option(IF_NAME, utf8.encode(iface.name));
    if (iface?.description) o.option(IF_DESCRIPTION, utf8.encode(iface.description));
    o.option(IF_TSRESOL, Uint8Array.of(res.code));
    // if_fcslen counts bits (the reader takes bits or bytes).
    if (iface && iface.fcsLen > 0) o.option(IF_FCSLEN, Uint8Array.of(iface.fcsLen * 8));
    endOptions(o, true);
    o.end(b);
    outId.set(id, units.length);
    units.push(res.units);
  }

  for (const p of opts.packets) {
    const k = outId.get(p.iface);
    if (k === undefined) throw new Error(`interface ${p.iface} is not among those written`);
    let data: Uint8Array;
    let options: [number, Uint8Array][] = [];
    let simple = false;
    if (p.blockOffset !== undefined) {
      const head = await opts.bytes.read(p.blockOffset, 8);
      const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const le = head.length === 8 && hv.getUint32(0, true) <= 0xffff;
      const type = head.length === 8 ? hv.getUint32(0, le) : -1;
      const total = head.length === 8 ? hv.getUint32(4, le) : 0;
      const dataStart = p.dataOffset - p.blockOffset;
      const dataEnd = dataStart + ((p.capLen + 3) & ~3);
      const fits = total >= dataEnd + 4 && total - dataEnd - 4 <= MAX_OPTIONS_BYTES;
      if ((type === EPB || type === PB) && fits) {
        const block = await opts.bytes.read(p.blockOffset, total);
        data = block.slice(dataStart, dataStart + p.capLen);
        options = sourceOptions(block, dataEnd, total - 4, le);
      } else {
        data = await opts.bytes.read(p.dataOffset, p.capLen);
        // An SPB belongs to the section's first interface: it stays one when that is still interface 0.
        simple = type === SPB && k === 0;
      }
    } else data = await opts.bytes.read(p.dataOffset, p.capLen);
    if (p.comment) options.push([OPT_COMMENT, utf8.encode(p.comment)]);
    if (simple) {
      const b = o.begin(SPB);
      o.u32(Math.max(p.origLen, data.length));
      o.bytes(data);
      o.pad();
      o.end(b);
    } else {
      const [hi, lo] = timestampWords(p.tsSec, p.tsNsec, units[k]);
      const b = o.begin(EPB);
      o.u32(k); o.u32(hi); o.u32(lo);
      o.u32(data.length);
      // A packet cut short by the end of the file keeps its original length: tshark shows it as captured.
      o.u32(Math.max(p.origLen, data.length));
      o.bytes(data);
      o.pad();
      for (const [code, value] of options) o.option(code, value);
      endOptions(o, options.length > 0);
      o.end(b);
    }
    if (o.full) yield o.take();
  }
  if (o.len > 0) yield o.take();
}
