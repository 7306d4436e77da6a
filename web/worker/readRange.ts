/**
 * Bytes [offset, offset+length) of a capture as the reader saw them. Plain files are sliced (no read
 * of anything else); gzip files are decompressed from the start up to the range, since their offsets
 * count decompressed bytes.
 */
export async function readRange(file: Blob, offset: number, length: number, compressed: boolean): Promise<Uint8Array> {
  if (!compressed) return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
  const out = new Uint8Array(length);
  const end = offset + length;
  let pos = 0;
  let filled = 0;
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    while (pos < end) {
      const { done, value } = await reader.read();
      if (done) break;
      const from = Math.max(offset, pos);
      const to = Math.min(end, pos + value.length);
      if (to > from) {
        out.set(value.subarray(from - pos, to - pos), from - offset);
        filled += to - from;
      }
      pos += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, filled);
}
