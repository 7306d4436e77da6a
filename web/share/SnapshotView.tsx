/**
 * A self-contained link opened without its capture: the chart and the analysis as they were shared,
 * read-only and marked as a snapshot. Drawn by the app's own SequenceChart from the snapshot's
 * series; every text is validated data rendered as text.
 */
import { useState } from 'react';
import { isIpv6, type CaptureRef, type Endpoint, type FindingText, type SeriesSnapshot } from '../../src/share/index';
import { GraphPanel } from '../chart/GraphPanel';
import { SequenceChart } from '../chart/SequenceChart';
import { fmtBytes } from '../format';
import { useUi, type GraphChoice, type TimeWindow } from '../store/uiStore';
import { useShareT } from './strings';
import './share.css';

/** The app's way of writing an endpoint: 192.0.2.1:443, [2001:db8::1]:443, client:443. */
function shown(e: Endpoint): string {
  return isIpv6(e.addr) ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

export function SnapshotView({ snapshot, capture }: { snapshot: SeriesSnapshot; capture: CaptureRef }) {
  const { t } = useShareT();
  const lang = useUi((s) => s.lang);
  const s = snapshot.series;
  const [zoom, setZoom] = useState<TimeWindow | null>({ t0: s.t0, t1: s.t1 });
  const [frame, setFrame] = useState<number | null>(snapshot.finding?.frames[0] ?? null);
  const graph = snapshot.graph;
  const [graphChoice, setGraphChoice] = useState<GraphChoice>(graph?.kind ?? 'none');
  const a = shown(snapshot.stream.a);
  const b = shown(snapshot.stream.b);
  const [from, to] = s.dir === 0 ? [a, b] : [b, a];
  const text: FindingText | undefined = snapshot.finding?.text[lang] ?? snapshot.finding?.text.en ?? snapshot.finding?.text['zh-CN'];

  return (
    <div className="stream-view snapshot-view" data-testid="snapshot-view">
      <div className="stream-head">
        <span className="badge sev-info" data-testid="snapshot-badge">{t('snapshot.badge')}</span>
        <h2>{t('snapshot.title', { stream: s.stream, from, to })}</h2>
      </div>
      <p className="muted">
        {t('snapshot.body')} {t('snapshot.explore', { name: capture.name ?? t('needs.unnamed'), size: capture.size === undefined ? t('needs.unknownSize') : fmtBytes(capture.size, lang) })}
        {snapshot.masked ? ` ${t('snapshot.masked')}` : ''}
      </p>
      <div className="stream-top">
        <section className="panel chart" data-testid="snapshot-chart">
          <SequenceChart
            stream={s.stream} dir={s.dir === 1 ? 1 : 0} mtu={s.pathMtu} zoom={zoom} selectedFrame={frame}
            onSelectFrame={setFrame} onZoom={setZoom}
            // The snapshot holds one window: every request gets it, and the chart shows what falls inside.
            requestSeries={() => Promise.resolve({ series: s })}
            // The graph shown when the snapshot was made, if any: the one kind it holds, its one window.
            below={graph && ((chartFrame) => (
              <GraphPanel
                stream={s.stream} dir={s.dir === 1 ? 1 : 0} frame={chartFrame} choice={graphChoice} average={graph.average}
                kinds={[graph.kind]} onChoice={setGraphChoice}
                selectedFrame={frame} onSelectFrame={setFrame}
                requestGraph={() => () => Promise.resolve({ graph })}
              />
            ))}
          />
        </section>
        <section className="panel analysis" data-testid="snapshot-text">
          {text ? (
            <>
              <h3>{text.title}</h3>
              {text.body.map((p, i) => <p key={i}>{p}</p>)}
              {text.remedy.length > 0 && <h4>{t('snapshot.remedy')}</h4>}
              {text.remedy.map((p, i) => <p key={`r${i}`}>{p}</p>)}
              {text.facts.length > 0 && (
                <>
                  <h4>{t('snapshot.numbers')}</h4>
                  <dl data-testid="snapshot-numbers">
                    {text.facts.map(([k, v], i) => <div key={i}><dt>{k}</dt><dd>{v}</dd></div>)}
                  </dl>
                </>
              )}
            </>
          ) : (
            <p className="muted">{t('snapshot.noFinding')}</p>
          )}
        </section>
      </div>
    </div>
  );
}
