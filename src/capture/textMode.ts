/**
 * Recognising captures damaged by a text-mode (ASCII) transfer, which rewrites line endings in
 * binary data: CR LF → LF (bytes removed) or LF → CR LF (bytes inserted).
 */

/**
 * pcapng: the Section Header Block type 0A 0D 0D 0A contains both line endings on purpose, and
 * the format reserves the block types a text-mode transfer turns it into. Returns how the line
 * endings were rewritten, or null. `b` holds the first four bytes of a block.
 */
export function pcapngTextModeDamage(b0: number, b1: number, b2: number, b3: number): string | null {
  const t = ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
  // CR LF → LF turns 0A 0D 0D 0A into 0A 0D 0A xx.
  if ((t & 0xffffff00) === 0x0a0d0a00) return 'CR LF → LF';
  // LF → CR LF turns it into 0D 0A 0D 0D 0A ...
  if ((t & 0xffffff00) === 0x0d0a0d00 || (t & 0xffffff00) === 0x0d0d0a00) return 'LF → CR LF';
  // CR → CR LF and LF → CR shapes (old Mac conversions), reserved by the format as well.
  if ((t & 0x00ffffff) === 0x000a0d0a || (t & 0x00ffffff) === 0x000a0d0d) return 'CR ↔ LF';
  return null;
}

/** What we know of the packet record just before a damaged one in a classic pcap. */
export interface PrevRecord {
  buf: Uint8Array;
  off: number;
  len: number;
  tsSec: number;
}

/**
 * Classic pcap has no such marker, so we look at the packet before the damage: after LF → CR LF
 * every LF in it is preceded by CR (rare by chance in binary data); after CR LF → LF a plausible
 * record header turns up a few bytes *before* the place the lengths point to (the removed CRs).
 * `hdr` holds the bytes read as the damaged header (at least 16).
 */
export function pcapTextModeDamage(
  prev: PrevRecord | null,
  hdr: Uint8Array,
  le: boolean,
  snapOrMax: number,
): string | null {
  if (!prev || prev.len < 2) return null;
  const { buf, off, len } = prev;
  let lf = 0, crlf = 0;
  for (let i = off; i < off + len; i++) {
    if (buf[i] !== 0x0a) continue;
    lf++;
    if (i > off && buf[i - 1] === 0x0d) crlf++;
  }
  if (lf >= 2 && crlf >= lf - 1) return 'LF → CR LF';
  if (lf === 0 || crlf > 0) return null;
  // Join the tail of the previous packet and the bytes read as a header, then look for a real
  // header up to `lf` bytes earlier.
  const back = Math.min(lf, 64, len);
  const joined = new Uint8Array(back + hdr.length);
  joined.set(buf.subarray(off + len - back, off + len), 0);
  joined.set(hdr, back);
  const dv = new DataView(joined.buffer);
  for (let d = 1; d <= back; d++) {
    const at = back - d;
    if (at + 16 > joined.length) continue;
    const sec = dv.getUint32(at, le);
    const cap = dv.getUint32(at + 8, le);
    const orig = dv.getUint32(at + 12, le);
    if (cap <= orig && cap <= snapOrMax && orig <= 262144 && Math.abs(sec - prev.tsSec) <= 86400) {
      return 'CR LF → LF';
    }
  }
  return null;
}
