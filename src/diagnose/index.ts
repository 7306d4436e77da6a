/**
 * The diagnoses: what no other tool writes for you. `diagnose()` turns the packet table (and the TCP
 * analyzer's stream numbers, when given) into findings sorted most severe first.
 */
import { Ctx } from './context';
import { findHighLoss } from './highLoss';
import { findPtb, type PtbMessage } from './icmp';
import { findPtbFindings } from './icmpPtb';
import { findOversized } from './oversized';
import { findBlackholes } from './pmtuBlackhole';
import { findResets } from './reset';
import { findRtoDeaths } from './rto';
import { assignStreams, buildStreams, type StreamModel } from './streams';
import { SEVERITY_RANK, type DiagnoseInput, type DiagnoseOptions, type Finding } from './types';
import { findZeroWindowStalls } from './zeroWindow';

export type * from './types';
export { SEVERITY_RANK } from './types';
export { renderFinding, renderMsg, type RenderedFinding } from './render';
export { summarizeCapture, type CaptureSummary } from './summary';
export { suggestMtu } from './pmtuText';
export { caveats, renderCaveat, type Caveat, type CaveatInput, type CaveatKind, type RenderedCaveat } from './caveats';

/** Stream models of the input (the analyzer's numbering when present). */
export function streamModels(input: DiagnoseInput): StreamModel[] {
  return buildStreams(input.cols, input.tcp ?? assignStreams(input.cols));
}

/** Per-stream numbers the diagnoses measured, for the stream table. */
export interface StreamFacts {
  index: number;
  /** Data segments sent again (or arriving into a hole), both directions. */
  retransmitted: number;
  /** Holes: SACK-reported ones plus sequence gaps at this capture point, both directions. */
  holes: number;
  /** Packets that were copies of one seen at another capture point. */
  copies: number;
}

export function diagnose(input: DiagnoseInput, options: DiagnoseOptions = {}): Finding[] {
  return diagnoseCapture(input, options).findings;
}

/**
 * Rows of the streams examined together: their per-segment delivery records are built, used by every
 * detector and dropped before the next batch, so memory follows the batch, not the capture.
 */
const BATCH_ROWS = 1 << 17;

export function diagnoseCapture(input: DiagnoseInput, options: DiagnoseOptions = {}): { findings: Finding[]; streams: StreamFacts[] } {
  const ctx = new Ctx(input.cols, streamModels(input), options);
  const ptb = findPtb(ctx.cols, ctx.streams);
  const findings: Finding[] = [];
  const streams: StreamFacts[] = [];
  const inferred = new Map<number, number>();
  // Oversized packets are judged against the path MTU any black hole revealed, anywhere in the
  // capture: a second walk, once the first has seen every stream.
  eachBatch(ctx, () => examine(ctx, ptb, inferred, findings, streams));
  eachBatch(ctx, () => { for (const f of findOversized(ctx, inferred)) findings.push(f); });
  for (const f of findings) f.frames = [...new Set(f.frames)];
  return { findings: sortFindings(findings), streams };
}

/** Focus the context on one batch of streams after another. */
function eachBatch(ctx: Ctx, run: () => void): void {
  for (let lo = 0; lo < ctx.streams.length; ) {
    let hi = lo, rows = 0;
    while (hi < ctx.streams.length && (hi === lo || rows + ctx.streams[hi].rows.length <= BATCH_ROWS)) rows += ctx.streams[hi++].rows.length;
    ctx.focus(lo, hi);
    run();
    lo = hi;
  }
  ctx.focus(0, 0);
}

/** Every detector but the oversized one over the active streams; findings and stream facts appended. */
function examine(ctx: Ctx, ptb: PtbMessage[], inferred: Map<number, number>, findings: Finding[], facts: StreamFacts[]): void {
  const blackholes = findBlackholes(ctx, ptb);
  const mine = new Set<number>();
  for (const b of blackholes) {
    const key = b.stream * 2 + (b.direction ?? 0);
    inferred.set(key, b.pathMtu.max);
    mine.add(key);
  }
  for (const list of [
    blackholes,
    findPtbFindings(ctx, ptb, mine),
    findRtoDeaths(ctx),
    findResets(ctx),
    findZeroWindowStalls(ctx),
    findHighLoss(ctx),
  ] as Finding[][]) for (const f of list) findings.push(f);
  for (const m of ctx.active) {
    let retransmitted = 0, holes = 0, copies = 0;
    for (const d of [0, 1] as const) {
      const dd = ctx.delivery(m, d);
      for (let k = 0; k < dd.txs.length; k++) if (dd.txs.again(k)) retransmitted++;
      holes += Math.max(dd.holes.length, dd.gaps.length);
    }
    for (let p = 0; p < m.copy.length; p++) copies += m.copy[p];
    facts.push({ index: m.index, retransmitted, holes, copies });
  }
}

/** Most severe first; then by stream, then by first evidence frame: a stable order. */
export function sortFindings(f: Finding[]): Finding[] {
  return f.sort((a, b) =>
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.stream - b.stream || (a.frames[0] ?? 0) - (b.frames[0] ?? 0) || a.id.localeCompare(b.id));
}
