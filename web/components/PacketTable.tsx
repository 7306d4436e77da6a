/** The packets of one stream (virtualized); the selected frame follows the store both ways. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asFrame } from '../../src/index';
import { fmtInt } from '../format';
import { usePagedRows } from '../hooks/usePagedRows';
import { useListKeys } from '../hooks/useListKeys';
import { ask, useSession } from '../store/session';
import { useUi } from '../store/uiStore';
import type { PacketRowView } from '../worker/protocol';

const ROW_HEIGHT = 20;
const COLS = ['frame', 'time', 'dir', 'seq', 'ack', 'len', 'ipLen', 'df', 'win', 'flags', 'why'] as const;
const NUMERIC = new Set(['frame', 'time', 'seq', 'ack', 'len', 'ipLen', 'win']);

export function PacketTable({ stream }: { stream: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const mtu = useUi((s) => s.mtu);
  const frame = useUi((s) => s.frame);
  const generation = useSession((s) => s.generation);
  const [pos, setPos] = useState<number | null>(null);

  const fetchPage = useCallback(
    (from: number, count: number) => ask({ type: 'packetRows', stream, from, count, mtu }).then((o) => (o.ok ? o.value : null)),
    [stream, mtu],
  );
  const { total, row, ensure } = usePagedRows<PacketRowView>(JSON.stringify([generation, stream, mtu]), fetchPage);
  const count = total ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20, initialRect: { width: 800, height: 300 } });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => ensure(first, last), [first, last, ensure]);

  // A frame chosen elsewhere (analysis text, chart, permalink): find it, switch stream if needed, scroll.
  useEffect(() => {
    if (frame === null) { setPos(null); return; }
    let live = true;
    void ask({ type: 'locateFrame', frame: asFrame(frame) }).then((o) => {
      if (!live || !o.ok || !o.value) return;
      if (o.value.stream !== stream) { useUi.getState().selectStream(o.value.stream, o.value.dir); useUi.getState().selectFrame(frame); return; }
      setPos(o.value.position);
      v.scrollToIndex(o.value.position, { align: 'auto' });
    });
    return () => { live = false; };
  }, [frame, stream, v, total]);

  useListKeys({
    move(delta) {
      if (!count) return;
      const next = Math.max(0, Math.min(count - 1, (pos ?? -1) + delta));
      v.scrollToIndex(next, { align: 'auto' });
      ensure(next, next);
      const r = row(next);
      if (r) useUi.getState().selectFrame(r.frame);
      else setPos(next);
    },
  });

  return (
    <section className="panel packets" aria-label={t('stream.packets', { stream })}>
      <div className="grid-table packet-grid" role="grid" aria-rowcount={count} data-testid="packet-table">
        <div className="grid-row grid-header" role="row">
          {COLS.map((c) => <div key={c} role="columnheader" className={NUMERIC.has(c) ? 'num' : ''}>{t(`packets.col.${c}`)}</div>)}
        </div>
        <div className="grid-body" ref={scrollRef}>
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const r = row(it.index);
              const sel = r !== undefined && r.frame === frame;
              const why = r ? r.analysis.map((a) => t(`flag.${a}`)) : [];
              return (
                <div
                  key={it.key} role="row" aria-selected={sel} data-testid={r ? `packet-row-${r.frame}` : undefined}
                  className={`grid-row dir-${r?.dir ?? 0} ${sel ? 'selected' : ''} ${r?.analysis.length ? 'flagged' : ''} ${r?.oversized ? 'oversized' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                  onClick={() => { if (r) { setPos(it.index); useUi.getState().selectFrame(r.frame); } }}
                >
                  {r ? (
                    <>
                      <div className="num">{r.frame}</div>
                      <div className="num">{r.time.toFixed(6)}</div>
                      <div className="dir">{r.dir === 0 ? 'A→B' : 'B→A'}</div>
                      <div className="num">{r.seq}</div>
                      <div className="num">{r.ack || ''}</div>
                      <div className="num">{r.len}</div>
                      <div className="num" title={r.oversized ? t('mtu.oversized', { mtu }) : undefined}>{r.ipLen}</div>
                      <div>{r.df ? 'DF' : ''}</div>
                      <div className="num">{fmtInt(r.win, lang)}</div>
                      <div className="mono ellipsis">{r.tcpFlags}</div>
                      <div className="ellipsis why" title={[...why, r.oversized ? t('mtu.oversized', { mtu }) : ''].filter(Boolean).join('\n')}>
                        {[...why.map((w) => w.split(/[:：]/)[0]), r.oversized ? `> MTU ${mtu}` : ''].filter(Boolean).join(' · ')}
                      </div>
                    </>
                  ) : <div className="muted">…</div>}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
