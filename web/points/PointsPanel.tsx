/**
 * The overview's capture-points section: add another capture of the same traffic as a point, name
 * the points, read what was lost between them and open the connection on the joint chart.
 */
import { useRef } from 'react';
import type { LostBetweenPointsFinding } from '../../src/diagnose/index';
import { renderWarning } from '../../src/i18n/index';
import { LinkResult, useShareLink } from '../share/ShareBar';
import { useSession } from '../store/session';
import { findingWindow } from '../store/findingWindow';
import { useUi } from '../store/uiStore';
import { crossFindingState } from './crossLink';
import { renderCrossFinding } from './findingText';
import { POINT_COLOURS } from './JointChart';
import { addPoint, clearPoints, renamePoint, revealJoint, usePoints } from './pointsStore';
import { usePointsText } from './strings';
import './points.css';

function openOnChart(f: LostBetweenPointsFinding): void {
  // Stream numbers of the view are point 0's: a loss from point 1 back to 0 opens point 0's stream.
  const stream = f.from === 0 ? f.stream : f.toStream;
  const dir = f.direction ?? 0;
  // The window of the losses (seconds since the first packet of point 0 when it is the sender's side).
  const zoom = f.from === 0 ? findingWindow(f.t0, f.t1) : null;
  useUi.getState().openFinding({ id: f.id, stream, dir: f.from === 0 ? dir : null, frame: f.from === 0 ? (f.frames[0] ?? null) : null, zoom });
  // The joint chart is below the stream view: bring it into sight, or nothing new would show.
  revealJoint();
}

export function PointsPanel() {
  const t = usePointsText();
  const lang = useUi((s) => s.lang);
  const fileName = useSession((s) => s.fileName);
  const { status, files, names, view, error } = usePoints();
  const input = useRef<HTMLInputElement>(null);
  const { shown, share } = useShareLink();
  const current = files.length > 0 && files[0].name === fileName;
  return (
    <section className="panel points" data-testid="points">
      <h2>{t('heading')}</h2>
      <p className="muted">{t('addHint')}</p>
      <div className="points-actions">
        <button type="button" onClick={() => input.current?.click()} data-testid="add-point">{t('add')}</button>
        <input ref={input} type="file" hidden data-testid="point-input" accept=".pcap,.pcapng,.cap,.gz,application/vnd.tcpdump.pcap"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void addPoint(f); }} />
        {current && status !== 'idle' && <button type="button" onClick={clearPoints} data-testid="clear-points">{t('clear')}</button>}
      </div>
      {current && status === 'loading' && <p role="status">{t('loading')}</p>}
      {current && status === 'failed' && <p className="notice error" role="alert">{t('failed', { message: error ?? '' })}</p>}
      {current && view && (
        <>
          <ul className="points-list">
            {view.points.map((p, i) => (
              <li key={i} data-testid={`point-${i}`}>
                <span className="point-swatch" style={{ background: POINT_COLOURS[i] }} aria-hidden="true" />
                <strong>{t('point', { index: i })}</strong>
                <input type="text" value={names[i] ?? ''} aria-label={t('name', { index: i })} data-testid={`point-name-${i}`}
                  onChange={(e) => renamePoint(i, e.target.value)} />
                <span className="mono muted">{p.file}</span>
                <span className="muted">{t('stats', { packets: p.packets, matched: p.matched, offset: (Math.round(p.offset * 1e6) / 1000 || 0).toFixed(3) })}</span>
                {/* Point 0's warnings are the page's own notices; the other files' are only here. */}
                {i > 0 && p.warnings.length > 0 && (
                  <ul className="point-warnings" data-testid={`point-warnings-${i}`}>
                    {p.warnings.map((w, k) => (
                      <li key={k} className={`notice ${w.fatal ? 'error' : 'warning'}`}>{renderWarning(w, lang, p.warnings)}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          {view.findings.length === 0 && <p data-testid="points-none">{t('none')}</p>}
          <ul className="points-findings">
            {view.findings.map((f) => {
              const r = renderCrossFinding(f, names, lang);
              return (
                <li key={f.id} className={`points-finding sev-${f.severity}`} data-testid="finding-lost-between-points">
                  <strong>{r.title}</strong>
                  <p>{r.summary}</p>
                  <details>
                    <summary>{t('more')}</summary>
                    {r.story.map((s, k) => <p key={k}>{s}</p>)}
                    {r.remedy.map((s, k) => <p key={`r${k}`}>{s}</p>)}
                  </details>
                  <button type="button" onClick={() => openOnChart(f)} data-testid="open-joint">{t('open')}</button>
                  <button type="button" onClick={() => void share(() => crossFindingState(f), 'link', false)} data-testid="copy-link-lost-between-points">{t('copyLink')}</button>
                </li>
              );
            })}
          </ul>
          <LinkResult shown={shown} />
        </>
      )}
    </section>
  );
}
