/** Reading progress: bytes, packets and packets/s, with Cancel. */
import { useTranslation } from 'react-i18next';
import { fmtBytes, fmtInt } from '../format';
import { cancelOpen, useSession } from '../store/session';

export function LoadProgress() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const p = useSession((s) => s.progress);
  const name = useSession((s) => s.fileName);
  if (!p) return null;
  const frac = p.totalBytes > 0 ? p.bytes / p.totalBytes : 0;
  return (
    <div className="progress" role="status" data-testid="progress">
      <span>{t('open.loading', { name })}</span>
      <progress max={1} value={frac} aria-label={t('open.loading', { name })} />
      <span className="mono">
        {t('open.progress', { bytes: fmtBytes(p.bytes, lang), total: fmtBytes(p.totalBytes, lang), packets: fmtInt(p.packets, lang), rate: fmtInt(p.packetsPerSecond, lang) })}
      </span>
      <button type="button" data-testid="cancel" onClick={cancelOpen}>{t('open.cancel')}</button>
    </div>
  );
}
