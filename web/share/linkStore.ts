/**
 * What the page knows about the link it was opened with: waiting for its capture, a capture that
 * does not match, an unreadable link, or a snapshot to show without a capture.
 */
import { create } from 'zustand';
import type { PointRef, ShareError, ShareState } from '../../src/share/index';

export interface Mismatch {
  gotName: string;
  gotSize: number;
  gotFingerprint: string;
}

/** Another capture point the applied link names, asked for once its first capture matched. */
export interface NeededPoint {
  ref: PointRef;
  /** The link's name for point 0. */
  point0?: string;
  /** Its place on the path (1 = the next point). */
  index: number;
}

export interface LinkStatus {
  /** A link whose view is not applied yet (its capture is not open). */
  pending: ShareState | null;
  /** The open capture is not the link's. */
  mismatch: Mismatch | null;
  /** The link could not be read. */
  error: ShareError | null;
  /** Set when the link was older than today's format. */
  upgradedFrom: number | null;
  /** The capture matched, but the link's stream was not found in it. */
  streamMissing: number | null;
  /** The link's other capture point, not loaded yet. */
  needPoint: NeededPoint | null;
  /** Reading the file given for it. */
  pointStatus: 'idle' | 'loading';
  /** The file given for it was another one (not added), or could not be read. */
  pointMismatch: Mismatch | null;
  pointError: string | null;
  dismiss(): void;
}

export const useLink = create<LinkStatus>()((set) => ({
  pending: null,
  mismatch: null,
  error: null,
  upgradedFrom: null,
  streamMissing: null,
  needPoint: null,
  pointStatus: 'idle',
  pointMismatch: null,
  pointError: null,
  dismiss: () => set({ pending: null, mismatch: null, error: null, upgradedFrom: null, streamMissing: null, needPoint: null, pointStatus: 'idle', pointMismatch: null, pointError: null }),
}));
