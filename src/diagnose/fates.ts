/**
 * The fate of one packet, for its "why": the same decision the diagnoses made (delivery.ts), told for
 * the frame a user looks at. Stream models are built once per capture and kept; a direction's
 * delivery records are built on demand for the packet asked about.
 */
import { analyzeDirection, type DirDelivery } from './delivery';
import { assignStreams, buildStreams, type StreamModel } from './streams';
import type { DiagnoseInput, Msg } from './types';
import type { Direction } from '../types';

export class FateIndex {
  private models: StreamModel[] | null = null;
  private last: { key: number; dd: DirDelivery } | null = null;

  constructor(private readonly input: DiagnoseInput) {}

  /** The fate of the data segment in `row` (0-based), in words; null for a packet without data or not TCP. */
  fate(row: number): Msg | null {
    const tcp = this.input.tcp;
    const cols = this.input.cols;
    if (!tcp || row < 0 || row >= cols.length) return null;
    const s = tcp.stream[row];
    if (s < 0) return null;
    this.models ??= buildStreams(cols, tcp ?? assignStreams(cols));
    const m = this.models[s];
    if (!m) return null;
    const p = lowerBound(m.rows, row);
    if (m.rows[p] !== row) return null;
    if (m.copy[p]) {
      const orig = originalOf(this.input, m, p);
      return { key: 'fate.copy', params: { frame: orig + 1 } };
    }
    if (cols.tcpLen[row] === 0) return null;
    const d = m.dir[p] as Direction;
    const key = s * 2 + d;
    if (this.last?.key !== key) this.last = { key, dd: analyzeDirection(cols, m, d, undefined, tcp.flags) };
    const dd = this.last.dd;
    const txs = dd.txs;
    const k = lowerBound(txs.row, row);
    if (txs.row[k] !== row) return null;
    const fate = txs.fate(k);
    const next = txs.supersededBy[k] >= 0 ? txs.row[txs.supersededBy[k]] + 1 : 0;
    const cover = txs.coverRow[k] >= 0 ? txs.coverRow[k] + 1 : 0;
    const earlier = txs.repeats[k] >= 0 ? txs.row[txs.repeats[k]] + 1 : 0;
    switch (fate) {
      case 'delivered': return { key: txs.retransmission(k) ? 'fate.deliveredRepair' : 'fate.delivered', params: { cover, earlier } };
      case 'lost': return { key: 'fate.lost', params: { next } };
      case 'repair-before': {
        const g = dd.gaps.find((x) => x.fillRow === row) ?? dd.gaps.find((x) => x.left <= txs.s[k] && x.right > txs.s[k]);
        return { key: 'fate.repairBefore', params: { gap: g ? g.row + 1 : row + 1 } };
      }
      case 'reordered': return { key: 'fate.reordered', params: {} };
      case 'spurious': return { key: cover && cover < row + 1 ? 'fate.spuriousAcked' : 'fate.spurious', params: { cover } };
      case 'offload-copy': return { key: 'fate.offload', params: { earlier } };
      default: return { key: 'fate.unresolved', params: {} };
    }
  }

  /**
   * The delivery records of one direction of a stream: every data segment with its fate, the ones
   * fate(row) words and the stream table counts; null for a stream without a model (not TCP).
   */
  direction(stream: number, d: Direction): DirDelivery | null {
    const tcp = this.input.tcp;
    if (!tcp) return null;
    this.models ??= buildStreams(this.input.cols, tcp);
    const m = this.models[stream];
    if (!m) return null;
    const key = stream * 2 + d;
    if (this.last?.key !== key) this.last = { key, dd: analyzeDirection(this.input.cols, m, d, undefined, tcp.flags) };
    return this.last.dd;
  }
}

/** The earlier row a capture duplicate repeats (the nearest before it in the same direction with the same sequence). */
function originalOf(input: DiagnoseInput, m: StreamModel, p: number): number {
  const cols = input.cols, i = m.rows[p];
  for (let q = p - 1; q >= 0; q--) {
    const j = m.rows[q];
    if (!m.copy[q] && m.dir[q] === m.dir[p] && cols.seqRaw[j] === cols.seqRaw[i] && cols.tcpLen[j] === cols.tcpLen[i]) return j;
  }
  return i;
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}
