/**
 * The points feature's worker side, without the message plumbing: read each capture through the
 * core, match them as capture points (src/points), and keep per stream of point 0 the joint view
 * the chart draws. No DOM: runs in the points worker and in Node tests.
 */
import { openAnalysis } from '../../src/index';
import type { CaptureWarning } from '../../src/capture/index';
import type { LostBetweenPointsFinding } from '../../src/diagnose/index';
import { lostBetweenPoints, matchPoints, type CapturePoint, type PointSummary } from '../../src/points/index';
import { Fingerprinter, FINGERPRINT_SLICE_BYTES } from '../../src/share/index';
import { jointStreams, type JointStream } from './jointSeries';

/** A reader warning as the page renders it (in its language, from the key). */
export type PointWarning = Pick<CaptureWarning, 'key' | 'message' | 'params' | 'offset' | 'fatal'>;

export interface PointsView {
  /**
   * Per point: the matching's summary, the file's name, the reader's warnings about that file and
   * the file's fingerprint (src/share/fingerprint.ts, as the analysis worker computes it; '' when unknown).
   */
  points: (PointSummary & { file: string; warnings: PointWarning[]; fingerprint: string })[];
  /** Cross-point findings, stream numbers of point 0 where from is 0 (messages, not sentences). */
  findings: LostBetweenPointsFinding[];
  /** Joint view per stream of point 0 (streams paired with point 1 only). */
  joint: Record<number, JointStream>;
}

/** One capture being read as a point: push its chunks as they come, then finish. */
export interface PointRun {
  push(chunk: Uint8Array): void;
  /** True once the reader stopped (damage it cannot read past): later chunks are not needed. */
  stopped(): boolean;
  finish(): { point: CapturePoint; warnings: PointWarning[] };
}

/** Start reading a capture through the core's entry point (src/analysis.ts); `expectedBytes` is its size when known. */
export function startPoint(name: string, expectedBytes?: number): PointRun {
  const run = openAnalysis({ expectedBytes });
  return {
    push: (c) => run.push(c),
    stopped: () => run.stopped,
    finish() {
      const a = run.finish();
      const warnings = a.warnings.map(({ key, message, params, offset, fatal }) => ({ key, message, params, offset, fatal }));
      return { point: a.point(name), warnings };
    },
  };
}

/** Read one capture (its bytes in chunks) through the core. */
export function analyseBytes(name: string, chunks: Iterable<Uint8Array>): CapturePoint {
  const run = startPoint(name);
  for (const c of chunks) {
    run.push(c);
    if (run.stopped()) break;
  }
  return run.finish().point;
}

export interface ReadPoint {
  point: CapturePoint;
  warnings: PointWarning[];
  fingerprint: string;
}

/**
 * Read a capture file slice by slice: the core keeps only the packet table, never the file, and the
 * fingerprint is hashed from the same slices (the whole file, even past damage the reader stops at,
 * so that it is the file's fingerprint and equals the one a link carries).
 */
export async function readPointFile(name: string, file: Blob): Promise<ReadPoint> {
  const run = startPoint(name, file.size);
  const fingerprinter = new Fingerprinter();
  for (let at = 0; at < file.size; at += FINGERPRINT_SLICE_BYTES) {
    const slice = new Uint8Array(await file.slice(at, at + FINGERPRINT_SLICE_BYTES).arrayBuffer());
    if (!run.stopped()) run.push(slice);
    await fingerprinter.update(slice);
  }
  return { ...run.finish(), fingerprint: await fingerprinter.digestHex() };
}

export function buildPointsView(points: CapturePoint[], files: string[], warnings: PointWarning[][] = [], fingerprints: string[] = []): PointsView {
  const result = matchPoints(points);
  const findings = lostBetweenPoints(result, points);
  const joint = result.pairs.length ? jointStreams(points[0], points[1], result.pairs[0]) : {};
  return {
    points: result.points.map((p, i) => ({ ...p, file: files[i] ?? p.name, warnings: warnings[i] ?? [], fingerprint: fingerprints[i] ?? '' })),
    findings,
    joint,
  };
}
