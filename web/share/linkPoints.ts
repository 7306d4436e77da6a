/**
 * A link that names other capture points (format v3): once its first capture is open and matched,
 * the page asks for the next point's file, checks it is the one the link names (by fingerprint) and
 * adds it as that point, with the names the link gives; another file is explained and not added.
 */
import { fingerprintMatches, type ShareState } from '../../src/share/index';
import { addPoint, usePoints } from '../points/pointsStore';
import { currentFile } from '../store/session';
import { useLink, type NeededPoint } from './linkStore';

/** The point a just-applied link still needs, or null (none named, or already loaded for this capture). */
export function neededPoint(state: ShareState): NeededPoint | null {
  // The app matches two points: the link's first other point is the one asked for.
  const ref = state.points?.[0];
  if (!ref) return null;
  const p = usePoints.getState();
  const loaded = p.status === 'ready' && p.files[0] === currentFile() ? p.view?.points[1]?.fingerprint : undefined;
  if (loaded && fingerprintMatches(loaded, ref.fingerprint)) return null;
  return state.capture.point === undefined ? { ref, index: 1 } : { ref, point0: state.capture.point, index: 1 };
}

/** The file the user gave for the needed point: added when it is the link's, explained when not. */
export async function giveLinkPoint(file: File): Promise<void> {
  const need = useLink.getState().needPoint;
  if (!need) return;
  // Another size is another file: said at once, without reading it (its fingerprint is left empty).
  if (need.ref.size !== undefined && file.size !== need.ref.size) {
    useLink.setState({ pointStatus: 'idle', pointError: null, pointMismatch: { gotName: file.name, gotSize: file.size, gotFingerprint: '' } });
    return;
  }
  useLink.setState({ pointStatus: 'loading', pointMismatch: null, pointError: null });
  const r = await addPoint(file, { name: need.ref.point, name0: need.point0, fingerprint: need.ref.fingerprint });
  if (useLink.getState().needPoint !== need) return; // dismissed or replaced meanwhile
  if (r.ok) useLink.setState({ needPoint: null, pointStatus: 'idle' });
  else if (r.reason === 'mismatch') useLink.setState({ pointStatus: 'idle', pointMismatch: { gotName: file.name, gotSize: file.size, gotFingerprint: r.fingerprint } });
  else if (r.reason !== 'stale') useLink.setState({ pointStatus: 'idle', pointError: r.message ?? r.reason });
}
