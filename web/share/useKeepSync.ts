/**
 * Kept captures and the page, kept in step: a capture that finished loading is copied into the
 * browser's store when keeping is on, and so is another capture point's; a link waiting for its
 * capture, or for another point's, reopens it from the store.
 */
import { useEffect } from 'react';
import { usePoints } from '../points/pointsStore';
import { currentFile, openFile, useSession } from '../store/session';
import { findKept, keepCapture, refreshKept, useKeep } from './keep';
import { giveLinkPoint } from './linkPoints';
import { useLink } from './linkStore';

/** Fingerprint a reopen was last tried for: a failed or dismissed reopen is not retried in a loop. */
let tried: string | null = null;

async function reopenForLink(): Promise<void> {
  const { pending } = useLink.getState();
  const { status, summary } = useSession.getState();
  if (!pending || summary || status === 'loading' || tried === pending.capture.fingerprint) return;
  tried = pending.capture.fingerprint;
  try {
    const file = await findKept(pending.capture.fingerprint);
    // The user may have dropped a file meanwhile: theirs wins.
    if (file && !useSession.getState().summary && useSession.getState().status !== 'loading') await openFile(file);
  } catch (e) {
    useKeep.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Fingerprint a point's reopen was last tried for (same reason as `tried`). */
let triedPoint: string | null = null;

async function reopenPointForLink(): Promise<void> {
  const { needPoint, pointStatus } = useLink.getState();
  if (!needPoint || pointStatus === 'loading' || triedPoint === needPoint.ref.fingerprint) return;
  triedPoint = needPoint.ref.fingerprint;
  try {
    const file = await findKept(needPoint.ref.fingerprint);
    if (file && useLink.getState().needPoint === needPoint) await giveLinkPoint(file);
  } catch (e) {
    useKeep.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** The other capture point, once matched, is kept like the open capture. */
function keepPoint(): void {
  const p = usePoints.getState();
  const file = p.files[1], fingerprint = p.view?.points[1]?.fingerprint;
  if (p.status === 'ready' && file && fingerprint) void keepCapture(file, fingerprint);
}

function keepOpened(): void {
  const { status, summary } = useSession.getState();
  const file = currentFile();
  // A cancelled read has no fingerprint; a file taken from the store is already there (keepCapture checks).
  if (status === 'ready' && summary?.fingerprint && !summary.cancelled && file) void keepCapture(file, summary.fingerprint);
}

export function useKeepSync(): void {
  useEffect(() => {
    if (!useKeep.getState().available) return;
    void refreshKept().then(reopenForLink);
    const offLink = useLink.subscribe((s, prev) => {
      if (s.pending !== prev.pending) void reopenForLink();
      if (s.needPoint !== prev.needPoint) void reopenPointForLink();
    });
    const offPoints = usePoints.subscribe((s, prev) => { if (s.view !== prev.view) keepPoint(); });
    const offSession = useSession.subscribe((s, prev) => { if (s.summary !== prev.summary) keepOpened(); });
    // Turning keeping on keeps the capture already open.
    const offKeep = useKeep.subscribe((s, prev) => {
      if (s.enabled && !prev.enabled) { keepOpened(); keepPoint(); }
    });
    return () => {
      offLink();
      offPoints();
      offSession();
      offKeep();
    };
  }, []);
}
