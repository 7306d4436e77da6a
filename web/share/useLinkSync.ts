/**
 * The address bar and the view, kept in step:
 * - on load and on hashchange, a link is read; its view waits until its capture is open, is applied
 *   at once when the open capture matches, and is never applied to another capture;
 * - afterwards the fragment follows the view through history.replaceState (one history entry, not
 *   one per zoom step), unless a link is still waiting for its capture.
 */
import { useEffect } from 'react';
import { fingerprintMatches, stateFromUrl, tryUrlFromState } from '../../src/share/index';
import { useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import { applyState, currentState } from './buildLink';
import { neededPoint } from './linkPoints';
import { useLink } from './linkStore';

/** Quiet time before the address bar is rewritten: a drag or a wheel zoom writes once, at its end. */
const WRITE_DELAY_MS = 300;

export function readLinkFromLocation(): void {
  const r = stateFromUrl(location.hash);
  if (!r.ok) {
    if (r.error.kind !== 'empty') useLink.setState({ error: r.error, pending: null, mismatch: null });
    return;
  }
  useLink.setState({ pending: r.state, error: null, mismatch: null, streamMissing: null, upgradedFrom: r.upgradedFrom ?? null, needPoint: null, pointMismatch: null, pointError: null });
  void applyPending();
}

/** Apply the waiting link if the open capture is its capture; say so if it is not. */
export async function applyPending(): Promise<void> {
  const { pending } = useLink.getState();
  const { summary, status } = useSession.getState();
  if (!pending || !summary || status !== 'ready' || !summary.fingerprint) return;
  if (!fingerprintMatches(summary.fingerprint, pending.capture.fingerprint)) {
    useLink.setState({ mismatch: { gotName: summary.fileName, gotSize: summary.fileSize, gotFingerprint: summary.fingerprint } });
    return;
  }
  const found = await applyState(pending);
  useLink.setState({ pending: null, mismatch: null, streamMissing: found ? null : (pending.stream?.index ?? null), needPoint: neededPoint(pending), pointMismatch: null, pointError: null });
}

let timer: ReturnType<typeof setTimeout> | null = null;

function scheduleWrite(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    const link = useLink.getState();
    if (link.pending || link.mismatch || link.needPoint) return; // the link in the address bar is still wanted
    void currentState().then((state) => {
      if (!state || useLink.getState().pending) return;
      const r = tryUrlFromState(state);
      if (r.ok && r.value !== location.hash) history.replaceState(history.state, '', r.value);
    });
  }, WRITE_DELAY_MS);
}

export function useLinkSync(): void {
  useEffect(() => {
    readLinkFromLocation();
    addEventListener('hashchange', readLinkFromLocation);
    const offUi = useUi.subscribe(scheduleWrite);
    const offSession = useSession.subscribe((s, prev) => {
      // Another capture opened: the link's other point was asked for the previous one.
      if (s.status === 'loading' && prev.status !== 'loading' && useLink.getState().needPoint) useLink.setState({ needPoint: null, pointMismatch: null, pointError: null });
      if (s.status === 'ready' && (prev.status !== 'ready' || s.summary !== prev.summary)) void applyPending();
      if (s.summary !== prev.summary) scheduleWrite();
    });
    const offLink = useLink.subscribe(scheduleWrite);
    return () => {
      removeEventListener('hashchange', readLinkFromLocation);
      offUi();
      offSession();
      offLink();
    };
  }, []);
}
