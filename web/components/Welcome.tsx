/**
 * First screen: what the tool finds, the sample as the one-click start, and where to drop or pick a
 * file. Opened from a link whose capture is not open yet, picking that file comes first instead.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLink } from '../share/linkStore';
import { openFile, openSample } from '../store/session';
import { CAPTURE_ACCEPT } from './captureAccept';
import { sampleAvailable } from '../offline/place';

export function Welcome() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const linked = useLink((s) => s.pending !== null);
  const pick = () => input.current?.click();
  return (
    <section className="welcome">
      <p className="tagline">{t('app.tagline')}</p>
      <p className="muted">{t('open.finds')}</p>
      {linked || !sampleAvailable() ? (
        <button type="button" className="primary big" onClick={pick}>{t('open.file')}</button>
      ) : (
        <>
          <button type="button" className="primary big" onClick={() => void openSample()}>{t('open.sample')}</button>
          <p className="muted">{t('open.sampleHint')}</p>
        </>
      )}
      <button type="button" className="dropzone-hint" data-testid="drop-hint" onClick={pick}>{t('open.drop')}</button>
      <input
        ref={input} type="file" hidden accept={CAPTURE_ACCEPT}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openFile(f);
          e.target.value = '';
        }}
      />
    </section>
  );
}
