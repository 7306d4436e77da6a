/**
 * SACK edges relative to the other direction's base sequence number, as tshark shows
 * tcp.options.sack_le / sack_re. The columns keep the raw edges; the base is fixed once known.
 */
import type { PacketColumns } from '../decode/columns';
import type { TcpStreamInfo } from './types';

interface HasStreams {
  readonly streams: TcpStreamInfo[];
  readonly out: { stream: Int32Array; dir: Uint8Array };
}

/** [le0, re0, le1, re1, ...] relative, for row `row`; empty when it has no SACK or no stream. */
export function relativeSack(cols: PacketColumns, analyzer: HasStreams, row: number): number[] {
  const n = cols.sackCount[row];
  const s = analyzer.out.stream[row];
  if (n === 0 || s < 0) return [];
  const base = analyzer.streams[s].isn[1 - analyzer.out.dir[row]];
  const first = cols.sackIndex[row];
  const res: number[] = [];
  for (let i = 0; i < 2 * n; i++) res.push(base < 0 ? cols.sackEdges[first + i] : (cols.sackEdges[first + i] - base) >>> 0);
  return res;
}

/** Relative edge k (0-based, left edges even, right edges odd) without allocating; -1 when absent. */
export function relativeSackEdge(cols: PacketColumns, analyzer: HasStreams, row: number, k: number): number {
  const s = analyzer.out.stream[row];
  if (s < 0 || k >= 2 * cols.sackCount[row]) return -1;
  const base = analyzer.streams[s].isn[1 - analyzer.out.dir[row]];
  const raw = cols.sackEdges[cols.sackIndex[row] + k];
  return base < 0 ? raw : (raw - base) >>> 0;
}
