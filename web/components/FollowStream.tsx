/**
 * Follow stream: a TCP stream's (or a UDP conversation's) payload, both directions in sequence order,
 * bytes sent again shown once, holes marked. The worker reads the bytes from the File a page at a
 * time; the dialog keeps only the text of the pages shown (at most MAX_PAGES: earlier ones are
 * dropped as the user scrolls on), never the whole stream.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { followFormatter, gapText, type FollowChunk, type FollowFormatter } from '../../src/view/index';
import { fmtInt } from '../format';
import { ask, useSession } from '../store/session';
import type { Direction, FollowChunkView, FollowDirs, FollowInfo, FollowTargetView } from '../worker/protocol';
import { saveFollow } from './exportFile';
import './follow.css';

type Format = 'ascii' | 'hex' | 'utf8';

/** Payload bytes asked per page. */
const PAGE_BYTES = 64 << 10;
/** Pages kept on screen; loading one more drops the first. */
const MAX_PAGES = 8;

/** A run of one direction's text, or a hole. */
interface Block {
  dir: Direction;
  gap: boolean;
  text: string;
  frame: number;
  /** The run goes on from the page before (no new prefix). */
  cont?: boolean;
}

interface Page {
  id: number;
  blocks: Block[];
}

function blocksOf(chunks: FollowChunkView[], fmt: FollowFormatter, last: boolean, before: Block | undefined, hex: boolean): Block[] {
  const out: Block[] = [];
  for (const c of chunks) {
    let text = fmt.chunk({ ...c, seq: 0 } as FollowChunk);
    // B's hex lines are indented (tshark's way to tell the sides apart): here colour and prefix do it.
    if (hex && c.dir === 1) text = text.replace(/^\t/gm, '');
    const prev = out[out.length - 1];
    if (c.kind === 'gap') out.push({ dir: c.dir, gap: true, text: gapText(c.length), frame: c.frame });
    else if (prev && !prev.gap && prev.dir === c.dir) prev.text += text;
    else out.push({ dir: c.dir, gap: false, text, frame: c.frame });
  }
  if (out[0] && before && !before.gap && !out[0].gap && before.dir === out[0].dir) out[0].cont = true;
  if (last) {
    const rest = fmt.end();
    if (rest && out.length) out[out.length - 1].text += rest;
  }
  return out;
}

/** Tab and Shift+Tab go round the dialog's controls, never to the page behind it. */
function keepFocusIn(e: { shiftKey: boolean; preventDefault(): void }, root: HTMLElement | null): void {
  if (!root) return;
  const stops = [...root.querySelectorAll<HTMLElement>('button:not(:disabled), [tabindex="0"]')];
  if (!stops.length) return;
  const first = stops[0];
  const last = stops[stops.length - 1];
  const at = document.activeElement;
  if (e.shiftKey && (at === first || at === root)) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && at === last) { e.preventDefault(); first.focus(); }
}

function Switch<T extends string | number>({ label, value, options, onChange, testId }: {
  label: string; value: T; options: { v: T; text: string }[]; onChange(v: T): void; testId: string;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={String(o.v)} type="button" role="radio" aria-checked={value === o.v} className={value === o.v ? 'on' : ''}
          data-testid={`${testId}-${o.v}`} onClick={() => onChange(o.v)}
        >
          {o.text}
        </button>
      ))}
    </div>
  );
}

export function FollowStream({ target: given, onClose }: { target: FollowTargetView; onClose(): void }) {
  const { t, i18n } = useTranslation();
  // The same stream keeps its pages when the parent draws a new target object.
  const targetKey = 'tcp' in given ? `t${given.tcp}` : `u${given.udp}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const target = useMemo(() => given, [targetKey]);
  const lang = i18n.language;
  const fileName = useSession((s) => s.fileName);
  const [format, setFormat] = useState<Format>('ascii');
  const [dirs, setDirs] = useState<FollowDirs>('both');
  const [info, setInfo] = useState<FollowInfo | null | undefined>(undefined);
  const [pages, setPages] = useState<Page[]>([]);
  const [dropped, setDropped] = useState(0);
  const [next, setNext] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  // What a page request reads on from: the formatter (hex offsets, UTF-8 across chunks) and the run it belongs to.
  const run = useRef<{ id: number; fmt: FollowFormatter; busy: boolean; pageId: number; lastBlock?: Block }>({ id: 0, fmt: followFormatter('ascii'), busy: false, pageId: 0 });
  const dropHeight = useRef(0);

  const load = useCallback(async (from: number, fresh: boolean) => {
    const r = run.current;
    if (r.busy && !fresh) return;
    if (fresh) {
      r.id++;
      r.fmt = followFormatter(format);
      r.lastBlock = undefined;
    }
    const id = r.id;
    r.busy = true;
    setLoading(true);
    const o = await ask({ type: 'follow', target, dirs, from, maxBytes: PAGE_BYTES });
    if (run.current.id !== id) return;
    r.busy = false;
    setLoading(false);
    if (!o.ok) { setError(o.error.message); return; }
    const { info: got, chunks, next: n } = o.value;
    setInfo(got);
    setNext(n);
    if (!got) return;
    const page: Page = { id: ++r.pageId, blocks: blocksOf(chunks, r.fmt, n >= got.count, r.lastBlock, format === 'hex') };
    r.lastBlock = page.blocks[page.blocks.length - 1] ?? r.lastBlock;
    if (fresh) {
      setPages([page]);
      setDropped(0);
      if (scroller.current) scroller.current.scrollTop = 0;
    } else {
      setPages((old) => {
        if (old.length < MAX_PAGES) return [...old, page];
        const first = scroller.current?.querySelector<HTMLElement>('[data-page]');
        dropHeight.current = first?.offsetHeight ?? 0;
        setDropped((d) => d + 1);
        return [...old.slice(1), page];
      });
    }
  }, [target, dirs, format]);

  // A new format or direction reads from the start again.
  useEffect(() => { void load(0, true); }, [load]);

  // The dropped page's height comes off the scroll position, so the text under the eye stays put.
  useLayoutEffect(() => {
    if (dropHeight.current && scroller.current) {
      scroller.current.scrollTop -= dropHeight.current;
      dropHeight.current = 0;
    }
  }, [pages]);

  // Focus comes into the dialog and goes back where it was.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => { if (before?.isConnected) before.focus(); };
  }, []);

  const more = info ? next < info.count : false;
  const onScroll = () => {
    const el = scroller.current;
    if (el && more && !loading && el.scrollTop + el.clientHeight > el.scrollHeight - 400) void load(next, false);
  };

  const save = async () => {
    setSaveNote(t('follow.saving'));
    const what = 'tcp' in target ? `stream-${target.tcp}` : `udp-frame-${target.udp}`;
    const r = await saveFollow(target, dirs, fileName, what);
    setSaveNote(r.ok ? t('follow.saved', { name: r.name, bytes: fmtInt(r.count, lang) }) : t('follow.failed', { message: r.message }));
  };

  const title = 'tcp' in target ? t('follow.title', { proto: 'TCP', stream: target.tcp }) : t('follow.titleUdp', { frame: target.udp });
  const ep = (e: { addr: string; port: number }) => (e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`);
  const sideLabel = (d: Direction) => (d === 0 ? t('follow.client') : t('follow.server'));

  return (
    <div className="modal-back" onClick={onClose}>
      <div
        ref={dialog} tabIndex={-1} className="modal follow-modal" role="dialog" aria-modal="true" aria-label={title} data-testid="follow-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // The page's own keys (direction arrows, Escape) stay out of the dialog.
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
          else if (e.key === 'Tab') keepFocusIn(e, dialog.current);
        }}
      >
        <div className="follow-head">
          <h2>{title}</h2>
          <button type="button" onClick={onClose} data-testid="follow-close">{t('follow.close')}</button>
        </div>
        {info && (
          <p className="follow-ends">
            <span className="fl-tag fl-dir0">▶ {sideLabel(0)}</span> <span className="mono">{ep(info.a)}</span>
            {'  '}
            <span className="fl-tag fl-dir1">◀ {sideLabel(1)}</span> <span className="mono">{ep(info.b)}</span>
            {' · '}
            <span data-testid="follow-sizes">{t('follow.sizes', { a: fmtInt(info.bytes[0], lang), b: fmtInt(info.bytes[1], lang) })}</span>
            {info.notCaptured[0] + info.notCaptured[1] > 0 && (
              <> · <span className="warn">{t('follow.missing', { n: fmtInt(info.notCaptured[0] + info.notCaptured[1], lang) })}</span></>
            )}
          </p>
        )}
        <div className="follow-tools">
          <Switch<Format>
            label={t('follow.format')} value={format} testId="follow-format" onChange={setFormat}
            options={[{ v: 'ascii', text: t('follow.ascii') }, { v: 'hex', text: t('follow.hex') }, { v: 'utf8', text: t('follow.utf8') }]}
          />
          <Switch<string>
            label={t('follow.dirs')} value={String(dirs)} testId="follow-dirs" onChange={(v) => setDirs(v === 'both' ? 'both' : (Number(v) as Direction))}
            options={[
              { v: 'both', text: t('follow.both') },
              { v: '0', text: info ? `${ep(info.a)} → ${ep(info.b)}` : 'A → B' },
              { v: '1', text: info ? `${ep(info.b)} → ${ep(info.a)}` : 'B → A' },
            ]}
          />
          <button type="button" onClick={() => void save()} disabled={!info} data-testid="follow-save">{t('follow.save')}</button>
          {saveNote && <span className="muted" role="status" data-testid="follow-save-note">{saveNote}</span>}
        </div>
        <p className="muted follow-help">{t('follow.help')}</p>
        {error && <p className="notice error" role="alert">{t('follow.failed', { message: error })}</p>}
        {info === null && <p className="notice" data-testid="follow-none">{t('follow.none')}</p>}
        <div className={`follow-text fmt-${format}`} ref={scroller} onScroll={onScroll} data-testid="follow-text" tabIndex={0} aria-label={title}>
          {dropped > 0 && (
            <p className="follow-dropped">
              {t('follow.earlier', { shown: MAX_PAGES })}{' '}
              <button type="button" onClick={() => void load(0, true)} data-testid="follow-restart">{t('follow.restart')}</button>
            </p>
          )}
          {pages.map((p) => (
            <div key={p.id} data-page={p.id}>
              {p.blocks.map((b, i) => (
                <div key={i} className={`fl-block fl-dir${b.dir}${b.gap ? ' fl-gap' : ''}${b.cont ? ' fl-cont' : ''}`} data-dir={b.dir} data-gap={b.gap ? 1 : undefined}>
                  <span className="fl-prefix" title={sideLabel(b.dir)}>{b.cont ? '' : b.dir === 0 ? '▶ A' : '◀ B'}</span>
                  <pre className="fl-body">{b.text}</pre>
                </div>
              ))}
            </div>
          ))}
          {info && info.count === 0 && <p className="muted">{t('follow.empty')}</p>}
          {more ? (
            <button type="button" className="follow-more" onClick={() => void load(next, false)} disabled={loading} data-testid="follow-more">
              {loading ? t('follow.loading') : t('follow.more')}
            </button>
          ) : info && info.count > 0 ? <p className="muted follow-end" data-testid="follow-end">{t('follow.end')}</p> : null}
        </div>
      </div>
    </div>
  );
}
