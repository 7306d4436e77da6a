/**
 * Both capture points on one time-sequence chart: one colour per point, a line joining the same
 * packet at the two points (its slope is the delay between them), a red cross on a packet never
 * seen at the next point. Plain SVG: a connection's packets of one direction, few enough to draw.
 */
import { niceTicks, timeDecimals } from '../chart/chartMath';
import { fmtSeqTick, fmtTime } from '../chart/chartText';
import type { JointStream } from './jointSeries';

const W = 900, H = 320, PAD_L = 74, PAD_R = 12, PAD_T = 12, PAD_B = 44;
export const POINT_COLOURS = ['#1f6fd1', '#e07b00'];

export interface JointChartProps {
  joint: JointStream;
  dir: number;
  names: string[];
  lostLabel: string;
  /** The axes' titles (the main chart's words: time in seconds, relative sequence number). */
  axisTime: string;
  axisSeq: string;
  /** Seconds since point 0's first packet: the main chart's zoom, followed here. */
  window?: { t0: number; t1: number } | null;
}

export function JointChart({ joint, dir, names, lostLabel, axisTime, axisSeq, window }: JointChartProps) {
  const inWindow = (k: number) => !window || (joint.t[k] >= window.t0 && joint.t[k] <= window.t1);
  const idx: number[] = [];
  for (let k = 0; k < joint.point.length; k++) if (joint.dir[k] === dir && (joint.len[k] > 0 || joint.lost[k]) && inWindow(k)) idx.push(k);
  if (!idx.length) for (let k = 0; k < joint.point.length; k++) if (joint.dir[k] === dir && inWindow(k)) idx.push(k);
  let t0 = Infinity, t1 = -Infinity, s0 = Infinity, s1 = -Infinity;
  for (const k of idx) {
    t0 = Math.min(t0, joint.t[k]); t1 = Math.max(t1, joint.t[k]);
    s0 = Math.min(s0, joint.seq[k]); s1 = Math.max(s1, joint.seq[k] + joint.len[k]);
  }
  if (!idx.length) { t0 = 0; t1 = 1; s0 = 0; s1 = 1; }
  if (window) { t0 = window.t0; t1 = window.t1; }
  if (t1 <= t0) t1 = t0 + 1e-3;
  if (s1 <= s0) s1 = s0 + 1;
  const x = (t: number) => PAD_L + ((t - t0) / (t1 - t0)) * (W - PAD_L - PAD_R);
  const y = (s: number) => H - PAD_B - ((s - s0) / (s1 - s0)) * (H - PAD_T - PAD_B);
  const lines: string[] = [];
  for (const k of idx) {
    const p = joint.peer[k];
    if (p > k && joint.dir[p] === dir) lines.push(`M${x(joint.t[k]).toFixed(1)} ${y(joint.seq[k]).toFixed(1)}L${x(joint.t[p]).toFixed(1)} ${y(joint.seq[p]).toFixed(1)}`);
  }
  const lost = idx.filter((k) => joint.lost[k]);
  // Ticks and numbers as on the main chart: the same steps, decimals from the span, grouped digits.
  const decimals = timeDecimals(t1 - t0);
  const yTicks = niceTicks(s0, s1, 5).filter(Number.isInteger);
  return (
    <svg className="joint-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={names.join(' / ')} data-testid="joint-chart">
      <rect x={PAD_L} y={PAD_T} width={W - PAD_L - PAD_R} height={H - PAD_T - PAD_B} className="joint-frame" />
      {niceTicks(t0, t1, 8).map((v) => (
        <g key={`t${v}`}><line x1={x(v)} x2={x(v)} y1={H - PAD_B} y2={H - PAD_B + 4} className="joint-axis" />
          <text x={x(v)} y={H - PAD_B + 16} textAnchor="middle" className="joint-tick">{fmtTime(v, decimals)}</text></g>
      ))}
      {yTicks.map((v) => (
        <g key={`s${v}`}><line x1={PAD_L - 4} x2={PAD_L} y1={y(v)} y2={y(v)} className="joint-axis" />
          <text x={PAD_L - 6} y={y(v) + 4} textAnchor="end" className="joint-tick">{fmtSeqTick(v)}</text></g>
      ))}
      <text x={W - PAD_R} y={H - 6} textAnchor="end" className="joint-axis-title" data-testid="joint-axis-time">{axisTime}</text>
      <text x={0} y={0} transform={`translate(14 ${PAD_T + (H - PAD_T - PAD_B) / 2}) rotate(-90)`} textAnchor="middle" className="joint-axis-title" data-testid="joint-axis-seq">{axisSeq}</text>
      <path d={lines.join('')} className="joint-link" data-testid="joint-links" />
      {idx.map((k) => (
        // Point 0 filled, point 1 a ring around it: a packet seen at both stays visible twice.
        <circle key={k} cx={x(joint.t[k])} cy={y(joint.seq[k])} r={joint.point[k] ? 5 : 3}
          fill={joint.point[k] ? 'none' : (POINT_COLOURS[0])} stroke={POINT_COLOURS[joint.point[k]] ?? '#666'} strokeWidth={joint.point[k] ? 1.6 : 0}
          data-testid={`joint-p${joint.point[k]}-f${joint.frame[k]}`}>
          <title>{`${names[joint.point[k]] ?? joint.point[k]} #${joint.frame[k]} seq ${joint.seq[k]} len ${joint.len[k]}`}</title>
        </circle>
      ))}
      {lost.map((k) => {
        const cx = x(joint.t[k]), cy = y(joint.seq[k]);
        return (
          <g key={`l${k}`} className="joint-lost" data-testid={`joint-lost-f${joint.frame[k]}`}>
            <path d={`M${cx - 6} ${cy - 6}L${cx + 6} ${cy + 6}M${cx - 6} ${cy + 6}L${cx + 6} ${cy - 6}`} />
            <title>{`${names[joint.point[k]] ?? joint.point[k]} #${joint.frame[k]}: ${lostLabel}`}</title>
          </g>
        );
      })}
    </svg>
  );
}
