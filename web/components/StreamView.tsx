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
import { FollowStream } from './FollowStream';
import { savePcapng } from './exportFile';

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

/** "Export stream as pcapng": every packet of the stream, named after the capture and the stream. */
function ExportStream({ stream }: { stream: number }) {
  const { t, i18n } = useTranslation();
  const fileName = useSession((s) => s.fileName);
  const [note, setNote] = useState<string | null>(null);
  const run = async () => {
    setNote(t('export.working'));
    const r = await savePcapng({ stream }, fileName, `stream-${stream}`);
    setNote(r.ok ? t('export.done', { name: r.name, packets: r.count.toLocaleString(i18n.language) }) : t('export.failed', { message: r.message }));
  };
  return (
    <>
      <button type="button" onClick={() => void run()} data-testid="export-stream">{t('export.stream')}</button>
      {note && <span className="muted" role="status" data-testid="export-stream-note">{note}</span>}
    </>
  );
}

export function StreamView({ stream }: { stream: number }) {
  const { t } = useTranslation();
  const generation = useSession((s) => s.generation);
  const [row, setRow] = useState<StreamRowView | null>(null);
  const [following, setFollowing] = useState(false);
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
        <button type="button" onClick={() => setFollowing(true)} data-testid="follow-open">{t('follow.open')}</button>
        <ExportStream stream={stream} />
        <ShareBar />
      </div>
      {following && <FollowStream target={{ tcp: stream }} onClose={() => setFollowing(false)} />}
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
