// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TcpFlag } from '../../src/decode/columns';
import { TcpFlagBit } from '../../src/tcp/types';
import { streamSeries, type StreamSeries } from '../../src/view/series';
import type { ComponentType } from 'react';
import { SequenceChart, type SequenceChartProps } from '../../web/chart/SequenceChart';
import type { ChartSlotProps } from '../../web/components/ChartSlot';
import { hitTest, niceTicks, visibleSeqRange, zoomAt } from '../../web/chart/chartMath';
import { labelParts, layoutMarkLabels } from '../../web/chart/markLabels';
import { LEGEND_ORDER, SEGMENT_LOOKS } from '../../web/chart/segmentMarks';
import { en } from '../../web/i18n/en';
import { zhCN } from '../../web/i18n/zh-CN';
import { createI18n } from '../../web/i18n/index';
import { synth, type SynthPacket } from './series.synth';

afterEach(cleanup);

// The stream view mounts the chart through ChartSlot: its props must stay assignable to ours.
const _mountable: ComponentType<ChartSlotProps> = SequenceChart;
void _mountable;

// jsdom has no PointerEvent: a MouseEvent with a pointer id carries what the chart reads.
if (typeof globalThis.PointerEvent === 'undefined') {
  class PointerEventShim extends MouseEvent {
    readonly pointerId: number;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
    }
  }
  (globalThis as { PointerEvent?: unknown }).PointerEvent = PointerEventShim;
}

const big: SynthPacket = { t: 0.914, dir: 0, seq: 346, ack: 154, len: 1398, ipLen: 1450, hdr: TcpFlag.Psh };
const input = synth([
  { t: 0, dir: 0, seq: 0, hdr: TcpFlag.Syn },
  { t: 0.0025, dir: 1, seq: 0, ack: 1, hdr: TcpFlag.Syn },
  { t: 0.003, dir: 0, seq: 1, ack: 1, len: 345 },
  { t: 0.006, dir: 1, seq: 1, ack: 346, len: 153 },
  big,
  { t: 0.9142, dir: 0, seq: 1744, ack: 154, len: 1307, ipLen: 1359 },
  { t: 0.917, dir: 1, seq: 154, ack: 346, sack: [[1744, 3051]] },
  ...[0.922, 1.13, 1.54, 2.38, 4.04, 7.49, 14.15].map((t) => ({ ...big, t, flags: TcpFlagBit.Retransmission })),
  { t: 25.9, dir: 1, seq: 154, ack: 346, hdr: TcpFlag.Fin, sack: [[1744, 3051]] },
  { t: 25.91, dir: 0, seq: 346, hdr: TcpFlag.Rst },
]);

function setup(over: Partial<SequenceChartProps> = {}) {
  const requests: [number, number, number][] = [];
  const requestSeries = vi.fn(async (t0: number, t1: number, pixels: number) => {
    requests.push([t0, t1, pixels]);
    return { series: streamSeries(input, { stream: 0, dir: 0, t0, t1, pixels, pathMtu: 1440 }) };
  });
  const onSelectFrame = vi.fn();
  const onZoom = vi.fn();
  const props: SequenceChartProps = {
    stream: 0, dir: 0, mtu: 1440, zoom: null, selectedFrame: null, onSelectFrame, onZoom, requestSeries,
    width: 900, height: 420, ...over,
  };
  const i18n = createI18n('en');
  const view = render(<I18nextProvider i18n={i18n}><SequenceChart {...props} /></I18nextProvider>);
  const rerender = (p: Partial<SequenceChartProps>) =>
    view.rerender(<I18nextProvider i18n={i18n}><SequenceChart {...props} {...p} /></I18nextProvider>);
  return { ...view, requests, onSelectFrame, onZoom, requestSeries, rerender };
}

describe('SequenceChart (jsdom)', () => {
  it('draws the hole band, the oversized markers and one mark per segment', async () => {
    const { container, requests } = setup();
    await waitFor(() => expect(screen.getAllByTestId('hole-band')).toHaveLength(1));
    expect(screen.getAllByTestId('oversized-mark')).toHaveLength(8);
    const frames = [...container.querySelectorAll('[data-testid="segment"]')].map((e) => Number(e.getAttribute('data-frame')));
    expect(frames).toEqual([1, 3, 5, 6, 8, 9, 10, 11, 12, 13, 14, 16]);
    expect(requests[0][2]).toBe(900 - 8 - 18 - 64);
    expect(Number.isNaN(requests[0][0])).toBe(true);
    expect(screen.getByTestId('legend-oversized').textContent).toContain('1440');
    expect(screen.getByTestId('hole-band').textContent).toContain('1,398');
  });

  it('selects the frame of a clicked segment and highlights the selected frame', async () => {
    const { container, onSelectFrame, rerender } = setup();
    await waitFor(() => expect(container.querySelector('[data-testid="segment"][data-frame="9"]')).not.toBeNull());
    const seg = container.querySelector('[data-testid="segment"][data-frame="9"]')!;
    fireEvent.pointerDown(seg, { button: 0, clientX: 300, clientY: 200, pointerId: 1 });
    fireEvent.pointerUp(seg, { button: 0, clientX: 300, clientY: 200, pointerId: 1 });
    expect(onSelectFrame).toHaveBeenCalledWith(9);
    expect(screen.queryByTestId('selected-frame')).toBeNull();
    rerender({ selectedFrame: 9 });
    expect(screen.getByTestId('selected-frame').getAttribute('data-frame')).toBe('9');
  });

  it('zooms to a dragged range and asks for that window', async () => {
    const { container, onZoom, requests } = setup();
    await waitFor(() => expect(screen.getAllByTestId('segment').length).toBeGreaterThan(0));
    const plot = container.querySelector('[data-testid="chart-plot"]')!;
    fireEvent.pointerDown(plot, { button: 0, clientX: 100, clientY: 200, pointerId: 1 });
    fireEvent.pointerMove(plot, { clientX: 200, clientY: 200, pointerId: 1 });
    fireEvent.pointerUp(plot, { clientX: 200, clientY: 200, pointerId: 1 });
    expect(onZoom).toHaveBeenCalledTimes(1);
    const w = onZoom.mock.calls[0][0] as { t0: number; t1: number };
    expect(w.t1).toBeGreaterThan(w.t0);
    await waitFor(() => expect(requests.at(-1)?.[0]).toBe(w.t0));
    fireEvent.click(screen.getByTestId('chart-reset'));
    expect(onZoom).toHaveBeenLastCalledWith(null);
  });

  it('zooms at the pointer on the wheel', async () => {
    const { container, onZoom } = setup();
    await waitFor(() => expect(screen.getAllByTestId('segment').length).toBeGreaterThan(0));
    const plot = container.querySelector('[data-testid="chart-plot"]')!;
    // The native (non-passive) wheel listener is attached by an effect after the first paint: on a
    // busy machine the segments can be drawn before it is, so wheel until the chart zooms.
    await waitFor(() => {
      act(() => { plot.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, clientX: 300, bubbles: true, cancelable: true })); });
      expect(onZoom).toHaveBeenCalled();
    });
    const w = onZoom.mock.calls.at(-1)?.[0] as { t0: number; t1: number };
    expect(w.t1 - w.t0).toBeLessThan(26);
  });

  it('shows a tooltip for the mark under the pointer', async () => {
    const { container } = setup();
    await waitFor(() => expect(screen.getAllByTestId('segment').length).toBeGreaterThan(0));
    const seg = container.querySelector('[data-testid="segment"][data-frame="5"]')!;
    const d = seg.getAttribute('d')!;
    const [x, y] = d.match(/[\d.]+/g)!.map(Number).filter((_, i) => i === 0 || i === 1);
    fireEvent.pointerMove(container.querySelector('[data-testid="chart-plot"]')!, { clientX: x + 2.5, clientY: y + 2 });
    const tip = await screen.findByTestId('chart-tooltip');
    expect(tip.textContent).toContain('Frame 5');
    expect(tip.textContent).toContain('1,450');
    expect(tip.textContent).toContain('oversized');
  });

  it('takes the receive-window line into the sequence axis on request', async () => {
    const { container } = setup();
    await waitFor(() => expect(screen.getAllByTestId('segment').length).toBeGreaterThan(0));
    const ticks = () => [...container.querySelectorAll('.recharts-yAxis-tick-labels text')].map((e) => e.textContent ?? '');
    // The axis is laid out after the marks (a busy machine can take a frame longer): wait for it too.
    await waitFor(() => expect(ticks().at(-1)).toBe('3,000'));
    fireEvent.click(screen.getByTestId('chart-fit-window'));
    await waitFor(() => expect(ticks().at(-1)).toBe('60,000'));
  });

  it('names marks drawn on the same spot in one label: both SYNs, the closing FIN and RST', async () => {
    const { container } = setup();
    await waitFor(() => expect(screen.getAllByTestId('conn-mark')).toHaveLength(4));
    const labels = [...container.querySelectorAll('[data-testid="conn-label"]')];
    expect(labels.map((l) => l.textContent)).toEqual(['SYN ×2', 'FIN · RST']);
    // The RST keeps its colour inside the shared label.
    expect(labels[1].querySelector('tspan.rst')?.textContent).toBe(' · RST');
  });

  it('tells when the direction has no packets', async () => {
    const empty: { series: StreamSeries } = { series: streamSeries(input, { stream: 0, dir: 0, t0: 100, t1: 101, pixels: 500, pathMtu: 0 }) };
    empty.series.ackCount = 0;
    empty.series.markCount = 0;
    setup({ requestSeries: async () => empty });
    expect(await screen.findByText('No packets in this direction.')).toBeTruthy();
  });
});

describe('mark labels', () => {
  const box = { x: 72, y: 14, width: 800, height: 300 };
  const rect = (l: ReturnType<typeof layoutMarkLabels>[number]) => {
    const w = l.parts.reduce((n, p) => n + p.text.length, 0) * 6;
    return { x0: l.anchor === 'end' ? l.x - w : l.x, x1: l.anchor === 'end' ? l.x : l.x + w, y0: l.y - 9, y1: l.y + 2 };
  };
  const apart = (a: ReturnType<typeof rect>, b: ReturnType<typeof rect>) => a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;

  it('merges marks on the same spot: FIN ×2, FIN · RST', () => {
    expect(labelParts([{ name: 'FIN', rst: false }, { name: 'FIN', rst: false }]).map((p) => p.text)).toEqual(['FIN ×2']);
    const mixed = labelParts([{ name: 'FIN', rst: false }, { name: 'RST', rst: true }, { name: 'FIN', rst: false }]);
    expect(mixed).toEqual([{ text: 'FIN ×2', rst: false }, { text: ' · RST', rst: true }]);
    // Both FINs at the top right corner of the plot, a pixel apart.
    const out = layoutMarkLabels([
      { x: 860, y: 20, name: 'FIN', rst: false, receiver: false },
      { x: 861, y: 21, name: 'FIN', rst: false, receiver: true },
    ], box);
    expect(out).toHaveLength(1);
    expect(out[0].parts.map((p) => p.text).join('')).toBe('FIN ×2');
    expect(out[0].marks).toEqual([0, 1]);
    // Flipped inside the plot: left of the mark and below it.
    expect(out[0].anchor).toBe('end');
    expect(out[0].y).toBeGreaterThan(20);
  });

  it('moves close labels apart instead of overprinting them, inside the plot', () => {
    // A FIN and a RST of the same side 10 px apart near the right edge: both want the same place.
    const pts = [
      { x: 850, y: 40, name: 'FIN', rst: false, receiver: false },
      { x: 858, y: 40, name: 'RST', rst: true, receiver: false },
      { x: 862, y: 46, name: 'FIN', rst: false, receiver: true },
    ];
    const out = layoutMarkLabels(pts, box);
    expect(out).toHaveLength(3);
    const rs = out.map(rect);
    for (let i = 0; i < rs.length; i++) {
      for (let j = i + 1; j < rs.length; j++) expect(apart(rs[i], rs[j])).toBe(true);
      expect(rs[i].x0).toBeGreaterThanOrEqual(box.x);
      expect(rs[i].x1).toBeLessThanOrEqual(box.x + box.width);
    }
  });

  it('keeps the usual sides when nothing is in the way', () => {
    const [syn, synAck] = layoutMarkLabels([
      { x: 300, y: 200, name: 'SYN', rst: false, receiver: false },
      { x: 600, y: 200, name: 'SYN', rst: false, receiver: true },
    ], box);
    expect([syn.anchor, syn.y < 200]).toEqual(['start', true]);
    expect([synAck.anchor, synAck.y > 200]).toEqual(['end', true]);
  });
});

describe('chart arithmetic', () => {
  const s = streamSeries(input, { stream: 0, dir: 0, t0: NaN, t1: NaN, pixels: 800, pathMtu: 1440 });

  it('fits the sequence axis to the data, the window line only on request', () => {
    const [lo, hi] = visibleSeqRange(s, { t0: 0, t1: 26 }, false);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(3051);
    expect(hi).toBeLessThan(3400);
    expect(visibleSeqRange(s, { t0: 0, t1: 26 }, true)[1]).toBeGreaterThan(65535);
  });

  it('zooms around a time and finds the nearest mark', () => {
    expect(zoomAt({ t0: 0, t1: 10 }, 5, 0.5)).toEqual({ t0: 2.5, t1: 7.5 });
    const hit = hitTest(s, 143, 300, (t) => t * 10, (v) => 400 - v / 10);
    expect(hit).toEqual({ kind: 'seg', index: Array.from(s.segFrame).indexOf(14) });
    expect(niceTicks(0, 26, 5)).toEqual([0, 5, 10, 15, 20, 25]);
  });
});

describe('segment marks declared once (web/chart/segmentMarks.ts)', () => {
  it('every look with a legend entry is in the legend order, and its words exist in both languages', () => {
    const withLegend = SEGMENT_LOOKS.filter((l) => l.legend).map((l) => l.id);
    expect([...LEGEND_ORDER].sort()).toEqual([...withLegend].sort());
    expect(new Set(SEGMENT_LOOKS.map((l) => l.id)).size).toBe(SEGMENT_LOOKS.length);
    for (const l of SEGMENT_LOOKS) for (const key of [l.legend?.key, l.legend?.keyNoMtu]) {
      if (!key) continue;
      expect((en.chart.legend as Record<string, string>)[key], key).toBeTruthy();
      expect((zhCN.chart.legend as Record<string, string>)[key], key).toBeTruthy();
    }
  });
});
