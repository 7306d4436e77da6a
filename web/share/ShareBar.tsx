/**
 * Sharing what is on screen: a link (no packet data), a self-contained link (with a snapshot of the
 * evidence), addresses masked on request; the finding as a Markdown report, the chart as SVG/PNG.
 * The link is also shown in a field, since a browser may refuse clipboard access.
 */
import { useState } from 'react';
import { markdownReport, maskState, tryUrlFromState, type ShareState } from '../../src/share/index';
import { useUi } from '../store/uiStore';
import { currentState, snapshotOf, withoutPoints } from './buildLink';
import { chartSvg, copyText, download, graphSvg, standaloneSvg, svgToPng } from './download';
import { useShareT } from './strings';
import { pageAddress } from '../offline/place';
import './share.css';

/** What the last share or export did: a link copied (or to copy by hand), a file downloaded, an error. */
type Shown =
  | { kind: 'link' | 'snapshot'; url: string; copied: boolean }
  | { kind: 'file'; name: string }
  | { kind: 'error'; message: string }
  | null;

/** This page with a fragment; opened from a file, the link names the file (there is no server). */
export function pageUrl(fragment: string): string {
  return pageAddress(fragment);
}

/** Build, show and copy a link; shared by the stream view and the findings list. */
export function useShareLink() {
  const [shown, setShown] = useState<Shown>(null);
  const share = async (make: () => Promise<ShareState | null>, kind: 'link' | 'snapshot', mask: boolean) => {
    let state = await make();
    if (!state) return;
    if (kind === 'snapshot') {
      const snapshot = await snapshotOf(state);
      if (snapshot) state = { ...withoutPoints(state), snapshot };
    }
    if (mask) state = maskState(state, state.snapshot?.stream.handshake);
    const r = tryUrlFromState(state);
    if (!r.ok) { setShown({ kind: 'error', message: r.error.message }); return; }
    const url = pageUrl(r.value);
    setShown({ kind, url, copied: await copyText(url) });
  };
  return {
    shown, share, clear: () => setShown(null),
    /** A download started: say so, since the browser may show nothing (or only a corner icon). */
    downloaded: (name: string) => setShown({ kind: 'file', name }),
    failed: (message: string) => setShown({ kind: 'error', message }),
  };
}

export function LinkResult({ shown }: { shown: Shown }) {
  const { t } = useShareT();
  if (!shown) return null;
  if (shown.kind === 'error') return <p className="notice error" role="alert" data-testid="share-error">{shown.message}</p>;
  if (shown.kind === 'file') {
    return (
      <div className="share-result" role="status" data-testid="share-result">
        <span className="muted" data-testid="export-result">{t('downloaded', { name: shown.name })}</span>
      </div>
    );
  }
  return (
    <div className="share-result" data-testid="share-result">
      <span className="muted" role="status">{shown.copied ? t('copied') : t('copyFailed')}</span>
      <input readOnly value={shown.url} data-testid="share-link" onFocus={(e) => e.currentTarget.select()} aria-label={t('copyLink')} />
      <span className="muted">{shown.kind === 'snapshot' ? t('snapshotHint', { size: shown.url.length }) : t('linkHint')}</span>
    </div>
  );
}

export function ShareBar() {
  const { t } = useShareT();
  const [mask, setMask] = useState(false);
  const { shown, share, downloaded, failed } = useShareLink();
  const lang = useUi((s) => s.lang);
  const save = (name: string, data: Blob) => {
    download(name, data);
    downloaded(name);
  };

  const exportMarkdown = async () => {
    const state = await currentState();
    const evidence = state && (await snapshotOf(state));
    if (!state || !evidence) { failed(t('exportFailed')); return; }
    // Masked, the report's evidence and its link are masked together (one masker: the same host
    // gets the same name in both); the link stays a plain one, without the snapshot.
    const masked = mask ? maskState({ ...state, snapshot: evidence }, evidence.stream.handshake) : null;
    const snapshot = masked?.snapshot ?? evidence;
    const link = tryUrlFromState(masked ? { ...masked, snapshot: undefined } : state);
    const md = markdownReport({ lang, capture: state.capture, snapshot, link: link.ok ? pageUrl(link.value) : undefined });
    const name = (snapshot.finding?.id ?? `stream-${snapshot.series.stream}`).replace(/[^A-Za-z0-9._-]+/g, '-');
    save(`${name}.md`, new Blob([md], { type: 'text/markdown;charset=utf-8' }));
  };
  const exportChart = async (as: 'svg' | 'png') => {
    const svg = chartSvg();
    if (!svg) { failed(t('exportFailed')); return; }
    // The graph under the chart, when one is shown, goes into the same picture.
    const graph = graphSvg();
    const text = standaloneSvg(svg, graph);
    const name = `stream-${useUi.getState().stream ?? 'chart'}`;
    if (as === 'svg') save(`${name}.svg`, new Blob([text], { type: 'image/svg+xml' }));
    else {
      const box = svg.getBoundingClientRect();
      const width = graph ? Math.max(box.width, graph.getBoundingClientRect().width) : box.width;
      const height = graph ? graph.getBoundingClientRect().bottom - box.top : box.height;
      try {
        save(`${name}.png`, await svgToPng(text, width, height));
      } catch (e) {
        failed(e instanceof Error ? e.message : String(e));
      }
    }
  };

  return (
    <div className="share-bar" data-testid="share-bar">
      <button type="button" data-testid="copy-link" onClick={() => void share(currentState, 'link', mask)}>{t('copyLink')}</button>
      <button type="button" data-testid="copy-snapshot" onClick={() => void share(currentState, 'snapshot', mask)}>{t('copySnapshot')}</button>
      <label className="share-mask"><input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} data-testid="mask-addresses" /> {t('mask')}</label>
      <button type="button" data-testid="export-md" onClick={() => void exportMarkdown()}>{t('exportMd')}</button>
      <button type="button" data-testid="export-svg" onClick={() => void exportChart('svg')}>{t('exportSvg')}</button>
      <button type="button" data-testid="export-png" onClick={() => void exportChart('png')}>{t('exportPng')}</button>
      <LinkResult shown={shown} />
    </div>
  );
}
