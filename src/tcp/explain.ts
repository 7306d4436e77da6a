/**
 * Turn the reason record of a flagged row into sentences: for each flag, the rule that fired and
 * the numbers it compared. Allocates (called on demand, e.g. when the user opens a packet).
 */
import type { PacketColumns } from '../decode/columns';
import type { TcpOutput } from './output';
import { WhyValue, WHY_STRIDE, WHY_RULES_STRIDE } from './output';
import { TCP_RULES } from './rules';
import { TCP_FLAG_NAMES } from './types';

export interface TcpExplanation {
  /** tshark field name after "tcp.analysis.", e.g. "retransmission". */
  flag: string;
  /** Stable rule id, e.g. "retrans.seq-below-next". */
  rule: string;
  /** English sentence. */
  text: string;
  values: Record<string, number>;
}

interface Explainable {
  readonly out: TcpOutput;
  readonly columns: PacketColumns | null;
}

const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;

export function explainRow(a: Explainable, row: number): TcpExplanation[] {
  const out = a.out;
  if (row < 0 || row >= out.length) return [];
  const k = out.whyIndex[row];
  if (k < 0) return [];
  const v = out.whyValues.subarray(k * WHY_STRIDE, (k + 1) * WHY_STRIDE);
  const len = v[WhyValue.Len];
  const values: Record<string, number> = {
    seq: v[WhyValue.Seq],
    len,
    end: (v[WhyValue.Seq] + len) >>> 0,
    nextseq: v[WhyValue.NextSeq],
    gap: (v[WhyValue.Seq] - v[WhyValue.NextSeq]) >>> 0,
    ack: v[WhyValue.Ack],
    window: v[WhyValue.Window],
    prevWindow: v[WhyValue.PrevWindow],
    revAck: v[WhyValue.RevAck],
    revWindowBytes: v[WhyValue.RevWindowBytes],
    revDupAcks: v[WhyValue.RevDupAcks],
    dtMs: ms(v[WhyValue.DtRevNs]),
    thresholdMs: ms(v[WhyValue.ThresholdNs]),
    maxSeen: v[WhyValue.MaxSeen],
    prevStream: v[WhyValue.PrevStream],
    dupNum: out.dupAckNum[row],
    dupFrame: out.dupAckFrame[row] + 1,
    rtoMs: ms(v[WhyValue.DtNextNs]),
    // 1: the out-of-order threshold is the handshake's RTT; 0: the default (the text's {thresholdKind}).
    thresholdFromIrtt: v[WhyValue.ThresholdFromIrtt] ? 1 : 0,
  };
  const result: TcpExplanation[] = [];
  for (let bit = 0; bit < TCP_FLAG_NAMES.length; bit++) {
    const r = out.whyRules[k * WHY_RULES_STRIDE + bit];
    if (r === 0 || (out.flags[row] & (1 << bit)) === 0) continue;
    const rule = TCP_RULES[r];
    const vals = { ...values };
    // Out-of-order measures from the highest segment, fast retransmission from the receiver's last packet.
    if (rule.id === 'ooo.soon-after-highest') vals.dtMs = ms(v[WhyValue.DtNextNs]);
    const kind = v[WhyValue.ThresholdFromIrtt] ? 'handshake RTT' : 'default used when the handshake was not captured';
    const text = rule.text.replace(/\{(\w+)\}/g, (_m, name: string) =>
      name === 'thresholdKind' ? kind : name in vals ? String(vals[name]) : `{${name}}`);
    result.push({ flag: TCP_FLAG_NAMES[bit], rule: rule.id, text, values: vals });
  }
  return result;
}
