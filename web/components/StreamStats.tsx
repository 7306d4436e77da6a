/**
 * A stream's numbers, shown for every stream, healthy or not: handshake and ACK round trips, what
 * each side sent, throughput and goodput, retransmissions, the SYNs' options, windows, how it ended.
 * Computed in the worker (src/view/streamStats.ts, the CLI's `stats`); asked again when the capture
 * changes. Texts in the UI's language, numbers through the app's formatters.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtBytes, fmtDuration, fmtInt, fmtMs, fmtPercent, fmtRate } from '../format';
import { ask, useSession } from '../store/session';
import type { Direction, StreamRowView, StreamStats as Stats } from '../worker/protocol';

type SideStats = Stats['sides'][number];

const name = (d: Direction) => (d === 0 ? 'A' : 'B');

function Item({ k, help, children, id }: { k: string; help?: string; children: ReactNode; id?: string }) {
  return (
    <div className="kv" data-testid={id}>
      <dt title={help}>{k}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function useStreamStats(stream: number): { stream: number; stats: Stats | null; failed: boolean } | null {
  const generation = useSession((s) => s.generation);
  const [got, setGot] = useState<{ stream: number; stats: Stats | null; failed: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    void ask({ type: 'streamStats', stream }).then((o) => {
      if (live) setGot({ stream, stats: o.ok ? o.value.stats : null, failed: !o.ok });
    });
    return () => { live = false; };
  }, [stream, generation]);
  return got?.stream === stream ? got : null;
}

/** What one endpoint sent, announced and advertised. */
function Side({ d, s, addr, role, windowsScaled }: { d: Direction; s: SideStats; addr: string; role: 'client' | 'server' | null; windowsScaled: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const none = t('stats.none');
  const ms = (v: number) => fmtMs(v, lang);
  const rate = (v: number | null) => (v === null ? none : fmtRate(v, lang));
  const r = s.ackRtt;
  return (
    <>
      <h3 className="stats-side">
        {role
          ? t('stats.sideRole', { side: `${name(d)} → ${name((1 - d) as Direction)}`, addr, role: t(`stats.${role}`) })
          : t('stats.side', { side: `${name(d)} → ${name((1 - d) as Direction)}`, addr })}
      </h3>
      <dl data-testid={`stats-side-${d}`}>
        <Item k={t('stats.sent')}>{t('stats.sentValue', { bytes: fmtBytes(s.bytes, lang), packets: fmtInt(s.packets, lang) })}</Item>
        <Item k={t('stats.throughput')} help={t('stats.throughputHelp')} id={`stats-throughput-${d}`}>{rate(s.throughput)}</Item>
        <Item k={t('stats.goodput')} help={t('stats.goodputHelp')}>{rate(s.goodput)}</Item>
        <Item k={t('stats.retrans')} help={t('stats.retransHelp')}>
          {t('stats.retransValue', {
            segments: fmtInt(s.retransmittedSegments, lang), bytes: fmtBytes(s.retransmittedBytes, lang),
            rate: s.retransmissionRate === null ? none : fmtPercent(s.retransmissionRate, lang),
          })}
        </Item>
        <Item k={t('stats.ackRtt')} help={t('stats.ackRttHelp')} id={`stats-rtt-${d}`}>
          {r.samples === 0 || r.min === null || r.median === null || r.max === null ? <span className="muted">{t('stats.noSamples')}</span>
            : t('stats.ackRttValue', { min: ms(r.min), median: ms(r.median), max: ms(r.max), n: fmtInt(r.samples, lang) })}
          {r.skipped > 0 && <div className="muted small">{t('stats.ackRttSkipped', { n: fmtInt(r.skipped, lang) })}</div>}
        </Item>
        <Item k={t('stats.mss')}>{!s.synSeen ? t('stats.synUnseen') : s.mss === null ? t('stats.notAnnounced') : fmtBytes(s.mss, lang)}</Item>
        <Item k={t('stats.wscale')}>
          {!s.synSeen ? t('stats.synUnseen') : s.wscale === null ? t('stats.notAnnounced') : t('stats.wscaleValue', { shift: s.wscale, factor: fmtInt(2 ** s.wscale, lang) })}
        </Item>
        <Item k={t('stats.window')}>
          {s.initialWindow === null ? none : `${fmtBytes(s.initialWindow, lang)} / ${fmtBytes(s.maxWindow ?? s.initialWindow, lang)}`}
          {!windowsScaled && <div className="muted small">{t('stats.windowRaw')}</div>}
        </Item>
        <Item k={t('stats.zeroWindows')}>{fmtInt(s.zeroWindows, lang)}</Item>
      </dl>
    </>
  );
}

export function StreamStats({ stream, row }: { stream: number; row: StreamRowView | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const got = useStreamStats(stream);
  const st = got?.stats ?? null;
  const none = t('stats.none');
  const ms = (v: number | null) => (v === null ? none : fmtMs(v, lang));
  const option = (v: boolean | null) => t(v === null ? 'stats.unknown' : v ? 'stats.on' : 'stats.off');

  const body = () => {
    if (!got) return <p className="muted">{t('stats.loading')}</p>;
    if (!st) return <p className="muted">{t('stats.failed')}</p>;
    const h = st.handshake;
    const server: Direction | null = h.client === null ? null : ((1 - h.client) as Direction);
    const c = st.close;
    let end: string;
    if (c.kind === 'fin') end = t('stats.closeFin', { side: name(c.firstFin ?? 0) });
    else if (c.kind === 'half-closed') end = t('stats.closeHalf', { side: name(c.firstFin ?? 0) });
    else if (c.kind === 'reset') {
      end = c.firstFin !== null && (c.finTime ?? Infinity) <= (c.rstTime ?? Infinity)
        ? t('stats.closeResetAfterFin', { side: name(c.firstRst ?? 0), fin: name(c.firstFin) })
        : t('stats.closeReset', { side: name(c.firstRst ?? 0) });
    } else end = t('stats.closeOpen');
    return (
      <>
        <dl data-testid="stats-stream">
          <Item k={t('stats.duration')}>{fmtDuration(st.duration)}</Item>
          <Item k={t('stats.handshake')} id="stats-handshake">
            {h.total === null ? <span className="muted">{t('stats.noHandshake')}</span> : (
              <>
                <span className="mono">{ms(h.total)}</span>
                <div className="muted small">
                  {t('stats.legs', {
                    server: ms(h.synToSynAck), client: ms(h.synAckToAck),
                    serverSide: server === null ? '?' : name(server), clientSide: h.client === null ? '?' : name(h.client),
                  })}
                </div>
                {h.synRepeated && <div className="muted small">{t('stats.synRepeated')}</div>}
              </>
            )}
          </Item>
          {h.total !== null && (
            <Item k={t('stats.nearer')}>
              {h.nearer === null ? t('stats.nearerNone')
                : t('stats.nearerSide', { side: name(h.nearer), role: t(h.nearer === h.client ? 'stats.client' : 'stats.server') })}
            </Item>
          )}
          <Item k={t('stats.windowScaling')}>{option(st.negotiated.windowScaling)}</Item>
          <Item k={t('stats.sack')}>{option(st.negotiated.sack)}</Item>
          <Item k={t('stats.timestamps')}>{option(st.negotiated.timestamps)}</Item>
          <Item k={t('stats.close')} id="stats-close">{end}</Item>
        </dl>
        {([0, 1] as Direction[]).map((d) => (
          <Side key={d} d={d} s={st.sides[d]} addr={row ? (d === 0 ? row.a : row.b) : ''} role={h.client === null ? null : h.client === d ? 'client' : 'server'} windowsScaled={st.windowsScaled} />
        ))}
      </>
    );
  };

  return (
    <section className="panel stream-stats" aria-label={t('stats.title')} data-testid="stream-stats">
      <div className="panel-head"><h2 title={t('stats.help')}>{t('stats.title')}</h2></div>
      <div className="stats-body">{body()}</div>
    </section>
  );
}
