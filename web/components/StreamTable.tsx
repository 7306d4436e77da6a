/** The stream table: virtualized, sortable, filterable; rows come from the worker a page at a time. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITY_RANK } from '../../src/diagnose/index';
import { fmtBytes, fmtDuration, fmtInt } from '../format';
import { usePagedRows } from '../hooks/usePagedRows';
import { useListKeys } from '../hooks/useListKeys';
import { crossFindingsByStream, usePoints } from '../points/pointsStore';
import { streamOpening } from '../store/findingWindow';
import { ask, useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { StreamRowView, StreamSortKey } from '../worker/protocol';
import { savePcapng } from './exportFile';
import { FilterInput } from './FilterInput';
import { useAppliedFilter } from '../hooks/useAppliedFilter';
import { ConversationSwitch, UdpTable } from './UdpTable';
import { useUdp } from '../store/udpStore';

const COLUMNS: { key: StreamSortKey | 'a' | 'b' | 'flags'; num?: boolean }[] = [
  { key: 'index', num: true }, { key: 'a' }, { key: 'b' }, { key: 'packets', num: true }, { key: 'bytes', num: true },
  { key: 'start', num: true }, { key: 'duration', num: true }, { key: 'retrans', num: true }, { key: 'holes', num: true },
  { key: 'flags' }, { key: 'findings', num: true },
];
const SORTABLE = new Set<string>(['index', 'packets', 'bytes', 'start', 'duration', 'retrans', 'holes', 'findings']);
const ROW_HEIGHT = 22;

/** The TCP streams, or the UDP conversations beside them (the switch in either head). */
export function StreamTable() {
  const kind = useUdp((s) => s.kind);
  return kind === 'udp' ? <UdpTable /> : <TcpStreamTable />;
}

function TcpStreamTable() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sort = useUi((s) => s.sort);
  const filter = useUi((s) => s.filter);
  const problemsOnly = useUi((s) => s.problemsOnly);
  const generation = useSession((s) => s.generation);
  const [cursor, setCursor] = useState(0);

  // The box takes a display filter (streams with a matching packet) or, failing that, free text
  // (pieces of endpoints, stream numbers); a broken filter is shown and filters nothing. A display
  // filter is applied once the typing pauses (it reads the whole capture).
  const { kind, applied } = useAppliedFilter(filter);
  const [runError, setRunError] = useState<string | null>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);
  // "Export displayed packets": the packets the display filter matches, as pcapng.
  const exportDisplayed = async () => {
    setExportNote(t('export.working'));
    const what = `filtered-${applied.display.replace(/[^\w.]+/g, '_').slice(0, 40)}`;
    const r = await savePcapng({ filter: applied.display }, useSession.getState().fileName, what);
    setExportNote(r.ok ? t('export.done', { name: r.name, packets: fmtInt(r.count, lang) }) : t('export.failed', { message: r.message }));
  };
  const fetchPage = useCallback(
    (from: number, count: number) => ask({ type: 'streams', sort, filter: applied.text, display: applied.display || undefined, problemsOnly, from, count }).then((o) => {
      if (!o.ok) return null;
      setRunError(o.value.filterError ?? null);
      return o.value;
    }),
    [sort, applied, problemsOnly],
  );
  const key = JSON.stringify([generation, sort, applied, problemsOnly]);
  const { total, row, ensure } = usePagedRows<StreamRowView>(key, fetchPage);
  const count = total ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, initialRect: { width: 1000, height: 400 } });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => ensure(first, last), [first, last, ensure]);
  useEffect(() => setCursor(0), [key]);

  useListKeys({
    move(delta) {
      if (!count) return;
      const next = Math.max(0, Math.min(count - 1, cursor + delta));
      setCursor(next);
      v.scrollToIndex(next, { align: 'auto' });
    },
    enter() {
      const r = row(cursor);
      if (r) useUi.getState().openStream(streamOpening(r));
    },
  });

  // A stream's findings badge counts the capture points' findings about it too.
  const openFile = useSession((s) => s.fileName);
  const points = usePoints();
  const cross = useMemo(() => crossFindingsByStream(points, openFile), [points, openFile]);
  const badge = (r: StreamRowView) => {
    const c = cross.get(r.index);
    const n = r.findings + (c?.n ?? 0);
    const worst = c && (!r.worst || SEVERITY_RANK[c.worst] > SEVERITY_RANK[r.worst]) ? c.worst : r.worst;
    return n ? <span className={`badge sev-${worst ?? 'info'}`} data-testid="stream-findings">{n}</span> : '';
  };
  const active = count ? `stream-row-id-${cursor}` : undefined;

  const onSort = (k: string) => {
    if (!SORTABLE.has(k)) return;
    const key = k as StreamSortKey;
    useUi.getState().setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'index' && key !== 'start' });
  };

  return (
    <section className="panel streams" aria-label={t('streams.title')}>
      <div className="panel-head">
        <h2>{t('streams.title')}</h2>
        <ConversationSwitch />
        <span className="muted">{total === null ? '' : t('streams.count', { shown: fmtInt(count, lang), total: fmtInt(useSession.getState().summary?.streams ?? count, lang) })}</span>
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" data-testid="problems-only" checked={problemsOnly} onChange={(e) => useUi.getState().setProblemsOnly(e.target.checked)} />
          {t('streams.problemsOnly')}
        </label>
        <FilterInput
          className="filter align-right" testId="stream-filter" placeholder={t('streams.filter')} label={t('streams.filter')}
          value={filter} onChange={(text) => useUi.getState().setFilter(text)} error={kind.kind === 'error' ? kind.error : null}
        />
        {(kind.kind === 'display' || kind.kind === 'text') && (
          <span className="muted filter-mode" data-testid="stream-filter-mode">{t(kind.kind === 'display' ? 'filterBox.modeDisplay' : 'filterBox.modeText')}</span>
        )}
        {kind.kind === 'display' && applied.display !== '' && !runError && (
          <button type="button" data-testid="stream-export-displayed" onClick={() => void exportDisplayed()}>{t('export.displayed')}</button>
        )}
      </div>
      {runError && <p className="notice error small" role="alert" data-testid="stream-filter-run-error">{t('filterBox.failed', { message: runError })}</p>}
      {exportNote && <p className="muted small pad" role="status" data-testid="stream-export-note">{exportNote}</p>}
      <div className="grid-table stream-grid" role="grid" aria-rowcount={count}>
        <div className="grid-row grid-header" role="row">
          {COLUMNS.map((c) => (
            <div
              key={c.key} role="columnheader" className={`${c.num ? 'num' : ''} ${SORTABLE.has(c.key) ? 'sortable' : ''}`}
              aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              onClick={() => onSort(c.key)} title={c.key === 'flags' ? t('streams.flagsHelp') : c.key === 'retrans' ? t('streams.retransHelp') : c.key === 'holes' ? t('streams.holesHelp') : undefined}
            >
              {t(`streams.col.${c.key}`)}
              {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
            </div>
          ))}
        </div>
        {/* One Tab stop for the rows: the arrows move the cursor, Enter opens its stream. */}
        <div className="grid-body" ref={scrollRef} tabIndex={0} aria-label={t('streams.title')} aria-activedescendant={active} data-testid="stream-rows">
          {total === 0 && <div className="empty">{t('streams.empty')}</div>}
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const r = row(it.index);
              return (
                <div
                  key={it.key} role="row" id={`stream-row-id-${it.index}`} aria-selected={it.index === cursor} data-testid={r ? `stream-row-${r.index}` : undefined}
                  className={`grid-row ${it.index === cursor ? 'cursor' : ''} ${r?.worst ? `sev-${r.worst}` : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                  onClick={() => { setCursor(it.index); if (r) useUi.getState().openStream(streamOpening(r)); }}
                >
                  {r ? (
                    <>
                      <div className="num">{r.index}</div>
                      <div className="mono ellipsis" title={r.a}>{r.a}</div>
                      <div className="mono ellipsis" title={r.b}>{r.b}</div>
                      <div className="num">{fmtInt(r.packets, lang)}</div>
                      <div className="num">{fmtBytes(r.bytes, lang)}</div>
                      <div className="num">{r.startTime.toFixed(3)}</div>
                      <div className="num">{fmtDuration(r.duration)}</div>
                      <div className={`num ${r.retrans ? 'warn' : ''}`}>{r.retrans || ''}</div>
                      <div className={`num ${r.holes ? 'warn' : ''}`}>{r.holes || ''}</div>
                      <div className="mono ellipsis" title={r.flags}>{r.flags}</div>
                      <div className="num">{badge(r)}</div>
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
