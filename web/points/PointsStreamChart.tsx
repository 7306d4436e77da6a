/** The stream view's joint chart: shown when another capture point is loaded for the open capture. */
import { useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import { JointChart, POINT_COLOURS } from './JointChart';
import { usePoints } from './pointsStore';
import { usePointsText } from './strings';
import './points.css';

export function PointsStreamChart({ stream }: { stream: number }) {
  const t = usePointsText();
  const dir = useUi((s) => s.dir);
  const zoom = useUi((s) => s.zoom);
  const fileName = useSession((s) => s.fileName);
  const { files, names, view } = usePoints();
  if (!view || files[0]?.name !== fileName) return null;
  const joint = view.joint[stream];
  const firstLost = joint ? joint.lost.findIndex((l, k) => l && joint.dir[k] === dir) : -1;
  // Both points' copies of a packet are a one-way delay apart (often a millisecond): visible once
  // the window is a fraction of a second.
  const zoomToLoss = () => {
    if (!joint || firstLost < 0) return;
    const t = joint.t[firstLost];
    useUi.getState().setZoom({ t0: Math.max(0, t - 0.02), t1: t + 0.02 });
  };
  return (
    <section className="panel joint" data-testid="joint">
      <h2>{t('chart', { a: names[0] ?? '0', b: names[1] ?? '1' })}</h2>
      <div className="joint-legend">
        {names.map((n, i) => (
          <span key={i}><span className={i ? 'point-swatch hollow' : 'point-swatch'} style={{ background: POINT_COLOURS[i], borderColor: POINT_COLOURS[i] }} aria-hidden="true" /> {n}</span>
        ))}
        <span><span style={{ color: '#d11f1f', fontWeight: 700 }}>✕</span> {t('lost')}</span>
        {firstLost >= 0 && <button type="button" onClick={zoomToLoss} data-testid="joint-zoom-loss">{t('zoomLoss')}</button>}
      </div>
      {joint ? <JointChart joint={joint} dir={dir} names={names} lostLabel={t('lost')} window={zoom} /> : <p>{t('noStream')}</p>}
      {joint?.truncated && <p className="muted">{t('truncated')}</p>}
      <p className="muted">{t('chartHint')}</p>
    </section>
  );
}
