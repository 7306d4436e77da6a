/**
 * The list of every packet (Wireshark's packet list), virtualized: the worker sorts (a permutation
 * over millions of rows) and answers pages of about 50 rows, re-reading from the File only the bytes
 * the Info column needs. Keys: ↑ ↓ PgUp PgDn Home End move, Ctrl+G goes to a frame, Ctrl+Alt+T
 * marks a time reference, Enter opens a TCP packet's stream. Below it, the selected frame's detail
 * tree and bytes (FrameInspector).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { asFrame } from '../../src/index';
import { checkFilter, FilterError } from '../../src/filter/index';
import { fmtInt } from '../format';
import { isTyping } from '../hooks/useListKeys';
import { usePagedRows } from '../hooks/usePagedRows';
import { TIME_FORMATS, usePacketList, type TimeFormat } from '../store/packetListStore';
import { ask, useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { FollowTargetView, PacketListQuery, PacketListRowView, PacketSortKey } from '../worker/protocol';
import { savePcapng } from './exportFile';
import { FollowStream } from './FollowStream';
import { FilterInput } from './FilterInput';
import { FrameInspector } from './FrameInspector';
import './packetList.css';

const ROW_HEIGHT = 20;

/** Enter on these buttons presses them: it does not reach the list's Enter (open the row's stream). */
function pressOnEnter(e: ReactKeyboardEvent<HTMLButtonElement>): void {
  if (e.key === 'Enter') e.stopPropagation();
}
/** Rows per request: their bytes may be re-read, so pages stay small. */
const LIST_PAGE = 50;
const COLS: PacketSortKey[] = ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'];
const NUMERIC = new Set<PacketSortKey>(['number', 'time', 'length']);

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** A row's time in the chosen format (Wireshark's View → Time Display Format). */
export function timeText(r: PacketListRowView, f: TimeFormat, refMark: string): string {
  switch (f) {
    case 'rel': return r.ref ? refMark : r.rel.toFixed(6);
    case 'delta': return r.delta.toFixed(6);
    case 'stream': return r.streamRel === null ? '' : r.streamRel.toFixed(6);
    case 'utc': case 'local': {
      const d = new Date(r.tsSec * 1000);
      const frac = r.tsNsec % 1000 === 0 ? pad(Math.floor(r.tsNsec / 1000), 6) : pad(r.tsNsec, 9);
      if (f === 'utc') return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${frac}`;
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac}`;
    }
  }
}

function GoToDialog({ onGo, onClose }: { onGo(frame: number): Promise<boolean>; onClose(): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    input.current?.focus();
    return () => { if (before?.isConnected) before.focus(); };
  }, []);
  const submit = async () => {
    const n = Number(text.trim());
    if (!Number.isInteger(n) || n < 1) { setMissing(Number.isFinite(n) ? n : 0); return; }
    if (await onGo(n)) onClose();
    else setMissing(n);
  };
  return (
    <div className="modal-back" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={t('plist.goToTitle')} data-testid="goto-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>{t('plist.goToTitle')}</h2>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <label>
            {t('plist.goToLabel')}{' '}
            <input
              ref={input} inputMode="numeric" value={text} data-testid="goto-input"
              onChange={(e) => { setText(e.target.value); setMissing(null); }}
              onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}
            />
          </label>{' '}
          <button type="submit">{t('plist.goToButton')}</button>
        </form>
        {missing !== null && <p className="notice error" role="alert">{t('plist.goToMissing', { frame: missing })}</p>}
      </div>
    </div>
  );
}

export function PacketList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const generation = useSession((s) => s.generation);
  const sort = usePacketList((s) => s.sort);
  const timeFormat = usePacketList((s) => s.timeFormat);
  const refs = usePacketList((s) => s.refs);
  const filter = usePacketList((s) => s.filter);
  const selected = usePacketList((s) => s.selected);
  const [pos, setPos] = useState<number | null>(null);
  const [goTo, setGoTo] = useState(false);
  const [filterText, setFilterText] = useState(filter);
  const [filterError, setFilterError] = useState<string | null>(null);
  // The filter as typed, checked at once (syntax and names): underlined where it breaks.
  const syntaxError = useMemo(() => {
    if (filterText.trim() === '') return null;
    try { checkFilter(filterText); return null; } catch (e) { return e instanceof FilterError ? e : null; }
  }, [filterText]);
  const [follow, setFollow] = useState<FollowTargetView | null>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const fileName = useSession((s) => s.fileName);

  const query: PacketListQuery = useMemo(() => ({ sort, filter, refs: refs.map(asFrame) }), [sort, filter, refs]);
  const fetchPage = useCallback(
    (from: number, count: number) => ask({ type: 'packetList', query, from, count }).then((o) => {
      if (!o.ok) return null;
      setFilterError(o.value.filterError ?? null);
      return o.value;
    }),
    [query],
  );
  const { total, row, ensure } = usePagedRows<PacketListRowView>(JSON.stringify([generation, query]), fetchPage, LIST_PAGE);
  // The rows' number depends on the capture and the filter only: a new order or time reference
  // keeps it while its first page is on the way, so the list keeps its place.
  const countKey = JSON.stringify([generation, filter]);
  const lastCount = useRef<{ key: string; n: number }>({ key: '', n: 0 });
  if (total !== null) lastCount.current = { key: countKey, n: total };
  const count = total ?? (lastCount.current.key === countKey ? lastCount.current.n : 0);
  const orderKey = JSON.stringify([generation, sort, filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10, initialRect: { width: 1000, height: 400 } });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => ensure(first, last), [first, last, ensure]);

  // A new order or filter: find the selected frame again.
  useEffect(() => {
    const f = usePacketList.getState().selected;
    if (f === null) { setPos(null); return; }
    let live = true;
    void ask({ type: 'packetListLocate', query, frame: asFrame(f) }).then((o) => {
      if (!live) return;
      const p = o.ok && o.value ? o.value.position : null;
      setPos(p);
      if (p !== null) v.scrollToIndex(p, { align: 'center' });
      else usePacketList.getState().select(null); // filtered out: nothing selected
    });
    return () => { live = false; };
    // Only a new order or filter moves the selected row (not a time reference).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderKey, v]);

  // The selection follows the cursor's row once its page has arrived.
  const cursorRow = pos !== null ? row(pos) : undefined;
  useEffect(() => {
    if (cursorRow && cursorRow.frame !== usePacketList.getState().selected) usePacketList.getState().select(cursorRow.frame);
  }, [cursorRow]);

  const moveTo = useCallback((p: number) => {
    if (!count) return;
    const next = Math.max(0, Math.min(count - 1, p));
    setPos(next);
    v.scrollToIndex(next, { align: 'auto' });
    ensure(next, next);
  }, [count, v, ensure]);

  const goToFrame = useCallback(async (frame: number) => {
    const o = await ask({ type: 'packetListLocate', query, frame: asFrame(frame) });
    if (!o.ok || !o.value) return false;
    usePacketList.getState().select(frame);
    setPos(o.value.position);
    v.scrollToIndex(o.value.position, { align: 'center' });
    ensure(o.value.position, o.value.position);
    return true;
  }, [query, v, ensure]);

  const openStream = useCallback((r: PacketListRowView | undefined) => {
    if (!r || r.stream < 0) return;
    const ui = useUi.getState();
    ui.selectStream(r.stream, r.dir);
    ui.selectFrame(r.frame);
  }, []);

  const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
  const state = useRef({ pos, page, count, moveTo, openStream, row, selected, goTo });
  state.current = { pos, page, count, moveTo, openStream, row, selected, goTo };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = state.current;
      if (s.goTo) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'g' || e.key === 'G')) { e.preventDefault(); setGoTo(true); return; }
      if (e.ctrlKey && e.altKey && (e.key === 't' || e.key === 'T')) {
        e.preventDefault();
        if (s.selected !== null) usePacketList.getState().toggleRef(s.selected);
        return;
      }
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      const at = s.pos ?? -1;
      const to: Record<string, number> = {
        ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + s.page, PageUp: at - s.page, Home: 0, End: s.count - 1,
      };
      if (e.key in to) { e.preventDefault(); s.moveTo(to[e.key]); }
      else if (e.key === 'Enter' && s.pos !== null) { e.preventDefault(); s.openStream(s.row(s.pos)); }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // The packets the display filter shows, as pcapng named after the capture and the filter.
  const exportDisplayed = async () => {
    setExportNote(t('export.working'));
    const what = `filtered-${filter.replace(/[^\w.]+/g, '_').slice(0, 40)}`;
    const r = await savePcapng({ filter }, fileName, what);
    setExportNote(r.ok ? t('export.done', { name: r.name, packets: fmtInt(r.count, lang) }) : t('export.failed', { message: r.message }));
  };

  const refMark = t('plist.refMark');
  return (
    <div className="plist-view" data-testid="packet-list-view">
      <section className="panel plist" aria-label={t('plist.title')}>
        <div className="panel-head plist-tools">
          <h2>{t('plist.title')}</h2>
          <span className="muted" data-testid="plist-count">{t('plist.count', { n: fmtInt(count, lang) })}</span>
          <form className="plist-filter" onSubmit={(e) => { e.preventDefault(); usePacketList.getState().setFilter(filterText.trim()); }}>
            <FilterInput
              value={filterText} onChange={setFilterText} placeholder="tcp.port == 443 || icmp"
              label={t('plist.filterLabel')} testId="plist-filter" error={syntaxError}
            />
          </form>
          <label className="plist-time">
            {t('plist.timeFormat')}{' '}
            <select value={timeFormat} data-testid="plist-time-format" onChange={(e) => usePacketList.getState().setTimeFormat(e.target.value as TimeFormat)}>
              {TIME_FORMATS.map((f) => <option key={f} value={f}>{t(`plist.fmt.${f}`)}</option>)}
            </select>
          </label>
          <button type="button" disabled={selected === null} data-testid="plist-ref" title={t('plist.ref')} onClick={() => { if (selected !== null) usePacketList.getState().toggleRef(selected); }}>
            {t('plist.refShort')}
          </button>
          {refs.length > 0 && <button type="button" onClick={() => usePacketList.getState().clearRefs()}>{t('plist.clearRefs')}</button>}
          <button type="button" data-testid="plist-goto" title="Ctrl+G" onClick={() => setGoTo(true)}>{t('plist.goTo')}</button>
          <button
            type="button" disabled={!cursorRow} data-testid="plist-follow" onKeyDown={pressOnEnter}
            onClick={() => { if (cursorRow) setFollow(cursorRow.stream >= 0 ? { tcp: cursorRow.stream } : { udp: cursorRow.frame }); }}
          >
            {t('follow.open')}
          </button>
          {filter !== '' && !filterError && (
            <button type="button" data-testid="plist-export-displayed" onKeyDown={pressOnEnter} onClick={() => void exportDisplayed()}>{t('export.displayed')}</button>
          )}
          {exportNote && <span className="muted small" role="status" data-testid="plist-export-note">{exportNote}</span>}
        </div>
        {filterError && <p className="notice error small" data-testid="plist-filter-error">{t('plist.filterError', { message: filterError })}</p>}
        <div className="grid-table plist-grid" role="grid" aria-rowcount={count} data-testid="plist-table">
          <div className="grid-row grid-header" role="row">
            {COLS.map((c) => {
              const on = sort.key === c;
              return (
                <div key={c} role="columnheader" aria-sort={on ? (sort.desc ? 'descending' : 'ascending') : 'none'} className={NUMERIC.has(c) ? 'num' : ''}>
                  <button
                    type="button" className="sort-head" data-testid={`plist-sort-${c}`} title={c === 'info' ? t('plist.infoSortNote') : t('plist.sortBy', { col: t(`plist.col.${c}`) })}
                    onClick={() => usePacketList.getState().sortBy(c)}
                  >
                    {t(`plist.col.${c}`)}{on ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </div>
              );
            })}
          </div>
          <div className="grid-body" ref={scrollRef} data-testid="plist-scroll">
            <div style={{ height: v.getTotalSize(), position: 'relative' }}>
              {items.map((it) => {
                const r = row(it.index);
                const sel = it.index === pos;
                return (
                  <div
                    key={it.key} role="row" aria-selected={sel} data-testid={r ? `plist-row-${r.frame}` : undefined} data-pos={it.index}
                    className={`grid-row proto-${(r?.protocol ?? '').toLowerCase().replace(/[^a-z0-9]/g, '')} ${sel ? 'selected' : ''} ${r?.flagged ? 'flagged' : ''} ${r?.ref ? 'ref' : ''}`}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                    onClick={() => setPos(it.index)}
                    onDoubleClick={() => openStream(r)}
                  >
                    {r ? (
                      <>
                        <div className="num">{r.frame}</div>
                        <div className="num">{timeText(r, timeFormat, refMark)}</div>
                        <div className="ellipsis">{r.src}</div>
                        <div className="ellipsis">{r.dst}</div>
                        <div>{r.protocol}</div>
                        <div className="num">{r.length}</div>
                        <div className="ellipsis mono-ish" title={r.info}>
                          {r.info}
                          {r.mtu > 0 && <span className="tag" data-testid="plist-mtu">{t('plist.mtu', { mtu: r.mtu })}</span>}
                          {r.tunnel && <span className="tag">{t('plist.tunnel', { names: r.tunnel })}</span>}
                          {r.stream >= 0 && sel && (
                            <button type="button" className="link-button" data-testid="plist-open-stream" onClick={(e) => { e.stopPropagation(); openStream(r); }}>
                              {t('plist.openStream', { stream: r.stream })}
                            </button>
                          )}
                        </div>
                      </>
                    ) : <div className="muted">…</div>}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <p className="muted small plist-keys">{t('plist.keys')}</p>
      </section>
      <FrameInspector frame={selected} />
      {goTo && <GoToDialog onGo={goToFrame} onClose={() => setGoTo(false)} />}
      {follow && <FollowStream target={follow} onClose={() => setFollow(null)} />}
    </div>
  );
}
