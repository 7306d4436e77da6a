/** Title, open controls (file picker, sample), path MTU, language and the keyboard help. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { openFile, openSample, useSession } from '../store/session';
import type { Lang } from '../../src/i18n/index';
import { useUi } from '../store/uiStore';
import { CAPTURE_ACCEPT } from './captureAccept';
import { MtuControl } from './MtuControl';
import { sampleAvailable } from '../offline/place';

export function TopBar() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const lang = useUi((s) => s.lang);
  const loading = useSession((s) => s.status === 'loading');
  return (
    <header className="topbar">
      <h1 className="brand">{t('app.title')}</h1>
      <button type="button" className="primary" onClick={() => input.current?.click()}>{t('open.file')}</button>
      <input
        ref={input} type="file" hidden data-testid="file-input" accept={CAPTURE_ACCEPT}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openFile(f);
          e.target.value = '';
        }}
      />
      {sampleAvailable() && <button type="button" data-testid="open-sample" disabled={loading} onClick={() => void openSample()}>{t('open.sample')}</button>}
      <span className="spacer" />
      <MtuControl />
      <select aria-label={t('lang.label')} data-testid="lang" value={lang} onChange={(e) => useUi.getState().setLang(e.target.value as Lang)}>
        {LANGUAGES.map((l) => (
          <option key={l.id} value={l.id}>{l.label}</option>
        ))}
      </select>
      <button type="button" className="icon" aria-label={t('keys.title')} title={t('keys.title')} onClick={() => useUi.getState().setShowKeys(true)}>?</button>
    </header>
  );
}
