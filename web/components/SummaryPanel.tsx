/** The capture at a glance: format, link types, interfaces, counts, time span, tunnels. */
import { useTranslation } from 'react-i18next';
import { fmtBytes, fmtDuration, fmtEpoch, fmtInt } from '../format';
import type { CaptureSummaryView } from '../worker/protocol';

export function SummaryPanel({ summary }: { summary: CaptureSummaryView }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const ifaces = summary.interfaces.map((i) => i.name ?? `#${i.id}`).join(', ');
  const items: [string, string, string?][] = [
    [t('summary.file'), `${summary.fileName} (${fmtBytes(summary.fileSize, lang)})`],
    [t('summary.format'), summary.format],
    [t('summary.linkTypes'), summary.linkTypes.map((l) => `${l.name} (${l.linkType})`).join(', ') || t('summary.none')],
    [t('summary.interfaces'), ifaces || String(summary.interfaces.length)],
    [t('summary.packets'), `${fmtInt(summary.packets, lang)} (${t('summary.tcpPackets')} ${fmtInt(summary.tcpPackets, lang)})`],
    [t('summary.span'), `${fmtDuration(Math.max(0, summary.lastTime - summary.firstTime))}`, `${fmtEpoch(summary.firstTime)} → ${fmtEpoch(summary.lastTime)}`],
    [t('summary.streams'), `${fmtInt(summary.streams, lang)} (${fmtInt(summary.problemStreams, lang)} ${t('summary.problemStreams')})`],
    [t('summary.tunnels'), summary.tunnels.join(', ') || t('summary.none')],
  ];
  return (
    <section className="panel summary" aria-label={t('summary.title')} data-testid="summary">
      <dl>
        {items.map(([k, v, title]) => (
          <div key={k} className="kv" title={title}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
