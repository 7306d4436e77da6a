/**
 * "Keep captures in this browser": the opt-in, and a small dialog listing what is kept (name, size,
 * date) with a way to remove each or all. Hidden where the browser has no private file system.
 */
import { useRef } from 'react';
import { fmtBytes } from '../format';
import { clearKept, refreshKept, removeKept, setKeepEnabled, useKeep } from './keep';
import { useKeepSync } from './useKeepSync';
import { useShareT } from './strings';
import { openedFromFile } from '../offline/place';
import './share.css';

export function KeepPanel() {
  const { t, i18n } = useShareT();
  const keep = useKeep();
  const dialog = useRef<HTMLDialogElement>(null);
  useKeepSync();
  if (!keep.available) {
    // Opened from a file: say why captures cannot be kept instead of hiding the feature silently.
    return openedFromFile() ? <p className="keep-panel muted" data-testid="keep-unavailable">{t('keep.needsOrigin')}</p> : null;
  }
  const total = keep.kept.reduce((n, k) => n + k.size, 0);
  const open = () => {
    void refreshKept();
    dialog.current?.showModal();
  };
  return (
    <div className="keep-panel" data-testid="keep-panel">
      <label title={t('keep.hint')}>
        <input type="checkbox" checked={keep.enabled} onChange={(e) => setKeepEnabled(e.target.checked)} data-testid="keep-captures" /> {t('keep.label')}
      </label>
      <button type="button" className="link-like" onClick={open} data-testid="keep-show">{t('keep.show', { count: keep.kept.length })}</button>
      {keep.writing && <span className="muted" data-testid="keep-writing">{t('keep.writing')}</span>}
      {keep.error && <span className="error-text" role="alert">{t('keep.failed', { message: keep.error })}</span>}
      <dialog ref={dialog} className="keep-dialog" data-testid="keep-dialog" onClick={(e) => { if (e.target === dialog.current) dialog.current.close(); }}>
        <h2>{t('keep.title')}</h2>
        <p className="muted">{t('keep.hint')}</p>
        {keep.kept.length === 0 ? <p data-testid="keep-empty">{t('keep.none')}</p> : (
          <table>
            <thead><tr><th>{t('keep.name')}</th><th>{t('keep.size')}</th><th>{t('keep.date')}</th><th /></tr></thead>
            <tbody>
              {keep.kept.map((k) => (
                <tr key={k.fingerprint} data-testid="keep-item">
                  <td title={k.fingerprint}>{k.name}</td>
                  <td>{fmtBytes(k.size, i18n.language)}</td>
                  <td>{new Date(k.keptAt).toLocaleString(i18n.language)}</td>
                  <td><button type="button" onClick={() => void removeKept(k.fingerprint).then(refreshKept)}>{t('keep.remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="keep-actions">
          {keep.kept.length > 0 && <span className="muted">{t('keep.total', { size: fmtBytes(total, i18n.language) })}</span>}
          <button type="button" onClick={() => void clearKept()} disabled={keep.kept.length === 0} data-testid="keep-clear">{t('keep.clear')}</button>
          <button type="button" onClick={() => dialog.current?.close()}>{t('keep.close')}</button>
        </p>
      </dialog>
    </div>
  );
}
