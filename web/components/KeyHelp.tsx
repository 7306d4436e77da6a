/** The `?` dialog: every key the app answers to. */
import { useTranslation } from 'react-i18next';
import { useUi } from '../store/uiStore';

const KEYS: [string, string][] = [['↑ / ↓', 'keys.up'], ['Enter', 'keys.enter'], ['← / →', 'keys.left'], ['Esc', 'keys.esc'], ['?', 'keys.help']];

export function KeyHelp() {
  const { t } = useTranslation();
  const show = useUi((s) => s.showKeys);
  if (!show) return null;
  return (
    <div className="modal-back" onClick={() => useUi.getState().setShowKeys(false)}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={t('keys.title')} data-testid="key-help" onClick={(e) => e.stopPropagation()}>
        <h2>{t('keys.title')}</h2>
        <table>
          <tbody>
            <tr><td><kbd>↑</kbd> <kbd>↓</kbd></td><td>{t('keys.up')} / {t('keys.down')}</td></tr>
            {KEYS.slice(1).map(([k, label]) => (
              <tr key={k}><td><kbd>{k}</kbd></td><td>{label === 'keys.left' ? `${t('keys.left')} / ${t('keys.right')}` : t(label)}</td></tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => useUi.getState().setShowKeys(false)}>{t('keys.close')}</button>
      </div>
    </div>
  );
}
