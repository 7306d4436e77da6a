/**
 * The legend: one swatch per kind of mark, drawn with the same classes as the marks so colours
 * always match. Kinds absent from the view are dimmed rather than hidden, so the legend does not
 * jump while zooming; the oversized entry names the path MTU the marks were computed for.
 */
import { useTranslation } from 'react-i18next';
import { AckFlag, SegFlag, type StreamSeries } from '../../src/view/series';

type Swatch = 'seg' | 'retrans' | 'fast' | 'spurious' | 'ooo' | 'lost' | 'copy' | 'oversized' | 'ack' | 'win' | 'sack' | 'dsack' | 'hole' | 'conn' | 'dupack';

function SwatchIcon({ kind }: { kind: Swatch }) {
  const seg = (cls: string) => <path className={`seg ${cls}`} d="M5 2H11M8 2V14M5 14H11" />;
  switch (kind) {
    case 'seg': return seg('');
    case 'retrans': case 'fast': case 'spurious': case 'ooo': case 'lost': case 'copy': return seg(kind);
    case 'oversized':
      return <>{seg('oversized')}<path className="oversized-mark" d="M3.5 -5H12.5L8 1Z" transform="translate(0 2)" /></>;
    case 'ack': return <path className="ack-line" d="M1 12H7V6H15" />;
    case 'win': return <path className="win-line" d="M1 10H7V4H15" />;
    case 'sack': return <g className="sack"><rect x="4" y="3" width="10" height="10" /><path d="M4 3V13" /></g>;
    case 'dsack': return <g className="sack dsack"><rect x="4" y="3" width="10" height="10" /><path d="M4 3V13" /></g>;
    case 'hole': return <g className="hole open"><rect x="1" y="4" width="14" height="8" /></g>;
    case 'conn': return <g className="conn"><path d="M8 4L12 8L8 12L4 8Z" /></g>;
    case 'dupack': return <><path className="ack-line" d="M1 8H15" /><path className="dupack" d="M8 4V12" /></>;
  }
}

export function ChartLegend({ series, mtu }: { series: StreamSeries | null; mtu: number }) {
  const { t } = useTranslation();
  let segOr = 0, ackOr = 0, dsack = 0;
  if (series) {
    for (let i = 0; i < series.segCount; i++) segOr |= series.segFlags[i];
    for (let i = 0; i < series.ackCount; i++) ackOr |= series.ackFlags[i];
    for (let i = 0; i < series.sackCount; i++) dsack |= series.sackDsack[i];
  }
  const items: [Swatch, string, boolean][] = [
    ['seg', t('chart.legend.segment'), true],
    ['retrans', t('chart.legend.retransmission'), (segOr & SegFlag.Retransmission) !== 0],
    ['fast', t('chart.legend.fast'), (segOr & SegFlag.FastRetransmission) !== 0],
    ['spurious', t('chart.legend.spurious'), (segOr & SegFlag.SpuriousRetransmission) !== 0],
    ['ooo', t('chart.legend.ooo'), (segOr & SegFlag.OutOfOrder) !== 0],
    ['lost', t('chart.legend.lost'), (segOr & SegFlag.LostSegment) !== 0],
    ['copy', t('chart.legend.copy'), (segOr & (SegFlag.Copy | SegFlag.Offload)) !== 0],
    ['oversized', mtu > 0 ? t('chart.legend.oversized', { mtu }) : t('chart.legend.oversizedNoMtu'), (segOr & SegFlag.Oversized) !== 0],
    ['ack', t('chart.legend.ack'), true],
    ['win', t('chart.legend.win'), true],
    ['dupack', t('chart.legend.dupack'), (ackOr & AckFlag.DuplicateAck) !== 0],
    ['sack', t('chart.legend.sack'), (series?.sackCount ?? 0) > 0],
    ['dsack', t('chart.legend.dsack'), dsack !== 0],
    ['hole', t('chart.legend.hole'), (series?.holes.count ?? 0) > 0],
    ['conn', t('chart.legend.conn'), (series?.markCount ?? 0) > 0],
  ];
  // Rare kinds appear only when present; the everyday ones stay to explain the picture.
  const rare = new Set<Swatch>(['fast', 'spurious', 'ooo', 'lost', 'copy', 'dupack', 'dsack']);
  return (
    <ul className="chart-legend" data-testid="chart-legend">
      {items.filter(([k, , on]) => on || !rare.has(k)).map(([k, label, on]) => (
        <li key={k} className={on ? '' : 'absent'} data-testid={`legend-${k}`}>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><SwatchIcon kind={k} /></svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
