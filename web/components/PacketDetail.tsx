/**
 * The selected frame: decoded headers (when a decoder is available), why it was flagged, hex bytes.
 * The "why" box holds two kinds of statement, labelled so they never read as two verdicts: what
 * Wireshark's rules say of the packet on its own ("Wireshark: out of order" and the rule's numbers),
 * and its fate, the verdict of our diagnoses from the whole capture ("Fate: ..."), which says so
 * where it differs from Wireshark ("captured twice: not a retransmission").
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { hexRows } from '../format';
import { fieldLabel, layerLabel } from '../i18n/fieldNames';
import { ruleKey } from '../i18n/rules';
import { usePacketDetail } from '../hooks/usePacketDetail';
import { useUi } from '../store/uiStore';
import type { FateView, WhyView } from '../worker/protocol';

/** A Wireshark rule's sentence in the UI's language, from the values it compared (English: the core's own). */
function ruleText(t: TFunction, w: WhyView): string {
  const kind = t(w.values?.thresholdFromIrtt ? 'why.thresholdKind.irtt' : 'why.thresholdKind.default');
  return t(`why.rules.${ruleKey(w.rule)}`, { ...w.values, thresholdKind: kind, defaultValue: w.text });
}

function FateLine({ fate }: { fate: FateView }) {
  const { t } = useTranslation();
  const selected = useUi((s) => s.frame);
  return (
    <p className="why-fate" data-testid="packet-fate" data-fate={fate.key} title={t('why.fateHelp')}>
      <strong>{t('why.fate')}</strong>{' '}
      {fate.parts.map((p, i) =>
        'frame' in p && p.frame !== selected ? (
          <button key={i} type="button" className="frame-link" data-testid={`fate-frame-link-${p.frame}`} onClick={() => useUi.getState().selectFrame(p.frame)}>
            {p.text}
          </button>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}

export function PacketDetail() {
  const { t } = useTranslation();
  const frame = useUi((s) => s.frame);
  const lang = useUi((s) => s.lang);
  const d = usePacketDetail(frame, lang);

  if (frame === null) return <section className="panel detail"><p className="muted pad">{t('detail.none')}</p></section>;
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
        {d?.view && (d.view.why.length > 0 || d.view.fate) && (
          <div className="why-box" data-testid="packet-why">
            {d.view.why.map((w, i) => (
              <p key={i} className="why-flag" data-testid="packet-why-flag" title={t('why.wiresharkHelp', { rule: w.rule })}>
                <strong>{t('why.wireshark', { flag: t(`why.flag.${w.flag}`, { defaultValue: w.flag }) })}</strong>{' '}
                <span className="muted">{ruleText(t, w)}</span>
              </p>
            ))}
            {d.view.fate && <FateLine fate={d.view.fate} />}
          </div>
        )}
        {d?.view?.layers.map((l, i) => (
          <details key={i} open className="layer">
            <summary>{layerLabel(l.name, lang)}</summary>
            <table>
              <tbody>
                {l.fields.map((f, j) => <tr key={j}><th>{fieldLabel(f, lang)}</th><td className="mono">{f.value}</td></tr>)}
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
