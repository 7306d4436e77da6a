/**
 * A snapshot of a finding's evidence: the chart's own series for one stream, one direction and one
 * time window (src/view/seriesTypes.ts: the same StreamSeries the worker hands the chart, so the
 * same chart component draws it), the two endpoints, and the finding with its text. It travels
 * inside a link so that somebody without the capture still sees the chart and reads the analysis.
 */
import type { StreamGraph } from '../view/graphTypes';
import type { StreamSeries } from '../view/seriesTypes';
import type { Severity } from '../diagnose/types';
import { LANGS, type Lang } from '../i18n/index';
import type { Direction } from '../types';
import type { Endpoint } from './endpoint.js';

export { LANGS, type Lang, type Severity };

/**
 * The data sender as links and snapshots write it: endpoint A (sender of the stream's first
 * packet) or B; the core's Direction (0 | 1) in the wire's letters, kept so old links still open.
 */
export type WireDirection = 'a' | 'b';

/** The wire's letter of a direction. */
export function wireDirection(d: Direction): WireDirection {
  return d === 0 ? 'a' : 'b';
}

/** The direction a wire letter names. */
export function directionOfWire(w: WireDirection): Direction {
  return w === 'b' ? 1 : 0;
}

export interface FindingText {
  title: string;
  /** Paragraphs of plain text (never markup): what happened. */
  body: string[];
  /** Paragraphs: what to do about it. */
  remedy: string[];
  /** Numbers that support the finding, as label/value pairs ready to show. */
  facts: [string, string][];
}

export interface SnapshotFinding {
  id: string;
  /** Diagnosis kind, e.g. "pmtu-blackhole". */
  kind: string;
  severity: Severity;
  /** Evidence frames (1-based). */
  frames: number[];
  /** The text in one or both languages. */
  text: Partial<Record<Lang, FindingText>>;
}

export interface SeriesSnapshot {
  stream: {
    /** Endpoint A sent the stream's first packet; B is the other one. */
    a: Endpoint;
    b: Endpoint;
    /** True when the capture holds the handshake, so A is known to be the client. */
    handshake: boolean;
  };
  /** What the chart draws; stream index, direction, window and path MTU are in it. Times are held to microseconds. */
  series: StreamSeries;
  finding: SnapshotFinding | null;
  /**
   * The stream graph shown under the chart (wire version 2), decimated for the same window and
   * width as `series`; absent when none was shown. Times and values are held to microseconds
   * (RTT), whole bits per second (throughput) and whole bytes (window).
   */
  graph?: StreamGraph;
  /** True once maskAddresses() has replaced the addresses with placeholders. */
  masked: boolean;
}

export function directionOf(series: StreamSeries): WireDirection {
  return wireDirection(series.dir === 0 ? 0 : 1);
}
