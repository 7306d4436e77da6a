/**
 * Where the sequence chart goes: web/chart/SequenceChart.tsx, given ChartSlotProps and wired to the
 * UI store (direction, MTU, zoom, selected frame). Data comes through `requestSeries` (the worker's
 * `streamSeries` view, typed in protocol.ts). Under it, on its time axis, the stream graph chosen
 * (web/chart/GraphPanel.tsx, the worker's `streamGraph` view).
 */
import { useTranslation } from 'react-i18next';
import { GraphPanel } from '../chart/GraphPanel';
import { SequenceChart } from '../chart/SequenceChart';
import { useFollowFrame } from '../hooks/useFollowFrame';
import { ask } from '../store/session';
import { useUi, type TimeWindow } from '../store/uiStore';
import type { Direction, ResultMap } from '../worker/protocol';

export interface ChartSlotProps {
  stream: number;
  dir: Direction;
  mtu: number;
  zoom: TimeWindow | null;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  onZoom(zoom: TimeWindow | null): void;
  requestSeries(t0: number, t1: number, pixels: number): Promise<ResultMap['streamSeries'] | null>;
}

export function ChartSlot({ stream }: { stream: number }) {
  const { t } = useTranslation();
  const dir = useUi((s) => s.dir);
  const mtu = useUi((s) => s.mtu);
  const zoom = useUi((s) => s.zoom);
  const frame = useUi((s) => s.frame);
  const graph = useUi((s) => s.graph);
  const graphAverage = useUi((s) => s.graphAverage);
  useFollowFrame(stream);
  return (
    <section className="panel chart" aria-label={t('stream.chart')} data-testid="chart-slot">
      <SequenceChart
        stream={stream} dir={dir} mtu={mtu} zoom={zoom} selectedFrame={frame}
        onSelectFrame={(f) => useUi.getState().selectFrame(f)}
        onZoom={(z) => useUi.getState().setZoom(z)}
        requestSeries={(t0, t1, pixels) => ask({ type: 'streamSeries', stream, dir, t0, t1, pixels, mtu }).then((o) => (o.ok ? o.value : null))}
        below={(chartFrame) => (
          <GraphPanel
            stream={stream} dir={dir} frame={chartFrame} choice={graph} average={graphAverage} selectedFrame={frame}
            onChoice={(g) => useUi.getState().setGraph(g)}
            onAverage={(a) => useUi.getState().setGraphAverage(a)}
            onSelectFrame={(f) => useUi.getState().selectFrame(f)}
            requestGraph={(kind, average) => (t0, t1, pixels) =>
              ask({ type: 'streamGraph', stream, dir, kind, t0, t1, pixels, average }).then((o) => (o.ok ? o.value : null))}
          />
        )}
      />
    </section>
  );
}
