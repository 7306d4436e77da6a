/**
 * The diagnoses: what no other tool writes for you. `diagnose()` turns the packet table (and the TCP
 * analyzer's stream numbers, when given) into findings sorted most severe first.
 */
import { Ctx } from './context';
import { findHighLoss } from './highLoss';
import { findPtb } from './icmp';
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

export function diagnoseCapture(input: DiagnoseInput, options: DiagnoseOptions = {}): { findings: Finding[]; streams: StreamFacts[] } {
  const ctx = new Ctx(input.cols, streamModels(input), options);
  const ptb = findPtb(ctx.cols, ctx.streams);
  const blackholes = findBlackholes(ctx, ptb);
  const inferred = new Map<number, number>();
  for (const b of blackholes) inferred.set(b.stream * 2 + (b.direction ?? 0), b.pathMtu.max);
  const findings: Finding[] = [
    ...blackholes,
    ...findPtbFindings(ctx, ptb, new Set(inferred.keys())),
    ...findOversized(ctx, inferred),
    ...findRtoDeaths(ctx),
    ...findResets(ctx),
    ...findZeroWindowStalls(ctx),
    ...findHighLoss(ctx),
  ];
  for (const f of findings) f.frames = [...new Set(f.frames)];
  const streams = ctx.streams.map((m) => {
    let retransmitted = 0, holes = 0, copies = 0;
    for (const d of [0, 1] as const) {
      const dd = ctx.delivery(m, d);
      retransmitted += dd.txs.filter((t) => t.again).length;
      holes += Math.max(dd.holes.length, dd.gaps.length);
    }
    for (let p = 0; p < m.copy.length; p++) copies += m.copy[p];
    return { index: m.index, retransmitted, holes, copies };
  });
  return { findings: sortFindings(findings), streams };
}

/** Most severe first; then by stream, then by first evidence frame: a stable order. */
export function sortFindings(f: Finding[]): Finding[] {
  return f.sort((a, b) =>
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.stream - b.stream || (a.frames[0] ?? 0) - (b.frames[0] ?? 0) || a.id.localeCompare(b.id));
}
