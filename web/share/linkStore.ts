/**
 * What the page knows about the link it was opened with: waiting for its capture, a capture that
 * does not match, an unreadable link, or a snapshot to show without a capture.
 */
import { create } from 'zustand';
import type { ShareError } from '../../src/share/errors';
import type { ShareState } from '../../src/share/state';

export interface Mismatch {
  gotName: string;
  gotSize: number;
  gotFingerprint: string;
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
  dismiss(): void;
}

export const useLink = create<LinkStatus>()((set) => ({
  pending: null,
  mismatch: null,
  error: null,
  upgradedFrom: null,
  streamMissing: null,
  dismiss: () => set({ pending: null, mismatch: null, error: null, upgradedFrom: null, streamMissing: null }),
}));
