/**
 * A forgiving walk over a capture's framing, for the fuzzer to aim at: where records and blocks
 * start and where their length fields sit. It never trusts a length enough to loop forever.
 */
export interface LengthField {
  offset: number;
  le: boolean;
  /** What the field is, for the case's description. */
  what: string;
}

export interface Layout {
  format: 'pcap' | 'pcapng' | 'gzip' | 'other';
  le: boolean;
  /** Offsets where a record or block starts (the file header's end included). */
  boundaries: number[];
  lengths: LengthField[];
}

const u32 = (b: Uint8Array, o: number, le: boolean) =>
  o + 4 > b.length ? -1 : le
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

const MAX_ITEMS = 4096;

export function layoutOf(b: Uint8Array): Layout {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return { format: 'gzip', le: true, boundaries: [0], lengths: [] };
  const magicLe = u32(b, 0, true);
  const pcapMagics = [0xa1b2c3d4, 0xa1b23c4d];
  if (pcapMagics.includes(magicLe) || pcapMagics.includes(u32(b, 0, false))) {
    const le = pcapMagics.includes(magicLe);
    const out: Layout = { format: 'pcap', le, boundaries: [0, 24], lengths: [{ offset: 16, le, what: 'pcap snaplen' }] };
    for (let o = 24; o + 16 <= b.length && out.boundaries.length < MAX_ITEMS; ) {
      out.lengths.push({ offset: o + 8, le, what: 'record caplen' }, { offset: o + 12, le, what: 'record origlen' });
      const cap = u32(b, o + 8, le);
      if (cap > b.length) break;
      o += 16 + cap;
      out.boundaries.push(o);
    }
    return out;
  }
  if (magicLe === 0x0a0d0d0a) {
    const le = u32(b, 8, true) === 0x1a2b3c4d;
    const out: Layout = { format: 'pcapng', le, boundaries: [0], lengths: [] };
    for (let o = 0; o + 12 <= b.length && out.boundaries.length < MAX_ITEMS; ) {
      const type = u32(b, o, le);
      const len = u32(b, o + 4, le);
      out.lengths.push({ offset: o + 4, le, what: `block 0x${type.toString(16)} length` });
      if (len >= 12 && o + len <= b.length) out.lengths.push({ offset: o + len - 4, le, what: 'trailing block length' });
      if (type === 6) out.lengths.push({ offset: o + 20, le, what: 'EPB caplen' }, { offset: o + 24, le, what: 'EPB origlen' });
      if (type === 1) out.lengths.push({ offset: o + 12, le, what: 'IDB snaplen' });
      if (type === 0x0a0d0d0a) out.lengths.push({ offset: o + 16, le, what: 'SHB section length' });
      if (len < 12 || len % 4 !== 0 || o + len > b.length) break;
      o += len;
      out.boundaries.push(o);
    }
    return out;
  }
  return { format: 'other', le: true, boundaries: [0], lengths: [] };
}

export function putU32(b: Uint8Array, o: number, v: number, le: boolean): void {
  if (o < 0 || o + 4 > b.length) return;
  v >>>= 0;
  if (le) { b[o] = v & 255; b[o + 1] = (v >>> 8) & 255; b[o + 2] = (v >>> 16) & 255; b[o + 3] = v >>> 24; }
  else { b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 255; b[o + 2] = (v >>> 8) & 255; b[o + 3] = v & 255; }
}

export function getU32(b: Uint8Array, o: number, le: boolean): number {
  return u32(b, o, le);
}
