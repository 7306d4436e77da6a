/**
 * The chart's segment marks, declared once: for each look a data segment can take, the SegFlag bits
 * that give it (src/view/seriesTypes.ts), its class (coloured in chart.css), whether its I-beam is
 * drawn bold, and its legend entry (words under chart.legend in web/i18n); and the words a tooltip
 * uses for each flag (chart.flag). ChartMarks draws, ChartLegend lists and ChartTooltip names
 * segments from these tables only. Adding a segment mark: see web/README.md.
 */
import { AckFlag, SegFlag } from '../../src/view/index';

export interface SegmentLook {
  /** Class after `seg` (chart.css: `.seqchart .seg.<id>`), and the legend's `legend-<id>` test id. */
  id: string;
  /** A segment with any of these bits takes this look; the first look of SEGMENT_LOOKS that matches wins. */
  flags: number;
  /** Drawn with wide caps, as an event (plain and merged segments are narrower). */
  bold: boolean;
  /**
   * Legend entry: its message key under chart.legend (`{{mtu}}` is the path MTU; `keyNoMtu` when none
   * is set), and `rare`: listed only when the view holds such a segment (else dimmed when absent).
   */
  legend?: { key: string; keyNoMtu?: string; rare: boolean };
}

/**
 * In drawing precedence: a segment both retransmitted and oversized is drawn oversized. The legend
 * lists the entries in LEGEND_ORDER.
 */
export const SEGMENT_LOOKS: readonly SegmentLook[] = [
  { id: 'oversized', flags: SegFlag.Oversized, bold: true, legend: { key: 'oversized', keyNoMtu: 'oversizedNoMtu', rare: false } },
  { id: 'spurious', flags: SegFlag.SpuriousRetransmission, bold: true, legend: { key: 'spurious', rare: true } },
  { id: 'fast', flags: SegFlag.FastRetransmission, bold: true, legend: { key: 'fast', rare: true } },
  { id: 'retrans', flags: SegFlag.Retransmission, bold: true, legend: { key: 'retransmission', rare: false } },
  { id: 'ooo', flags: SegFlag.OutOfOrder, bold: true, legend: { key: 'ooo', rare: true } },
  // A packet captured twice, or the bytes seen again through segmentation offload: no retransmission.
  { id: 'copy', flags: SegFlag.Copy | SegFlag.Offload, bold: true, legend: { key: 'copy', rare: true } },
  { id: 'lost', flags: SegFlag.LostSegment, bold: true, legend: { key: 'lost', rare: true } },
  // ZeroWindow: only on the graphs' marks (a receiver ACK closing the window), drawn like the probes it calls for.
  { id: 'probe', flags: SegFlag.KeepAlive | SegFlag.ZeroWindowProbe | SegFlag.ZeroWindow, bold: true },
  { id: 'ctl', flags: SegFlag.Syn | SegFlag.Fin | SegFlag.Rst, bold: true },
  { id: 'envelope', flags: SegFlag.Envelope, bold: false },
];

/** The order segment looks appear in the legend, after the plain data segment. */
export const LEGEND_ORDER: readonly string[] = ['retrans', 'fast', 'spurious', 'ooo', 'lost', 'copy', 'oversized'];

/** The look of a segment with flags `f`; null for a plain data segment. */
export function segmentLook(f: number): SegmentLook | null {
  for (const look of SEGMENT_LOOKS) if (f & look.flags) return look;
  return null;
}

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
  [SegFlag.ZeroWindow, 'zero_window'],
  [SegFlag.WindowFull, 'window_full'],
  [SegFlag.Syn, 'syn'],
  [SegFlag.Fin, 'fin'],
  [SegFlag.Rst, 'rst'],
  [SegFlag.Psh, 'psh'],
];

/** ACK flags in the order a tooltip lists them, with their message keys under chart.flag. */
export const ACK_FLAG_KEYS: readonly [number, string][] = [
  [AckFlag.DuplicateAck, 'dup_ack'],
  [AckFlag.ZeroWindow, 'zero_window'],
  [AckFlag.AckLostSegment, 'ack_lost_segment'],
  [AckFlag.WindowUpdate, 'window_update'],
  [AckFlag.Sack, 'sack'],
];
