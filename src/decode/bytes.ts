/** Big-endian reads on a byte array (network order); callers check bounds first. */

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * The same four bytes as a signed 32-bit integer: what the decoder's hot path stores (a Uint32Array
 * column takes it back unsigned), because V8 keeps it a small integer where an unsigned value above
 * 2^31 would be a heap number allocated per read.
 */
export function i32(b: Uint8Array, o: number): number {
  return (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

/** Little-endian 32-bit read (BSD loopback family in a little-endian host's order). */
export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** Little-endian 16-bit read (radiotap lengths, NFLOG TLV headers as Linux writes them). */
export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
