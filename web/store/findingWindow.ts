/**
 * The chart window a finding opens at. The finding's own packets should fill the chart: a refused
 * connection (SYN and RST 4.5 ms apart) used to open padded by at least 50 ms a side, which left its
 * two marks squashed into a corner of a 55 ms window.
 */
import type { TimeWindow } from './uiStore';

/** Margin each side, as a share of the finding's span: its packets take about 5/6 of the width. */
export const FINDING_MARGIN = 0.1;

/**
 * Width of the window around a one-packet finding. There is no span to fit, and the whole stream
 * could bury the packet in minutes of traffic: a few milliseconds show it with its nearest
 * neighbours on a busy link, and alone (centred, not in a corner) on a quiet one.
 */
export const ONE_PACKET_WIDTH = 2e-3;

/**
 * Smallest margin: a window is written to links in whole microseconds, so a few of them keep the
 * edge packets off the axes of a finding only microseconds long.
 */
const MIN_MARGIN = 5e-6;

/**
 * The window showing a finding's packets from `t0` to `t1` (seconds since the capture start) with a
 * modest margin. The margin may reach before 0: a finding at the very start of the capture keeps its
 * first packet off the axis, as the whole-stream view does. Null for times that are not a span.
 */
export function findingWindow(t0: number, t1: number): TimeWindow | null {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) return null;
  if (t1 === t0) {
    // Centred, except at the capture start: no more of it before time 0 than a margin's worth.
    const from = Math.max(t0 - ONE_PACKET_WIDTH / 2, Math.min(t0, 0) - ONE_PACKET_WIDTH * FINDING_MARGIN);
    return { t0: from, t1: from + ONE_PACKET_WIDTH };
  }
  const pad = Math.max((t1 - t0) * FINDING_MARGIN, MIN_MARGIN);
  return { t0: t0 - pad, t1: t1 + pad };
}
