/** The link of a cross-point finding: point 0's stream at the losses, with every point named. */
import type { LostBetweenPointsFinding } from '../../src/diagnose/index';
import { wireDirection, type ShareState } from '../../src/share/index';
import { captureRef, mtuOf, streamEnds, streamRef, withPoints } from '../share/buildLink';
import { findingWindow } from '../store/findingWindow';
import { useSession } from '../store/session';
import { useUi } from '../store/uiStore';

export async function crossFindingState(f: LostBetweenPointsFinding): Promise<ShareState | null> {
  const summary = useSession.getState().summary;
  const capture = summary && captureRef(summary);
  if (!capture) return null;
  const ui = useUi.getState();
  // As "Show on the joint chart" opens it: point 0's stream; the window and frame only when point 0 sent.
  const stream = f.from === 0 ? f.stream : f.toStream;
  const state: ShareState = { capture, ...mtuOf(ui), lang: ui.lang, finding: f.id, stream: streamRef(stream, await streamEnds(stream)) };
  if (f.from === 0) {
    state.direction = wireDirection(f.direction ?? 0);
    const w = findingWindow(f.t0, f.t1);
    if (w) state.window = w;
    if (f.frames[0] !== undefined) state.frame = f.frames[0];
  }
  return withPoints(state);
}
