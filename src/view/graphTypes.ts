/**
 * What the stream graphs under the time-sequence chart draw (throughput and goodput, RTT samples,
 * receive window against bytes in flight) for one direction of one stream in a time window,
 * decimated in the worker to the plot's pixel width like the sequence chart's series. Typed arrays
 * only, so the answer is transferred, never copied. Built by `streamGraph` (src/view/graphs.ts).
 */

export type GraphKind = 'throughput' | 'rtt' | 'window';
export const GRAPH_KINDS: readonly GraphKind[] = ['throughput', 'rtt', 'window'];

export interface GraphOptions {
  stream: number;
  /** Direction of the data examined: 0 = A→B, 1 = B→A (the ACKs are the other direction's). */
  dir: number;
  kind: GraphKind;
  /** Seconds since the capture start; a non-finite or empty window means the whole stream. */
  t0: number;
  t1: number;
  /** Width of the plot in pixels: the decimation's column count. */
  pixels: number;
  /**
   * Throughput only: the moving average's window in seconds; 0 chooses one (about a round trip,
   * never narrower than a bin).
   */
  average: number;
  /**
   * Throughput only: the bins' width in seconds; absent or 0 chooses a 1-2-5 step a few pixels wide.
   * Bins are aligned on the capture start either way (bin k covers [k·w, (k+1)·w)).
   */
  binWidth?: number;
}

/** A time series of points (decimated: per pixel column the first, last, minimum and maximum kept). */
export interface GraphPoints {
  count: number;
  /** Seconds since the capture start. */
  time: Float64Array;
  value: Float64Array;
  /** 1-based frame the point comes from (0: none, e.g. a bin). */
  frame: Uint32Array;
}

export interface StreamGraph {
  stream: number;
  dir: number;
  kind: GraphKind;
  /** The time window served and the pixel width it was decimated for. */
  t0: number;
  t1: number;
  pixels: number;
  /** Rows of the direction inside the window before decimation; `decimated` when points were merged. */
  rowsInWindow: number;
  decimated: boolean;
  /**
   * kind 'throughput': bits per second per bin of `binWidth` seconds starting at `binT0`:
   * `series[0]` every byte of data sent (retransmissions included), `series[1]` goodput (bytes
   * delivered for the first time, by the fates), `series[2]` the moving average of series[0] over
   * `average` seconds (centred on each bin). Bins: time = the bin's start, frame 0. kind 'rtt':
   * `series[0]` the RTT samples in seconds, at the ACK that gave each (timed from the segment that
   * carried the highest byte it newly covers; Karn's rule at the capture point: none when those
   * bytes passed it twice; SACK blocks, the SYN and the FIN give samples too), frame = the ACK.
   * kind 'window': `series[0]` the receiver's advertised window (scaled) in bytes at each ACK,
   * `series[1]` bytes in flight at each data segment, frame = the packet.
   */
  series: GraphPoints[];
  binT0: number;
  binWidth: number;
  /** kind 'throughput': the moving average's window used, in seconds (0 otherwise). */
  average: number;
  /**
   * Largest value of any series over the whole stream (a stable y axis while zooming). Throughput:
   * the largest bin or average at the bin width served, so it stays while panning and changes only
   * when a zoom steps the bin width (finer bins show higher peaks).
   */
  yMax: number;
  /**
   * Retransmissions and events, drawn as on the sequence chart: time, frame and SegFlag bits (the
   * data segments' flags with the fates applied; SegFlag.ZeroWindow for an ACK of the receiver
   * advertising a zero window, SegFlag.Rst also for the receiver's reset).
   */
  markCount: number;
  markTime: Float64Array;
  markFrame: Uint32Array;
  markFlags: Uint32Array;
}

/** The buffers to list in postMessage's transfer list. */
export function graphTransferables(g: StreamGraph): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of g.series) out.push(s.time.buffer as ArrayBuffer, s.value.buffer as ArrayBuffer, s.frame.buffer as ArrayBuffer);
  out.push(g.markTime.buffer as ArrayBuffer, g.markFrame.buffer as ArrayBuffer, g.markFlags.buffer as ArrayBuffer);
  return out;
}
