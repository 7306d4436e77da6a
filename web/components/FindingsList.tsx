/** Findings, most severe first, one line each; a click opens the stream at the finding. */
import { useTranslation } from 'react-i18next';
import { useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { FindingView } from '../worker/protocol';
import { CopyFindingLink } from '../share/CopyFindingLink';

export function openFindingInView(f: FindingView): void {
  const pad = Math.max(0.05, (f.t1 - f.t0) * 0.1);
  useUi.getState().openFinding({
    id: f.id, stream: f.stream, dir: f.dir, frame: f.frames[0] ?? null,
    zoom: f.t1 > f.t0 ? { t0: Math.max(0, f.t0 - pad), t1: f.t1 + pad } : null,
  });
}

export function FindingsList() {
  const { t } = useTranslation();
  const findings = useSession((s) => s.findings);
  return (
    <section className="panel findings" aria-label={t('findings.title')}>
      <div className="panel-head">
        <h2>{t('findings.title')}</h2>
        <span className="muted">{findings.length || ''}</span>
      </div>
      {findings.length === 0 ? (
        <p className="muted pad">{t('findings.none')}</p>
      ) : (
        <ul className="finding-list" data-testid="findings">
          {findings.map((f) => (
            <li key={f.id}>
              <button type="button" className={`finding sev-${f.severity}`} data-testid={`finding-${f.kind}`} title={t('findings.open', { stream: f.stream })} onClick={() => openFindingInView(f)}>
                <span className={`badge sev-${f.severity}`}>{t(`severity.${f.severity}`)}</span>
                <span className="finding-stream mono">{t('findings.stream', { stream: f.stream })}</span>
                <span className="finding-title">{f.title}</span>
              </button>
              <CopyFindingLink finding={f} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
