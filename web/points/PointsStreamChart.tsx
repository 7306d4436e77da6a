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
  const fileName = useSession((s) => s.fileName);
  const { files, names, view } = usePoints();
  if (!view || files[0]?.name !== fileName) return null;
  const joint = view.joint[stream];
  return (
    <section className="panel joint" data-testid="joint">
      <h2>{t('chart', { a: names[0] ?? '0', b: names[1] ?? '1' })}</h2>
      <div className="joint-legend">
        {names.map((n, i) => (
          <span key={i}><span className="point-swatch" style={{ background: POINT_COLOURS[i] }} aria-hidden="true" /> {n}</span>
        ))}
        <span><span style={{ color: '#d11f1f', fontWeight: 700 }}>✕</span> {t('lost')}</span>
      </div>
      {joint ? <JointChart joint={joint} dir={dir} names={names} lostLabel={t('lost')} /> : <p>{t('noStream')}</p>}
      {joint?.truncated && <p className="muted">{t('truncated')}</p>}
      <p className="muted">{t('chartHint')}</p>
    </section>
  );
}
