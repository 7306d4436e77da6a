/**
 * The diagnoses' fate of each segment (src/diagnose/fates.ts), reduced to what changes the chart's
 * marks: Wireshark's flags say what a packet looks like on its own, the fate what became of it in
 * the whole capture. A copy of a packet captured twice or an offload copy is no retransmission, the
 * late original of reordered bytes neither; a re-send the receiver did not need is spurious, not a
 * loss; a re-send Wireshark took for reordering is a retransmission.
 */
import { AckFlag, SegFlag } from './seriesTypes';

export const enum SegVerdict {
  /** Nothing to change: Wireshark's flags stand. */
  None = 0,
  /** Data sent again (a repair, delivered or filling a loss before the capture point). */
  Retransmission = 1,
  /** Sent again although the receiver had the bytes. */
  Spurious = 2,
  /** The late original of reordered bytes. */
  Reordered = 3,
  /** Segmentation offload (or GRO) showed the same bytes twice. */
  Offload = 4,
  /** The same packet captured twice. */
  Copy = 5,
}

/** The verdict for a fate message key of FateIndex ('fate.copy', 'fate.offload', ...). */
export function verdictOfFate(key: string | null | undefined): SegVerdict {
  switch (key) {
    case 'fate.copy': return SegVerdict.Copy;
    case 'fate.offload': return SegVerdict.Offload;
    case 'fate.reordered': return SegVerdict.Reordered;
    case 'fate.spurious': case 'fate.spuriousAcked': return SegVerdict.Spurious;
    case 'fate.deliveredRepair': case 'fate.repairBefore': return SegVerdict.Retransmission;
    default: return SegVerdict.None;
  }
}

/**
 * Verdicts of a stream's rows (`rows` in capture order, the result aligned with them). The rows are
 * asked one direction after the other: a fate source that builds a direction's records on demand
 * (FateIndex) then builds each once.
 */
export function streamVerdicts(rows: ArrayLike<number>, dir: ArrayLike<number>, fateKey: (row: number) => string | null): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (const d of [0, 1]) {
    for (let p = 0; p < rows.length; p++) {
      const r = rows[p];
      if ((dir[r] & 1) === d) out[p] = verdictOfFate(fateKey(r));
    }
  }
  return out;
}

const RETRANS = SegFlag.Retransmission | SegFlag.FastRetransmission | SegFlag.SpuriousRetransmission;

/** A data segment's mark flags (from Wireshark's) with its fate applied. */
export function applySegVerdict(flags: number, v: number): number {
  switch (v) {
    case SegVerdict.Copy: return (flags & ~(RETRANS | SegFlag.OutOfOrder | SegFlag.LostSegment)) | SegFlag.Copy;
    case SegVerdict.Offload: return (flags & ~(RETRANS | SegFlag.OutOfOrder | SegFlag.LostSegment)) | SegFlag.Offload;
    case SegVerdict.Reordered: return (flags & ~RETRANS) | SegFlag.OutOfOrder;
    case SegVerdict.Spurious: return (flags & ~RETRANS) | SegFlag.SpuriousRetransmission;
    case SegVerdict.Retransmission:
      return flags & RETRANS ? flags : (flags & ~SegFlag.OutOfOrder) | SegFlag.Retransmission;
    default: return flags;
  }
}

/** An ACK point's flags with its verdict applied: a copy of a duplicate ACK is not another one. */
export function applyAckVerdict(flags: number, v: number): number {
  return v === SegVerdict.Copy ? flags & ~AckFlag.DuplicateAck : flags;
}
