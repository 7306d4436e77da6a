/**
 * `analyze A B [...]`: each file is a capture point, in argument order (0, 1, ...); a single file
 * with several interfaces (`-i any`, multi-interface pcapng) is split into one point per interface.
 * The report of point 0 gains `points[]` and the cross-point findings.
 */
import { basename } from 'node:path';
import { sortFindings, type Finding } from '../diagnose/index';
import { translate, type Lang } from '../i18n/index';
import { annotateBlackholes, lostBetweenPoints, matchPoints, splitByInterface, type CapturePoint } from '../points/index';
import type { Analysis } from '../analysis';
import { buildReport, findingJson, type AnalyzeJson } from './analyze';

type Loaded = Analysis;

export interface PointJson {
  index: number;
  file: string;
  name: string;
  /** Clock offset versus point 0, seconds. */
  offset: number;
  packets: number;
  matched: number;
  /** The capture's own findings (point 0's are the report's). */
  findings: Record<string, unknown>[];
  /** The file's reader warnings and caveats, for the files after the first (point 0's are the report's). */
  warnings: AnalyzeJson['capture']['warnings'];
  caveats: AnalyzeJson['caveats'];
}

export type PointsJson = AnalyzeJson & { points: PointJson[] };

export function buildPointsReport(
  loaded: Loaded[], files: string[], opts: { mtu?: number; lang: Lang },
): { json: AnalyzeJson | PointsJson; findings: Finding[]; multi: boolean } {
  let points: CapturePoint[];
  let fileOf: number[];
  if (loaded.length === 1) {
    points = splitByInterface(loaded[0].point(basename(files[0])), basename(files[0]));
    fileOf = points.map(() => 0);
  } else {
    points = loaded.map((l, i) => l.point(basename(files[i])));
    fileOf = loaded.map((_, i) => i);
  }
  const reports = loaded.map((l, i) => buildReport(l, basename(files[i]), opts));
  if (points.length < 2) return { ...reports[0], multi: false };
  const result = matchPoints(points);
  const cross = lostBetweenPoints(result, points);
  reports.forEach((r, i) => annotateBlackholes(r.findings, loaded.length === 1 ? 0 : i, cross));
  if (loaded.length === 1) for (let p = 1; p < points.length; p++) annotateBlackholes(reports[0].findings, p, cross);
  const findings = sortFindings([...reports[0].findings, ...cross]);
  // A point that is a file of its own, other than the first, reports what the first's report cannot.
  const own = (i: number) => loaded.length > 1 && i > 0;
  const json: PointsJson = {
    ...reports[0].json,
    streams: withCrossIds(reports[0].json.streams, findings, loaded.length === 1),
    findings: findings.map((f) => findingJson(f, opts.lang)),
    points: result.points.map((p, i) => ({
      index: i,
      file: basename(files[fileOf[i]]),
      name: p.name,
      offset: p.offset,
      packets: p.packets,
      matched: p.matched,
      findings: own(i) ? reports[i].findings.map((f) => findingJson(f, opts.lang)) : [],
      warnings: own(i) ? reports[i].json.capture.warnings : [],
      caveats: own(i) ? reports[i].json.caveats : [],
    })),
  };
  return { json, findings, multi: true };
}

/**
 * The streams of point 0 with the ids of every finding about them, cross-point ones included, in
 * the findings' order. A cross-point finding names its stream at `from` and at `to`; only the one
 * at point 0 (or, for one split file, the file's own stream) is a stream of this table.
 */
function withCrossIds(streams: AnalyzeJson['streams'], findings: Finding[], oneFile: boolean): AnalyzeJson['streams'] {
  const ids = new Map<number, string[]>();
  const add = (stream: number, id: string) => ids.set(stream, [...(ids.get(stream) ?? []), id]);
  for (const f of findings) {
    if (f.kind !== 'lost-between-points') add(f.stream, f.id);
    else if (oneFile || f.from === 0) add(f.stream, f.id);
    else if (f.to === 0) add(f.toStream, f.id);
  }
  return streams.map((s) => ({ ...s, findings: ids.get(s.index) ?? [] }));
}

/** The lines the text report shows about the points. */
export function formatPoints(json: PointsJson, lang: Lang): string {
  const lines = ['', translate(lang, 'cli.points')];
  for (const p of json.points) {
    lines.push('  ' + translate(lang, 'cli.point', { index: p.index, name: p.name, packets: p.packets, matched: p.matched, offset: (Math.round(p.offset * 1e6) / 1000 || 0).toFixed(3) }));
  }
  // What the other files show on their own (a receiver-side black hole, say): one line each, the
  // whole story is in the JSON's points[].findings.
  for (const p of json.points) {
    if (p.caveats.length) lines.push('', `${p.name}: ${translate(lang, 'cli.caveats')} (${p.caveats.length})`);
    for (const c of p.caveats) lines.push(`  ${c.severity === 'warning' ? '!' : '*'} ${c.text}`);
    if (!p.findings.length) continue;
    lines.push('', translate(lang, 'cli.pointFindings', { name: p.name, count: p.findings.length }));
    for (const f of p.findings) lines.push(`  [${translate(lang, `severity.${f.severity as Finding['severity']}`).toUpperCase()}] ${String(f.title)}   (${String(f.id)})`);
  }
  return lines.join('\n') + '\n';
}
