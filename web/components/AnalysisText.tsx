/** The findings' stories for one stream; every frame number is a button that selects the frame. */
import { useTranslation } from 'react-i18next';
import { useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { StoryPart } from '../worker/protocol';

function Paragraph({ parts, selected }: { parts: StoryPart[]; selected: number | null }) {
  return (
    <p>
      {parts.map((p, i) =>
        'frame' in p ? (
          <button
            key={i} type="button" className={`frame-link ${selected === p.frame ? 'selected' : ''}`} data-testid={`frame-link-${p.frame}`}
            aria-pressed={selected === p.frame} onClick={() => useUi.getState().selectFrame(p.frame)}
          >
            {p.text}
          </button>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}

export function AnalysisText({ stream }: { stream: number }) {
  const { t } = useTranslation();
  const findings = useSession((s) => s.findings).filter((f) => f.stream === stream);
  const selected = useUi((s) => s.frame);
  const current = useUi((s) => s.finding);
  return (
    <section className="panel analysis" aria-label={t('stream.analysis')} data-testid="analysis">
      <div className="panel-head"><h2>{t('stream.analysis')}</h2></div>
      <div className="analysis-body">
        {findings.length === 0 && <p className="muted">{t('stream.noFindings')}</p>}
        {findings.map((f) => (
          <article key={f.id} className={`story sev-${f.severity} ${current === f.id ? 'current' : ''}`}>
            <h3><span className={`badge sev-${f.severity}`}>{t(`severity.${f.severity}`)}</span> {f.title}</h3>
            {f.story.map((parts, i) => <Paragraph key={i} parts={parts} selected={selected} />)}
            {f.remedy.length > 0 && <h4>{t('stream.remedy')}</h4>}
            {f.remedy.map((parts, i) => <Paragraph key={`r${i}`} parts={parts} selected={selected} />)}
          </article>
        ))}
      </div>
    </section>
  );
}
