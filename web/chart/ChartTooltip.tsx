/** What the pointer is on: frame, time, sequence range, lengths and flags, in the user's language. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HoleKind } from '../../src/view/index';
import { MarkKind, SegFlag, type StreamSeries } from '../../src/view/index';
import type { Hit } from './chartMath';
import { flagKeys, fmtInt, fmtTimeExact } from './chartText';
import { ACK_FLAG_KEYS, SEG_FLAG_KEYS } from './segmentMarks';

export interface ChartTooltipProps {
  series: StreamSeries;
  hit: Hit;
  /** Pointer position inside the chart box, and the box size (to keep the tip inside). */
  x: number;
  y: number;
  width: number;
  height: number;
}

function Row({ k, v }: { k: string; v: ReactNode }) {
  return (
    <>
      <dt>{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  );
}

export function ChartTooltip({ series: s, hit, x, y, width, height }: ChartTooltipProps) {
  const { t } = useTranslation();
  const i = hit.index;
  let title: string;
  const rows: ReactNode[] = [];
  let flags: string[] = [];
  const flagText = (keys: string[]) => keys.map((k) => t(`chart.flag.${k}`));
  switch (hit.kind) {
    case 'seg': {
      const f = s.segFlags[i];
      if (f & SegFlag.Envelope) {
        title = t('chart.tip.envelope', { count: s.segN[i], frame: s.segFrame[i] });
        rows.push(<Row key="t" k={t('chart.tip.time')} v={fmtTimeExact(s.segTime[i])} />);
        rows.push(<Row key="r" k={t('chart.tip.range')} v={`${fmtInt(s.segSeq[i])} – ${fmtInt(s.segEnd[i])}`} />);
        rows.push(<Row key="ip" k={t('chart.tip.maxIpLen')} v={fmtInt(s.segIpLen[i])} />);
        break;
      }
      title = t('chart.tip.frame', { frame: s.segFrame[i] });
      rows.push(<Row key="t" k={t('chart.tip.time')} v={fmtTimeExact(s.segTime[i])} />);
      rows.push(<Row key="s" k={t('chart.tip.seq')} v={`${fmtInt(s.segSeq[i])} → ${fmtInt(s.segEnd[i])}`} />);
      rows.push(<Row key="l" k={t('chart.tip.len')} v={fmtInt(s.segLen[i])} />);
      rows.push(<Row key="ip" k={t('chart.tip.ipLen')} v={`${fmtInt(s.segIpLen[i])}${f & SegFlag.Df ? ' · DF' : ''}${f & SegFlag.Oversized ? ` > ${s.pathMtu}` : ''}`} />);
      flags = flagText(flagKeys(f, SEG_FLAG_KEYS));
      break;
    }
    case 'ack':
      title = t('chart.tip.frame', { frame: s.ackFrame[i] });
      rows.push(<Row key="t" k={t('chart.tip.time')} v={fmtTimeExact(s.ackTime[i])} />);
      rows.push(<Row key="a" k={t('chart.tip.ack')} v={fmtInt(s.ackSeq[i])} />);
      rows.push(<Row key="w" k={t('chart.tip.win')} v={fmtInt(s.ackWin[i] - s.ackSeq[i])} />);
      flags = flagText(flagKeys(s.ackFlags[i], ACK_FLAG_KEYS));
      break;
    case 'sack':
      title = t('chart.tip.frame', { frame: s.sackFrame[i] });
      rows.push(<Row key="t" k={t('chart.tip.time')} v={fmtTimeExact(s.sackTime[i])} />);
      rows.push(<Row key="b" k={t(s.sackDsack[i] ? 'chart.tip.dsack' : 'chart.tip.sack')} v={`${fmtInt(s.sackLeft[i])} – ${fmtInt(s.sackRight[i])}`} />);
      break;
    case 'hole': {
      const h = s.holes;
      title = t(h.kind[i] & HoleKind.Sack ? 'chart.tip.holeSack' : 'chart.tip.holeUncaptured');
      rows.push(<Row key="r" k={t('chart.tip.range')} v={`${fmtInt(h.seq0[i])} – ${fmtInt(h.seq1[i])} (${fmtInt(h.seq1[i] - h.seq0[i])} B)`} />);
      rows.push(<Row key="f" k={t('chart.tip.since')} v={`${fmtTimeExact(h.t0[i])} · #${h.frame[i]}`} />);
      rows.push(<Row key="u" k={t('chart.tip.until')} v={h.open[i] ? t('chart.tip.never') : fmtTimeExact(h.t1[i])} />);
      break;
    }
    case 'mark': {
      const k = s.markKind[i];
      title = t('chart.tip.frame', { frame: s.markFrame[i] });
      rows.push(<Row key="t" k={t('chart.tip.time')} v={fmtTimeExact(s.markTime[i])} />);
      rows.push(<Row key="s" k={t(s.markDir[i] ? 'chart.tip.ack' : 'chart.tip.seq')} v={fmtInt(s.markSeq[i])} />);
      flags = [k & MarkKind.Syn ? 'SYN' : '', k & MarkKind.Fin ? 'FIN' : '', k & MarkKind.Rst ? 'RST' : ''].filter(Boolean);
      break;
    }
  }
  // Keep the tip inside the chart: flip to the other side of the pointer near the edges.
  const style = {
    left: x + 240 > width ? undefined : x + 14,
    right: x + 240 > width ? width - x + 14 : undefined,
    top: y + 150 > height ? undefined : y + 14,
    bottom: y + 150 > height ? height - y + 14 : undefined,
  };
  return (
    <div className="chart-tooltip" role="tooltip" data-testid="chart-tooltip" style={style}>
      <div className="tip-title">{title}</div>
      <dl>{rows}</dl>
      {flags.length > 0 && <div className="tip-flags">{flags.join(' · ')}</div>}
      {hit.kind !== 'hole' && <div className="tip-hint muted">{t('chart.tip.click')}</div>}
    </div>
  );
}
