/** The selected frame: decoded headers (when a decoder is available), why it was flagged, hex bytes. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hexRows } from '../format';
import { ask, useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { PacketDetailView } from '../worker/protocol';

export function PacketDetail() {
  const { t } = useTranslation();
  const frame = useUi((s) => s.frame);
  const generation = useSession((s) => s.generation);
  const [detail, setDetail] = useState<{ frame: number; view: PacketDetailView | null; error: string | null } | null>(null);

  useEffect(() => {
    if (frame === null) return;
    let live = true;
    void ask({ type: 'packetDetail', frame }).then((o) => {
      if (live) setDetail({ frame, view: o.ok ? o.value.detail : null, error: o.ok ? null : o.error.message });
    });
    return () => { live = false; };
  }, [frame, generation]);

  if (frame === null) return <section className="panel detail"><p className="muted pad">{t('detail.none')}</p></section>;
  const d = detail?.frame === frame ? detail : null;
  return (
    <section className="panel detail" aria-label={t('detail.title', { frame })} data-testid="packet-detail">
      <div className="panel-head">
        <h2>{t('detail.title', { frame })}</h2>
        {d?.view && <span className="muted">{t('detail.captured', { cap: d.view.capturedLength, orig: d.view.originalLength })}</span>}
      </div>
      <div className="detail-body">
        {!d && <p className="muted">{t('detail.loading')}</p>}
        {d?.error && <p className="notice error">{d.error}</p>}
        {d?.view && d.view.layers.length === 0 && <p className="muted">{t('detail.hexOnly')}</p>}
        {d?.view && d.view.why.length > 0 && (
          <div className="why-box" data-testid="packet-why">
            {d.view.why.map((w, i) => (
              <p key={i}><strong>{t(`flag.${w.flag}`)}</strong> <span className="muted">{w.text}</span></p>
            ))}
          </div>
        )}
        {d?.view?.layers.map((l, i) => (
          <details key={i} open className="layer">
            <summary>{l.name}</summary>
            <table>
              <tbody>
                {l.fields.map((f, j) => <tr key={j}><th>{f.name}</th><td className="mono">{f.value}</td></tr>)}
              </tbody>
            </table>
          </details>
        ))}
        {d?.view && (
          <pre className="hex" aria-label={t('detail.bytes')}>
            {hexRows(d.view.bytes).map((r) => `${r.offset}  ${r.hex.padEnd(48)}  ${r.ascii}`).join('\n')}
          </pre>
        )}
      </div>
    </section>
  );
}
