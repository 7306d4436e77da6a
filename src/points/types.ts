/**
 * Capture points: the same traffic seen at several places of its path (a node's NIC and the pod,
 * the client and the server, or the interfaces of one `-i any` capture). A point is an analysed
 * packet table, optionally restricted to a subset of its rows (one interface of a capture).
 */
import type { PacketColumns } from '../decode/columns';
import type { TcpView } from '../diagnose/types';
import type { Direction } from '../types';

export interface CapturePoint {
  /** What the user calls it ("node eth0", "pod", a file name). */
  name: string;
  cols: PacketColumns;
  tcp: TcpView;
  /** Rows of `cols` that belong to this point, ascending; all rows when absent. */
  rows?: ArrayLike<number>;
  /**
   * Points with the same clock group share one clock (interfaces of one capture): their offset is
   * 0 by construction and is not estimated.
   */
  clockGroup?: string;
}

/** One direction of one connection between two adjacent points, in the direction of travel. */
export interface HopFlow {
  /** Point the packets pass first, and the one they reach next. */
  from: number;
  to: number;
  /** Stream index and direction (0 = A→B of that capture's stream) at `from` and at `to`. */
  streamFrom: number;
  dirFrom: Direction;
  streamTo: number;
  dirTo: Direction;
  /** Packets of this flow seen at `from` (inside the window both points captured). */
  packets: number;
  matched: number;
  /** Rows at `from` never seen at `to` (the packets lost between them). */
  lost: number[];
  /** Rows at `to` that are extra copies of a packet seen once at `from`. */
  duplicated: number;
  /** Rows at `to` with no counterpart at `from` at all (made or changed in between). */
  unexplained: number;
  /** Packets that reached `to` in another order than they passed `from`. */
  reordered: number;
  /** One-way delay from `from` to `to`, seconds, after removing the clock offset; NaN when unknown. */
  delayMin: number;
  delayMedian: number;
}

/** The result of matching two adjacent points. */
export interface PointPair {
  a: number;
  b: number;
  /** Clock of b minus clock of a, seconds (add it to a's times to get b's). */
  offset: number;
  /** How the offset was found. */
  offsetMethod: 'same-clock' | 'two-way' | 'one-way' | 'none';
  /** Per row of a's table: the matching row of b's table, or -1. */
  matchA: Int32Array;
  /** Per row of b's table: the matching row of a's table, or -1. */
  matchB: Int32Array;
  matched: number;
  /** Connections paired: stream at a, stream at b, whether their A/B ends are swapped. */
  streams: { streamA: number; streamB: number; flipped: boolean; votes: number }[];
  flows: HopFlow[];
}

export interface PointSummary {
  name: string;
  /** Clock offset versus point 0, seconds. */
  offset: number;
  /** TCP packets of the point, and how many of them were matched at an adjacent point. */
  packets: number;
  matched: number;
}

export interface PointsResult {
  points: PointSummary[];
  /** pairs[i] matches point i with point i + 1. */
  pairs: PointPair[];
}
