/**
 * The stream view's joint chart: shown when another capture point is loaded for the open capture.
 * It follows the main chart's zoom until it is zoomed on its own ("Zoom to the first loss"), which
 * leaves the main chart as it was. Opened from a cross-point finding, it scrolls into sight and
 * takes the keyboard, so the result is on screen without hunting for it.
 */
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import { JointChart, POINT_COLOURS } from './JointChart';
import { jointRevealed, usePoints } from './pointsStore';
import { usePointsText } from './strings';
import './points.css';

export function PointsStreamChart({ stream }: { stream: number }) {
  const t = usePointsText();
  const dir = useUi((s) => s.dir);
  const zoom = useUi((s) => s.zoom);
  const fileName = useSession((s) => s.fileName);
  const { files, names, view, reveal } = usePoints();
  const shown = !!view && files[0]?.name === fileName;
  // This chart's own window, for this stream and direction only.
  const [own, setOwn] = useState<{ key: string; t0: number; t1: number } | null>(null);
  const key = `${stream}/${dir}`;
  const ownWindow = own?.key === key ? own : null;
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = section.current;
    if (!reveal || !shown || !el) return;
    jointRevealed();
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
  }, [reveal, shown]);
  if (!shown) return null;
  const joint = view.joint[stream];
  const firstLost = joint ? joint.lost.findIndex((l, k) => l && joint.dir[k] === dir) : -1;
  // Both points' copies of a packet are a one-way delay apart (often a millisecond): visible once
  // the window is a fraction of a second.
  const zoomToLoss = () => {
    if (!joint || firstLost < 0) return;
    const at = joint.t[firstLost];
    setOwn({ key, t0: Math.max(0, at - 0.02), t1: at + 0.02 });
  };
  return (
    <section className="panel joint" data-testid="joint" ref={section} tabIndex={-1} aria-labelledby="joint-title">
      <h2 id="joint-title">{t('chart', { a: names[0] ?? '0', b: names[1] ?? '1' })}</h2>
      <div className="joint-legend">
        {names.map((n, i) => (
          <span key={i}><span className={i ? 'point-swatch hollow' : 'point-swatch'} style={{ background: POINT_COLOURS[i], borderColor: POINT_COLOURS[i] }} aria-hidden="true" /> {n}</span>
        ))}
        <span><span style={{ color: '#d11f1f', fontWeight: 700 }}>✕</span> {t('lost')}</span>
        {firstLost >= 0 && <button type="button" onClick={zoomToLoss} title={t('zoomLossHelp')} data-testid="joint-zoom-loss">{t('zoomLoss')}</button>}
        {ownWindow && <button type="button" onClick={() => setOwn(null)} data-testid="joint-follow">{t('follow')}</button>}
      </div>
      <p className="muted joint-hint">{t('chartHint')}</p>
      {joint
        ? <JointChart joint={joint} dir={dir} names={names} lostLabel={t('lost')} axisTime={t('axisTime')} axisSeq={t('axisSeq')} window={ownWindow ?? zoom} />
        : <p>{t('noStream')}</p>}
      {joint?.truncated && <p className="muted">{t('truncated')}</p>}
    </section>
  );
}
