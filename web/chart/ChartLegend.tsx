/**
 * The legend: one swatch per kind of mark, drawn with the same classes as the marks so colours
 * always match. Kinds absent from the view are dimmed rather than hidden, so the legend does not
 * jump while zooming; the oversized entry names the path MTU the marks were computed for.
 */
import { useTranslation } from 'react-i18next';
import { AckFlag, type StreamSeries } from '../../src/view/index';
import { LEGEND_ORDER, SEGMENT_LOOKS, type SegmentLook } from './segmentMarks';

type Swatch = 'seg' | 'ack' | 'win' | 'sack' | 'dsack' | 'hole' | 'conn' | 'dupack' | SegmentLook['id'];

const seg = (cls: string) => <path className={`seg ${cls}`} d="M5 2H11M8 2V14M5 14H11" />;

function SwatchIcon({ kind }: { kind: Swatch }) {
  switch (kind) {
    case 'seg': return seg('');
    case 'oversized':
      return <>{seg('oversized')}<path className="oversized-mark" d="M3.5 -5H12.5L8 1Z" transform="translate(0 2)" /></>;
    case 'ack': return <path className="ack-line" d="M1 12H7V6H15" />;
    case 'win': return <path className="win-line" d="M1 10H7V4H15" />;
    case 'sack': return <g className="sack"><rect x="4" y="3" width="10" height="10" /><path d="M4 3V13" /></g>;
    case 'dsack': return <g className="sack dsack"><rect x="4" y="3" width="10" height="10" /><path d="M4 3V13" /></g>;
    case 'hole': return <g className="hole open"><rect x="1" y="4" width="14" height="8" /></g>;
    case 'conn': return <g className="conn"><path d="M8 4L12 8L8 12L4 8Z" /></g>;
    case 'dupack': return <><path className="ack-line" d="M1 8H15" /><path className="dupack" d="M8 4V12" /></>;
    // Any other segment look (segmentMarks.ts): an I-beam of its class.
    default: return seg(kind);
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
  // Segment looks from their one declaration (segmentMarks.ts), in legend order.
  const looks: [Swatch, string, boolean][] = LEGEND_ORDER.map((id) => {
    const look = SEGMENT_LOOKS.find((l) => l.id === id)!, legend = look.legend!;
    const key = mtu > 0 || !legend.keyNoMtu ? legend.key : legend.keyNoMtu;
    return [id, t(`chart.legend.${key}`, { mtu }), (segOr & look.flags) !== 0];
  });
  const items: [Swatch, string, boolean][] = [
    ['seg', t('chart.legend.segment'), true],
    ...looks,
    ['ack', t('chart.legend.ack'), true],
    ['win', t('chart.legend.win'), true],
    ['dupack', t('chart.legend.dupack'), (ackOr & AckFlag.DuplicateAck) !== 0],
    ['sack', t('chart.legend.sack'), (series?.sackCount ?? 0) > 0],
    ['dsack', t('chart.legend.dsack'), dsack !== 0],
    ['hole', t('chart.legend.hole'), (series?.holes.count ?? 0) > 0],
    ['conn', t('chart.legend.conn'), (series?.markCount ?? 0) > 0],
  ];
  // Rare kinds appear only when present; the everyday ones stay to explain the picture.
  const rare = new Set<Swatch>([...SEGMENT_LOOKS.filter((l) => l.legend?.rare).map((l) => l.id), 'dupack', 'dsack']);
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
