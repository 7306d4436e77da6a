/**
 * TCP sequence analysis in one pass, in capture order, reproducing the expert analysis of
 * tshark/Wireshark 4.0 (the rule set the oracle files were made with) flag by flag: stream
 * numbering with port reuse, relative numbers, window scaling, every tcp.analysis flag, duplicate
 * ACK numbering, ACK↔segment matching with RTT, bytes in flight. For each flag it records which
 * rule fired and the values it compared, so `explain(row)` can say why.
 *
 * Cost: O(1) amortised per packet; per-stream state only (two TcpFlow objects per stream).
 */
import { L4, TcpFlag, type PacketColumns, type RowProcessor } from '../decode/columns';
import { TcpFlow, MAX_UNACKED } from './flow';
import { TcpOutput, WhyValue, WHY_STRIDE, WHY_RULES_STRIDE } from './output';
import { Rule } from './rules';
import { gtSeq, leSeq, ltSeq } from './seq';
import { Completeness, TcpFlagBit, type TcpStreamInfo } from './types';
import { explainRow, type TcpExplanation } from './explain';

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
  /** Rule index per flag for the packet being analysed (scratch, reused). */
  private readonly slots = new Uint8Array(WHY_RULES_STRIDE);

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

  private newConv(cols: PacketColumns, row: number, previous: number): TcpConv {
    const src = cols.src[row], sp = cols.srcPort[row], dst = cols.dst[row], dp = cols.dstPort[row];
    const index = this.streams.length;
    const t = cols.time(row);
    const info: TcpStreamInfo = {
      index, addrA: src, portA: sp, addrB: dst, portB: dp, ipVersion: cols.ipVersion[row],
      firstFrame: row, lastFrame: row, packets: 0, packetsDir: [0, 0], bytesDir: [0, 0], isn: [-1, -1],
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

  process(cols: PacketColumns, row: number): void {
    this.cols = cols;
    const out = this.out;
    out.ensure(Math.max(row + 1, cols.seqRaw.length));
    out.clear(row);
    if (out.length < row + 1) out.length = row + 1;
    const now = this.timeNs(cols, row);
    // A TCP header cut short or with a bogus length is not analysed (tshark stops at it too).
    if (cols.l4[row] !== L4_TCP || cols.tcpHdrLen[row] === 0) {
      if (cols.icmpType[row] !== 255 && cols.qSrc[row] !== 0) {
        out.icmpStream[row] = this.lookup(cols.qSrc[row], cols.qSrcPort[row], cols.qDst[row], cols.qDstPort[row]);
      }
      return;
    }
    const src = cols.src[row], sp = cols.srcPort[row];
    const tf = cols.tcpFlags[row];
    const seq = cols.seqRaw[row], ack = cols.ackRaw[row], len = cols.tcpLen[row], win = cols.winRaw[row];
    const synFlags = tf & (SYN | ACK);

    let ta = 0;
    let reusedRule = Rule.None;
    let prevStream = -1;
    const s = this.lookup(src, sp, cols.dst[row], cols.dstPort[row]);
    let conv: TcpConv;
    if (s < 0) {
      conv = this.newConv(cols, row, -1);
    } else {
      conv = this.convs[s];
      if (synFlags === SYN || synFlags === (SYN | ACK)) {
        const f = conv.flows[this.dirOf(conv.info, src, sp)];
        const closed = (conv.info.completeness & (Completeness.Fin | Completeness.Rst)) !== 0;
        const newIsn = f.baseSet && seq !== f.baseSeq;
        if (synFlags === SYN || this.modernPortReuse) {
          if (newIsn || (this.modernPortReuse && f.baseSet && closed)) {
            prevStream = conv.info.index;
            reusedRule = newIsn ? (synFlags === SYN ? Rule.ReusedNewIsn : Rule.ReusedSynAckNewIsn) : Rule.ReusedAfterClose;
            conv = this.newConv(cols, row, prevStream);
            ta |= FB_ReusedPorts;
          }
        } else if (newIsn) {
          // tshark 4.0: same stream, this side's relative numbers start again from the new ISN.
          prevStream = conv.info.index;
          reusedRule = Rule.ReusedSynAckNewIsn;
          ta |= FB_ReusedPorts;
          f.baseSeq = seq;
          conv.info.isn[this.dirOf(conv.info, src, sp)] = seq;
          conv.info.isnFromSyn[this.dirOf(conv.info, src, sp)] = true;
        }
      }
    }
    const info = conv.info;
    const d = this.dirOf(info, src, sp);
    const fwd = conv.flows[d], rev = conv.flows[1 - d];

    if (this.dedupe) {
      const original = this.findOriginal(cols, conv, row, now);
      if (original >= 0) {
        this.copyRow(original, row);
        info.lastFrame = row;
        return;
      }
      conv.recent ??= new Int32Array(RECENT).fill(-1);
      conv.recent[conv.recentNext] = row;
      conv.recentNext = (conv.recentNext + 1) % RECENT;
    }

    // Relative-number bases (R1, R2).
    if (!fwd.baseSet) {
      fwd.baseSet = true;
      fwd.baseSeq = (tf & SYN) !== 0 ? seq : (seq - 1) >>> 0;
      info.isn[d] = fwd.baseSeq;
      info.isnFromSyn[d] = (tf & SYN) !== 0;
    }
    if (!rev.baseSet && (tf & ACK) !== 0) {
      rev.baseSet = true;
      rev.baseSeq = (ack - 1) >>> 0;
      info.isn[1 - d] = rev.baseSeq;
    }

    // State before this packet, kept for the "why" record.
    const fNext0 = fwd.nextseq, fWin0 = fwd.window;
    const rLastack0 = rev.lastack, rMax0 = rev.maxSeqToBeAcked, rDup0 = rev.dupAckNum;
    let revWindowBytes = 0, dtRev = -1, dtNext = -1;
    const ruleOf = this.slots;
    ruleOf.fill(0);

    const noSfr = (tf & (SYN | FIN | RST)) === 0;
    if ((tf & ACK) !== 0) rev.validBif = true;

    let dupNum = 0, dupFrame = -1;
    fwdChecks: {
      if (len === 1 && seq === fwd.nextseq && rev.window === 0) {
        ta |= FB_ZeroWindowProbe; ruleOf[bitIndex(FB_ZeroWindowProbe)] = Rule.ZwpNextByte;
        break fwdChecks;
      }
      if (win === 0 && noSfr) { ta |= FB_ZeroWindow; ruleOf[bitIndex(FB_ZeroWindow)] = Rule.ZeroWindow; }
      if (fwd.nextseq !== 0 && gt(seq, fwd.nextseq) && (tf & RST) === 0) {
        ta |= FB_LostSegment; ruleOf[bitIndex(FB_LostSegment)] = Rule.LostSeqAboveNext;
        fwd.validBif = false;
      }
      if ((len === 0 || len === 1) && seq === ((fwd.nextseq - 1) >>> 0) && noSfr) {
        ta |= FB_KeepAlive; ruleOf[bitIndex(FB_KeepAlive)] = Rule.KeepAliveSeqBelowNext;
      }
      const sameAckSeq = len === 0 && seq === fwd.nextseq && ack === fwd.lastack && noSfr;
      if (sameAckSeq && win !== 0 && win !== fwd.window) {
        ta |= FB_WindowUpdate; ruleOf[bitIndex(FB_WindowUpdate)] = Rule.WindowUpdateChanged;
      }
      if (len > 0 && rev.winScale !== -1 && rev.window >= 0 && noSfr) {
        const shift = rev.isFirstAck || rev.winScale === -2 ? 0 : rev.winScale;
        revWindowBytes = rev.window * 2 ** shift;
        if (((seq + len) >>> 0) === ((rev.lastack + revWindowBytes) >>> 0)) {
          ta |= FB_WindowFull; ruleOf[bitIndex(FB_WindowFull)] = Rule.WindowFullRightEdge;
        }
      }
      if (sameAckSeq && win !== 0 && win === fwd.window && (rev.lastSegmentFlags & FB_KeepAlive) !== 0) {
        ta |= FB_KeepAliveAck; ruleOf[bitIndex(FB_KeepAliveAck)] = Rule.KeepAliveAckRepeats;
        break fwdChecks;
      }
      if (len === 0 && win === 0 && win === fwd.window && seq === fwd.nextseq && noSfr &&
          (ack === fwd.lastack || ack === ((fwd.lastack + 1) >>> 0)) && (rev.lastSegmentFlags & FB_ZeroWindowProbe) !== 0) {
        ta |= FB_ZeroWindowProbeAck; ruleOf[bitIndex(FB_ZeroWindowProbeAck)] = Rule.ZwpAckRepeats;
        if (ack === ((fwd.lastack + 1) >>> 0)) {
          // The receiver took the probe byte.
          rev.nextseq = ack;
          rev.maxSeqToBeAcked = ack;
        }
        break fwdChecks;
      }
      if (sameAckSeq && win !== 0 && win === fwd.window) {
        fwd.dupAckNum++;
        ta |= FB_DuplicateAck; ruleOf[bitIndex(FB_DuplicateAck)] = Rule.DupAckRepeats;
        dupNum = fwd.dupAckNum;
        dupFrame = fwd.lastNonDupAck;
      }
    }

    // finished_fwd: a new ACK value restarts the duplicate-ACK run.
    if (ack !== fwd.lastack) {
      fwd.lastNonDupAck = row;
      fwd.dupAckNum = 0;
    }

    if (rev.maxSeqToBeAcked !== 0 && gt(ack, rev.maxSeqToBeAcked) && (tf & ACK) !== 0) {
      if (ack === ((fwd.lastack + 1) >>> 0) && seq === fwd.nextseq && (rev.lastSegmentFlags & FB_ZeroWindowProbe) !== 0) {
        rev.nextseq = ack;
        rev.maxSeqToBeAcked = ack;
        ta |= FB_WindowUpdate; ruleOf[bitIndex(FB_WindowUpdate)] = Rule.WindowUpdateZwpAccepted;
      } else {
        ta |= FB_AckLostSegment; ruleOf[bitIndex(FB_AckLostSegment)] = Rule.AckLostAboveMax;
        rev.maxSeqToBeAcked = rev.nextseq;
      }
    }

    // Retransmission family.
    let segEnd = (seq + len) >>> 0;
    if ((tf & (SYN | FIN)) !== 0) segEnd = (segEnd + 1) >>> 0;
    if ((len > 0 || (tf & (SYN | FIN)) !== 0) && (ta & FB_KeepAlive) === 0) {
      let notAdvanced = fwd.nextseq !== 0 && lt(seq, fwd.nextseq);
      // A segment starting at a previous zero-window-probe byte but adding data is new data.
      if (len > 1 && seq === ((fwd.nextseq - 1) >>> 0)) notAdvanced = false;
      // Wireshark 4.0 computes these differences unsigned: a clock going backwards gives a huge value.
      dtRev = now - rev.lastackTime;
      if (dtRev < 0) dtRev = Number.MAX_SAFE_INTEGER;
      dtNext = now - fwd.nextseqTime;
      if (dtNext < 0) dtNext = Number.MAX_SAFE_INTEGER;
      const thres = conv.irttNs !== 0 ? conv.irttNs : DEFAULT_OOO_NS;
      if (len > 0 && rev.lastack !== 0 && le((seq + len) >>> 0, rev.lastack)) {
        ta |= FB_SpuriousRetransmission | FB_Retransmission;
        ruleOf[bitIndex(FB_SpuriousRetransmission)] = Rule.SpuriousAlreadyAcked;
      } else if (notAdvanced && rev.dupAckNum >= 2 && rev.lastack === seq && dtRev < FAST_RETRANS_NS) {
        ta |= FB_FastRetransmission | FB_Retransmission;
        ruleOf[bitIndex(FB_FastRetransmission)] = Rule.FastRetransDupAcks;
      } else if (notAdvanced && dtNext < thres && fwd.nextseq !== segEnd) {
        ta |= FB_OutOfOrder; ruleOf[bitIndex(FB_OutOfOrder)] = Rule.OutOfOrderSoonAfterHighest;
      } else if (notAdvanced) {
        ta |= FB_Retransmission; ruleOf[bitIndex(FB_Retransmission)] = Rule.RetransSeqBelowNext;
      }
    }

    // Bookkeeping.
    const nextseq = segEnd;
    if ((len > 0 || (tf & (SYN | FIN)) !== 0) && fwd.segmentCount < MAX_UNACKED) fwd.pushSegment(row, seq, nextseq, now);
    const isZwp = (ta & FB_ZeroWindowProbe) !== 0;
    if ((gt(nextseq, fwd.nextseq) || fwd.nextseq === 0) && !isZwp) {
      fwd.lastAckLen = len;
      fwd.nextseq = nextseq;
      fwd.nextseqFrame = row;
      fwd.nextseqTime = now;
    }
    if ((seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) && !isZwp) fwd.maxSeqToBeAcked = fwd.nextseq;
    fwd.window = win;
    fwd.lastack = ack;
    fwd.lastackTime = now;
    fwd.lastSegmentFlags = ta;

    rev.applyAck(ack);
    if (rev.ackedFrame >= 0) {
      out.acksFrame[row] = rev.ackedFrame;
      out.ackRtt[row] = (now - rev.ackedTime) / 1e9;
    }
    if (len !== 0 && fwd.segmentCount > 0 && fwd.validBif) {
      // The SYN/FIN bit is not a byte in flight; bytes the receiver reported by SACK have arrived.
      let inFlight = fwd.unackedSpan() - ((tf & (SYN | FIN)) !== 0 ? 1 : 0);
      for (let k = 0; k < rev.sackCount; k++) inFlight -= (rev.sackRe[k] - rev.sackLe[k]) >>> 0;
      if (inFlight > 0 && inFlight < 2e9) out.bytesInFlight[row] = inFlight;
    }

    // Options are looked at after the analysis, as Wireshark does.
    if ((tf & SYN) !== 0) {
      if (cols.mss[row] > 0) { fwd.mss = cols.mss[row]; info.mss[d] = cols.mss[row]; }
      if (cols.wscale[row] >= 0) fwd.winScale = Math.min(cols.wscale[row], 14);
      if (cols.sackPerm[row]) info.sackPermitted = true;
      if (fwd.winScale === -1) {
        fwd.winScale = -2;
        rev.winScale = -2;
      } else if (synFlags === (SYN | ACK) && rev.winScale === -2) {
        fwd.winScale = -2;
      }
      fwd.isFirstAck = true;
      info.wscale[d] = fwd.winScale;
      info.wscale[1 - d] = rev.winScale;
    }
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
    if ((tf & SYN) === 0 && (tf & ACK) !== 0) fwd.isFirstAck = false;

    // Handshake RTT: SYN → first ACK without SYN.
    if (synFlags === SYN) conv.mruSynNs = now;
    if (synFlags === ACK && conv.mruSynNs >= 0 && conv.irttNs === 0) {
      conv.irttNs = now - conv.mruSynNs;
      info.irtt = conv.irttNs / 1e9;
    }

    // Per-row output.
    out.stream[row] = info.index;
    out.dir[row] = d;
    out.seq[row] = (seq - fwd.baseSeq) >>> 0;
    out.ack[row] = (tf & ACK) !== 0 ? (ack - rev.baseSeq) >>> 0 : ack;
    out.nxtseq[row] = (nextseq - fwd.baseSeq) >>> 0;
    out.window[row] = (tf & SYN) === 0 && fwd.winScale >= 0 ? win * 2 ** fwd.winScale : win;
    out.flags[row] = ta;
    if ((ta & FB_DuplicateAck) !== 0) {
      out.dupAckNum[row] = dupNum;
      out.dupAckFrame[row] = dupFrame;
    }

    // Stream summary.
    info.packets++;
    info.packetsDir[d]++;
    info.bytesDir[d] += len;
    info.lastFrame = row;
    info.lastTime = cols.time(row);
    if (synFlags === SYN) { info.synSeen = true; info.completeness |= Completeness.Syn; }
    if (synFlags === (SYN | ACK)) { info.synAckSeen = true; info.completeness |= Completeness.SynAck; }
    if (synFlags === ACK && (info.completeness & Completeness.SynAck) !== 0) info.completeness |= Completeness.Ack;
    if (len > 0) info.completeness |= Completeness.Data;
    if ((tf & FIN) !== 0) { info.finSeen[d] = true; info.completeness |= Completeness.Fin; }
    if ((tf & RST) !== 0) { info.rstSeen[d] = true; info.completeness |= Completeness.Rst; }

    if (ta !== 0) {
      for (let b = ta; b !== 0; b &= b - 1) info.flagCounts[bitIndex(b & -b)]++;
      const k = out.newWhy(row);
      out.whyRules.set(ruleOf, k * WHY_RULES_STRIDE);
      if (reusedRule !== Rule.None) out.whyRules[k * WHY_RULES_STRIDE + bitIndex(FB_ReusedPorts)] = reusedRule;
      const v = out.whyValues, o = k * WHY_STRIDE;
      v[o + WhyValue.Seq] = (seq - fwd.baseSeq) >>> 0;
      v[o + WhyValue.NextSeq] = (fNext0 - fwd.baseSeq) >>> 0;
      v[o + WhyValue.Ack] = (ack - rev.baseSeq) >>> 0;
      v[o + WhyValue.Window] = win;
      v[o + WhyValue.PrevWindow] = fWin0;
      v[o + WhyValue.RevAck] = (rLastack0 - fwd.baseSeq) >>> 0;
      v[o + WhyValue.RevWindowBytes] = revWindowBytes;
      v[o + WhyValue.RevDupAcks] = rDup0;
      v[o + WhyValue.DtRevNs] = dtRev;
      v[o + WhyValue.DtNextNs] = dtNext;
      v[o + WhyValue.ThresholdNs] = conv.irttNs !== 0 ? conv.irttNs : DEFAULT_OOO_NS;
      v[o + WhyValue.ThresholdFromIrtt] = conv.irttNs !== 0 ? 1 : 0;
      v[o + WhyValue.MaxSeen] = (rMax0 - rev.baseSeq) >>> 0;
      v[o + WhyValue.PrevStream] = prevStream;
      v[o + WhyValue.Len] = len;
    }
  }

  private dirOf(info: TcpStreamInfo, src: number, sp: number): 0 | 1 {
    return src === info.addrA && sp === info.portA ? 0 : 1;
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
