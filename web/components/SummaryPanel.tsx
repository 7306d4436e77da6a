/** The capture at a glance: format, link types, interfaces, counts, time span, tunnels. */
import { useTranslation } from 'react-i18next';
import { fmtBytes, fmtDuration, fmtEpoch, fmtInt } from '../format';
import type { CaptureSummaryView } from '../worker/protocol';

/**
 * Interfaces by name: pcapng if_name (or description), the interface indexes of a `-i any` capture,
 * else how many there are, unnamed (a pcap file has one, nameless).
 */
export function interfacesText(s: Pick<CaptureSummaryView, 'interfaces' | 'sllIfIndexes'>, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (s.sllIfIndexes?.length) return t('summary.ifindex', { list: s.sllIfIndexes.join(', ') });
  if (s.interfaces.some((i) => i.name)) return s.interfaces.map((i) => i.name ?? t('summary.unnamedOne', { id: i.id + 1 })).join(', ');
  return t('summary.unnamed', { count: s.interfaces.length });
}

export function SummaryPanel({ summary }: { summary: CaptureSummaryView }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const ifaces = interfacesText(summary, t);
  const items: [string, string, string?][] = [
    [t('summary.file'), `${summary.fileName} (${fmtBytes(summary.fileSize, lang)})`],
    [t('summary.format'), summary.format],
    [t('summary.linkTypes'), summary.linkTypes.map((l) => `${l.name} (${l.linkType})`).join(', ') || t('summary.none')],
    [t('summary.interfaces'), ifaces],
    [t('summary.packets'), `${fmtInt(summary.packets, lang)} (${t('summary.tcpPackets')} ${fmtInt(summary.tcpPackets, lang)})`],
    // When, in UTC: what an engineer lines up with logs and alerts.
    [t('summary.start'), fmtEpoch(summary.firstTime)],
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
