/**
 * Tiny writers of pcap and pcapng files for tests: build exactly the bytes a case needs
 * (byte orders, odd options, damaged lengths) without a capture tool.
 */

export type PcapMagicName = 'usec' | 'nsec' | 'modified';

export interface PcapRecordSpec {
  sec: number;
  /** µs or ns, per the magic. */
  frac?: number;
  data: Uint8Array;
  /** Original length (default data.length). */
  orig?: number;
  /** Written caplen, when it should lie about data.length. */
  caplen?: number;
}

export interface PcapSpec {
  magic?: PcapMagicName;
  le?: boolean;
  versionMajor?: number;
  versionMinor?: number;
  snaplen?: number;
  /** The whole 32-bit link-type field (link type plus FCS bits). */
  linkTypeField?: number;
  records: PcapRecordSpec[];
}

const MAGIC: Record<PcapMagicName, number> = { usec: 0xa1b2c3d4, nsec: 0xa1b23c4d, modified: 0xa1b2cd34 };

/** A classic pcap file. */
export function pcapFile(spec: PcapSpec): Uint8Array {
  const le = spec.le ?? true;
  const magic = spec.magic ?? 'usec';
  const recHdr = magic === 'modified' ? 24 : 16;
  const total = 24 + spec.records.reduce((n, r) => n + recHdr + r.data.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC[magic], le);
  dv.setUint16(4, spec.versionMajor ?? 2, le);
  dv.setUint16(6, spec.versionMinor ?? 4, le);
  dv.setUint32(16, spec.snaplen ?? 262144, le);
  dv.setUint32(20, spec.linkTypeField ?? 1, le);
  let p = 24;
  for (const r of spec.records) {
    dv.setUint32(p, r.sec, le);
    dv.setUint32(p + 4, r.frac ?? 0, le);
    dv.setUint32(p + 8, r.caplen ?? r.data.length, le);
    dv.setUint32(p + 12, r.orig ?? r.data.length, le);
    out.set(r.data, p + recHdr);
    p += recHdr + r.data.length;
  }
  return out;
}

/** Packet bytes 0, 1, 2, ... of a given length, offset by `seed` (distinct per packet). */
export function bytes(len: number, seed = 0): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (i + seed * 7) & 0xff;
  return b;
}

export type OptionValue = Uint8Array | string;

export interface IdbSpec {
  linkType?: number;
  snaplen?: number;
  name?: string;
  description?: string;
  /** Raw if_tsresol byte (0x80 | n for 2^-n). */
  tsresol?: number;
  /** if_tsoffset, whole seconds (may be negative). */
  tsoffset?: number;
  fcslen?: number;
  /** Extra raw options [code, value]. */
  options?: [number, OptionValue][];
}

export interface EpbSpec {
  iface?: number;
  /** Time stamp in interface units, as a BigInt (64 bits). */
  ts?: bigint;
  data: Uint8Array;
  orig?: number;
  caplen?: number;
  flags?: number;
  options?: [number, OptionValue][];
}

/** Builds a pcapng file block by block; each block uses the current section's byte order. */
export class PcapngBuilder {
  private readonly parts: Uint8Array[] = [];
  private le = true;

  /** Section Header Block. */
  shb(opts: { le?: boolean; major?: number; minor?: number; sectionLength?: bigint; options?: [number, OptionValue][] } = {}): this {
    this.le = opts.le ?? true;
    const body = new Uint8Array(16);
    const dv = new DataView(body.buffer);
    dv.setUint32(0, 0x1a2b3c4d, this.le);
    dv.setUint16(4, opts.major ?? 1, this.le);
    dv.setUint16(6, opts.minor ?? 0, this.le);
    dv.setBigInt64(8, opts.sectionLength ?? -1n, this.le);
    return this.block(0x0a0d0d0a, body, opts.options);
  }

  idb(spec: IdbSpec = {}): this {
    const body = new Uint8Array(8);
    const dv = new DataView(body.buffer);
    dv.setUint16(0, spec.linkType ?? 1, this.le);
    dv.setUint32(4, spec.snaplen ?? 262144, this.le);
    const opts: [number, OptionValue][] = [];
    if (spec.name !== undefined) opts.push([2, spec.name]);
    if (spec.description !== undefined) opts.push([3, spec.description]);
    if (spec.tsresol !== undefined) opts.push([9, Uint8Array.of(spec.tsresol)]);
    if (spec.fcslen !== undefined) opts.push([13, Uint8Array.of(spec.fcslen)]);
    if (spec.tsoffset !== undefined) {
      const v = new Uint8Array(8);
      new DataView(v.buffer).setBigInt64(0, BigInt(spec.tsoffset), this.le);
      opts.push([14, v]);
    }
    opts.push(...(spec.options ?? []));
    return this.block(1, body, opts);
  }

  epb(spec: EpbSpec): this {
    const cap = spec.caplen ?? spec.data.length;
    const ts = spec.ts ?? 0n;
    const body = new Uint8Array(20 + pad4(spec.data.length));
    const dv = new DataView(body.buffer);
    dv.setUint32(0, spec.iface ?? 0, this.le);
    dv.setUint32(4, Number(ts >> 32n), this.le);
    dv.setUint32(8, Number(ts & 0xffffffffn), this.le);
    dv.setUint32(12, cap, this.le);
    dv.setUint32(16, spec.orig ?? spec.data.length, this.le);
    body.set(spec.data, 20);
    const opts: [number, OptionValue][] = [];
    if (spec.flags !== undefined) opts.push([2, this.u32(spec.flags)]);
    opts.push(...(spec.options ?? []));
    return this.block(6, body, opts);
  }

  /** Obsolete Packet Block (type 2). */
  pb(spec: EpbSpec & { drops?: number }): this {
    const body = new Uint8Array(20 + pad4(spec.data.length));
    const dv = new DataView(body.buffer);
    const ts = spec.ts ?? 0n;
    dv.setUint16(0, spec.iface ?? 0, this.le);
    dv.setUint16(2, spec.drops ?? 0, this.le);
    dv.setUint32(4, Number(ts >> 32n), this.le);
    dv.setUint32(8, Number(ts & 0xffffffffn), this.le);
    dv.setUint32(12, spec.caplen ?? spec.data.length, this.le);
    dv.setUint32(16, spec.orig ?? spec.data.length, this.le);
    body.set(spec.data, 20);
    return this.block(2, body);
  }

  /** Simple Packet Block: `data` as stored (may be shorter than orig). */
  spb(spec: { data: Uint8Array; orig?: number }): this {
    const body = new Uint8Array(4 + pad4(spec.data.length));
    new DataView(body.buffer).setUint32(0, spec.orig ?? spec.data.length, this.le);
    body.set(spec.data, 4);
    return this.block(3, body);
  }

  isb(spec: { iface: number; recv?: bigint; drop?: bigint; osdrop?: bigint }): this {
    const body = new Uint8Array(12);
    new DataView(body.buffer).setUint32(0, spec.iface, this.le);
    const opts: [number, OptionValue][] = [];
    if (spec.recv !== undefined) opts.push([4, this.u64(spec.recv)]);
    if (spec.drop !== undefined) opts.push([5, this.u64(spec.drop)]);
    if (spec.osdrop !== undefined) opts.push([7, this.u64(spec.osdrop)]);
    return this.block(5, body, opts);
  }

  /** Name Resolution Block with one IPv4 record. */
  nrb(): this {
    const rec = new Uint8Array(4 + 12);
    const dv = new DataView(rec.buffer);
    dv.setUint16(0, 1, this.le);
    dv.setUint16(2, 10, this.le);
    rec.set([192, 0, 2, 1, 0x68, 0x6f, 0x73, 0x74, 0x00, 0, 0, 0], 4);
    const body = new Uint8Array(rec.length + 4);
    body.set(rec);
    return this.block(4, body);
  }

  /** Any block: type, body (padded here), options. */
  block(type: number, body: Uint8Array, options?: [number, OptionValue][]): this {
    const opt = options && options.length > 0 ? this.options(options) : new Uint8Array(0);
    const len = 12 + pad4(body.length) + opt.length;
    const out = new Uint8Array(len);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, type, this.le);
    dv.setUint32(4, len, this.le);
    out.set(body, 8);
    out.set(opt, 8 + pad4(body.length));
    dv.setUint32(len - 4, len, this.le);
    this.parts.push(out);
    return this;
  }

  /** Raw bytes (for damage). */
  raw(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }

  build(): Uint8Array {
    const n = this.parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  private options(list: [number, OptionValue][]): Uint8Array {
    const enc = list.map(([code, v]) => [code, typeof v === 'string' ? new TextEncoder().encode(v) : v] as const);
    const n = enc.reduce((a, [, v]) => a + 4 + pad4(v.length), 0) + 4;
    const out = new Uint8Array(n);
    const dv = new DataView(out.buffer);
    let p = 0;
    for (const [code, v] of enc) {
      dv.setUint16(p, code, this.le);
      dv.setUint16(p + 2, v.length, this.le);
      out.set(v, p + 4);
      p += 4 + pad4(v.length);
    }
    return out; // ends with opt_endofopt (zeros)
  }

  private u32(v: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, this.le);
    return b;
  }

  private u64(v: bigint): Uint8Array {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, this.le);
    return b;
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

// Text-mode (FTP ASCII) transfer damage, for the tests of its detection.

/** Packet bytes with a line feed every 16 bytes (and no carriage returns). */
export function withLineFeeds(len: number, seed: number): Uint8Array {
  const b = bytes(len, seed);
  for (let i = 0; i < len; i++) if (b[i] === 0x0d || b[i] === 0x0a) b[i] = 0x20;
  for (let i = 5; i < len; i += 16) b[i] = 0x0a;
  return b;
}

/** What a Unix → Windows text-mode transfer does to the bytes. */
export function lfToCrlf(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const x of b) { if (x === 0x0a) out.push(0x0d); out.push(x); }
  return Uint8Array.from(out);
}

/** What a Windows → Unix text-mode transfer does to the bytes. */
export function crlfToLf(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) if (!(b[i] === 0x0d && b[i + 1] === 0x0a)) out.push(b[i]);
  return Uint8Array.from(out);
}
