/**
 * The chart window a finding, or a stream's data, opens at. The packets that tell the story should
 * fill the chart: a refused connection (SYN and RST 4.5 ms apart) used to open padded by at least
 * 50 ms a side, which left its two marks squashed into a corner of a 55 ms window; a transfer of a
 * second followed by a keep-alive a minute later used to open over the minute, the whole transfer
 * one vertical line at the left edge.
 */
import type { StreamRowView } from '../worker/protocol';
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
 * The window showing packets from `t0` to `t1` (seconds since the capture start) with a modest
 * margin. It never starts before the capture does (time 0): the margin before packets near the
 * start is cut there, so the first packet of the capture sits on the axis rather than the window
 * showing time when nothing was captured. Null for times that are not a span.
 */
export function findingWindow(t0: number, t1: number): TimeWindow | null {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) return null;
  // Packets before the first frame (a merged capture's clocks disagree) keep their margin.
  const floor = t0 < 0 ? -Infinity : 0;
  if (t1 === t0) {
    // Centred, except near the capture start.
    const from = Math.max(t0 - ONE_PACKET_WIDTH / 2, floor);
    return { t0: from, t1: from + ONE_PACKET_WIDTH };
  }
  const pad = Math.max((t1 - t0) * FINDING_MARGIN, MIN_MARGIN);
  return { t0: Math.max(t0 - pad, floor), t1: t1 + pad };
}

/** Where a stream opened from the stream table looks first. */
export interface StreamOpening {
  stream: number;
  dir: 0 | 1;
  /** Null: the whole stream (it carried no data). */
  zoom: TimeWindow | null;
}

/**
 * A stream opens on the direction that carries its data, over the time the data moved (first to
 * last data segment, with the margin a finding gets): not over a keep-alive or a FIN long after.
 * "Reset zoom" still shows the whole stream.
 */
export function streamOpening(row: Pick<StreamRowView, 'index' | 'dataDir' | 'dataSpan'>): StreamOpening {
  const span = row.dataSpan;
  return { stream: row.index, dir: row.dataDir, zoom: span ? findingWindow(span[0], span[1]) : null };
}
