/**
 * The diagnoses: what no other tool writes for you. `diagnose()` turns the packet table (and the TCP
 * analyzer's stream numbers, when given) into findings sorted most severe first.
 */
import type { CaveatInput } from './caveats';
import { yieldToOwners } from './claims';
import { DiagnoseContext } from './context';
import { GapFate } from './delivery';
import { runDetectors } from './detectors';
import { groupFindings } from './group';
import { findPtb } from './icmp';
import { largestDelivered } from './pmtuBlackhole';
import { narrowBlackhole } from './pmtuText';
import { rateVerdict, type RateVerdict } from './rate';
import { assignStreams, buildStreams, type StreamModel } from './streams';
import { SEVERITY_RANK, type DiagnoseInput, type DiagnoseOptions, type Finding } from './types';
import { frameAt, type Frame } from '../types';

export type * from './types';
export { SEVERITY_RANK } from './types';
export { renderFinding, renderMsg, type RenderedFinding } from './render';
export { summarizeCapture, type CaptureSummary } from './summary';
export { suggestMtu } from './pmtuText';
export { FateIndex } from './fates';
export { RATE_LIMITS, type RateLimit, type RateVerdict } from './rate';
export { caveats, renderCaveat, type Caveat, type CaveatInput, type CaveatKind, type RenderedCaveat } from './caveats';

/** Stream models of the input (the analyzer's numbering when present). */
export function streamModels(input: DiagnoseInput): StreamModel[] {
  return buildStreams(input.cols, input.tcp ?? assignStreams(input.cols));
}

/** Per-stream numbers the diagnoses measured, for the stream table: counts of the segments' fates. */
export interface StreamFacts {
  index: number;
  /** Retransmissions, both directions: data sent again (spurious ones included), not reordering, not offload copies. */
  retransmitted: number;
  /** Of those, the ones the receiver did not need (it had the bytes). */
  spurious: number;
  /** Segments lost, after or before the capture point, both directions. */
  lost: number;
  /** Holes: SACK-reported ones, or sequence gaps at this capture point that were losses or stayed open, both directions. */
  holes: number;
  /** Sequence gaps acknowledged without ever being captured (the capture missed them), both directions. */
  notCaptured: number;
  /** Bytes of those gaps. */
  notCapturedBytes: number;
  /** Frame after the first such gap (1-based), 0 when none. */
  notCapturedFrame: number;
  /** Packets that were copies of one seen at another capture point. */
  copies: number;
  /** What limited each direction's rate (rate.ts), [A→B, B→A]; null for a direction without data. */
  rate: [RateVerdict | null, RateVerdict | null];
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
  const ctx = new DiagnoseContext(input.cols, streamModels(input), options, input.tcp?.flags);
  ctx.ptb = findPtb(ctx.cols, ctx.streams);
  const findings: Finding[] = [];
  const streams: StreamFacts[] = [];
  const paths = new PathEvidence();
  eachBatch(ctx, () => examine(ctx, paths, findings, streams));
  // Black holes are judged with everything the capture shows between the same hosts; the detectors
  // of the second walk (oversized packets against the path MTU a black hole revealed on their own
  // path) run once the first has seen every stream.
  const kept = findings.filter((f) => paths.narrow(ctx, f, findings));
  const facts = {
    inferred: paths.inferred(ctx, kept),
    blackholes: new Set(kept.filter((f) => f.kind === 'pmtu-blackhole').map((f) => f.stream * 2 + (f.direction ?? 0))),
  };
  eachBatch(ctx, () => runDetectors(ctx, 'paths', kept, facts));
  runDetectors(ctx, 'capture', kept);
  // A sender that gave up after unanswered retransmissions and reset: one story, told by the
  // retransmission finding; the reset is not a finding of its own.
  const ended = new Set<string>();
  for (const f of kept) if (f.kind === 'retransmission-timeout' && (f.ending === 'rst-self' || f.ending === 'rst-peer')) ended.add(`${f.stream}:${f.frames[f.frames.length - 1]}`);
  if (ended.size) for (let k = kept.length - 1; k >= 0; k--) { const f = kept[k]; if (f.kind === 'reset' && ended.has(`${f.stream}:${f.frames[0]}`)) kept.splice(k, 1); }
  for (const f of kept) f.frames = [...new Set(f.frames)];
  return { findings: sortFindings(groupFindings(ctx, yieldToOwners(kept))), streams };
}

/** What the whole capture shows about the path between two hosts, for the black holes on it. */
class PathEvidence {
  /** Largest DF packet delivered between two hosts, either direction, any stream: by unordered pair. */
  private readonly delivered = new Map<string, { ipLen: number; frame: Frame; stream: number }>();
  /** Smallest packet lost in a black hole between two hosts, by unordered pair. */
  private lost: Map<string, number> | null = null;

  static pair(m: StreamModel): string {
    return m.addrA < m.addrB ? `${m.addrA}-${m.addrB}` : `${m.addrB}-${m.addrA}`;
  }

  note(ctx: DiagnoseContext, m: StreamModel): void {
    for (const d of [0, 1] as const) {
      const txs = ctx.delivery(m, d).txs;
      const k = largestDelivered(txs);
      if (k < 0) continue;
      const key = PathEvidence.pair(m), have = this.delivered.get(key);
      if (!have || txs.ipLen(k) > have.ipLen) this.delivered.set(key, { ipLen: txs.ipLen(k), frame: frameAt(txs.row[k]), stream: m.index });
    }
  }

  /** Narrow a black hole with its path's evidence; false when the path delivered a packet as large as the one lost. */
  narrow(ctx: DiagnoseContext, f: Finding, all: Finding[]): boolean {
    if (f.kind !== 'pmtu-blackhole') return true;
    if (!this.lost) {
      this.lost = new Map();
      for (const g of all) if (g.kind === 'pmtu-blackhole') {
        const key = PathEvidence.pair(ctx.streams[g.stream]);
        this.lost.set(key, Math.min(this.lost.get(key) ?? Infinity, g.lostSize));
      }
    }
    const key = PathEvidence.pair(ctx.streams[f.stream]);
    return narrowBlackhole(f, this.delivered.get(key), this.lost.get(key) ?? Infinity);
  }

  /** The path MTU the black holes revealed, by sender and receiver address ("a>b"). */
  inferred(ctx: DiagnoseContext, findings: Finding[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const f of findings) {
      if (f.kind !== 'pmtu-blackhole') continue;
      const m = ctx.streams[f.stream], d = f.direction ?? 0;
      const key = d === 0 ? `${m.addrA}>${m.addrB}` : `${m.addrB}>${m.addrA}`;
      out.set(key, Math.min(out.get(key) ?? Infinity, f.pathMtu.max));
    }
    return out;
  }
}

/** Focus the context on one batch of streams after another. */
function eachBatch(ctx: DiagnoseContext, run: () => void): void {
  for (let lo = 0; lo < ctx.streams.length; ) {
    let hi = lo, rows = 0;
    while (hi < ctx.streams.length && (hi === lo || rows + ctx.streams[hi].rows.length <= BATCH_ROWS)) rows += ctx.streams[hi++].rows.length;
    ctx.focus(lo, hi);
    run();
    lo = hi;
  }
  ctx.focus(0, 0);
}

/** The first walk's detectors (detectors.ts) over the active streams; findings and stream facts appended. */
function examine(ctx: DiagnoseContext, paths: PathEvidence, findings: Finding[], facts: StreamFacts[]): void {
  runDetectors(ctx, 'streams', findings);
  for (const m of ctx.active) paths.note(ctx, m);
  for (const m of ctx.active) {
    const fact: StreamFacts = { index: m.index, retransmitted: 0, spurious: 0, lost: 0, holes: 0, notCaptured: 0, notCapturedBytes: 0, notCapturedFrame: 0, copies: 0, rate: [rateVerdict(ctx.rate(m, 0)), rateVerdict(ctx.rate(m, 1))] };
    for (const d of [0, 1] as const) {
      const dd = ctx.delivery(m, d);
      const txs = dd.txs;
      // A segment lost again and again is one loss: counted by its first byte.
      const lostStarts = new Set<number>();
      for (let k = 0; k < txs.length; k++) {
        if (txs.retransmission(k)) { fact.retransmitted++; if (txs.spurious(k)) fact.spurious++; }
        if (txs.lost(k)) lostStarts.add(txs.s[k]);
      }
      fact.lost += lostStarts.size;
      let gapHoles = 0;
      for (const g of dd.gaps) {
        if (g.fate === GapFate.NotCaptured) { fact.notCaptured++; fact.notCapturedBytes += g.right - g.left; if (!fact.notCapturedFrame || g.row + 1 < fact.notCapturedFrame) fact.notCapturedFrame = g.row + 1; }
        else if (g.fate !== GapFate.Reordered) gapHoles++;
        if (g.fate === GapFate.LostBefore) fact.lost++;
      }
      fact.holes += Math.max(dd.holes.length, gapHoles);
    }
    for (let p = 0; p < m.copy.length; p++) fact.copies += m.copy[p];
    facts.push(fact);
  }
}

/** The capture-gaps caveat's input from the stream facts. */
export function notCapturedOf(facts: StreamFacts[]): NonNullable<CaveatInput['notCaptured']> {
  const out = { gaps: 0, bytes: 0, frames: [] as number[], streams: [] as number[] };
  for (const f of facts) {
    if (!f.notCaptured) continue;
    out.gaps += f.notCaptured;
    out.bytes += f.notCapturedBytes;
    out.streams.push(f.index);
    if (out.frames.length < 50) out.frames.push(f.notCapturedFrame);
  }
  return out;
}

/** Most severe first; then by stream, then by first evidence frame: a stable order. */
export function sortFindings(f: Finding[]): Finding[] {
  return f.sort((a, b) =>
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.stream - b.stream || (a.frames[0] ?? 0) - (b.frames[0] ?? 0) || a.id.localeCompare(b.id));
}
