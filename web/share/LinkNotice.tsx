/** What became of the link the page was opened with: needs its capture, wrong capture, unreadable. */
import { fmtBytes } from '../format';
import { useSession } from '../store/session';
import { LinkPointNotice } from './LinkPointNotice';
import { useLink } from './linkStore';
import { useShareT } from './strings';
import './share.css';

export function LinkNotice() {
  return (
    <>
      <LinkStatusNotice />
      <LinkPointNotice />
    </>
  );
}

function LinkStatusNotice() {
  const { t, i18n } = useShareT();
  const lang = i18n.language;
  const link = useLink();
  const summary = useSession((s) => s.summary);
  const status = useSession((s) => s.status);
  const size = (n: number | undefined) => (n === undefined ? t('needs.unknownSize') : fmtBytes(n, lang));

  if (link.error) {
    return (
      <div className="notice error link-notice" role="alert" data-testid="link-error">
        <strong>{t('error.title')}</strong> {t(`error.${link.error.kind}`, { message: link.error.message })}
        <button type="button" onClick={link.dismiss}>{t('mismatch.dismiss')}</button>
      </div>
    );
  }
  const p = link.pending;
  if (p && link.mismatch) {
    const m = link.mismatch;
    return (
      <div className="notice error link-notice" role="alert" data-testid="link-mismatch">
        <strong>{t('mismatch.title')}</strong>
        <p>{t('mismatch.body', { name: p.capture.name ?? t('needs.unnamed'), size: size(p.capture.size), fp: p.capture.fingerprint.slice(0, 12), got: m.gotName, gotSize: size(m.gotSize), gotFp: m.gotFingerprint.slice(0, 12) })}</p>
        <p className="muted">{t('mismatch.hint')}</p>
        <button type="button" onClick={link.dismiss} data-testid="link-dismiss">{t('mismatch.dismiss')}</button>
      </div>
    );
  }
  // Waiting for the capture (a snapshot link shows its own explanation in the snapshot view).
  if (p && !p.snapshot && !summary && status !== 'loading') {
    return (
      <div className="notice warning link-notice" data-testid="link-needs-capture">
        <strong>{t('needs.title')}</strong>
        <p>{t('needs.body', { name: p.capture.name ?? t('needs.unnamed'), size: size(p.capture.size), fp: p.capture.fingerprint.slice(0, 12) })}</p>
        {p.points && <p data-testid="link-needs-points">{t('needs.points')}</p>}
        <p className="muted">{t('needs.privacy')}</p>
      </div>
    );
  }
  if (link.streamMissing !== null) return <p className="notice warning" data-testid="link-stream-missing">{t('notFound', { stream: link.streamMissing })}</p>;
  if (link.upgradedFrom !== null && !p) return <p className="notice info" data-testid="link-upgraded">{t('upgraded', { version: link.upgradedFrom })}</p>;
  return null;
}
