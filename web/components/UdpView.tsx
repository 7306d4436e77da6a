/**
 * One UDP conversation: its endpoints and numbers per direction, its timeline (asked of the worker
 * at the panel's width), buttons to show its packets (udp.stream == N in the Packets tab) and to
 * follow it, and the findings citing its packets (the DNS findings) in full.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asFrame } from '../../src/index';
import { fmtBytes, fmtDuration, fmtInt } from '../format';
import { usePacketList } from '../store/packetListStore';
import { ask, useSession } from '../store/session';
import { useUdp } from '../store/udpStore';
import { diagnoseMtu, useUi } from '../store/uiStore';
import type { UdpConversationView } from '../worker/protocol';
import { FindingStory } from './AnalysisText';
import { FollowStream } from './FollowStream';
import { dnsCell } from './UdpTable';
import { UdpTimeline } from './UdpTimeline';

/** The Packets tab showing conversation `c` (udp.stream == c), `frame` selected. */
export function showConversationPackets(c: number, frame?: number): void {
  const pl = usePacketList.getState();
  pl.setFilter(`udp.stream == ${c}`);
  pl.select(frame ?? null);
  useUi.getState().selectStream(null);
  pl.setTab('packets');
}

/** The width of an element, followed as it changes. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function UdpView({ conversation: c }: { conversation: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const generation = useSession((s) => s.generation);
  const mtu = useUi((s) => diagnoseMtu(s));
  const [ref, width] = useWidth();
  // Asked again only when the width changes by a few dozen pixels, not per pixel of a resize.
  const pixels = Math.max(200, Math.round(width / 40) * 40);
  const [got, setGot] = useState<{ key: string; view: UdpConversationView | null } | null>(null);
  const [follow, setFollow] = useState(false);
  const key = JSON.stringify([generation, c, pixels, mtu, lang]);
  useEffect(() => {
    if (!width) return;
    let live = true;
    void ask({ type: 'udpConversation', conversation: c, pixels: pixels - 154, mtu, lang }).then((o) => {
      if (live) setGot({ key, view: o.ok ? o.value?.view ?? null : null });
    });
    return () => { live = false; };
  }, [key, c, pixels, mtu, lang, width]);
  const view = got?.view ?? null;
  const r = view?.row;
  const tt = (k: string, o?: Record<string, unknown>) => t(k, o);
  const back = () => useUdp.getState().openConversation(null);

  return (
    <section className="panel streams udp-view" aria-label={t('udp.view.title', { n: c })} data-testid="udp-view">
      <div className="panel-head">
        <button type="button" onClick={back} data-testid="udp-back">← {t('udp.view.back')}</button>
        <h2>{t('udp.view.title', { n: c })}</h2>
        {r && <span className="mono">{r.a} ⇄ {r.b}</span>}
        <span className="spacer" />
        <button type="button" data-testid="udp-show-packets" title={t('udp.view.showPacketsHelp', { n: c })} onClick={() => showConversationPackets(c)}>
          {t('udp.view.showPackets')}
        </button>
        <button type="button" data-testid="udp-follow" disabled={!view} onClick={() => setFollow(true)}>{t('udp.view.follow')}</button>
      </div>
      <div className="udp-body" ref={ref}>
        {got === null && <p className="muted pad">{t('udp.view.loading')}</p>}
        {got !== null && !view && <p className="muted pad">{t('udp.view.gone')}</p>}
        {view && r && (
          <>
            <ul className="udp-facts" data-testid="udp-facts">
              <li>{r.app ? t('udp.view.app', { app: r.app }) : t('udp.view.appUnknown')}</li>
              <li>{t('udp.view.span', { start: r.startTime.toFixed(6), duration: fmtDuration(r.duration) })}</li>
              <li>{t('udp.view.sent', { count: r.packetsDir[0], from: 'A', to: 'B', bytes: fmtBytes(r.bytesDir[0], lang) })}</li>
              <li>{t('udp.view.sent', { count: r.packetsDir[1], from: 'B', to: 'A', bytes: fmtBytes(r.bytesDir[1], lang) })}</li>
              {r.icmp > 0 && <li className="warn">{t('udp.view.icmp', { count: r.icmp })}</li>}
              {r.dns && <li data-testid="udp-dns">DNS: {dnsCell(r, tt)}{r.dns.queries ? ` · ${t('udp.responses', { count: r.dns.responses })}` : ''}</li>}
            </ul>
            <h3 className="udp-h" title={t('udp.view.timelineHelp')}>{t('udp.view.timeline')} <span className="muted">· {fmtInt(r.packets, lang)}</span></h3>
            <UdpTimeline timeline={view.timeline} width={width - 16} lanes={[`A → B`, `B → A`]} onFrame={(frame) => showConversationPackets(c, frame)} />
            <p className="udp-legend muted">
              <span className="key query" /> {t('udp.view.legendQuery')} <span className="key response" /> {t('udp.view.legendResponse')}
              {' '}<span className="key unanswered" /> {t('udp.view.legendUnanswered')} <span className="key dns-error" /> {t('udp.view.legendError')}
              {' '}<span className="key icmp" /> {t('udp.view.legendIcmp')} <span className="key other" /> {t('udp.view.legendOther')}
              {view.timeline.decimated && <> · {t('udp.view.decimated')}</>}
            </p>
            <h3 className="udp-h">{t('udp.view.findings')}</h3>
            {view.findings.length === 0 && <p className="muted pad" data-testid="udp-no-findings">{t('udp.view.noFindings')}</p>}
            <div data-testid="udp-findings">
              {view.findings.map((f) => (
                <div key={f.id} className={`udp-finding sev-${f.severity}`}>
                  <FindingStory finding={f} onFrame={(frame) => showConversationPackets(c, frame)} />
                </div>
              ))}
            </div>
          </>
        )}
      </div>
      {follow && view && <FollowStream target={{ udp: asFrame(view.timeline.frame[0]) }} onClose={() => setFollow(false)} />}
    </section>
  );
}
