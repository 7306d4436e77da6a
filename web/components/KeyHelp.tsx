/** The `?` dialog: every key the app answers to, the time–sequence chart's included. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useUi } from '../store/uiStore';

const KEYS: [string, string][] = [['↑ / ↓', 'keys.up'], ['Enter', 'keys.enter'], ['← / →', 'keys.left'], ['Tab', 'keys.tab'], ['Esc', 'keys.esc'], ['?', 'keys.help']];
const CHART_KEYS: [string[], string][] = [[['+'], 'keys.chartIn'], [['-'], 'keys.chartOut'], [['0'], 'keys.chartReset']];

export function KeyHelp() {
  const { t } = useTranslation();
  const show = useUi((s) => s.showKeys);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!show) return;
    // The dialog takes the keyboard; closing it gives it back where it was.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => { if (before?.isConnected) before.focus(); };
  }, [show]);
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
        <h3>{t('keys.chartHead')}</h3>
        <table data-testid="key-help-chart">
          <tbody>
            {CHART_KEYS.map(([ks, label]) => (
              <tr key={label}><td>{ks.map((k) => <kbd key={k}>{k}</kbd>)}</td><td>{t(label)}</td></tr>
            ))}
            <tr><td /><td className="muted">{t('keys.chartMouse')}</td></tr>
          </tbody>
        </table>
        <table data-testid="key-help-graph">
          <tbody>
            <tr><td><kbd>←</kbd> <kbd>→</kbd></td><td>{t('keys.graph')}</td></tr>
          </tbody>
        </table>
        <button type="button" ref={close} onClick={() => useUi.getState().setShowKeys(false)}>{t('keys.close')}</button>
      </div>
    </div>
  );
}
