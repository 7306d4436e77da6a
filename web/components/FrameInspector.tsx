/**
 * One frame of the list of every packet: its detail tree (the detail decoder's layers and fields,
 * re-read from the File by offset) and its bytes in hex and ASCII. Pointing at a field (or a layer)
 * highlights its bytes; clicking keeps the highlight.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePacketDetail } from '../hooks/usePacketDetail';

interface Range {
  start: number;
  end: number;
}

const PER_ROW = 16;

/** The bytes as rows of 16, hex then ASCII, the bytes of `hl` marked. */
export function PacketBytes({ bytes, hl }: { bytes: Uint8Array; hl: Range | null }) {
  const { t } = useTranslation();
  const rows: number[] = [];
  for (let o = 0; o < bytes.length; o += PER_ROW) rows.push(o);
  const on = (i: number) => hl !== null && i >= hl.start && i < hl.end;
  return (
    <div className="pbytes mono" role="region" aria-label={t('plist.bytesTitle')} data-testid="packet-bytes">
      {rows.map((o) => {
        const idx = Array.from({ length: Math.min(PER_ROW, bytes.length - o) }, (_, k) => o + k);
        return (
          <div key={o} className="pbytes-row">
            <span className="pbytes-off">{o.toString(16).padStart(4, '0')}</span>
            <span className="pbytes-hex">
              {idx.map((i) => (
                <span key={i} className={`${on(i) ? 'hl' : ''}${i - o === 8 ? ' gap' : ''}`} data-hl={on(i) ? '1' : undefined}>
                  {bytes[i].toString(16).padStart(2, '0')}
                </span>
              ))}
            </span>
            <span className="pbytes-ascii">
              {idx.map((i) => (
                <span key={i} className={on(i) ? 'hl' : ''}>{bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.'}</span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}

export function FrameInspector({ frame }: { frame: number | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = usePacketDetail(frame, lang);
  const [hover, setHover] = useState<Range | null>(null);
  const [pinned, setPinned] = useState<{ key: string; range: Range } | null>(null);

  // A new frame: nothing pinned or lit of the last one.
  useEffect(() => {
    setPinned(null);
    setHover(null);
  }, [frame]);

  if (frame === null) return <section className="panel pinspect"><p className="muted pad">{t('detail.none')}</p></section>;
  const hl = hover ?? pinned?.range ?? null;
  const pick = (key: string, start: number | undefined, end: number | undefined) => {
    if (start === undefined || end === undefined || end <= start) return;
    setPinned((p) => (p?.key === key ? null : { key, range: { start, end } }));
  };
  const point = (start: number | undefined, end: number | undefined) => setHover(start !== undefined && end !== undefined && end > start ? { start, end } : null);
  return (
    <section className="panel pinspect" aria-label={t('detail.title', { frame })} data-testid="plist-detail">
      <div className="panel-head">
        <h2>{t('detail.title', { frame })}</h2>
        {d?.view && <span className="muted">{t('detail.captured', { cap: d.view.capturedLength, orig: d.view.originalLength })}</span>}
      </div>
      <div className="pinspect-body">
        <div className="ptree" onMouseLeave={() => setHover(null)}>
          {!d && <p className="muted">{t('detail.loading')}</p>}
          {d?.error && <p className="notice error">{d.error}</p>}
          {d?.view && d.view.layers.length === 0 && <p className="muted">{t('detail.hexOnly')}</p>}
          {d?.view?.layers.map((l, i) => (
            <details key={i} open className="layer">
              <summary onMouseEnter={() => point(l.start, l.end)} onClick={(e) => { if (e.altKey) { e.preventDefault(); pick(`l${i}`, l.start, l.end); } }}>
                {l.name}
              </summary>
              <table>
                <tbody>
                  {l.fields.map((f, j) => {
                    const key = `l${i}f${j}`;
                    const has = f.start !== undefined && f.end !== undefined && f.end > f.start;
                    return (
                      <tr
                        key={j} className={`${has ? 'has-bytes' : ''} ${pinned?.key === key ? 'pinned' : ''}`}
                        data-testid="plist-field" data-start={f.start} data-end={f.end}
                        onMouseEnter={() => point(f.start, f.end)} onClick={() => pick(key, f.start, f.end)}
                      >
                        <th>{f.name}</th><td className="mono">{f.value}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </details>
          ))}
        </div>
        {d?.view && (
          <div className="pbytes-wrap">
            <div className="muted small">{t('plist.bytesHint')}</div>
            <PacketBytes bytes={d.view.bytes} hl={hl} />
          </div>
        )}
      </div>
    </section>
  );
}
