/**
 * The time-sequence chart of one direction of a TCP stream: what users read to see the hole.
 * x = seconds since the capture start, y = relative sequence number. recharts lays out the axes and
 * the grid; the marks are our own SVG inside its surface (see ChartMarks). The worker decimates per
 * pixel column, so whatever the stream's size the chart draws a few thousand marks at most; each
 * zoom or pan asks for the series of the new window at the plot's width.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ComposedChart, XAxis, YAxis } from 'recharts';
import type { StreamSeries } from '../../src/view/index';
import { ChartLegend } from './ChartLegend';
import { ChartTooltip } from './ChartTooltip';
import { niceTicks, paddedExtent, timeDecimals, visibleSeqRange, zoomAt, type Hit, type Window } from './chartMath';
import { fmtInt, fmtSeqTick, fmtTime } from './chartText';
import { PlotLayer } from './PlotLayer';
import { useElementSize, useSeries, type SeriesRequester } from './useSeries';
import './chart.css';

export interface SequenceChartProps {
  stream: number;
  /** Direction whose data is drawn: 0 = A→B, 1 = B→A (the parent owns the switch). */
  dir: 0 | 1;
  /** Path MTU for the oversized-DF marks. */
  mtu: number;
  /** Visible time window, or null for the whole stream. */
  zoom: Window | null;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  /** The user zoomed, panned or reset (null = whole stream). */
  onZoom(zoom: Window | null): void;
  /** Same as onZoom, as two numbers; called with the whole stream's padded extent on reset. */
  onWindowChange?(t0: number, t1: number): void;
  requestSeries: SeriesRequester;
  /** Fixed size in pixels; by default the chart fills its box. */
  width?: number;
  height?: number;
  /**
   * What is drawn under the chart on its time axis (the stream graphs, GraphPanel.tsx): given the
   * chart's visible window, its width, and the chart's own zoom and pan, so both move as one.
   */
  below?(frame: ChartFrame): ReactNode;
}

/** The chart's time axis as a panel under it shares it: same window, same plot columns, same zoom. */
export interface ChartFrame {
  /** The visible window (the whole stream's padded extent when not zoomed). */
  xDomain: [number, number];
  /** The chart's width and its plot's width in pixels (CHART_MARGIN and CHART_Y_AXIS_WIDTH aside). */
  width: number;
  pixels: number;
  /** False until the chart's first series came: xDomain is not the stream's yet. */
  ready: boolean;
  /** A new window (null: the whole stream), as the chart's own brush and buttons report it. */
  onWindow(w: Window | null): void;
  /** Live pan while dragging. */
  onPan(w: Window): void;
  onWheelZoom(at: number, factor: number): void;
}

const MARGIN = { top: 14, right: 18, bottom: 34, left: 8 };
const Y_AXIS_WIDTH = 64;
/** The plot's horizontal margins: a panel under the chart uses them to line up pixel for pixel. */
export const CHART_MARGIN: Readonly<typeof MARGIN> = MARGIN;
export const CHART_Y_AXIS_WIDTH = Y_AXIS_WIDTH;

function sameWindow(a: Window | null, b: Window | null): boolean {
  return a === b || (a !== null && b !== null && a.t0 === b.t0 && a.t1 === b.t1);
}

export function SequenceChart(props: SequenceChartProps) {
  const { stream, dir, mtu, zoom, selectedFrame } = props;
  const { t } = useTranslation();
  const [boxRef, measured] = useElementSize<HTMLDivElement>();
  const width = props.width ?? measured.width;
  const height = props.height ?? measured.height;
  const pixels = Math.max(0, width - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH);

  // The window follows the parent's zoom, and moves on its own while the user drags.
  const [view, setView] = useState<Window | null>(zoom);
  const [lastZoom, setLastZoom] = useState<Window | null>(zoom);
  if (!sameWindow(zoom, lastZoom)) {
    setLastZoom(zoom);
    setView(zoom);
  }
  const [fitWindow, setFitWindow] = useState(false);
  const [hoverState, setHover] = useState<{ hit: Hit; x: number; y: number; of: StreamSeries } | null>(null);

  const { series, status } = useSeries(props.requestSeries, `${stream}/${dir}`, `${mtu}`, view, pixels);
  // A hit indexes the series it was found in; a newer series makes it meaningless.
  const hover = hoverState && hoverState.of === series ? hoverState : null;
  const xDomain = useMemo<[number, number]>(() => {
    const w = view ?? (series ? paddedExtent(series) : { t0: 0, t1: 1 });
    return [w.t0, w.t1];
  }, [view, series]);
  const yDomain = useMemo<[number, number]>(
    () => (series ? visibleSeqRange(series, { t0: xDomain[0], t1: xDomain[1] }, fitWindow) : [0, 1]),
    [series, xDomain, fitWindow],
  );
  const decimals = timeDecimals(xDomain[1] - xDomain[0]);
  const xTicks = useMemo(() => niceTicks(xDomain[0], xDomain[1], Math.max(2, Math.floor(pixels / 90))), [xDomain, pixels]);
  // Sequence numbers are whole: a tiny range (one SYN and its RST) would otherwise print "1" four times.
  const yTicks = useMemo(() => niceTicks(yDomain[0], yDomain[1], Math.max(2, Math.floor((height - MARGIN.top - MARGIN.bottom) / 48))).filter(Number.isInteger), [yDomain, height]);

  const report = (w: Window | null) => {
    setView(w);
    props.onZoom(w);
    const shown = w ?? (series ? paddedExtent(series) : null);
    if (shown) props.onWindowChange?.(shown.t0, shown.t1);
  };
  const current = (): Window => ({ t0: xDomain[0], t1: xDomain[1] });
  const zoomBy = (factor: number, at = (xDomain[0] + xDomain[1]) / 2) => report(zoomAt(current(), at, factor));

  const onKeyDown = (e: KeyboardEvent) => {
    const act: Record<string, () => void> = { '+': () => zoomBy(0.5), '=': () => zoomBy(0.5), '-': () => zoomBy(2), '0': () => report(null) };
    const f = act[e.key];
    if (f && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); e.stopPropagation(); f(); }
  };

  // recharts' layers (the grid, the axes) came up as unnamed Tab stops in Chromium: the chart is one
  // Tab stop, its own, with its keys. recharts adds its layers as it draws, so they are taken out of
  // the Tab order as they come.
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = rootRef.current;
    if (!root || typeof MutationObserver !== 'function') return;
    // Its layers are the surface's own children: a query of a few elements per batch of changes.
    const untab = () => root.querySelectorAll('svg.recharts-surface > g:not([tabindex])').forEach((g) => g.setAttribute('tabindex', '-1'));
    untab();
    const mo = new MutationObserver(untab);
    mo.observe(root, { childList: true, subtree: true });
    return () => mo.disconnect();
  }, []);

  const empty = series !== null && series.segCount === 0 && series.ackCount === 0 && series.markCount === 0;
  return (
    <div className="seqchart" data-testid="sequence-chart" ref={rootRef} tabIndex={0} onKeyDown={onKeyDown} aria-label={t('chart.title')}>
      <div className="seqchart-bar">
        <span className="seqchart-info mono" data-testid="chart-info">
          {series && t('chart.info', { shown: fmtInt(series.segCount), total: fmtInt(series.segmentsInWindow), from: fmtTime(xDomain[0], decimals + 1), to: fmtTime(xDomain[1], decimals + 1) })}
          {series?.decimated && <span className="muted" title={t('chart.decimatedHelp')}> · {t('chart.decimated')}</span>}
        </span>
        <span className="seqchart-help muted" title={t('chart.help')}>{t('chart.help')}</span>
        <label className="seqchart-toggle" title={t('chart.fitWindowHelp')}>
          <input type="checkbox" checked={fitWindow} onChange={(e) => setFitWindow(e.target.checked)} data-testid="chart-fit-window" />
          {t('chart.fitWindow')}
        </label>
        <button type="button" onClick={() => zoomBy(2)} title={t('chart.zoomOutHelp')} data-testid="chart-zoom-out">{t('chart.zoomOut')}</button>
        <button type="button" onClick={() => report(null)} disabled={view === null} title={t('chart.resetHelp')} data-testid="chart-reset">{t('chart.reset')}</button>
      </div>
      <div className="seqchart-body" ref={boxRef} style={props.height ? { height: props.height } : undefined}>
        {width > 0 && height > 0 && (
          <div className="seqchart-surface">
          <ComposedChart width={width} height={height} margin={MARGIN} data={[]} accessibilityLayer={false}>
            <CartesianGrid className="seqchart-grid" />
            <XAxis
              type="number" dataKey="t" domain={xDomain} allowDataOverflow ticks={xTicks} interval={0}
              tickFormatter={(v: number) => fmtTime(v, decimals)} height={MARGIN.bottom}
              label={{ value: t('chart.axisTime'), position: 'insideBottomRight', offset: 0, className: 'axis-label' }}
            />
            <YAxis
              type="number" dataKey="seq" domain={yDomain} allowDataOverflow ticks={yTicks} interval={0}
              tickFormatter={fmtSeqTick} width={Y_AXIS_WIDTH}
              label={{ value: t('chart.axisSeq'), angle: -90, position: 'insideLeft', offset: 4, className: 'axis-label', textAnchor: 'middle' }}
            />
            {series && (
              <PlotLayer
                series={series} xDomain={xDomain} yDomain={yDomain} selectedFrame={selectedFrame} hover={hover?.hit ?? null}
                onHover={(hit, x, y) => setHover(hit ? { hit, x, y, of: series } : null)}
                onSelectFrame={props.onSelectFrame}
                onWindow={report}
                onPan={setView}
                onWheelZoom={(at, factor) => zoomBy(factor, at)}
              />
            )}
          </ComposedChart>
          </div>
        )}
        {series && hover && <ChartTooltip series={series} hit={hover.hit} x={hover.x} y={hover.y} width={width} height={height} />}
        {status === 'loading' && !series && <div className="seqchart-status">{t('chart.loading')}</div>}
        {status === 'failed' && <div className="seqchart-status error">{t('chart.failed')}</div>}
        {empty && <div className="seqchart-status">{t('chart.empty')}</div>}
      </div>
      <div className="seqchart-foot">
        <ChartLegend series={series} mtu={mtu} />
      </div>
      {props.below?.({ xDomain, width, pixels, ready: series !== null, onWindow: report, onPan: setView, onWheelZoom: (at, factor) => zoomBy(factor, at) })}
    </div>
  );
}

export default SequenceChart;
