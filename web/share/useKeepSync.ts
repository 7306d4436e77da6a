/**
 * Kept captures and the page, kept in step: a capture that finished loading is copied into the
 * browser's store when keeping is on; a link waiting for its capture reopens it from the store.
 */
import { useEffect } from 'react';
import { currentFile, openFile, useSession } from '../store/session';
import { findKept, keepCapture, refreshKept, useKeep } from './keep';
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
    const offLink = useLink.subscribe((s, prev) => { if (s.pending !== prev.pending) void reopenForLink(); });
    const offSession = useSession.subscribe((s, prev) => { if (s.summary !== prev.summary) keepOpened(); });
    // Turning keeping on keeps the capture already open.
    const offKeep = useKeep.subscribe((s, prev) => { if (s.enabled && !prev.enabled) keepOpened(); });
    return () => {
      offLink();
      offSession();
      offKeep();
    };
  }, []);
}
