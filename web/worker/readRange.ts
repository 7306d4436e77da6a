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

/** Plain files: ranges closer than this are read with one slice. */
const MERGE_GAP = 64 * 1024;
/** Largest merged slice. */
const MERGE_MAX = 4 * 1024 * 1024;

/**
 * Several ranges at once (the frames of a page of the packet list), answered in the order asked.
 * Plain files: neighbouring ranges are read with one slice (a page in frame order is one read);
 * gzip files: one pass of decompression up to the last range.
 */
export async function readRanges(file: Blob, ranges: readonly { offset: number; length: number }[], compressed: boolean): Promise<Uint8Array[]> {
  const out: Uint8Array[] = ranges.map(() => new Uint8Array(0));
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a].offset - ranges[b].offset);
  if (!compressed) {
    for (let k = 0; k < order.length; ) {
      const start = ranges[order[k]].offset;
      let end = start + ranges[order[k]].length;
      let j = k + 1;
      while (j < order.length && ranges[order[j]].offset - end <= MERGE_GAP && ranges[order[j]].offset + ranges[order[j]].length - start <= MERGE_MAX) {
        end = Math.max(end, ranges[order[j]].offset + ranges[order[j]].length);
        j++;
      }
      const buf = new Uint8Array(await file.slice(start, end).arrayBuffer());
      for (let m = k; m < j; m++) {
        const r = ranges[order[m]];
        out[order[m]] = buf.slice(r.offset - start, r.offset - start + r.length);
      }
      k = j;
    }
    return out;
  }
  if (order.length === 0) return out;
  const last = Math.max(...ranges.map((r) => r.offset + r.length));
  for (const i of order) out[i] = new Uint8Array(ranges[i].length);
  const filled = ranges.map(() => 0);
  let pos = 0;
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    while (pos < last) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const i of order) {
        const r = ranges[i];
        const from = Math.max(r.offset, pos);
        const to = Math.min(r.offset + r.length, pos + value.length);
        if (to > from) {
          out[i].set(value.subarray(from - pos, to - pos), from - r.offset);
          filled[i] += to - from;
        }
      }
      pos += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.map((b, i) => b.subarray(0, filled[i]));
}
