/** A link's other capture point: which file it needs, a way to open it, and why a wrong file was not added. */
import { useRef } from 'react';
import { fmtBytes } from '../format';
import { giveLinkPoint } from './linkPoints';
import { useLink } from './linkStore';
import { useShareT } from './strings';
import './share.css';

export function LinkPointNotice() {
  const { t, i18n } = useShareT();
  const lang = i18n.language;
  const { needPoint, pointStatus, pointMismatch, pointError, dismiss } = useLink();
  const input = useRef<HTMLInputElement>(null);
  if (!needPoint) return null;
  const { ref, index } = needPoint;
  const size = (n: number | undefined) => (n === undefined ? t('needs.unknownSize') : fmtBytes(n, lang));
  const wanted = { index, point: ref.point ?? t('point.unnamed'), name: ref.name ?? t('needs.unnamed'), size: size(ref.size), fp: ref.fingerprint.slice(0, 12) };
  return (
    <div className={`notice ${pointMismatch || pointError ? 'error' : 'warning'} link-notice`} data-testid="link-needs-point">
      <strong>{t('point.title')}</strong>
      <p>{t('point.body', wanted)}</p>
      {pointMismatch && (
        <p role="alert" data-testid="link-point-mismatch">
          {t(pointMismatch.gotFingerprint ? 'point.mismatch' : 'point.sizeMismatch', { ...wanted, got: pointMismatch.gotName, gotSize: size(pointMismatch.gotSize), gotFp: pointMismatch.gotFingerprint.slice(0, 12) })}
        </p>
      )}
      {pointError && <p role="alert" data-testid="link-point-error">{t('point.failed', { message: pointError })}</p>}
      {pointStatus === 'loading' ? (
        <p role="status">{t('point.loading', { name: ref.name ?? t('needs.unnamed') })}</p>
      ) : (
        <p>
          <button type="button" onClick={() => input.current?.click()} data-testid="link-point-open">{t('point.choose', { index })}</button>{' '}
          <button type="button" onClick={dismiss}>{t('mismatch.dismiss')}</button>
        </p>
      )}
      <input ref={input} type="file" hidden data-testid="link-point-input" accept=".pcap,.pcapng,.cap,.gz,application/vnd.tcpdump.pcap"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void giveLinkPoint(f); }} />
      <p className="muted">{t('needs.privacy')}</p>
    </div>
  );
}
