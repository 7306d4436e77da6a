/**
 * The UDP conversations beside the TCP streams: the switch between the two lists (with their
 * counts), and the UDP list itself: virtualized, sortable, filtered by the stream table's box (free
 * text or a display filter); rows come from the worker a page at a time. A row opens its view
 * (UdpView: timeline, packets, follow, findings) in place of the list.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtBytes, fmtDuration, fmtInt } from '../format';
import { useListKeys } from '../hooks/useListKeys';
import { usePagedRows } from '../hooks/usePagedRows';
import { ask, useSession } from '../store/session';
import { useUdp, type ConversationKind } from '../store/udpStore';
import { useUi } from '../store/uiStore';
import type { UdpConversationRow, UdpSortKey } from '../worker/protocol';
import { FilterInput } from './FilterInput';
import { useAppliedFilter } from '../hooks/useAppliedFilter';
import { UdpView } from './UdpView';
import './udp.css';

/** How many UDP conversations the capture holds (null until the worker said). */
function useUdpCount(): number | null {
  const generation = useSession((s) => s.generation);
  const [n, setN] = useState<{ generation: number; n: number } | null>(null);
  useEffect(() => {
    let live = true;
    void ask({ type: 'udpConversations', sort: { key: 'index', desc: false }, filter: '', from: 0, count: 0 }).then((o) => {
      if (live && o.ok && o.value) setN({ generation, n: o.value.all });
    });
    return () => { live = false; };
  }, [generation]);
  return n && n.generation === generation ? n.n : null;
}

/** TCP streams or UDP conversations, each with its count. */
export function ConversationSwitch() {
  const { t, i18n } = useTranslation();
  const kind = useUdp((s) => s.kind);
  const tcp = useSession((s) => s.summary?.streams ?? 0);
  const udp = useUdpCount();
  const choice = (k: ConversationKind, label: string) => (
    <button
      type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'on' : ''} data-testid={`conv-${k}`}
      onClick={() => { useUdp.getState().setKind(k); useUdp.getState().openConversation(null); }}
    >
      {label}
    </button>
  );
  return (
    <div className="segmented" role="radiogroup" aria-label={t('udp.switchLabel')} data-testid="conv-switch">
      {choice('tcp', t('udp.tabTcp', { n: fmtInt(tcp, i18n.language) }))}
      {choice('udp', t('udp.tabUdp', { n: udp === null ? '…' : fmtInt(udp, i18n.language) }))}
    </div>
  );
}

const COLUMNS: { key: UdpSortKey | 'a' | 'b'; num?: boolean; help?: string }[] = [
  { key: 'index', num: true }, { key: 'a' }, { key: 'b' }, { key: 'app', help: 'udp.appHelp' }, { key: 'packets', num: true }, { key: 'bytes', num: true },
  { key: 'start', num: true }, { key: 'duration', num: true }, { key: 'unanswered', help: 'udp.dnsHelp' },
];
const SORTABLE = new Set<string>(['index', 'app', 'packets', 'bytes', 'start', 'duration', 'unanswered']);
const ROW_HEIGHT = 22;

/** The DNS cell: queries, then what went wrong (unanswered, errors) when anything did. */
export function dnsCell(r: UdpConversationRow, t: (k: string, o?: Record<string, unknown>) => string): string {
  const d = r.dns;
  if (!d) return '';
  const parts = [d.queries ? t('udp.queries', { count: d.queries }) : t('udp.responses', { count: d.responses })];
  if (d.unanswered) parts.push(t('udp.unanswered', { count: d.unanswered }));
  if (d.errors) parts.push(t('udp.errors', { count: d.errors }));
  return parts.join(' · ');
}

export function UdpTable() {
  const open = useUdp((s) => s.open);
  const generation = useSession((s) => s.generation);
  // A new capture: its conversations are not the last one's.
  const seen = useRef(generation);
  useEffect(() => {
    if (seen.current !== generation) { seen.current = generation; useUdp.getState().openConversation(null); }
  }, [generation]);
  return open === null ? <UdpList /> : <UdpView conversation={open} />;
}

function UdpList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sort = useUdp((s) => s.sort);
  const filter = useUi((s) => s.filter);
  const generation = useSession((s) => s.generation);
  const [cursor, setCursor] = useState(0);
  const { kind, applied } = useAppliedFilter(filter);
  const [runError, setRunError] = useState<string | null>(null);
  const [all, setAll] = useState<number | null>(null);
  const fetchPage = useCallback(
    (from: number, count: number) => ask({ type: 'udpConversations', sort, filter: applied.text, display: applied.display || undefined, from, count }).then((o) => {
      if (!o.ok || !o.value) return null;
      setRunError(o.value.filterError ?? null);
      setAll(o.value.all);
      return o.value;
    }),
    [sort, applied],
  );
  const key = JSON.stringify([generation, sort, applied]);
  const { total, row, ensure } = usePagedRows<UdpConversationRow>(key, fetchPage);
  const count = total ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, initialRect: { width: 1000, height: 400 } });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => ensure(first, last), [first, last, ensure]);
  useEffect(() => setCursor(0), [key]);
  const openRow = (r: UdpConversationRow | undefined) => { if (r) useUdp.getState().openConversation(r.index); };

  useListKeys({
    move(delta) {
      if (!count) return;
      const next = Math.max(0, Math.min(count - 1, cursor + delta));
      setCursor(next);
      v.scrollToIndex(next, { align: 'auto' });
    },
    enter() { openRow(row(cursor)); },
  });
  const tt = (k: string, o?: Record<string, unknown>) => t(k, o);

  return (
    <section className="panel streams" aria-label={t('udp.title')} data-testid="udp-conversations">
      <div className="panel-head">
        <h2>{t('udp.title')}</h2>
        <ConversationSwitch />
        <span className="muted" data-testid="udp-count">{total === null ? '' : t('udp.count', { shown: fmtInt(count, lang), total: fmtInt(all ?? count, lang) })}</span>
        <span className="spacer" />
        <FilterInput
          className="filter align-right" testId="udp-filter" placeholder={t('udp.filter')} label={t('udp.filter')}
          value={filter} onChange={(text) => useUi.getState().setFilter(text)} error={kind.kind === 'error' ? kind.error : null}
        />
        {(kind.kind === 'display' || kind.kind === 'text') && (
          <span className="muted filter-mode">{t(kind.kind === 'display' ? 'filterBox.modeDisplay' : 'filterBox.modeText')}</span>
        )}
      </div>
      {runError && <p className="notice error small" role="alert">{t('filterBox.failed', { message: runError })}</p>}
      <div className="grid-table udp-grid" role="grid" aria-rowcount={count}>
        <div className="grid-row grid-header" role="row">
          {COLUMNS.map((c) => (
            <div
              key={c.key} role="columnheader" className={`${c.num ? 'num' : ''} ${SORTABLE.has(c.key) ? 'sortable' : ''}`}
              aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              onClick={() => { if (SORTABLE.has(c.key)) useUdp.getState().sortBy(c.key as UdpSortKey); }} title={c.help ? t(c.help) : undefined}
            >
              {t(`udp.col.${c.key}`)}
              {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
            </div>
          ))}
        </div>
        <div className="grid-body" ref={scrollRef} tabIndex={0} aria-label={t('udp.title')} aria-activedescendant={count ? `udp-row-id-${cursor}` : undefined} data-testid="udp-rows">
          {total === 0 && <div className="empty">{all === 0 ? t('udp.none') : t('udp.empty')}</div>}
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const r = row(it.index);
              const bad = r?.dns && (r.dns.unanswered || r.dns.errors);
              return (
                <div
                  key={it.key} role="row" id={`udp-row-id-${it.index}`} aria-selected={it.index === cursor} data-testid={r ? `udp-row-${r.index}` : undefined}
                  className={`grid-row ${it.index === cursor ? 'cursor' : ''} ${bad ? 'sev-warning' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                  onClick={() => { setCursor(it.index); openRow(r); }}
                >
                  {r ? (
                    <>
                      <div className="num">{r.index}</div>
                      <div className="mono ellipsis" title={r.a}>{r.a}</div>
                      <div className="mono ellipsis" title={r.b}>{r.b}</div>
                      <div className="ellipsis">{r.app}</div>
                      <div className="num">{fmtInt(r.packets, lang)}</div>
                      <div className="num">{fmtBytes(r.bytes, lang)}</div>
                      <div className="num">{r.startTime.toFixed(3)}</div>
                      <div className="num">{fmtDuration(r.duration)}</div>
                      <div className={`ellipsis ${bad ? 'warn' : ''}`} title={dnsCell(r, tt)}>{dnsCell(r, tt)}</div>
                    </>
                  ) : (
                    <div className="muted">…</div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
