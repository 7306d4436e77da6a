/**
 * The stream graphs under the time-sequence chart: throughput and goodput with their moving average,
 * RTT samples, or the advertised receive window against bytes in flight, for the chart's stream and
 * direction, on the chart's time axis. The panel gets the chart's frame (SequenceChart's `below`):
 * its window, width and zoom, so that its plot spans the same pixel columns and a drag or a wheel on
 * either zooms both (one zoom, in the UI store). The worker decimates each graph to the plot's width
 * (src/view/graphs.ts); retransmissions and events are marked with the chart's own classes and
 * colours. A switch (none / throughput / RTT / window) chooses the graph.
 */
import { memo, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ComposedChart, usePlotArea, XAxis, YAxis } from 'recharts';
import { GRAPH_KINDS, type GraphKind, type StreamGraph } from '../../src/view/index';
import type { GraphChoice } from '../store/uiStore';
import { windowBetween, niceTicks, timeDecimals, type Window } from './chartMath';
import { flagKeys, fmtTime, fmtTimeExact } from './chartText';
import {
  AVERAGE_CHOICES, averageLabel, dotsPath, graphHitFrame, graphHitPoint, graphHitTest, graphPointCount, graphUnit, graphYDomain, seriesPath,
  type GraphHit, type GraphUnit,
} from './graphMath';
import { makeScales, type PlotBox, type Scales } from './scales';
import { useWheelZoom } from './useWheelZoom';
import { CHART_MARGIN, CHART_Y_AXIS_WIDTH, type ChartFrame } from './SequenceChart';
import './graph.css';
import { SEG_FLAG_KEYS, segmentLook } from './segmentMarks';
import { useGraph, type GraphRequester } from './useGraph';

export interface GraphPanelProps {
  stream: number;
  dir: 0 | 1;
  frame: ChartFrame;
  choice: GraphChoice;
  /** The throughput's moving-average window in seconds (0: automatic). */
  average: number;
  onChoice(choice: GraphChoice): void;
  /** Absent: the average cannot be changed (a snapshot holds the graph as it was made). */
  onAverage?(seconds: number): void;
  requestGraph(kind: GraphKind, average: number): GraphRequester;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  /** Only these kinds can be chosen (a snapshot carries one graph); every kind by default. */
  kinds?: readonly GraphKind[];
  /** Plot height in pixels. */
  height?: number;
}

const MARGIN = { top: 8, right: CHART_MARGIN.right, bottom: 26, left: CHART_MARGIN.left };
/** Height of the band at the plot's top where the retransmission and event marks stand. */
const MARK_BAND = 9;
const CLICK_SLOP = 4;

/** Each kind's series: legend key, class (graph.css), drawn as steps, as dots. */
const SERIES: Record<GraphKind, { key: string; cls: string; step: boolean; dots: boolean }[]> = {
  throughput: [
    { key: 'throughput', cls: 'gr-tput', step: true, dots: false },
    { key: 'goodput', cls: 'gr-good', step: true, dots: false },
    { key: 'average', cls: 'gr-avg', step: false, dots: false },
  ],
  rtt: [{ key: 'rtt', cls: 'gr-rtt', step: false, dots: true }],
  window: [
    { key: 'rwnd', cls: 'gr-rwnd', step: true, dots: false },
    { key: 'flight', cls: 'gr-flight', step: true, dots: false },
  ],
};

const CHOICES: readonly GraphChoice[] = ['none', ...GRAPH_KINDS];

/** A value in the axis unit, with up to three significant decimals. */
function fmtValue(v: number, unit: GraphUnit, lang: string): string {
  const x = v / unit.div;
  const a = Math.abs(x);
  return x.toLocaleString(lang, { maximumFractionDigits: a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3 });
}

function GraphSwitch({ choice, kinds, onChoice }: { choice: GraphChoice; kinds: readonly GraphKind[]; onChoice(c: GraphChoice): void }) {
  const { t } = useTranslation();
  const options = CHOICES.filter((c) => c === 'none' || kinds.includes(c));
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  // Arrow keys move the choice (a radio group: one Tab stop, the checked button).
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const i = (Math.max(0, options.indexOf(choice)) + step + options.length) % options.length;
    onChoice(options[i]);
    refs.current[i]?.focus();
  };
  return (
    <div className="segmented graph-switch" role="radiogroup" aria-label={t('graph.choose')} data-testid="graph-switch" onKeyDown={onKeyDown}>
      {options.map((c, i) => (
        <button
          key={c} ref={(el) => { refs.current[i] = el; }} type="button" role="radio" aria-checked={choice === c} tabIndex={choice === c ? 0 : -1}
          className={choice === c ? 'on' : ''} data-testid={`graph-${c}`} onClick={() => onChoice(c)}
        >
          {t(`graph.kind.${c}`)}
        </button>
      ))}
    </div>
  );
}

function AverageSelect({ value, onChange }: { value: number; onChange(s: number): void }) {
  const { t } = useTranslation();
  const choices = AVERAGE_CHOICES.includes(value) ? AVERAGE_CHOICES : [...AVERAGE_CHOICES, value].sort((a, b) => a - b);
  const label = (s: number) => {
    const l = averageLabel(s);
    return l.key === 'auto' ? t('graph.avgAuto') : t(`graph.avg.${l.key}`, { v: l.v });
  };
  return (
    <label className="seqchart-toggle" title={t('graph.averageHelp')}>
      {t('graph.average')}
      <select value={String(value)} onChange={(e) => onChange(Number(e.target.value))} data-testid="graph-average">
        {choices.map((s) => <option key={s} value={String(s)}>{label(s)}</option>)}
      </select>
    </label>
  );
}

interface PlotProps {
  graph: StreamGraph;
  xDomain: [number, number];
  yDomain: [number, number];
  selectedFrame: number | null;
  hover: GraphHit | null;
  onHover(hit: GraphHit | null, px: number, py: number): void;
  onSelectFrame(frame: number): void;
  onWindow(w: Window): void;
  onPan(w: Window): void;
  onWheelZoom(at: number, factor: number): void;
}

/**
 * The lines and marks: memoised, so hover and brush redraw only the overlay. The marks of one look
 * are one path (a long transfer has thousands of retransmissions; a click finds its mark by
 * position, graphHitTest), `data-count` telling how many it holds.
 */
const GraphMarks = memo(function GraphMarks({ graph: g, sc, box, clipId }: { graph: StreamGraph; sc: Scales; box: PlotBox; clipId: string }) {
  const bounds = { x0: box.x, x1: box.x + box.width, y0: box.y, y1: box.y + box.height };
  const looks = SERIES[g.kind];
  const byLook = new Map<string, { tick: string; line: string; count: number }>();
  const top = box.y.toFixed(1), bandEnd = (box.y + MARK_BAND).toFixed(1), bottom = (box.y + box.height).toFixed(1);
  for (let i = 0; i < g.markCount; i++) {
    const id = segmentLook(g.markFlags[i])?.id ?? '';
    const x = sc.x(g.markTime[i]).toFixed(1);
    const m = byLook.get(id) ?? { tick: '', line: '', count: 0 };
    m.tick += `M${x} ${top}V${bandEnd}`;
    m.line += `M${x} ${bandEnd}V${bottom}`;
    m.count++;
    byLook.set(id, m);
  }
  return (
    <g clipPath={`url(#${clipId})`} className="graph-lines">
      {[...byLook].map(([id, m]) => (
        <g key={id} className={id ? `seg ${id} graph-mark` : 'seg graph-mark'} data-testid="graph-mark" data-look={id || 'event'} data-count={m.count}>
          <path className="graph-mark-line" d={m.line} />
          <path d={m.tick} />
        </g>
      ))}
      {g.series.map((s, k) => {
        const look = looks[k];
        if (!look || s.count === 0) return null;
        return (
          <path
            key={k} className={`graph-series ${look.cls}${look.dots ? ' dots' : ''}`} data-testid={`graph-series-${look.key}`} data-count={s.count}
            d={look.dots ? dotsPath(s, sc.x, sc.y) : seriesPath(s, sc.x, sc.y, bounds, look.step)}
          />
        );
      })}
    </g>
  );
});

function GraphPlot(props: PlotProps) {
  const { graph, xDomain, yDomain, onWheelZoom } = props;
  const area = usePlotArea();
  const clipId = `graph-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const gRef = useRef<SVGGElement>(null);
  const [drag, setDrag] = useState<{ mode: 'brush' | 'pan'; x0: number; x: number; start: Window } | null>(null);
  const ax = area?.x ?? 0, ay = area?.y ?? 0, aw = area?.width ?? 0, ah = area?.height ?? 0;
  const box = useMemo<PlotBox>(() => ({ x: ax, y: ay, width: aw, height: ah }), [ax, ay, aw, ah]);
  const sc = useMemo(() => makeScales(box, xDomain, yDomain), [box, xDomain, yDomain]);

  const ready = aw > 0 && ah > 0;
  useWheelZoom(gRef, ready, sc, onWheelZoom);

  if (!area || !ready) return null;
  const band = { y0: box.y, y1: box.y + MARK_BAND };
  const local = (e: ReactPointerEvent) => {
    const r = gRef.current?.ownerSVGElement?.getBoundingClientRect();
    return { px: e.clientX - (r?.left ?? 0), py: e.clientY - (r?.top ?? 0) };
  };
  const onPointerDown = (e: ReactPointerEvent<SVGGElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const { px } = local(e);
    e.currentTarget.setPointerCapture?.(e.pointerId);
    setDrag({ mode: e.shiftKey || e.altKey || e.ctrlKey || e.metaKey ? 'pan' : 'brush', x0: px, x: px, start: { t0: xDomain[0], t1: xDomain[1] } });
  };
  const onPointerMove = (e: ReactPointerEvent<SVGGElement>) => {
    const { px, py } = local(e);
    if (!drag) {
      props.onHover(graphHitTest(graph, px, py, sc.x, sc.y, band), px, py);
      return;
    }
    setDrag({ ...drag, x: px });
    if (drag.mode === 'pan') {
      const dt = sc.tAt(drag.x0) - sc.tAt(px);
      props.onPan({ t0: drag.start.t0 + dt, t1: drag.start.t1 + dt });
    }
  };
  const onPointerUp = (e: ReactPointerEvent<SVGGElement>) => {
    if (!drag) return;
    const { px, py } = local(e);
    setDrag(null);
    const moved = Math.abs(px - drag.x0) > CLICK_SLOP;
    if (moved) {
      if (drag.mode === 'pan') {
        const dt = sc.tAt(drag.x0) - sc.tAt(px);
        props.onWindow({ t0: drag.start.t0 + dt, t1: drag.start.t1 + dt });
      } else props.onWindow(windowBetween(sc.tAt(drag.x0), sc.tAt(px)));
      return;
    }
    const hit = graphHitTest(graph, px, py, sc.x, sc.y, band);
    const f = hit ? graphHitFrame(graph, hit) : 0;
    if (f > 0) props.onSelectFrame(f);
  };

  // The selected frame, when one of the graph's points or marks is it: a crosshair and a ring.
  let selected: { x: number; y: number | null } | null = null;
  if (props.selectedFrame !== null) {
    for (let k = 0; k < graph.series.length && !selected; k++) {
      const s = graph.series[k];
      for (let i = 0; i < s.count; i++) if (s.frame[i] === props.selectedFrame) { selected = { x: sc.x(s.time[i]), y: sc.y(s.value[i]) }; break; }
    }
    for (let i = 0; i < graph.markCount && !selected; i++) if (graph.markFrame[i] === props.selectedFrame) selected = { x: sc.x(graph.markTime[i]), y: null };
  }
  const hovered = props.hover ? graphHitPoint(graph, props.hover) : null;
  const brush = drag && drag.mode === 'brush' && Math.abs(drag.x - drag.x0) > CLICK_SLOP
    ? { x: Math.max(box.x, Math.min(drag.x, drag.x0)), w: Math.min(Math.abs(drag.x - drag.x0), box.x + box.width - Math.min(drag.x, drag.x0)) }
    : null;
  return (
    <g
      ref={gRef} className={drag?.mode === 'pan' ? 'plot panning' : 'plot'} data-testid="graph-plot"
      onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp}
      onPointerCancel={() => setDrag(null)}
      onPointerLeave={() => { if (!drag) props.onHover(null, 0, 0); }}
    >
      <defs>
        <clipPath id={clipId}><rect x={box.x} y={box.y} width={box.width} height={box.height} /></clipPath>
      </defs>
      <rect className="plot-bg" x={box.x} y={box.y} width={box.width} height={box.height} />
      <GraphMarks graph={graph} sc={sc} box={box} clipId={clipId} />
      <g clipPath={`url(#${clipId})`} className="highlights" pointerEvents="none">
        {selected && (
          <g className="selected" data-testid="graph-selected-frame" data-frame={props.selectedFrame ?? undefined}>
            <path className="crosshair" d={`M${selected.x} ${box.y}V${box.y + box.height}`} />
            {selected.y !== null && <rect x={selected.x - 5} y={selected.y - 5} width={10} height={10} rx={3} />}
          </g>
        )}
        {hovered && (
          <g className="hovered">
            <rect x={sc.x(hovered.t) - 5} y={(hovered.v === null ? box.y + MARK_BAND / 2 : sc.y(hovered.v)) - 5} width={10} height={10} rx={3} />
          </g>
        )}
      </g>
      {brush && <rect className="brush" data-testid="graph-brush" x={brush.x} y={box.y} width={Math.max(brush.w, 0)} height={box.height} />}
    </g>
  );
}

function GraphTooltip({ graph: g, hit, unit, x, y, width, height }: { graph: StreamGraph; hit: GraphHit; unit: GraphUnit; x: number; y: number; width: number; height: number }) {
  const { t, i18n } = useTranslation();
  const frame = graphHitFrame(g, hit);
  const { t: time, v } = graphHitPoint(g, hit);
  const look = hit.series >= 0 ? SERIES[g.kind][hit.series] : null;
  const rows: ReactNode[] = [];
  let title: string;
  let flags: string[] = [];
  if (hit.series < 0) {
    title = t('graph.tip.frame', { frame });
    flags = flagKeys(g.markFlags[hit.index], SEG_FLAG_KEYS).map((k) => t(`chart.flag.${k}`));
    rows.push(<div key="t"><dt>{t('chart.tip.time')}</dt><dd className="mono">{fmtTimeExact(time)}</dd></div>);
  } else {
    title = frame > 0 ? t('graph.tip.frame', { frame }) : t('graph.tip.bin', { from: fmtTimeExact(time), width: fmtValue(g.binWidth, { div: 1e-3, key: 'ms' }, i18n.language) });
    rows.push(<div key="t"><dt>{t('chart.tip.time')}</dt><dd className="mono">{fmtTimeExact(time)}</dd></div>);
    if (look && v !== null) rows.push(<div key="v"><dt>{t(`graph.legend.${look.key}`)}</dt><dd className="mono">{t('graph.valueUnit', { v: fmtValue(v, unit, i18n.language), unit: t(`graph.unit.${unit.key}`) })}</dd></div>);
  }
  const style = {
    left: x + 260 > width ? undefined : x + 14,
    right: x + 260 > width ? width - x + 14 : undefined,
    top: y + 110 > height ? undefined : y + 14,
    bottom: y + 110 > height ? height - y + 14 : undefined,
  };
  return (
    <div className="chart-tooltip" role="tooltip" data-testid="graph-tooltip" style={style}>
      <div className="tip-title">{title}</div>
      <dl className="graph-tip-rows">{rows}</dl>
      {flags.length > 0 && <div className="tip-flags">{flags.join(' · ')}</div>}
      {frame > 0 && <div className="tip-hint muted">{t('chart.tip.click')}</div>}
    </div>
  );
}

function GraphLegend({ graph, kind }: { graph: StreamGraph | null; kind: GraphKind }) {
  const { t } = useTranslation();
  const looks = new Map<string, string>();
  if (graph) {
    for (let i = 0; i < graph.markCount; i++) {
      const look = segmentLook(graph.markFlags[i]);
      const id = look?.id ?? '';
      if (looks.has(id)) continue;
      // Named as the chart's legend names them; SYN/FIN/RST and probes have no segment entry there.
      const label = look?.legend ? t(`chart.legend.${look.legend.keyNoMtu ?? look.legend.key}`)
        : look?.id === 'ctl' ? t('chart.legend.conn') : look?.id === 'probe' ? t('graph.legend.probe') : t('graph.legend.event');
      looks.set(id, label);
    }
  }
  return (
    <ul className="chart-legend" data-testid="graph-legend">
      {SERIES[kind].map((s, k) => (
        <li key={s.key} className={graph && (graph.series[k]?.count ?? 0) === 0 ? 'absent' : ''} data-testid={`graph-legend-${s.key}`}>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
            {s.dots ? <path className={`graph-series ${s.cls} dots`} d="M3 9h2v2H3ZM7 5h2v2H7ZM11 7h2v2h-2Z" /> : <path className={`graph-series ${s.cls}`} d={s.step ? 'M1 12H6V5H11V9H15' : 'M1 12L6 6L11 9L15 4'} />}
          </svg>
          {t(`graph.legend.${s.key}`)}
        </li>
      ))}
      {[...looks].map(([id, label]) => (
        <li key={`m-${id}`} data-testid={`graph-legend-mark-${id || 'event'}`}>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path className={id ? `seg ${id}` : 'seg'} d="M8 1V15" /></svg>
          {label}
        </li>
      ))}
    </ul>
  );
}

export function GraphPanel(props: GraphPanelProps) {
  const { frame, choice, average, stream, dir } = props;
  const { t, i18n } = useTranslation();
  const kinds = props.kinds ?? GRAPH_KINDS;
  const kind: GraphKind | null = choice !== 'none' && kinds.includes(choice) ? choice : null;
  const height = props.height ?? 150;
  const [t0, t1] = frame.xDomain;
  // A new function on every render is fine: useGraph asks again only when what it names changes.
  const requester = props.requestGraph(kind ?? 'throughput', kind === 'throughput' ? average : 0);
  const { graph, status } = useGraph(requester, `${stream}/${dir}/${kind}`, `${kind === 'throughput' ? average : 0}`, t0, t1, frame.pixels, kind === null || !frame.ready);
  const [hoverState, setHover] = useState<{ hit: GraphHit; x: number; y: number; of: StreamGraph } | null>(null);
  const hover = hoverState && hoverState.of === graph ? hoverState : null;
  const yDomain = useMemo(() => graphYDomain(graph), [graph]);
  const unit = useMemo(() => graphUnit(kind ?? 'throughput', yDomain[1]), [kind, yDomain]);
  const decimals = timeDecimals(t1 - t0);
  const xTicks = useMemo(() => niceTicks(t0, t1, Math.max(2, Math.floor(frame.pixels / 90))), [t0, t1, frame.pixels]);
  // Round numbers of the axis unit (50 KiB, not 48.8).
  const yTicks = useMemo(
    () => niceTicks(yDomain[0] / unit.div, yDomain[1] / unit.div, Math.max(2, Math.floor((height - MARGIN.top - MARGIN.bottom) / 36))).map((v) => v * unit.div),
    [yDomain, unit, height],
  );
  const count = graph ? graphPointCount(graph) : 0;
  const empty = graph !== null && count === 0;
  const avgText = (s: number) => {
    const l = averageLabel(s);
    return l.key === 'auto' ? t('graph.avgAuto') : t(`graph.avg.${l.key}`, { v: l.v });
  };

  return (
    <div
      className={kind ? 'graph-panel on' : 'graph-panel'} data-testid="stream-graph" data-kind={kind ?? 'none'}
      data-t0={graph?.t0} data-t1={graph?.t1} data-points={count} data-status={status}
      aria-label={t('graph.title')} role="group"
    >
      {/* The chart's keys (+, −, 0) stay the chart's: typing in the switch or the select never zooms. */}
      <div className="seqchart-bar graph-bar" onKeyDown={(e) => e.stopPropagation()}>
        <span className="graph-title">{t('graph.title')}</span>
        <GraphSwitch choice={kind ?? 'none'} kinds={kinds} onChoice={props.onChoice} />
        {kind === 'throughput' && props.onAverage && <AverageSelect value={average} onChange={props.onAverage} />}
        {graph && kind && (
          <span className="seqchart-info mono muted" data-testid="graph-info">
            {t('graph.info', { count, from: fmtTime(t0, decimals + 1), to: fmtTime(t1, decimals + 1) })}
            {kind === 'throughput' && graph.average > 0 && ` · ${t('graph.infoAverage', { avg: avgText(+graph.average.toPrecision(3)) })}`}
            {graph.decimated && <span title={t('chart.decimatedHelp')}> · {t('chart.decimated')}</span>}
          </span>
        )}
      </div>
      {kind && (
        <>
          <div className="graph-body" style={{ height }}>
            {frame.width > 0 && (
              <div className="seqchart-surface">
                <ComposedChart width={frame.width} height={height} margin={MARGIN} data={[]} accessibilityLayer={false}>
                  <CartesianGrid className="seqchart-grid" />
                  <XAxis
                    type="number" dataKey="t" domain={frame.xDomain} allowDataOverflow ticks={xTicks} interval={0}
                    tickFormatter={(v: number) => fmtTime(v, decimals)} height={MARGIN.bottom}
                  />
                  <YAxis
                    type="number" dataKey="v" domain={yDomain} allowDataOverflow ticks={yTicks} interval={0} width={CHART_Y_AXIS_WIDTH}
                    tickFormatter={(v: number) => fmtValue(v, unit, i18n.language)}
                    label={{ value: t(`graph.axis.${kind}`, { unit: t(`graph.unit.${unit.key}`) }), angle: -90, position: 'insideLeft', offset: 4, className: 'axis-label', textAnchor: 'middle' }}
                  />
                  {graph && (
                    <GraphPlot
                      graph={graph} xDomain={frame.xDomain} yDomain={yDomain} selectedFrame={props.selectedFrame} hover={hover?.hit ?? null}
                      onHover={(hit, x, y) => setHover(hit ? { hit, x, y, of: graph } : null)}
                      onSelectFrame={props.onSelectFrame}
                      onWindow={frame.onWindow} onPan={frame.onPan} onWheelZoom={frame.onWheelZoom}
                    />
                  )}
                </ComposedChart>
              </div>
            )}
            {graph && hover && <GraphTooltip graph={graph} hit={hover.hit} unit={unit} x={hover.x} y={hover.y} width={frame.width} height={height} />}
            {status === 'loading' && !graph && <div className="seqchart-status">{t('graph.loading')}</div>}
            {status === 'failed' && <div className="seqchart-status error">{t('graph.failed')}</div>}
            {empty && <div className="seqchart-status">{t(`graph.empty.${kind}`)}</div>}
          </div>
          <div className="seqchart-foot">
            <GraphLegend graph={graph} kind={kind} />
          </div>
        </>
      )}
    </div>
  );
}

export default GraphPanel;
