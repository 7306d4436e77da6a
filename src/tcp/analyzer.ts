/**
 * TCP sequence analysis in one pass, in capture order, reproducing the expert analysis of
 * tshark/Wireshark 4.0 (the rule set the oracle files were made with) flag by flag: stream
 * numbering with port reuse, relative numbers, window scaling, every tcp.analysis flag, duplicate
 * ACK numbering, ACK↔segment matching with RTT, bytes in flight. For each flag it records which
 * rule fired and the values it compared, so `explain(row)` can say why.
 *
 * `process` applies the rules in Wireshark's order; each rule is one function below, named after
 * it, with the section of ../shared/docs/tcp-analysis-rules.md ("§1.6 step 3", "§1.4 R1") that
 * describes it. That document describes the 2024 code; where 4.0 differs, the function says so.
 * The map from rule to function is in README.md.
 *
 * Cost: O(1) amortised per packet; per-stream state only (two TcpFlow objects per stream). The
 * packet being analysed lives in one PacketScratch per analyzer, reused: the rule functions read
 * and write it, and nothing is allocated per packet.
 */
import { L4, TcpFlag, type PacketColumns, type RowProcessor } from '../decode/columns';
import { TcpFlow, MAX_UNACKED } from './flow';
import { TcpOutput, WhyValue, WHY_STRIDE, WHY_RULES_STRIDE } from './output';
import { Rule } from './rules';
import { gtSeq, leSeq, ltSeq } from './seq';
import { Completeness, TcpFlagBit, type TcpStreamInfo } from './types';
import { explainRow, type TcpExplanation } from './explain';
import type { Direction } from '../types';

export interface TcpAnalyzerOptions {
  /**
   * Port-reuse rules of newer Wireshark (3.6+ master): a SYN after FIN/RST starts a new stream even
   * with the same ISN, and a SYN-ACK with a new ISN starts a new stream. Default false: tshark 4.0
   * starts a new stream only for a SYN with a new ISN; a SYN-ACK with a new ISN is flagged and
   * re-bases its direction's relative numbers in the same stream.
   */
  modernPortReuse?: boolean;
  /**
   * Treat a packet that is an exact copy of the previous packet of its stream, seen on another
   * interface within `dedupeWindowNs`, as the same packet (an `-i any` or multi-interface capture
   * of a forwarding host shows every forwarded packet twice). tshark does not; off by default.
   */
  dedupeAcrossInterfaces?: boolean;
  dedupeWindowNs?: number;
}

const SYN = TcpFlag.Syn, FIN = TcpFlag.Fin, RST = TcpFlag.Rst, ACK = TcpFlag.Ack;
// Module-local copies: imported const enums and functions are live bindings (a getter call per use
// when modules are not bundled, as in Node); the per-packet path reads plain locals instead.
const FB_AckLostSegment = TcpFlagBit.AckLostSegment;
const FB_DuplicateAck = TcpFlagBit.DuplicateAck;
const FB_FastRetransmission = TcpFlagBit.FastRetransmission;
const FB_KeepAlive = TcpFlagBit.KeepAlive;
const FB_KeepAliveAck = TcpFlagBit.KeepAliveAck;
const FB_LostSegment = TcpFlagBit.LostSegment;
const FB_OutOfOrder = TcpFlagBit.OutOfOrder;
const FB_Retransmission = TcpFlagBit.Retransmission;
const FB_ReusedPorts = TcpFlagBit.ReusedPorts;
const FB_SpuriousRetransmission = TcpFlagBit.SpuriousRetransmission;
const FB_WindowFull = TcpFlagBit.WindowFull;
const FB_WindowUpdate = TcpFlagBit.WindowUpdate;
const FB_ZeroWindow = TcpFlagBit.ZeroWindow;
const FB_ZeroWindowProbe = TcpFlagBit.ZeroWindowProbe;
const FB_ZeroWindowProbeAck = TcpFlagBit.ZeroWindowProbeAck;
const gt = gtSeq, lt = ltSeq, le = leSeq;
const L4_TCP = L4.Tcp;
const FAST_RETRANS_NS = 20_000_000;
const DEFAULT_OOO_NS = 3_000_000;
/** Packets of a stream remembered for the dedupe option (copies arrive within a few packets). */
const RECENT = 16;

/** Bit position of a flag (for flagCounts and the per-flag rule slots). */
function bitIndex(bit: number): number {
  return 31 - Math.clz32(bit);
}

class TcpConv {
  readonly flows: [TcpFlow, TcpFlow] = [new TcpFlow(), new TcpFlow()];
  /** ns time of the most recent pure SYN, or -1. */
  mruSynNs = -1;
  /** Handshake RTT in ns; 0 = unknown (as in Wireshark, an exact 0 counts as unknown). */
  irttNs = 0;
  /** Recent rows of this stream (ring), for the dedupe option; allocated only when it is on. */
  recent: Int32Array | null = null;
  recentNext = 0;
  constructor(readonly info: TcpStreamInfo) {}
}

/**
 * The packet being analysed: its header fields, the flags raised so far with the rule that raised
 * each, and the values the "why" record keeps. One per analyzer, overwritten for every packet.
 */
class PacketScratch {
  row = 0;
  /** ns since the first packet of the capture. */
  now = 0;
  /** Raw seq and ack, payload length, raw (unscaled) window, TCP flags (TcpFlag). */
  seq = 0;
  ack = 0;
  len = 0;
  win = 0;
  tf = 0;
  /** tf & (SYN | ACK): tells a pure SYN, a SYN-ACK and a plain ACK apart. */
  synFlags = 0;
  /** None of SYN, FIN, RST is set (most flags require it). */
  noSfr = false;
  /** This segment's next sequence number: seq + len, +1 for SYN or FIN. */
  segEnd = 0;
  /** Analysis flags raised so far (TcpFlagBit). */
  ta = 0;
  /** Rule index per flag bit, for the "why" record. */
  readonly ruleOf = new Uint8Array(WHY_RULES_STRIDE);
  /** tcp.analysis.duplicate_ack_num / _frame when a duplicate ACK. */
  dupNum = 0;
  dupFrame = -1;
  // Values kept for the "why" record (see WhyValue).
  prevStream = -1;
  revWindowBytes = 0;
  dtRev = -1;
  dtNext = -1;
  /** State before this packet: fwd.nextseq, fwd.window, rev.lastack, rev.maxSeqToBeAcked, rev.dupAckNum. */
  fNext0 = 0;
  fWin0 = 0;
  rLastack0 = 0;
  rMax0 = 0;
  rDup0 = 0;
}

/** Read the packet's TCP header into the scratch and forget the previous packet's results. */
function readPacket(p: PacketScratch, cols: PacketColumns, row: number, now: number): void {
  const tf = cols.tcpFlags[row];
  p.row = row;
  p.now = now;
  p.seq = cols.seqRaw[row];
  p.ack = cols.ackRaw[row];
  p.len = cols.tcpLen[row];
  p.win = cols.winRaw[row];
  p.tf = tf;
  p.synFlags = tf & (SYN | ACK);
  p.noSfr = (tf & (SYN | FIN | RST)) === 0;
  p.segEnd = (tf & (SYN | FIN)) !== 0 ? (p.seq + p.len + 1) >>> 0 : (p.seq + p.len) >>> 0;
  p.ta = 0;
  p.ruleOf.fill(0);
  p.dupNum = 0;
  p.dupFrame = -1;
  p.prevStream = -1;
  p.revWindowBytes = 0;
  p.dtRev = -1;
  p.dtNext = -1;
}

/** Raise an analysis flag on the packet and note the rule that raised it. */
function raise(p: PacketScratch, bit: number, rule: Rule): void {
  p.ta |= bit;
  p.ruleOf[bitIndex(bit)] = rule;
}

/**
 * Relative sequence numbers, §1.4 R1 and R2: the first packet of a direction sets its base (its
 * ISN if a SYN, else seq − 1); the first ACK seen gives the other direction's base (ack − 1).
 */
function relativeBases(p: PacketScratch, info: TcpStreamInfo, d: Direction, fwd: TcpFlow, rev: TcpFlow): void {
  if (!fwd.baseSet) {
    fwd.baseSet = true;
    fwd.baseSeq = (p.tf & SYN) !== 0 ? p.seq : (p.seq - 1) >>> 0;
    info.isn[d] = fwd.baseSeq;
    info.isnFromSyn[d] = (p.tf & SYN) !== 0;
  }
  if (!rev.baseSet && (p.tf & ACK) !== 0) {
    rev.baseSet = true;
    rev.baseSeq = (p.ack - 1) >>> 0;
    info.isn[1 - d] = rev.baseSeq;
  }
}

/** The state the rules compare against, before this packet changes it (for the "why" record). */
function rememberStateBefore(p: PacketScratch, fwd: TcpFlow, rev: TcpFlow): void {
  p.fNext0 = fwd.nextseq;
  p.fWin0 = fwd.window;
  p.rLastack0 = rev.lastack;
  p.rMax0 = rev.maxSeqToBeAcked;
  p.rDup0 = rev.dupAckNum < 0 ? 0 : rev.dupAckNum;
}

/**
 * The forward checks, §1.6 steps 1–9, in Wireshark's order. A zero-window probe, a keep-alive ACK
 * and a zero-window probe ACK end them (the document's "→ skip"); a duplicate ACK is the last.
 */
function forwardChecks(p: PacketScratch, fwd: TcpFlow, rev: TcpFlow): void {
  if (zeroWindowProbe(p, fwd, rev)) return;
  zeroWindow(p);
  lostSegment(p, fwd);
  keepAlive(p, fwd);
  // Steps 5, 7 and 9 look at a packet that repeats its side's state: no data, seq and ack unchanged.
  const sameAckSeq = p.len === 0 && p.seq === fwd.nextseq && p.ack === fwd.lastack && p.noSfr;
  windowUpdate(p, fwd, sameAckSeq);
  windowFull(p, rev);
  if (keepAliveAck(p, fwd, rev, sameAckSeq)) return;
  if (zeroWindowProbeAck(p, fwd, rev)) return;
  duplicateAck(p, fwd, sameAckSeq);
}

/** Zero-window probe, §1.6 step 1: one byte at the next expected seq while the receiver's window is 0. */
function zeroWindowProbe(p: PacketScratch, fwd: TcpFlow, rev: TcpFlow): boolean {
  if (p.len !== 1 || p.seq !== fwd.nextseq || rev.window !== 0) return false;
  raise(p, FB_ZeroWindowProbe, Rule.ZwpNextByte);
  return true;
}

/** Zero window, §1.6 step 2: this side advertises a window of 0 (not on SYN/FIN/RST). */
function zeroWindow(p: PacketScratch): void {
  if (p.win === 0 && p.noSfr) raise(p, FB_ZeroWindow, Rule.ZeroWindow);
}

/**
 * Previous segment not captured, §1.6 step 3: seq beyond what this side sent so far (not on a
 * RST). Bytes in flight are not trusted again until the other side ACKs (§1.6 B7).
 */
function lostSegment(p: PacketScratch, fwd: TcpFlow): void {
  if (fwd.nextseq !== 0 && gt(p.seq, fwd.nextseq) && (p.tf & RST) === 0) {
    raise(p, FB_LostSegment, Rule.LostSeqAboveNext);
    fwd.validBif = false;
  }
}

/** Keep-alive, §1.6 step 4: 0 or 1 byte at one below the next expected seq. */
function keepAlive(p: PacketScratch, fwd: TcpFlow): void {
  if ((p.len === 0 || p.len === 1) && p.seq === ((fwd.nextseq - 1) >>> 0) && p.noSfr) {
    raise(p, FB_KeepAlive, Rule.KeepAliveSeqBelowNext);
  }
}

/** Window update, §1.6 step 5: same seq and ack, no data, a new non-zero window value */
function windowUpdate(p: PacketScratch, fwd: TcpFlow, sameAckSeq: boolean): void {
  if (sameAckSeq && p.win !== 0 && p.win !== fwd.window) raise(p, FB_WindowUpdate, Rule.WindowUpdateChanged);
}

/**
 * Window full, §1.6 step 6: the segment ends exactly at the right edge of the receiver's window,
 * its last ACK + its window, scaled unless the receiver is at its first ACK (§1.5 W6) or does not
 * scale (−2); not when the receiver's scale is unknown.
 */
function windowFull(p: PacketScratch, rev: TcpFlow): void {
  if (p.len > 0 && rev.winScale !== -1 && rev.window >= 0 && p.noSfr) {
    const shift = rev.isFirstAck || rev.winScale === -2 ? 0 : rev.winScale;
    p.revWindowBytes = rev.window * 2 ** shift;
    if (((p.seq + p.len) >>> 0) === ((rev.lastack + p.revWindowBytes) >>> 0)) {
      raise(p, FB_WindowFull, Rule.WindowFullRightEdge);
    }
  }
}

/** Keep-alive ACK, §1.6 step 7: a repeat of this side's ACK and window right after a keep-alive. */
function keepAliveAck(p: PacketScratch, fwd: TcpFlow, rev: TcpFlow, sameAckSeq: boolean): boolean {
  if (!(sameAckSeq && p.win !== 0 && p.win === fwd.window && (rev.lastSegmentFlags & FB_KeepAlive) !== 0)) return false;
  raise(p, FB_KeepAliveAck, Rule.KeepAliveAckRepeats);
  return true;
}

/**
 * Zero-window probe ACK, §1.6 step 8 as in Wireshark 4.0: a zero-window ACK repeating this side's
 * ACK right after a probe. (Newer versions also take an ACK one above the last as the probe byte
 * accepted and move the sender past it; tshark 4.0 does not: that ACK is an ACK of unseen data and
 * the sender's next segment "previous segment not captured", tests/unit/tcpRules.test.ts.)
 */
function zeroWindowProbeAck(p: PacketScratch, fwd: TcpFlow, rev: TcpFlow): boolean {
  if (!(p.len === 0 && p.win === 0 && p.win === fwd.window && p.seq === fwd.nextseq && p.noSfr &&
      p.ack === fwd.lastack && (rev.lastSegmentFlags & FB_ZeroWindowProbe) !== 0)) {
    return false;
  }
  raise(p, FB_ZeroWindowProbeAck, Rule.ZwpAckRepeats);
  return true;
}

/**
 * Duplicate ACK, §1.6 step 9: no data, same seq, ack and non-zero window as this side's previous
 * packet. Numbered in the run of identical ACKs, with the frame of the ACK it repeats. (Wireshark
 * 4.0 has no SACK re-classification, §1.7 K4/K5: a window update carrying SACK stays one.)
 */
function duplicateAck(p: PacketScratch, fwd: TcpFlow, sameAckSeq: boolean): void {
  if (sameAckSeq && p.win !== 0 && p.win === fwd.window) {
    // −1 (quiet after an ACK of unseen data, ackedUnseenSegment) counts as 0: the run starts at #1.
    fwd.dupAckNum = (fwd.dupAckNum < 0 ? 0 : fwd.dupAckNum) + 1;
    raise(p, FB_DuplicateAck, Rule.DupAckRepeats);
    p.dupNum = fwd.dupAckNum;
    p.dupFrame = fwd.lastNonDupAck;
  }
}

/** §1.6 step 11 (finished_fwd): a new ACK value restarts the duplicate-ACK run from this frame. */
function restartDupAckRun(p: PacketScratch, fwd: TcpFlow): void {
  if (p.ack !== fwd.lastack) {
    fwd.lastNonDupAck = p.row;
    fwd.dupAckNum = 0;
  }
}

/**
 * ACKed unseen segment, §1.6 step 12: an ACK beyond the highest contiguous data seen from the
 * other side. Wireshark 4.0 (§1.9b d): the other side's contiguous mark then jumps to its highest
 * seq (no unacked-list walk), and an ACK of a zero-window probe byte is no exception (newer
 * versions call it a window update).
 *
 * When to flag, as tshark 4.0 does (found by experiment, tests/unit/tcpRules.test.ts):
 * - the other side has a hole (its contiguous mark is behind its highest seq): always;
 * - no hole: only while the other side's duplicate-ACK counter is 0 (it is not repeating its own
 *   ACK). Flagged or not, the counter is then set to −1, "quiet": further ACKs beyond its data
 *   are not flagged until that side sends a new ACK value (the counter restarts at 0, §1.6 step
 *   11) or opens a new hole. A duplicate ACK counts −1 as 0 (its run restarts at #1), and the
 *   fast-retransmission test takes −1 as "at least 2" (fastRetransmission), as tshark 4.0 does.
 */
function ackedUnseenSegment(p: PacketScratch, rev: TcpFlow): void {
  const ack = p.ack;
  if (rev.maxSeqToBeAcked === 0 || !gt(ack, rev.maxSeqToBeAcked) || (p.tf & ACK) === 0) return;
  if (rev.maxSeqToBeAcked !== rev.nextseq) {
    raise(p, FB_AckLostSegment, Rule.AckLostAboveMax);
    rev.maxSeqToBeAcked = rev.nextseq;
  } else {
    if (rev.dupAckNum === 0) raise(p, FB_AckLostSegment, Rule.AckLostAboveMax);
    rev.dupAckNum = -1;
  }
}

/** The out-of-order threshold, §1.0 / §1.6 step 13.7: the handshake RTT if known, else 3 ms. */
function oooThresholdNs(conv: TcpConv): number {
  return conv.irttNs !== 0 ? conv.irttNs : DEFAULT_OOO_NS;
}

/**
 * The retransmission family, §1.6 step 13, for segments that take sequence space (data, SYN or
 * FIN) and are not keep-alives (13.1): spurious retransmission (13.3), then for a segment that
 * does not advance the sequence (13.0, 13.2, 13.4) fast retransmission (13.6), out-of-order (13.7)
 * or retransmission (13.8). Both timers are kept for the "why" record.
 */
function retransmissionFamily(p: PacketScratch, conv: TcpConv, fwd: TcpFlow, rev: TcpFlow): void {
  if (!(p.len > 0 || (p.tf & (SYN | FIN)) !== 0) || (p.ta & FB_KeepAlive) !== 0) return;
  const seq = p.seq;
  let notAdvanced = fwd.nextseq !== 0 && lt(seq, fwd.nextseq);
  // 13.2: a segment starting at a previous zero-window-probe byte but adding data is new data.
  if (p.len > 1 && seq === ((fwd.nextseq - 1) >>> 0)) notAdvanced = false;
  // 13.5. Wireshark 4.0 computes these differences unsigned: a clock going backwards gives a huge value.
  let dtRev = p.now - rev.lastackTime;
  if (dtRev < 0) dtRev = Number.MAX_SAFE_INTEGER;
  let dtNext = p.now - fwd.nextseqTime;
  if (dtNext < 0) dtNext = Number.MAX_SAFE_INTEGER;
  p.dtRev = dtRev;
  p.dtNext = dtNext;
  if (spuriousRetransmission(p, rev)) {
    raise(p, FB_SpuriousRetransmission, Rule.SpuriousAlreadyAcked);
    p.ta |= FB_Retransmission;
  } else if (!notAdvanced) {
    // 13.4: new data.
  } else if (fastRetransmission(p, rev, dtRev)) {
    raise(p, FB_FastRetransmission, Rule.FastRetransDupAcks);
    p.ta |= FB_Retransmission;
  } else if (outOfOrder(p, fwd, dtNext, oooThresholdNs(conv))) {
    raise(p, FB_OutOfOrder, Rule.OutOfOrderSoonAfterHighest);
  } else {
    raise(p, FB_Retransmission, Rule.RetransSeqBelowNext);
  }
}

/** Spurious retransmission, §1.6 step 13.3: every byte of the segment was already ACKed by the receiver. */
function spuriousRetransmission(p: PacketScratch, rev: TcpFlow): boolean {
  return p.len > 0 && rev.lastack !== 0 && le((p.seq + p.len) >>> 0, rev.lastack);
}

/**
 * Fast retransmission, §1.6 step 13.6 rule R-FR-a (Wireshark 4.0 has no SACK rules): at least two
 * duplicate ACKs asked for this seq, and the other side's last packet is less than 20 ms old.
 */
function fastRetransmission(p: PacketScratch, rev: TcpFlow, dtRevNs: number): boolean {
  // The "quiet" −1 left by an ACK of unseen data (ackedUnseenSegment) passes this test in tshark 4.0.
  return (rev.dupAckNum >= 2 || rev.dupAckNum < 0) && rev.lastack === p.seq && dtRevNs < FAST_RETRANS_NS;
}

/**
 * Out-of-order, §1.6 step 13.7 as in Wireshark 4.0 (§1.9b c): sent within the threshold after the
 * packet that set the highest seq, and not exactly ending at it. No "copy of an unacked segment"
 * test and no pure-ACK refinement (README.md, Rule set).
 */
function outOfOrder(p: PacketScratch, fwd: TcpFlow, dtNextNs: number, thresholdNs: number): boolean {
  return dtNextNs < thresholdNs && fwd.nextseq !== p.segEnd;
}

/** §1.6 B1: a segment taking sequence space joins the sender's unacknowledged list (at most 10000). */
function recordUnacked(p: PacketScratch, fwd: TcpFlow): void {
  if ((p.len > 0 || (p.tf & (SYN | FIN)) !== 0) && fwd.segmentCount < MAX_UNACKED) fwd.pushSegment(p.row, p.seq, p.segEnd, p.now);
}

/**
 * §1.6 B2–B4: a segment beyond the highest seq moves it (and its frame, time and length); one
 * starting at the contiguous mark extends the mark. A zero-window probe moves neither.
 */
function advanceNextSeq(p: PacketScratch, fwd: TcpFlow): void {
  const isZwp = (p.ta & FB_ZeroWindowProbe) !== 0;
  if ((gt(p.segEnd, fwd.nextseq) || fwd.nextseq === 0) && !isZwp) {
    fwd.lastAckLen = p.len;
    fwd.nextseq = p.segEnd;
    fwd.nextseqFrame = p.row;
    fwd.nextseqTime = p.now;
  }
  if ((p.seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) && !isZwp) fwd.maxSeqToBeAcked = fwd.nextseq;
}

/** §1.6 B5: this side's last window, ACK, packet time and flags, for the checks of later packets. */
function rememberLastPacket(p: PacketScratch, fwd: TcpFlow): void {
  fwd.window = p.win;
  fwd.lastack = p.ack;
  fwd.lastackTime = p.now;
  fwd.lastSegmentFlags = p.ta;
}

/**
 * ACK matching, §1.6 B6: the ACK removes the other side's acknowledged segments; the oldest one
 * ending exactly at the ACK is what it acks (tcp.analysis.acks_frame), its age the ack_rtt.
 * Our reading of the RTT (for charts and diagnoses): 0 is a real sample (coarse time stamps), a
 * negative age (time stamps going backwards) is no sample (−1). tshark prints the opposite (no RTT
 * of 0, the negative ones); its view is tsharkAckRtt (tshark.ts), for the fields output.
 */
function matchAck(p: PacketScratch, out: TcpOutput, rev: TcpFlow): void {
  rev.applyAck(p.ack);
  if (rev.ackedFrame >= 0) {
    out.acksFrame[p.row] = rev.ackedFrame;
    const rtt = p.now - rev.ackedTime;
    out.ackRtt[p.row] = rtt >= 0 ? rtt / 1e9 : -1;
  }
}

/**
 * Bytes in flight, §1.6 B7: on data packets while valid, the span of the sender's unacked
 * segments minus the bytes in the receiver's last SACK blocks, minus 1 for SYN/FIN.
 */
function bytesInFlight(p: PacketScratch, out: TcpOutput, fwd: TcpFlow, rev: TcpFlow): void {
  if (p.len !== 0 && fwd.segmentCount > 0 && fwd.validBif) {
    // The SYN/FIN bit is not a byte in flight; bytes the receiver reported by SACK have arrived.
    let inFlight = fwd.unackedSpan() - ((p.tf & (SYN | FIN)) !== 0 ? 1 : 0);
    for (let k = 0; k < rev.sackCount; k++) inFlight -= (rev.sackRe[k] - rev.sackLe[k]) >>> 0;
    if (inFlight > 0 && inFlight < 2e9) out.bytesInFlight[p.row] = inFlight;
  }
}

/**
 * Options of a SYN or SYN-ACK, read after the analysis as Wireshark does (§1.2 step 9): MSS, SACK
 * permitted, and window scaling, §1.5 W1 (shift clamped to 14) and W3 (a SYN without the option
 * turns scaling off both ways; a SYN-ACK with it after a SYN without stays unscaled). This side
 * is at its first ACK again: its window is not scaled by the window-full test (§1.5 W6).
 */
function synOptions(p: PacketScratch, cols: PacketColumns, info: TcpStreamInfo, d: Direction, fwd: TcpFlow, rev: TcpFlow): void {
  if ((p.tf & SYN) === 0) return;
  const row = p.row;
  if (cols.mss[row] > 0) { fwd.mss = cols.mss[row]; info.mss[d] = cols.mss[row]; }
  if (cols.wscale[row] >= 0) fwd.winScale = Math.min(cols.wscale[row], 14);
  if (cols.sackPerm[row]) info.sackPermitted = true;
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (p.synFlags === (SYN | ACK) && rev.winScale === -2) {
    fwd.winScale = -2;
  }
  fwd.isFirstAck = true;
  info.wscale[d] = fwd.winScale;
  info.wscale[1 - d] = rev.winScale;
}

/**
 * SACK blocks, §1.7 K2: this side's blocks (at most 4) replace its previous ones, for the bytes
 * in flight of the other side's later packets.
 */
function sackBlocks(p: PacketScratch, cols: PacketColumns, fwd: TcpFlow): void {
  const row = p.row;
  const nSack = cols.sackCount[row];
  if (nSack > 0) {
    const base = cols.sackIndex[row];
    const n = Math.min(nSack, 4);
    for (let i = 0; i < n; i++) {
      fwd.sackLe[i] = cols.sackEdges[base + 2 * i];
      fwd.sackRe[i] = cols.sackEdges[base + 2 * i + 1];
    }
    fwd.sackCount = n;
  } else {
    fwd.sackCount = 0;
  }
}

/** §1.5 W6: the first ACK without SYN ends this side's "first ACK" (its window is scaled from now on). */
function firstAckSeen(p: PacketScratch, fwd: TcpFlow): void {
  if ((p.tf & SYN) === 0 && (p.tf & ACK) !== 0) fwd.isFirstAck = false;
}

/** Initial RTT, §1.8 I1 and I2: from the latest pure SYN to the first ACK without SYN, once. */
function initialRtt(p: PacketScratch, conv: TcpConv): void {
  if (p.synFlags === SYN) conv.mruSynNs = p.now;
  if (p.synFlags === ACK && conv.mruSynNs >= 0 && conv.irttNs === 0) {
    conv.irttNs = p.now - conv.mruSynNs;
    conv.info.irtt = conv.irttNs / 1e9;
  }
}

/**
 * The row's columns: tcp.stream, relative seq/ack/nxtseq (§1.4 R3), the window in bytes (§1.5 W4:
 * scaled when the scale is known, never on a SYN), the flags and the duplicate-ACK number/frame.
 */
function writeRow(p: PacketScratch, out: TcpOutput, info: TcpStreamInfo, d: Direction, fwd: TcpFlow, rev: TcpFlow): void {
  const row = p.row, tf = p.tf;
  out.stream[row] = info.index;
  out.dir[row] = d;
  out.seq[row] = (p.seq - fwd.baseSeq) >>> 0;
  out.ack[row] = (tf & ACK) !== 0 ? (p.ack - rev.baseSeq) >>> 0 : p.ack;
  out.nxtseq[row] = (p.segEnd - fwd.baseSeq) >>> 0;
  out.window[row] = (tf & SYN) === 0 && fwd.winScale >= 0 ? p.win * 2 ** fwd.winScale : p.win;
  out.flags[row] = p.ta;
  if ((p.ta & FB_DuplicateAck) !== 0) {
    out.dupAckNum[row] = p.dupNum;
    out.dupAckFrame[row] = p.dupFrame;
  }
}

/** The stream's counters and its completeness bits (§1.9: SYN 1, SYN-ACK 2, ACK 4, DATA 8, FIN 16, RST 32). */
function streamSummary(p: PacketScratch, cols: PacketColumns, info: TcpStreamInfo, d: Direction): void {
  const tf = p.tf, synFlags = p.synFlags;
  info.packets++;
  info.packetsDir[d]++;
  info.bytesDir[d] += p.len;
  info.lastRow = p.row;
  info.lastTime = cols.time(p.row);
  if (synFlags === SYN) { info.synSeen = true; info.completeness |= Completeness.Syn; }
  if (synFlags === (SYN | ACK)) { info.synAckSeen = true; info.completeness |= Completeness.SynAck; }
  if (synFlags === ACK && (info.completeness & Completeness.SynAck) !== 0) info.completeness |= Completeness.Ack;
  if (p.len > 0) info.completeness |= Completeness.Data;
  if ((tf & FIN) !== 0) { info.finSeen[d] = true; info.completeness |= Completeness.Fin; }
  if ((tf & RST) !== 0) { info.rstSeen[d] = true; info.completeness |= Completeness.Rst; }
}

/** A flagged packet: count its flags and keep its "why" record (rule per flag, values compared). */
function writeWhy(p: PacketScratch, out: TcpOutput, conv: TcpConv, fwd: TcpFlow, rev: TcpFlow): void {
  const info = conv.info, ta = p.ta;
  for (let b = ta; b !== 0; b &= b - 1) info.flagCounts[bitIndex(b & -b)]++;
  const k = out.newWhy(p.row);
  out.whyRules.set(p.ruleOf, k * WHY_RULES_STRIDE);
  const v = out.whyValues, o = k * WHY_STRIDE;
  v[o + WhyValue.Seq] = (p.seq - fwd.baseSeq) >>> 0;
  v[o + WhyValue.NextSeq] = (p.fNext0 - fwd.baseSeq) >>> 0;
  v[o + WhyValue.Ack] = (p.ack - rev.baseSeq) >>> 0;
  v[o + WhyValue.Window] = p.win;
  v[o + WhyValue.PrevWindow] = p.fWin0;
  v[o + WhyValue.RevAck] = (p.rLastack0 - fwd.baseSeq) >>> 0;
  v[o + WhyValue.RevWindowBytes] = p.revWindowBytes;
  v[o + WhyValue.RevDupAcks] = p.rDup0;
  v[o + WhyValue.DtRevNs] = p.dtRev;
  v[o + WhyValue.DtNextNs] = p.dtNext;
  v[o + WhyValue.ThresholdNs] = oooThresholdNs(conv);
  v[o + WhyValue.ThresholdFromIrtt] = conv.irttNs !== 0 ? 1 : 0;
  v[o + WhyValue.MaxSeen] = (p.rMax0 - rev.baseSeq) >>> 0;
  v[o + WhyValue.PrevStream] = p.prevStream;
  v[o + WhyValue.Len] = p.len;
}

export class TcpAnalyzer implements RowProcessor {
  readonly out = new TcpOutput();
  readonly streams: TcpStreamInfo[] = [];
  private readonly convs: TcpConv[] = [];
  /** lower endpoint code → higher endpoint code → current stream of that pair. */
  private readonly pairs = new Map<number, Map<number, number>>();
  private t0Sec = NaN;
  private readonly modernPortReuse: boolean;
  private readonly dedupe: boolean;
  private readonly dedupeWindowNs: number;
  private cols: PacketColumns | null = null;
  /** The packet being analysed (reused for every packet). */
  private readonly pkt = new PacketScratch();

  constructor(options: TcpAnalyzerOptions = {}) {
    this.modernPortReuse = options.modernPortReuse ?? false;
    this.dedupe = options.dedupeAcrossInterfaces ?? false;
    this.dedupeWindowNs = options.dedupeWindowNs ?? 50_000_000;
  }

  // Convenience views of the output columns.
  get stream(): Int32Array { return this.out.stream; }
  get flags(): Uint16Array { return this.out.flags; }

  /** Why each flag of `row` was raised (English; rule ids are stable for translation). */
  explain(row: number): TcpExplanation[] {
    return explainRow(this, row);
  }

  /** The packet table last processed (for explain). */
  get columns(): PacketColumns | null {
    return this.cols;
  }

  private timeNs(cols: PacketColumns, row: number): number {
    if (Number.isNaN(this.t0Sec)) this.t0Sec = cols.tsSec[row];
    return (cols.tsSec[row] - this.t0Sec) * 1e9 + cols.tsNsec[row];
  }

  private lookup(src: number, sp: number, dst: number, dp: number): number {
    const a = src * 65536 + sp, b = dst * 65536 + dp;
    const inner = this.pairs.get(a < b ? a : b);
    if (inner === undefined) return -1;
    const s = inner.get(a < b ? b : a);
    return s === undefined ? -1 : s;
  }

  /** A new stream for the row's address/port pair (§1.3 S1: numbered in order of first appearance). */
  private newConv(cols: PacketColumns, row: number, previous: number): TcpConv {
    const src = cols.src[row], sp = cols.srcPort[row], dst = cols.dst[row], dp = cols.dstPort[row];
    const index = this.streams.length;
    const t = cols.time(row);
    const info: TcpStreamInfo = {
      index, addrA: src, portA: sp, addrB: dst, portB: dp, ipVersion: cols.ipVersion[row],
      firstRow: row, lastRow: row, packets: 0, packetsDir: [0, 0], bytesDir: [0, 0], isn: [-1, -1],
      mss: [0, 0], wscale: [-1, -1], sackPermitted: false, synSeen: false, synAckSeen: false,
      finSeen: [false, false], rstSeen: [false, false], irtt: -1, flagCounts: new Array<number>(15).fill(0),
      firstTime: t, lastTime: t, isnFromSyn: [false, false], completeness: 0, previousStream: previous,
    };
    const conv = new TcpConv(info);
    this.streams.push(info);
    this.convs.push(conv);
    const a = src * 65536 + sp, b = dst * 65536 + dp;
    const lo = a < b ? a : b, hi = a < b ? b : a;
    let inner = this.pairs.get(lo);
    if (inner === undefined) {
      inner = new Map();
      this.pairs.set(lo, inner);
    }
    inner.set(hi, index);
    return conv;
  }

  /** Analyse one row: the rules in Wireshark's order (§1.2), one function each (README.md, From rule to code). */
  process(cols: PacketColumns, row: number): void {
    this.cols = cols;
    const out = this.out;
    out.ensure(Math.max(row + 1, cols.seqRaw.length));
    out.clear(row);
    if (out.length < row + 1) out.length = row + 1;
    const now = this.timeNs(cols, row);
    // A TCP header cut short or with a bogus length is not analysed (tshark stops at it too).
    if (cols.l4[row] !== L4_TCP || cols.tcpHdrLen[row] === 0) {
      this.icmpQuotedStream(cols, row);
      return;
    }
    const p = this.pkt;
    readPacket(p, cols, row, now);
    const conv = this.streamOf(cols, p);
    const info = conv.info;
    const d = this.dirOf(info, cols.src[row], cols.srcPort[row]);
    const fwd = conv.flows[d], rev = conv.flows[1 - d];
    if (this.dedupe && this.dedupeCopy(cols, conv, row, now)) return;

    relativeBases(p, info, d, fwd, rev);
    rememberStateBefore(p, fwd, rev);
    // §1.6 step 0: an ACK makes the other side's bytes in flight trustworthy again.
    if ((p.tf & ACK) !== 0) rev.validBif = true;
    forwardChecks(p, fwd, rev);
    restartDupAckRun(p, fwd);
    ackedUnseenSegment(p, rev);
    retransmissionFamily(p, conv, fwd, rev);

    // Bookkeeping after the classification, §1.6 B1–B7.
    recordUnacked(p, fwd);
    advanceNextSeq(p, fwd);
    rememberLastPacket(p, fwd);
    matchAck(p, out, rev);
    bytesInFlight(p, out, fwd, rev);

    // Options are looked at after the analysis, as Wireshark does.
    synOptions(p, cols, info, d, fwd, rev);
    sackBlocks(p, cols, fwd);
    firstAckSeen(p, fwd);
    initialRtt(p, conv);

    writeRow(p, out, info, d, fwd, rev);
    streamSummary(p, cols, info, d);
    if (p.ta !== 0) writeWhy(p, out, conv, fwd, rev);
  }

  /** An ICMP error quoting a TCP packet: the stream of the quoted address/port pair, if known. */
  private icmpQuotedStream(cols: PacketColumns, row: number): void {
    if (cols.icmpType[row] !== 255 && cols.qSrc[row] !== 0) {
      this.out.icmpStream[row] = this.lookup(cols.qSrc[row], cols.qSrcPort[row], cols.qDst[row], cols.qDstPort[row]);
    }
  }

  /**
   * tcp.stream, §1.3: the current stream of the packet's address/port pair, or a new one (S1); a
   * SYN or SYN-ACK on a known pair may mean the ports were reused (portReuse).
   */
  private streamOf(cols: PacketColumns, p: PacketScratch): TcpConv {
    const row = p.row, src = cols.src[row], sp = cols.srcPort[row];
    const s = this.lookup(src, sp, cols.dst[row], cols.dstPort[row]);
    if (s < 0) return this.newConv(cols, row, -1);
    const conv = this.convs[s];
    if (p.synFlags !== SYN && p.synFlags !== (SYN | ACK)) return conv;
    return this.portReuse(cols, p, conv, this.dirOf(conv.info, src, sp));
  }

  /**
   * Port reuse, §1.3 S2 and S3 as in Wireshark 4.0 (README.md): a SYN with a new ISN starts a new
   * stream; a SYN-ACK with a new ISN is flagged and re-bases its side in the same stream. With
   * `modernPortReuse`, a SYN-ACK with a new ISN, or a SYN or SYN-ACK after FIN/RST, starts a new
   * stream. The SYN with the same ISN (after a RST or FIN too, in 4.0) is left to the
   * retransmission rules, its side's next expected seq reset to its contiguous mark (§1.3 S2).
   */
  private portReuse(cols: PacketColumns, p: PacketScratch, conv: TcpConv, d: Direction): TcpConv {
    const f = conv.flows[d];
    const closed = (conv.info.completeness & (Completeness.Fin | Completeness.Rst)) !== 0;
    const newIsn = f.baseSet && p.seq !== f.baseSeq;
    if (p.synFlags === SYN || this.modernPortReuse) {
      if (newIsn || (this.modernPortReuse && f.baseSet && closed)) {
        p.prevStream = conv.info.index;
        raise(p, FB_ReusedPorts, newIsn ? (p.synFlags === SYN ? Rule.ReusedNewIsn : Rule.ReusedSynAckNewIsn) : Rule.ReusedAfterClose);
        return this.newConv(cols, p.row, p.prevStream);
      }
      if (p.synFlags === SYN && f.baseSet && f.maxSeqToBeAcked !== 0) {
        // §1.3 S2: the SYN sent again with the same ISN. What this side sent beyond its contiguous
        // data (a RST with a far seq, a segment after a hole) no longer counts as sent: its next
        // expected seq goes back to the contiguous mark, so the data that follows is new data.
        f.nextseq = f.maxSeqToBeAcked;
      }
    } else if (newIsn) {
      // tshark 4.0: same stream, this side's relative numbers start again from the new ISN.
      p.prevStream = conv.info.index;
      raise(p, FB_ReusedPorts, Rule.ReusedSynAckNewIsn);
      f.baseSeq = p.seq;
      conv.info.isn[d] = p.seq;
      conv.info.isnFromSyn[d] = true;
    }
    return conv;
  }

  private dirOf(info: TcpStreamInfo, src: number, sp: number): Direction {
    return src === info.addrA && sp === info.portA ? 0 : 1;
  }

  /**
   * The `dedupeAcrossInterfaces` option (ours, not Wireshark's): a copy of a recent packet of the
   * stream seen on another interface takes the original's row values, is marked `copyOf` and is
   * not analysed (returns true). Otherwise the row joins the stream's recent packets (false).
   */
  private dedupeCopy(cols: PacketColumns, conv: TcpConv, row: number, now: number): boolean {
    const original = this.findOriginal(cols, conv, row, now);
    if (original >= 0) {
      this.copyRow(original, row);
      conv.info.lastRow = row;
      return true;
    }
    conv.recent ??= new Int32Array(RECENT).fill(-1);
    conv.recent[conv.recentNext] = row;
    conv.recentNext = (conv.recentNext + 1) % RECENT;
    return false;
  }

  /** A recent packet of the stream this one copies (seen on another interface), or -1. */
  private findOriginal(cols: PacketColumns, conv: TcpConv, row: number, now: number): number {
    const recent = conv.recent;
    if (recent === null) return -1;
    for (let k = 0; k < RECENT; k++) {
      const prev = recent[k];
      if (prev >= 0 && this.isCopy(cols, prev, row, now)) return prev;
    }
    return -1;
  }

  /** Same TCP header fields as an earlier packet, on another interface, shortly before or after. */
  private isCopy(cols: PacketColumns, prev: number, row: number, now: number): boolean {
    const otherIface = cols.iface[prev] !== cols.iface[row] || cols.sllIfIndex[prev] !== cols.sllIfIndex[row];
    const dt = now - this.timeNs(cols, prev);
    return otherIface && dt <= this.dedupeWindowNs && dt >= -this.dedupeWindowNs &&
      cols.src[prev] === cols.src[row] && cols.srcPort[prev] === cols.srcPort[row] &&
      cols.dst[prev] === cols.dst[row] && cols.dstPort[prev] === cols.dstPort[row] &&
      cols.seqRaw[prev] === cols.seqRaw[row] && cols.ackRaw[prev] === cols.ackRaw[row] &&
      cols.tcpFlags[prev] === cols.tcpFlags[row] && cols.tcpLen[prev] === cols.tcpLen[row] &&
      cols.winRaw[prev] === cols.winRaw[row] && cols.tsval[prev] === cols.tsval[row] && cols.hasTs[prev] === cols.hasTs[row];
  }

  private copyRow(from: number, to: number): void {
    const o = this.out;
    o.stream[to] = o.stream[from]; o.dir[to] = o.dir[from]; o.seq[to] = o.seq[from]; o.ack[to] = o.ack[from];
    o.nxtseq[to] = o.nxtseq[from]; o.window[to] = o.window[from]; o.copyOf[to] = from;
  }
}
