/** First screen: what the tool does, the sample as the one-click start, and where to drop a file. */
import { useTranslation } from 'react-i18next';
import { openSample } from '../store/session';

export function Welcome() {
  const { t } = useTranslation();
  return (
    <section className="welcome">
      <p className="tagline">{t('app.tagline')}</p>
      <button type="button" className="primary big" onClick={() => void openSample()}>{t('open.sample')}</button>
      <p className="muted">{t('open.sampleHint')}</p>
      <p className="dropzone-hint">{t('open.drop')}</p>
    </section>
  );
}
