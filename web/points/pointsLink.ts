/**
 * The capture points as a link names them: the other points' files (fingerprint, name, size) and the
 * names the user gave every point, when points are loaded for the open capture.
 */
import { fingerprintPrefix, MAX_POINT_NAME_CHARS, readPointName, type PointRef } from '../../src/share/index';
import { currentFile } from '../store/session';
import { usePoints } from './pointsStore';

export interface LinkPoints {
  /** Point 0's name, when it is one a link can carry. */
  point0?: string;
  /** Points 1, 2, … */
  points: PointRef[];
}

/** A name the user typed, as a link carries it: trimmed and bounded; none when nothing valid is left. */
export function linkPointName(name: string | undefined): string | undefined {
  const n = (name ?? '').trim();
  const cut = n.length > MAX_POINT_NAME_CHARS ? n.slice(0, MAX_POINT_NAME_CHARS).trim() : n;
  return readPointName(cut) ?? undefined;
}

/** The loaded points of the open capture, or null when there are none (or not for this capture). */
export function linkPoints(): LinkPoints | null {
  const { status, files, names, view } = usePoints.getState();
  if (status !== 'ready' || !view || files.length < 2 || files[0] !== currentFile()) return null;
  const points: PointRef[] = [];
  for (let i = 1; i < files.length; i++) {
    const fp = view.points[i]?.fingerprint;
    if (!fp) return null; // a point without a fingerprint could never be matched by the recipient
    const ref: PointRef = { fingerprint: fingerprintPrefix(fp), name: files[i].name, size: files[i].size };
    const point = linkPointName(names[i]);
    if (point !== undefined) ref.point = point;
    points.push(ref);
  }
  const point0 = linkPointName(names[0]);
  return point0 === undefined ? { points } : { point0, points };
}
