/** One stream: chart beside the analysis text and the stream's numbers, packet table beside the packet detail. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ask, useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { Direction, StreamRowView } from '../worker/protocol';
import { AnalysisText } from './AnalysisText';
import { ChartSlot } from './ChartSlot';
import { PacketDetail } from './PacketDetail';
import { PacketTable } from './PacketTable';
import { StreamStats } from './StreamStats';
import { ShareBar } from '../share/ShareBar';

function DirectionSwitch({ row }: { row: StreamRowView | null }) {
  const { t } = useTranslation();
  const dir = useUi((s) => s.dir);
  const label = (d: Direction) => (row ? (d === 0 ? `${row.a} → ${row.b}` : `${row.b} → ${row.a}`) : d === 0 ? 'A → B' : 'B → A');
  return (
    <div className="segmented" role="radiogroup" aria-label={t('stream.dir')} data-testid="direction">
      {([0, 1] as Direction[]).map((d) => (
        <button key={d} type="button" role="radio" aria-checked={dir === d} data-testid={`dir-${d}`} className={dir === d ? 'on' : ''} onClick={() => useUi.getState().setDir(d)}>
          <span className="mono">{label(d)}</span>
        </button>
      ))}
    </div>
  );
}

export function StreamView({ stream }: { stream: number }) {
  const { t } = useTranslation();
  const generation = useSession((s) => s.generation);
  const [row, setRow] = useState<StreamRowView | null>(null);
  useEffect(() => {
    let live = true;
    // "#n" matches only the stream index (see matchesFilter).
    void ask({ type: 'streams', sort: { key: 'index', desc: false }, filter: `#${stream}`, problemsOnly: false, from: 0, count: 1 }).then((o) => {
      if (live) setRow(o.ok ? (o.value.rows[0] ?? null) : null);
    });
    return () => { live = false; };
  }, [stream, generation]);

  return (
    <div className="stream-view" data-testid="stream-view">
      <div className="stream-head">
        <button type="button" onClick={() => useUi.getState().selectStream(null)}>← {t('stream.back')}</button>
        <h2>{t('stream.title', { stream })}</h2>
        <DirectionSwitch row={row} />
        <ShareBar />
      </div>
      <div className="stream-top">
        <ChartSlot stream={stream} />
        <div className="stream-side">
          <AnalysisText stream={stream} />
          <StreamStats stream={stream} row={row} />
        </div>
      </div>
      <div className="stream-bottom">
        <PacketTable stream={stream} />
        <PacketDetail />
      </div>
    </div>
  );
}
