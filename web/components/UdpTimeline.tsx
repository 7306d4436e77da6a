/**
 * A UDP conversation's timeline as SVG: time across, one lane per direction (A→B above, B→A below),
 * one mark per packet (or per pixel column, merged in the worker) whose height is its length, DNS
 * queries joined to their responses, a query never answered ringed in the error colour. A mark's
 * click selects its frame in the Packets tab.
 */
import { useTranslation } from 'react-i18next';
import { UdpMark } from '../../src/view/index';
import { fmtDuration } from '../format';
import type { UdpTimeline as Timeline } from '../worker/protocol';

const LANE = 64;
const AXIS = 22;
const PAD = 14;
const LABEL = 140;

/** Round tick steps: about one per 120 pixels. */
function ticks(t0: number, t1: number, width: number): number[] {
  const span = t1 - t0;
  if (!(span > 0)) return [t0];
  const raw = span / Math.max(1, Math.floor(width / 120));
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let x = Math.ceil(t0 / step) * step; x <= t1 + step * 1e-9; x += step) out.push(x);
  return out;
}

function markClass(flags: number): string {
  if (flags & UdpMark.Icmp) return 'mark icmp';
  if (flags & UdpMark.Unanswered) return 'mark unanswered';
  if (flags & UdpMark.DnsError) return 'mark dns-error';
  if (flags & UdpMark.DnsQuery) return 'mark query';
  if (flags & UdpMark.DnsResponse) return 'mark response';
  return 'mark';
}

export function UdpTimeline({ timeline: tl, width, lanes, onFrame }: { timeline: Timeline; width: number; lanes: [string, string]; onFrame(frame: number): void }) {
  const { t } = useTranslation();
  const w = Math.max(200, width);
  const x0 = LABEL, x1 = w - PAD;
  const span = tl.t1 - tl.t0;
  const x = (time: number) => (span > 0 ? x0 + ((time - tl.t0) / span) * (x1 - x0) : (x0 + x1) / 2);
  const laneY = (d: number) => PAD + d * LANE + LANE / 2;
  const h = (len: number) => Math.max(3, (len / Math.max(1, tl.maxLen)) * (LANE / 2 - 4));
  const height = PAD + 2 * LANE + AXIS;
  const marks = [];
  for (let i = 0; i < tl.time.length; i++) {
    const d = tl.dir[i], cx = x(tl.time[i]), hh = h(tl.len[i]), cy = laneY(d);
    const flags = tl.flags[i];
    const time = tl.time[i].toFixed(6);
    const title = flags & UdpMark.Unanswered
      ? t('udp.view.markUnanswered', { frame: tl.frame[i], time })
      : tl.count[i] > 1
        ? t('udp.view.markMerged', { count: tl.count[i], frame: tl.frame[i], len: tl.len[i], time })
        : t('udp.view.mark', { frame: tl.frame[i], len: tl.len[i], time });
    marks.push(
      <g key={i} className={markClass(flags)} data-testid={flags & UdpMark.Unanswered ? 'udp-unanswered' : undefined} onClick={() => onFrame(tl.frame[i])}>
        <title>{title}</title>
        {/* A→B grows up from its lane's middle, B→A down: the two directions face each other. */}
        <rect x={cx - 1.5} y={d === 0 ? cy - hh : cy} width={3} height={hh} />
        {flags & UdpMark.Unanswered ? <circle cx={cx} cy={d === 0 ? cy - hh - 6 : cy + hh + 6} r={5} /> : null}
      </g>,
    );
  }
  const links = [];
  // DNS messages always have a mark of their own: the query's lane is its sender's, the response comes back on the other.
  const dirOf = new Map<number, number>();
  for (let i = 0; i < tl.frame.length; i++) if (tl.flags[i] & UdpMark.DnsQuery) dirOf.set(tl.frame[i], tl.dir[i]);
  for (let i = 0; i < tl.linkQ.length; i++) {
    const qd = dirOf.get(tl.linkQFrame[i]) ?? 0;
    links.push(
      <line key={i} className="link" x1={x(tl.linkQ[i])} y1={laneY(qd)} x2={x(tl.linkR[i])} y2={laneY(1 - qd)}>
        <title>{t('udp.view.link', { q: tl.linkQFrame[i], r: tl.linkRFrame[i], rtt: fmtDuration(tl.linkR[i] - tl.linkQ[i]) })}</title>
      </line>,
    );
  }
  return (
    <svg className="udp-timeline" width={w} height={height} role="img" aria-label={t('udp.view.timelineHelp')} data-testid="udp-timeline">
      {[0, 1].map((d) => (
        <g key={d} className="lane">
          <line x1={x0} x2={x1} y1={laneY(d)} y2={laneY(d)} />
          <text x={6} y={laneY(d) + 4} className="lane-label">{lanes[d]}</text>
        </g>
      ))}
      <g className="links">{links}</g>
      <g className="marks">{marks}</g>
      <g className="axis">
        {ticks(tl.t0, tl.t1, x1 - x0).map((s) => (
          <g key={s}>
            <line x1={x(s)} x2={x(s)} y1={PAD + 2 * LANE} y2={PAD + 2 * LANE + 4} />
            <text x={x(s)} y={PAD + 2 * LANE + 16} textAnchor="middle">{`${Number(s.toPrecision(9))} s`}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}
