/**
 * Rows of each TCP stream, built once after analysis, so that a view of one stream (chart series,
 * packet rows) never scans the whole capture. Compressed-row layout (one offsets array, one rows
 * array) instead of one array per stream: two allocations whatever the number of streams.
 */

export interface StreamIndex {
  /** Rows of stream s are rows[offsets[s] .. offsets[s + 1]), in capture order. */
  readonly offsets: Uint32Array;
  readonly rows: Uint32Array;
  /**
   * 1 when the stream's time stamps never go backwards, so a binary search on time is exact;
   * 0 otherwise (merged multi-interface captures), and views scan the stream instead.
   */
  readonly monotonic: Uint8Array;
}

/** Per-row stream numbers (-1 or any negative value: not TCP) and the number of streams. */
export interface StreamRowsSource {
  readonly stream: ArrayLike<number>;
  readonly streams: ArrayLike<unknown>;
}

/** Time stamps of the packet table (PacketColumns satisfies it). */
export interface TimeColumns {
  readonly length: number;
  readonly tsSec: Float64Array;
  readonly tsNsec: Uint32Array;
}

export function buildStreamIndex(tcp: StreamRowsSource, cols: TimeColumns): StreamIndex {
  const n = cols.length;
  const streamCount = tcp.streams.length;
  const offsets = new Uint32Array(streamCount + 1);
  const stream = tcp.stream;
  // Two passes (count, then place) keep it to two allocations and linear time.
  for (let i = 0; i < n; i++) {
    const s = stream[i];
    if (s >= 0 && s < streamCount) offsets[s + 1]++;
  }
  for (let s = 0; s < streamCount; s++) offsets[s + 1] += offsets[s];
  const rows = new Uint32Array(offsets[streamCount]);
  const fill = offsets.slice(0, streamCount);
  const monotonic = new Uint8Array(streamCount).fill(1);
  const lastSec = new Float64Array(streamCount).fill(-Infinity);
  const lastNsec = new Uint32Array(streamCount);
  for (let i = 0; i < n; i++) {
    const s = stream[i];
    if (!(s >= 0 && s < streamCount)) continue;
    rows[fill[s]++] = i;
    const sec = cols.tsSec[i], nsec = cols.tsNsec[i];
    if (sec < lastSec[s] || (sec === lastSec[s] && nsec < lastNsec[s])) monotonic[s] = 0;
    lastSec[s] = sec;
    lastNsec[s] = nsec;
  }
  return { offsets, rows, monotonic };
}

/** The rows of one stream (a view, not a copy); empty for an unknown stream. */
export function rowsOfStream(index: StreamIndex, stream: number): Uint32Array {
  if (!(stream >= 0 && stream + 1 < index.offsets.length)) return index.rows.subarray(0, 0);
  return index.rows.subarray(index.offsets[stream], index.offsets[stream + 1]);
}

/**
 * A clock relative to the capture start, kept as (seconds, nanoseconds) differences so that epoch
 * times of 1.7e9 s do not lose the sub-microsecond digits a float of the absolute time would.
 */
export function relativeTime(cols: TimeColumns, row: number, startSec: number, startNsec: number): number {
  return cols.tsSec[row] - startSec + (cols.tsNsec[row] - startNsec) / 1e9;
}

/** First position p in rows with time(rows[p]) >= t (rows sorted by time). */
export function lowerBoundTime(cols: TimeColumns, rows: Uint32Array, t: number, startSec: number, startNsec: number): number {
  let lo = 0, hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (relativeTime(cols, rows[mid], startSec, startNsec) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position p in rows with time(rows[p]) > t (rows sorted by time). */
export function upperBoundTime(cols: TimeColumns, rows: Uint32Array, t: number, startSec: number, startNsec: number): number {
  let lo = 0, hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (relativeTime(cols, rows[mid], startSec, startNsec) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
