/**
 * Running a filter over a whole capture: the matching rows as a mask, their list, and the streams
 * that have a matching packet. With the frames at hand synchronously (a test, the CLI streaming
 * the file), or fetched: a first pass notes which rows the filter asks bytes for (exactly the rows
 * whose columns could not decide), the caller fetches them (the app's worker reads them from the
 * file by offset, asynchronously), and a second pass decides with them.
 */
import { compileFilter, type CompiledFilter, type FrameData, type FrameSource } from './compile';
import type { FilterData } from './fields';

export interface FilterResult {
  /** The filter's text. */
  readonly text: string;
  /** Matching rows. */
  readonly count: number;
  /** One byte per row (0-based), 1 when the row matches. */
  readonly mask: Uint8Array;
  /** The matching rows (0-based), ascending. */
  rows(): Uint32Array;
  /** One byte per TCP stream index, 1 when the stream has a matching packet. */
  streams(): Uint8Array;
}

function result(text: string, mask: Uint8Array, data: FilterData): FilterResult {
  let count = 0;
  for (let r = 0; r < mask.length; r++) count += mask[r];
  let rows: Uint32Array | null = null;
  let streams: Uint8Array | null = null;
  return {
    text, count, mask,
    rows() {
      if (!rows) {
        rows = new Uint32Array(count);
        for (let r = 0, k = 0; r < mask.length; r++) if (mask[r]) rows[k++] = r;
      }
      return rows;
    },
    streams() {
      if (!streams) {
        const s = new Uint8Array(data.tcp.streams.length);
        const st = data.tcp.stream;
        for (let r = 0; r < mask.length; r++) if (mask[r] && st[r] >= 0) s[st[r]] = 1;
        streams = s;
      }
      return streams;
    },
  };
}

/** Run a filter with the frames' bytes at hand (or none: a filter that needs them then throws FilterError). */
export function runFilter(text: string, data: FilterData, frames?: FrameSource): FilterResult {
  const f = compileFilter(text, data, { frames });
  return result(text, f.run(), data);
}

/** Run an already compiled filter. */
export function runCompiled(f: CompiledFilter, data: FilterData): FilterResult {
  return result(f.text, f.run(), data);
}

/**
 * Run a filter whose rows may need their bytes, fetched by `fetch` (given the rows, ascending; it
 * answers each row's frame, or leaves it out when it cannot be read). Throws FilterError.
 */
export async function runFilterFetching(
  text: string, data: FilterData, fetch: (rows: Uint32Array) => Promise<ReadonlyMap<number, FrameData>>,
): Promise<FilterResult> {
  const asked: number[] = [];
  const probe = compileFilter(text, data, { frames: (row) => { asked.push(row); return null; } });
  if (!probe.needsFrames) return result(text, probe.run(), data);
  probe.run();
  if (asked.length === 0) return result(text, probe.run(), data);
  const rows = Uint32Array.from(new Set(asked)).sort();
  const got = await fetch(rows);
  const f = compileFilter(text, data, { frames: (row) => got.get(row) ?? null });
  return result(text, f.run(), data);
}
