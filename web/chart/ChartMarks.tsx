/**
 * The chart's marks, drawn as plain SVG inside the recharts surface (one element per mark, a few
 * thousand at most thanks to the worker's decimation): hole bands, SACK ranges, the ACK and ACK +
 * window steps, segment I-beams coloured by flag, oversized-DF markers and SYN/FIN/RST labels.
 * Memoised: hover and brush redraw only the overlay, never these.
 */
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AckFlag, MarkKind, SegFlag, type StreamSeries } from '../../src/view/index';
import { fmtInt } from './chartText';
import { layoutMarkLabels, type MarkPoint, type Rect } from './markLabels';
import { segmentLook } from './segmentMarks';
import { clampPx, type PlotBox, type Scales } from './scales';

export interface ChartMarksProps {
  series: StreamSeries;
  scales: Scales;
  box: PlotBox;
  /** Visible time window (for the right end of the step lines). */
  t1: number;
  clipId: string;
  /** Boxes the SYN/FIN/RST labels keep clear of (the selected frame's highlight). */
  avoid?: readonly Rect[];
}

/** The segment's class: `seg` and its look's id (segmentMarks.ts). */
export function segClass(f: number): string {
  const look = segmentLook(f);
  return look ? `seg ${look.id}` : 'seg';
}

/** An I-beam from y0 to y1 at x (tcptrace's segment glyph); at least 2 px tall so it stays visible. */
function ibeam(x: number, y0: number, y1: number, w: number): string {
  let top = Math.min(y0, y1), bottom = Math.max(y0, y1);
  if (bottom - top < 2) { const m = (top + bottom) / 2; top = m - 1; bottom = m + 1; }
  // Short bars keep narrow caps: a bare line would have no width to see or to point at.
  if (bottom - top < 5) w = 1.5;
  return `M${x - w} ${top}H${x + w}M${x} ${top}V${bottom}M${x - w} ${bottom}H${x + w}`;
}

/** Step line through (t, v) points, held flat until `tEnd`. */
function stepPath(s: StreamSeries, values: Float64Array, sc: Scales, box: PlotBox, tEnd: number): string {
  if (s.ackCount === 0) return '';
  const lo = box.y - 10, hi = box.y + box.height + 10;
  const yy = (v: number) => clampPx(sc.y(v), lo, hi).toFixed(1);
  const xx = (t: number) => clampPx(sc.x(t), box.x, box.x + box.width).toFixed(1);
  let d = `M${xx(s.ackTime[0])} ${yy(values[0])}`;
  for (let i = 1; i < s.ackCount; i++) d += `H${xx(s.ackTime[i])}V${yy(values[i])}`;
  return d + `H${xx(tEnd)}`;
}

function Holes({ series: s, scales: sc, box }: ChartMarksProps) {
  const { t } = useTranslation();
  const out: ReactNode[] = [];
  for (let i = 0; i < s.holes.count; i++) {
    const x0 = clampPx(sc.x(s.holes.t0[i]), box.x, box.x + box.width);
    const x1 = clampPx(sc.x(s.holes.t1[i]), box.x, box.x + box.width);
    const ya = sc.y(s.holes.seq1[i]), yb = sc.y(s.holes.seq0[i]);
    const h = Math.max(yb - ya, 3), w = Math.max(x1 - x0, 3);
    const bytes = s.holes.seq1[i] - s.holes.seq0[i];
    const label = h >= 16 && w >= 150;
    // Centre the label on the visible part of the band, clear of the axis.
    const vx0 = Math.max(x0, box.x), vx1 = Math.min(x0 + w, box.x + box.width);
    const vy0 = Math.max(ya, box.y), vy1 = Math.min(yb, box.y + box.height);
    out.push(
      <g key={i} className={s.holes.open[i] ? 'hole open' : 'hole'} data-testid="hole-band" data-frame={s.holes.frame[i]}>
        <rect x={x0} y={ya - (h - (yb - ya)) / 2} width={w} height={h} />
        {label && (
          <text x={(vx0 + vx1) / 2} y={(vy0 + vy1) / 2 + 4} textAnchor="middle" className="hole-label">
            {t(s.holes.open[i] ? 'chart.holeOpenLabel' : 'chart.holeLabel', { bytes: fmtInt(bytes) })}
          </text>
        )}
      </g>,
    );
  }
  return <g className="holes">{out}</g>;
}

function Sacks({ series: s, scales: sc, box }: ChartMarksProps) {
  const out: ReactNode[] = [];
  let next = 0;
  for (let i = 0; i < s.sackCount; i++) {
    // The range holds until the receiver's next ACK replaces it.
    while (next < s.ackCount && s.ackTime[next] <= s.sackTime[i]) next++;
    const tEnd = next < s.ackCount ? s.ackTime[next] : s.extent.t1;
    const x0 = sc.x(s.sackTime[i]);
    const x1 = Math.max(clampPx(sc.x(tEnd), box.x, box.x + box.width), x0 + 2);
    const ya = sc.y(s.sackRight[i]), yb = sc.y(s.sackLeft[i]);
    out.push(
      <g key={i} className={s.sackDsack[i] ? 'sack dsack' : 'sack'} data-frame={s.sackFrame[i]}>
        <rect x={x0} y={ya} width={x1 - x0} height={Math.max(yb - ya, 1)} />
        <path d={`M${x0} ${ya}V${Math.max(yb, ya + 1)}`} />
      </g>,
    );
  }
  return <g className="sacks">{out}</g>;
}

function AckLines({ series: s, scales: sc, box, t1 }: ChartMarksProps) {
  const tEnd = Math.min(s.extent.t1, t1);
  let ticks = '', zero = '';
  for (let i = 0; i < s.ackCount; i++) {
    const x = sc.x(s.ackTime[i]), y = sc.y(s.ackSeq[i]);
    if (s.ackFlags[i] & AckFlag.DuplicateAck) ticks += `M${x.toFixed(1)} ${(y - 4).toFixed(1)}v8`;
    if (s.ackFlags[i] & AckFlag.ZeroWindow) zero += `M${x - 4} ${y - 4}l8 8m0 -8l-8 8`;
  }
  return (
    <g className="ack-lines">
      <path className="win-line" d={stepPath(s, s.ackWin, sc, box, tEnd)} />
      <path className="ack-line" d={stepPath(s, s.ackSeq, sc, box, tEnd)} />
      {ticks && <path className="dupack" d={ticks} />}
      {zero && <path className="zerowin" d={zero} />}
    </g>
  );
}

function Segments({ series: s, scales: sc }: ChartMarksProps) {
  const bars: ReactNode[] = [];
  const oversized: ReactNode[] = [];
  for (let i = 0; i < s.segCount; i++) {
    const f = s.segFlags[i];
    const x = +sc.x(s.segTime[i]).toFixed(1);
    const y0 = sc.y(s.segSeq[i]), y1 = sc.y(s.segEnd[i]);
    const look = segmentLook(f);
    bars.push(<path key={i} className={look ? `seg ${look.id}` : 'seg'} d={ibeam(x, y0, y1, look?.bold ? 3.5 : 2.5)} data-testid="segment" data-frame={s.segFrame[i]} />);
    if (f & SegFlag.Oversized) {
      const top = Math.min(y0, y1) - 3;
      oversized.push(<path key={i} className="oversized-mark" d={`M${x - 4.5} ${top - 8}L${x + 4.5} ${top - 8}L${x} ${top}Z`} data-testid="oversized-mark" data-frame={s.segFrame[i]} />);
    }
  }
  return <g className="segments">{bars}{oversized}</g>;
}

function ConnMarks({ series: s, scales: sc, box, avoid }: ChartMarksProps) {
  const marks: ReactNode[] = [];
  const points: MarkPoint[] = [];
  for (let i = 0; i < s.markCount; i++) {
    const k = s.markKind[i];
    const name = [k & MarkKind.Syn ? 'SYN' : '', k & MarkKind.Fin ? 'FIN' : '', k & MarkKind.Rst ? 'RST' : ''].filter(Boolean).join('+');
    const x = sc.x(s.markTime[i]), y = sc.y(s.markSeq[i]);
    const rst = (k & MarkKind.Rst) !== 0;
    points.push({ x, y, name, rst, receiver: s.markDir[i] === 1 });
    marks.push(
      <g key={i} className={rst ? 'conn rst' : 'conn'} data-testid="conn-mark" data-frame={s.markFrame[i]}>
        <path d={`M${x} ${y - 4}L${x + 4} ${y}L${x} ${y + 4}L${x - 4} ${y}Z`} />
      </g>,
    );
  }
  // Labels after every diamond, so none is painted over by a later mark.
  const labels = layoutMarkLabels(points, box, avoid).map((l) => (
    <text key={l.marks[0]} x={l.x} y={l.y} textAnchor={l.anchor} className="conn-label" data-testid="conn-label">
      {l.parts.map((p, j) => <tspan key={j} className={p.rst ? 'rst' : undefined}>{p.text}</tspan>)}
    </text>
  ));
  return <g className="conn-marks">{marks}{labels}</g>;
}

export const ChartMarks = memo(function ChartMarks(props: ChartMarksProps) {
  return (
    <g clipPath={`url(#${props.clipId})`} className="marks">
      <Holes {...props} />
      <Sacks {...props} />
      <AckLines {...props} />
      <Segments {...props} />
      <ConnMarks {...props} />
    </g>
  );
});
