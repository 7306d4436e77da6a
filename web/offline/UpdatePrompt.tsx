/** "A new version is available": shown when the served app's service worker has a newer version waiting. */
import { useTranslation } from 'react-i18next';
import { applyAppUpdate, dismissAppUpdate, useAppUpdate } from './serviceWorker';

export function UpdatePrompt() {
  const { t } = useTranslation();
  const waiting = useAppUpdate((s) => s.waiting);
  if (!waiting) return null;
  return (
    <div className="notice info update-prompt" role="status" data-testid="update-prompt">
      <span>{t('offline.update')}</span>{' '}
      <button type="button" className="primary" onClick={applyAppUpdate} data-testid="update-reload">{t('offline.reload')}</button>{' '}
      <button type="button" onClick={dismissAppUpdate}>{t('offline.later')}</button>
    </div>
  );
}
