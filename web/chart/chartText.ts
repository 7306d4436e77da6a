/** Words and numbers of the chart: flag names (message keys), axis ticks, tooltip values. */
import { AckFlag, SegFlag } from '../../src/view/series';

/** Segment flags in the order a tooltip lists them, with their message keys under chart.flag. */
export const SEG_FLAG_KEYS: readonly [number, string][] = [
  [SegFlag.Oversized, 'oversized'],
  [SegFlag.Retransmission, 'retransmission'],
  [SegFlag.FastRetransmission, 'fast_retransmission'],
  [SegFlag.SpuriousRetransmission, 'spurious_retransmission'],
  [SegFlag.OutOfOrder, 'out_of_order'],
  [SegFlag.LostSegment, 'lost_segment'],
  [SegFlag.Copy, 'copy'],
  [SegFlag.Offload, 'offload'],
  [SegFlag.KeepAlive, 'keep_alive'],
  [SegFlag.ZeroWindowProbe, 'zero_window_probe'],
  [SegFlag.WindowFull, 'window_full'],
  [SegFlag.Syn, 'syn'],
  [SegFlag.Fin, 'fin'],
  [SegFlag.Rst, 'rst'],
  [SegFlag.Psh, 'psh'],
];

export const ACK_FLAG_KEYS: readonly [number, string][] = [
  [AckFlag.DuplicateAck, 'dup_ack'],
  [AckFlag.ZeroWindow, 'zero_window'],
  [AckFlag.AckLostSegment, 'ack_lost_segment'],
  [AckFlag.WindowUpdate, 'window_update'],
  [AckFlag.Sack, 'sack'],
];

export function flagKeys(bits: number, table: readonly [number, string][]): string[] {
  return table.filter(([b]) => bits & b).map(([, k]) => k);
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Byte counts and sequence numbers: digits grouped, as packet tools print them. */
export function fmtInt(v: number): string {
  return grouped.format(Math.round(v));
}

/** Axis ticks of sequence numbers: short (1.5M, 320k) once they get long. */
export function fmtSeqTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e5) return `${+(v / 1e3).toFixed(1)}k`;
  return fmtInt(v);
}

/** Seconds with the given decimals. */
export function fmtTime(t: number, decimals: number): string {
  return t.toFixed(decimals);
}

/** Seconds for a tooltip: microsecond precision, as capture time stamps usually have. */
export function fmtTimeExact(t: number): string {
  return t.toFixed(6);
}
