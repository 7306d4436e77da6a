/**
 * Cross-point findings: per connection and direction of travel, the packets one point saw and the
 * next never did (`lost-between-points`), and the sentence the PMTU black-hole finding gains when
 * the lost packets are the oversized ones.
 */
import type { PacketColumns } from '../decode/columns';
import { listParams } from '../diagnose/text';
import type { Finding, LostBetweenPointsFinding, Msg } from '../diagnose/types';
import { frameAt } from '../types';
import type { CapturePoint, HopFlow, PointsResult } from './types';

const MAX_LISTED = 30;
/** Parts (single frames or ranges) a sentence lists before "… and N more". */
const LIST_PARTS = 12;

function endpoint(c: PacketColumns, addr: number, port: number): string {
  const t = c.addresses.text[addr] ?? '?';
  return c.addresses.family[addr] === 6 ? `[${t}]:${port}` : `${t}:${port}`;
}

function ms(s: number): string {
  return Number.isFinite(s) ? (s * 1000).toFixed(3) : '?';
}

/** Frames as "21, 24-30": short lists stay readable in every language. */
export function frameRanges(frames: number[]): string {
  const out: string[] = [];
  for (let k = 0; k < frames.length; ) {
    let e = k;
    while (e + 1 < frames.length && frames[e + 1] === frames[e] + 1) e++;
    out.push(e > k ? `${frames[k]}-${frames[e]}` : String(frames[k]));
    k = e + 1;
  }
  return out.join(', ');
}

function flowFinding(r: PointsResult, points: CapturePoint[], f: HopFlow): LostBetweenPointsFinding {
  const from = points[f.from], to = points[f.to];
  const c = from.cols;
  const pair = r.pairs[Math.min(f.from, f.to)];
  const match = f.from < f.to ? pair.matchA : pair.matchB;
  const first = f.lost[0];
  const names = { from: from.name, to: to.name, src: endpoint(c, c.src[first], c.srcPort[first]), dst: endpoint(c, c.dst[first], c.dstPort[first]) };
  const frames = f.lost.map(frameAt);
  const lostSet = new Set(f.lost);
  const matchedFrames: [number, number][] = [];
  let maxOk = 0;
  const rows = from.tcp.stream;
  const start = from.rows ? from.rows : null;
  const n = start ? start.length : c.length;
  for (let k = 0; k < n; k++) {
    const i = start ? start[k] : k;
    if (rows[i] !== f.streamFrom || from.tcp.dir[i] !== f.dirFrom || lostSet.has(i)) continue;
    const j = match[i];
    if (j < 0) continue;
    if (matchedFrames.length < MAX_LISTED) matchedFrames.push([i + 1, j + 1]);
    maxOk = Math.max(maxOk, c.ipLen[i]);
  }
  const sizes = [...new Set(f.lost.map((i) => c.ipLen[i]))].sort((a, b) => a - b);
  const story: Msg[] = [{
    key: 'points.story.frames',
    params: { ...names, count: frames.length, ...listParams('frames', frames, LIST_PARTS), ...listParams('sizes', sizes.map(String)), maxOk },
  }];
  // The same bytes lost again and again: a rule, not chance.
  const bySeq = new Map<number, number>();
  for (const i of f.lost) if (c.tcpLen[i] > 0) bySeq.set(c.seqRaw[i], (bySeq.get(c.seqRaw[i]) ?? 0) + 1);
  let worst = -1, worstCount = 1;
  for (const [s, k] of bySeq) if (k > worstCount) { worst = s; worstCount = k; }
  if (worst >= 0) {
    const i = f.lost.find((x) => c.seqRaw[x] === worst) as number;
    const isn = from.tcp.streams[f.streamFrom]?.isn[f.dirFrom] ?? -1;
    story.push({ key: 'points.story.sameSegment', params: { seq: isn >= 0 ? (worst - isn) >>> 0 : worst, len: c.tcpLen[i], count: worstCount } });
  }
  if (matchedFrames.length) {
    story.push({ key: 'points.story.matched', params: { ...names, matched: f.matched, fromFrame: matchedFrames[0][0], toFrame: matchedFrames[0][1], min: ms(f.delayMin), median: ms(f.delayMedian) } });
  }
  const t0base = c.length ? c.time(0) : 0;
  const ratio = f.packets ? f.lost.length / f.packets : 1;
  return {
    kind: 'lost-between-points',
    id: `lost-between-points:p${f.from}-p${f.to}:s${f.streamFrom}:d${f.dirFrom}:f${frames[0]}`,
    severity: ratio >= 0.1 || worstCount >= 3 ? 'error' : 'warning',
    stream: f.streamFrom,
    direction: f.dirFrom,
    frames,
    t0: c.time(first) - t0base,
    t1: c.time(f.lost[f.lost.length - 1]) - t0base,
    title: { key: 'points.title', params: { ...names, count: f.lost.length } },
    summary: { key: 'points.summary', params: { ...names, count: f.lost.length, packets: f.packets } },
    story,
    remedy: [{ key: 'points.remedy.look', params: names }],
    from: f.from, to: f.to, fromName: from.name, toName: to.name, toStream: f.streamTo,
    packets: f.packets, lost: f.lost.length, matchedFrames, delayMin: f.delayMin, delayMedian: f.delayMedian,
  };
}

/** One finding per direction of travel that lost packets between adjacent points. */
export function lostBetweenPoints(r: PointsResult, points: CapturePoint[]): LostBetweenPointsFinding[] {
  const out: LostBetweenPointsFinding[] = [];
  for (const pair of r.pairs) for (const f of pair.flows) if (f.lost.length) out.push(flowFinding(r, points, f));
  return out;
}

/**
 * Add "the N-byte packets reach X and never reach Y" to the black-hole findings of point `point`
 * whose evidence the cross-point findings confirm (same frames at `from`, or the same connection
 * seen at `to`).
 */
export function annotateBlackholes(findings: Finding[], point: number, cross: LostBetweenPointsFinding[]): void {
  for (const f of findings) {
    if (f.kind !== 'pmtu-blackhole' || f.story.some((m) => m.key === 'points.pmtu')) continue;
    const evidence = new Set(f.frames);
    for (const x of cross) {
      const confirms = (x.from === point && x.stream === f.stream && x.frames.some((fr) => evidence.has(fr))) ||
        (x.to === point && x.toStream === f.stream);
      if (!confirms) continue;
      const frames = x.frames.filter((fr) => x.from !== point || evidence.has(fr));
      const listed = frames.length ? frames : x.frames;
      f.story.push({ key: 'points.pmtu', params: { size: f.lostSize, from: x.fromName, to: x.toName, count: listed.length, ...listParams('frames', listed, LIST_PARTS) } });
      break;
    }
  }
}
