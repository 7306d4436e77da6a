/**
 * What a permalink says: which capture, which stream (identified so that it survives re-analysis),
 * which direction, which time window, frame and finding, the path MTU setting and the language.
 * Everything but the capture is optional: a link may point at a whole capture or at one frame.
 */
import type { GraphKind } from '../view/graphTypes';
import type { Endpoint } from './endpoint.js';
import type { WireDirection, Lang, SeriesSnapshot } from './snapshot.js';

export interface CaptureRef {
  /** Lower-case hex prefix (32..64 digits) of the SHA-256 of the capture file's bytes. */
  fingerprint: string;
  /** File name, shown to tell the recipient which file the link needs. */
  name?: string;
  /** File size in bytes, same purpose. */
  size?: number;
  /** The name the user gave this capture as capture point 0 (format v3); absent without points. */
  point?: string;
}

/**
 * Another capture point of the same traffic (format v3): the recipient is asked for its file too,
 * recognised by its fingerprint like the first, so that a cross-point finding opens as it was shared.
 */
export interface PointRef {
  /** Lower-case hex prefix (32..64 digits) of the point file's fingerprint. */
  fingerprint: string;
  /** File name and size, to tell the recipient which file is needed. */
  name?: string;
  size?: number;
  /** The name the user gave the point ("pod"): the findings speak with it. */
  point?: string;
}

export interface StreamRef {
  /** Stream index in this app's numbering: a hint, checked against the tuple when both are known. */
  index: number;
  /** Endpoint A (sender of the stream's first packet) and B; absent in links from format v1. */
  a?: Endpoint;
  b?: Endpoint;
  /** Raw initial sequence numbers of A and B (null when unknown): tell apart reuses of one 5-tuple. */
  isn?: [number | null, number | null];
}

export interface GraphChoiceRef {
  kind: GraphKind;
  /** Seconds, above 0 and at most MAX_GRAPH_AVERAGE (fields.ts), held to microseconds. */
  average?: number;
}

export interface ShareState {
  capture: CaptureRef;
  /** The other capture points (point 1, 2, …), in path order; absent or non-empty. */
  points?: PointRef[];
  stream?: StreamRef;
  /** The data sender the chart looks at. */
  direction?: WireDirection;
  /** Chart window in seconds since the capture's first frame, held to microseconds. */
  window?: { t0: number; t1: number };
  /** Selected frame (1-based). */
  frame?: number;
  /** Finding id as the diagnosis names it. */
  finding?: string;
  /**
   * The stream graph under the chart (format v4): its kind, and for throughput the moving average's
   * window in seconds (absent: automatic). Absent: the link says nothing about a graph.
   */
  graph?: GraphChoiceRef;
  /** Path MTU chosen by the user for marking oversized packets; absent: the one the capture reveals. */
  mtu?: number;
  lang?: Lang;
  /** Evidence carried in the link itself, for recipients without the capture. */
  snapshot?: SeriesSnapshot;
}
