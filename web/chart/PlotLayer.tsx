/**
 * Everything inside the plot area: the marks, the selected-frame highlight, the hovered mark and the
 * brush, plus the pointer handling (drag to zoom, Shift/Alt-drag to pan, wheel to zoom at the
 * pointer, click to select). Lives inside the recharts surface to get the laid-out plot area.
 */
import { useId, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { usePlotArea } from 'recharts';
import type { StreamSeries } from '../../src/view/index';
import { ChartMarks } from './ChartMarks';
import { frameOf, hitTest, locateFrame, windowBetween, type Hit, type Window } from './chartMath';
import { makeScales, type PlotBox, type Scales } from './scales';
import { useWheelZoom } from './useWheelZoom';

export interface PlotLayerProps {
  series: StreamSeries;
  xDomain: [number, number];
  yDomain: [number, number];
  selectedFrame: number | null;
  hover: Hit | null;
  onHover(hit: Hit | null, px: number, py: number): void;
  onSelectFrame(frame: number): void;
  /** A brushed range or the end of a pan: the new window to ask the worker for. */
  onWindow(w: Window): void;
  /** Live pan while dragging. */
  onPan(w: Window): void;
  /** Wheel: zoom by factor around time `at`. */
  onWheelZoom(at: number, factor: number): void;
}

/** Pointer travel below which a press is a click, not a drag. */
const CLICK_SLOP = 4;

interface Drag {
  mode: 'brush' | 'pan';
  x0: number;
  x: number;
  start: Window;
}

function Highlights({ series, sc, box, selectedFrame, hover }: { series: StreamSeries; sc: Scales; box: PlotBox; selectedFrame: number | null; hover: Hit | null }) {
  const sel = selectedFrame !== null ? locateFrame(series, selectedFrame) : null;
  const hoverFrame = hover && (hover.kind === 'seg' || hover.kind === 'mark' || hover.kind === 'ack') ? locateFrame(series, frameOf(series, hover)) : null;
  const ring = (p: { t: number; y0: number; y1: number }, cls: string, testId?: string) => {
    const x = sc.x(p.t), ya = sc.y(p.y1), yb = sc.y(p.y0);
    return (
      <g className={cls} data-testid={testId} data-frame={testId ? selectedFrame ?? undefined : undefined}>
        {cls === 'selected' && <path className="crosshair" d={`M${x} ${box.y}V${box.y + box.height}`} />}
        <rect x={x - 6} y={Math.min(ya, yb) - 6} width={12} height={Math.abs(yb - ya) + 12} rx={4} />
      </g>
    );
  };
  return (
    <g className="highlights" pointerEvents="none">
      {sel && ring(sel, 'selected', 'selected-frame')}
      {hoverFrame && ring(hoverFrame, 'hovered')}
    </g>
  );
}

export function PlotLayer(props: PlotLayerProps) {
  const { series, xDomain, yDomain, onWheelZoom } = props;
  const area = usePlotArea();
  const clipId = `seqchart-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const gRef = useRef<SVGGElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const ax = area?.x ?? 0, ay = area?.y ?? 0, aw = area?.width ?? 0, ah = area?.height ?? 0;
  const box = useMemo<PlotBox>(() => ({ x: ax, y: ay, width: aw, height: ah }), [ax, ay, aw, ah]);
  const sc = useMemo(() => makeScales(box, xDomain, yDomain), [box, xDomain, yDomain]);
  // The selected frame's box: the SYN/FIN/RST labels keep clear of it.
  const selected = props.selectedFrame !== null ? locateFrame(series, props.selectedFrame) : null;
  const avoidKey = selected ? `${sc.x(selected.t)},${sc.y(selected.y0)},${sc.y(selected.y1)}` : '';
  const avoid = useMemo(() => {
    if (!avoidKey) return [];
    const [x, ya, yb] = avoidKey.split(',').map(Number);
    return [{ x0: x - 7, x1: x + 7, y0: Math.min(ya, yb) - 7, y1: Math.max(ya, yb) + 7 }];
  }, [avoidKey]);

  const ready = aw > 0 && ah > 0;
  useWheelZoom(gRef, ready, sc, onWheelZoom);

  if (!area || !ready) return null;

  const local = (e: ReactPointerEvent) => {
    const r = gRef.current?.ownerSVGElement?.getBoundingClientRect();
    return { px: e.clientX - (r?.left ?? 0), py: e.clientY - (r?.top ?? 0) };
  };
  const onPointerDown = (e: ReactPointerEvent<SVGGElement>) => {
    if (e.button !== 0) return;
    // No text selection from a drag on the plot: Shift+drag would extend the page's selection from
    // the last click, and a later drag starting on that selected text became a native drag and drop
    // instead of a zoom.
    e.preventDefault();
    window.getSelection()?.removeAllRanges();
    const { px } = local(e);
    e.currentTarget.setPointerCapture?.(e.pointerId);
    setDrag({ mode: e.shiftKey || e.altKey || e.ctrlKey || e.metaKey ? 'pan' : 'brush', x0: px, x: px, start: { t0: xDomain[0], t1: xDomain[1] } });
  };
  const onPointerMove = (e: ReactPointerEvent<SVGGElement>) => {
    const { px, py } = local(e);
    if (!drag) {
      props.onHover(hitTest(series, px, py, sc.x, sc.y), px, py);
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
    if (drag.mode === 'pan') {
      if (moved) {
        const dt = sc.tAt(drag.x0) - sc.tAt(px);
        props.onWindow({ t0: drag.start.t0 + dt, t1: drag.start.t1 + dt });
      }
    } else if (moved) {
      props.onWindow(windowBetween(sc.tAt(drag.x0), sc.tAt(px)));
      return;
    }
    if (!moved) {
      // A click on a drawn mark selects exactly that mark; elsewhere the nearest one within reach.
      const el = (e.target as Element).closest?.('[data-frame]');
      const frame = el ? Number(el.getAttribute('data-frame')) : NaN;
      const hit = Number.isFinite(frame) && frame > 0 ? null : hitTest(series, px, py, sc.x, sc.y);
      const f = Number.isFinite(frame) && frame > 0 ? frame : hit ? frameOf(series, hit) : 0;
      if (f > 0) props.onSelectFrame(f);
    }
  };

  const brush = drag && drag.mode === 'brush' && Math.abs(drag.x - drag.x0) > CLICK_SLOP
    ? { x: Math.max(box.x, Math.min(drag.x, drag.x0)), w: Math.min(Math.abs(drag.x - drag.x0), box.x + box.width - Math.min(drag.x, drag.x0)) }
    : null;

  return (
    <g
      ref={gRef}
      className={drag?.mode === 'pan' ? 'plot panning' : 'plot'}
      data-testid="chart-plot"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => setDrag(null)}
      onPointerLeave={() => { if (!drag) props.onHover(null, 0, 0); }}
    >
      <defs>
        <clipPath id={clipId}>
          <rect x={box.x} y={box.y} width={box.width} height={box.height} />
        </clipPath>
      </defs>
      <rect className="plot-bg" x={box.x} y={box.y} width={box.width} height={box.height} />
      <ChartMarks series={series} scales={sc} box={box} t1={xDomain[1]} clipId={clipId} avoid={avoid} />
      <g clipPath={`url(#${clipId})`}>
        <Highlights series={series} sc={sc} box={box} selectedFrame={props.selectedFrame} hover={props.hover} />
      </g>
      {brush && <rect className="brush" data-testid="chart-brush" x={brush.x} y={box.y} width={Math.max(brush.w, 0)} height={box.height} />}
    </g>
  );
}
