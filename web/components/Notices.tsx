/** Errors, analysis caveats and reader warnings in words, with what was still loaded. */
import { useTranslation } from 'react-i18next';
import { renderCaveat } from '../../src/diagnose/index';
import { renderWarning } from '../../src/i18n/index';
import { fmtBytes, fmtInt } from '../format';
import { unreadableReason, useSession } from '../store/session';

/** The reader's English sentence names its byte offset (its translations do too, from the same key). */
function placed(w: { message: string; offset: number }): boolean {
  return w.message.includes(`byte ${w.offset.toLocaleString('en-US')}`);
}

export function Notices() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const error = useSession((s) => s.error);
  const summary = useSession((s) => s.summary);
  const notes: { level: 'error' | 'warning'; text: string; key: string }[] = [];
  if (error?.kind === 'crashed') notes.push({ level: 'error', key: 'crash', text: t('error.crashed', { message: error.message }) });
  if (error?.kind === 'failed') notes.push({ level: 'error', key: 'fail', text: t('error.failed', { message: error.message }) });
  if (error?.kind === 'sample') notes.push({ level: 'error', key: 'sample', text: t('open.sampleFailed', { message: error.message }) });
  if (summary?.cancelled) notes.push({ level: 'warning', key: 'cancel', text: t('error.cancelled', { bytes: fmtBytes(summary.bytesRead, lang), total: fmtBytes(summary.fileSize, lang) }) });
  if (summary && !summary.analysisAvailable) notes.push({ level: 'warning', key: 'core', text: t('error.noAnalysis') });
  // Rendered here, not in the worker, so they follow a change of language like the rest of the page.
  const coreLang = lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const unreadable = unreadableReason(summary);
  if (unreadable && summary) {
    notes.push({ level: 'error', key: 'unreadable', text: t('error.unreadable', { name: summary.fileName, reason: renderWarning(unreadable, coreLang, summary.warnings) }) });
  }
  // Nothing was read: the one sentence above says why, without "damaged after 0 packets".
  const warnings = unreadable ? [] : summary?.warnings ?? [];
  const caveats = unreadable ? [] : (summary?.caveats ?? []).map((c) => renderCaveat(c, coreLang));
  // The reader-warnings caveat already says reading stopped and what was kept: the list only lists.
  const explained = caveats.some((c) => c.kind === 'reader-warnings');
  if (!notes.length && !warnings.length && !caveats.length) return null;
  return (
    <div className="notices" role="alert" data-testid="notices">
      {notes.map((n) => (
        <p key={n.key} className={`notice ${n.level}`}>{n.text}</p>
      ))}
      {caveats.map((c) => (
        <details key={c.kind} className={`notice caveat ${c.severity}`} data-testid={`caveat-${c.kind}`} open={c.kind === 'memory-limit'}>
          <summary>{c.text}</summary>
          {/* The reader's warnings are listed just below, with their byte offsets. */}
          {c.kind !== 'reader-warnings' && c.details.length > 0 && (
            <ul>{c.details.map((d, i) => <li key={i}>{d}</li>)}</ul>
          )}
        </details>
      ))}
      {warnings.length > 0 && (
        <details className="notice warning" open={warnings.some((w) => w.fatal)}>
          <summary>
            {t(explained ? 'error.readerWarnings' : 'summary.warnings')}: {warnings.length}
            {!explained && warnings.some((w) => w.fatal) && summary ? ` — ${t('error.partial', { packets: fmtInt(summary.packets, lang) })}` : ''}
          </summary>
          <ul>
            {warnings.slice(0, 50).map((w, i) => (
              <li key={i}>
                {renderWarning(w, coreLang, warnings)}
                {/* Most reader sentences already say where ("... at byte 1,870"): the others get it added. */}
                {!placed(w) && <span className="muted"> ({t('summary.at', { offset: fmtInt(w.offset, lang) })})</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
