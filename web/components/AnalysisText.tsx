/**
 * The findings' stories for one stream; every frame number is a button that selects the frame. The
 * stories come from the worker for this stream only (the findings list carries titles), again when
 * the MTU, the language or the capture's analysis changes.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { streamFindings, useSession } from '../store/session';
import { diagnoseMtu, useUi } from '../store/uiStore';
import type { FindingView, StoryPart } from '../worker/protocol';

function Paragraph({ parts, selected, onFrame }: { parts: StoryPart[]; selected: number | null; onFrame?: (frame: number) => void }) {
  return (
    <p>
      {parts.map((p, i) =>
        'frame' in p ? (
          <button
            key={i} type="button" className={`frame-link ${selected === p.frame ? 'selected' : ''}`} data-testid={`frame-link-${p.frame}`}
            aria-pressed={selected === p.frame} onClick={() => (onFrame ? onFrame(p.frame) : useUi.getState().selectFrame(p.frame))}
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

/** The stream's findings in full; null until the first answer for this stream. */
function useStreamFindings(stream: number): FindingView[] | null {
  const generation = useSession((s) => s.generation);
  // A grouped finding is about each of its streams (its story names them all).
  const any = useSession((s) => s.findings.some((f) => f.stream === stream || f.streams?.includes(stream)));
  const mtu = useUi((s) => diagnoseMtu(s));
  const lang = useUi((s) => s.lang);
  const [got, setGot] = useState<{ stream: number; findings: FindingView[] } | null>(null);
  useEffect(() => {
    if (!any) return;
    let live = true;
    void streamFindings(stream).then((f) => { if (live && f) setGot({ stream, findings: f }); });
    return () => { live = false; };
  }, [stream, any, mtu, lang, generation]);
  if (!any) return [];
  // The previous answer stays up while a new language or MTU is asked for; another stream's does not.
  return got?.stream === stream ? got.findings : null;
}

/**
 * One finding in full: title, story, remedy. `onFrame`: what a frame number does (default: select
 * the frame in the open stream).
 */
export function FindingStory({ finding: f, current = false, onFrame }: { finding: FindingView; current?: boolean; onFrame?: (frame: number) => void }) {
  const { t } = useTranslation();
  const selected = useUi((s) => s.frame);
  return (
    <article className={`story sev-${f.severity} ${current ? 'current' : ''}`}>
      <h3><span className={`badge sev-${f.severity}`}>{t(`severity.${f.severity}`)}</span> {f.title}</h3>
      {f.story.map((parts, i) => <Paragraph key={i} parts={parts} selected={selected} onFrame={onFrame} />)}
      {f.remedy.length > 0 && <h4>{t('stream.remedy')}</h4>}
      {f.remedy.map((parts, i) => <Paragraph key={`r${i}`} parts={parts} selected={selected} onFrame={onFrame} />)}
    </article>
  );
}

export function AnalysisText({ stream }: { stream: number }) {
  const { t } = useTranslation();
  const got = useStreamFindings(stream);
  const findings = got ?? [];
  const current = useUi((s) => s.finding);
  return (
    <section className="panel analysis" aria-label={t('stream.analysis')} data-testid="analysis">
      <div className="panel-head"><h2>{t('stream.analysis')}</h2></div>
      <div className="analysis-body">
        {got !== null && findings.length === 0 && <p className="muted">{t('stream.noFindings')}</p>}
        {findings.map((f) => <FindingStory key={f.id} finding={f} current={current === f.id} />)}
      </div>
    </section>
  );
}
