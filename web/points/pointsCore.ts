/**
 * The points feature's worker side, without the message plumbing: read each capture through the
 * core, match them as capture points (src/points), and keep per stream of point 0 the joint view
 * the chart draws. No DOM: runs in the points worker and in Node tests.
 */
import { createCaptureReader } from '../../src/capture/index';
import type { LostBetweenPointsFinding } from '../../src/diagnose/types';
import { CaptureSession } from '../../src/pipeline';
import { lostBetweenPoints, matchPoints, type CapturePoint, type PointSummary } from '../../src/points/index';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { jointStreams, type JointStream } from './jointSeries';

export interface PointsView {
  points: (PointSummary & { file: string })[];
  /** Cross-point findings, stream numbers of point 0 where from is 0 (messages, not sentences). */
  findings: LostBetweenPointsFinding[];
  /** Joint view per stream of point 0 (streams paired with point 1 only). */
  joint: Record<number, JointStream>;
}

/** Read one capture (its bytes in chunks) through the core with the TCP analyzer. */
export function analyseBytes(name: string, chunks: Iterable<Uint8Array>): CapturePoint {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({ processors: [analyzer], createReader: (s) => createCaptureReader(s) });
  for (const c of chunks) {
    session.push(c);
    if (session.stopped) break;
  }
  session.end();
  const out = analyzer.out;
  return { name, cols: session.columns, tcp: { stream: out.stream, dir: out.dir, flags: out.flags, streams: analyzer.streams } };
}

export function buildPointsView(points: CapturePoint[], files: string[]): PointsView {
  const result = matchPoints(points);
  const findings = lostBetweenPoints(result, points);
  const joint = result.pairs.length ? jointStreams(points[0], points[1], result.pairs[0]) : {};
  return {
    points: result.points.map((p, i) => ({ ...p, file: files[i] ?? p.name })),
    findings,
    joint,
  };
}
