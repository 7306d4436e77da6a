/**
 * Findings, most severe first, one line each; a click opens the stream at the finding. A finding about
 * the capture as a whole (a DNS finding: `stream` -1) has no stream to open: its line names what it is
 * about, and a click expands its text under the line, with a button showing its evidence frames in the
 * Packets tab. Windowed with
 * a fixed row height: a big capture has thousands (one per stream for some kinds), and rendering them
 * all, measuring rows, or even a general virtualizer's per-item bookkeeping and its layout read on
 * mounting held the main thread for tens of milliseconds after loading. The window follows scroll
 * events and the list's size from a ResizeObserver, so mounting reads no layout. A copied link shows
 * above the rows, so rows never change height.
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { crossFindingCount, usePoints } from '../points/pointsStore';
import { findingDetails, useSession } from '../store/session';
import { findingWindow } from '../store/findingWindow';
import { useFindingExpand } from '../store/findingExpand';
import { usePacketList } from '../store/packetListStore';
import { diagnoseMtu, useUi } from '../store/uiStore';
import type { FindingItem, FindingView, Severity } from '../worker/protocol';
import { FindingStory } from './AnalysisText';
import { savePcapng } from './exportFile';
import { CopyFindingLink } from '../share/CopyFindingLink';
import { LinkResult, useShareLink } from '../share/ShareBar';
import { useShareT } from '../share/strings';

/** A finding about the capture as a whole, not one stream (DNS findings): nothing to open. */
export function isCaptureFinding(f: Pick<FindingItem, 'stream'>): boolean {
  return f.stream < 0;
}

/** Opens the stream at the finding; a finding without a stream expands in the findings list instead. */
export function openFindingInView(f: FindingItem): void {
  if (isCaptureFinding(f)) {
    useFindingExpand.getState().toggle(f.id);
    return;
  }
  useUi.getState().openFinding({ id: f.id, stream: f.stream, dir: f.dir, frame: f.frame, zoom: findingWindow(f.t0, f.t1) });
}

const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/** "Export evidence": the finding's evidence frames as pcapng, each commented with the finding's name. */
function ExportEvidence({ finding, label, title, onDone }: { finding: FindingItem; label: string; title: string; onDone(note: string): void }) {
  const { t, i18n } = useTranslation();
  const run = async () => {
    onDone(t('export.working'));
    const mtu = diagnoseMtu(useUi.getState());
    const r = await savePcapng({ finding: finding.id, mtu, lang: i18n.language }, useSession.getState().fileName, `finding-${finding.id}`);
    onDone(r.ok ? t('export.done', { name: r.name, packets: r.count.toLocaleString(i18n.language) }) : t('export.failed', { message: r.message }));
  };
  return (
    <button type="button" className="copy-finding-link" title={title} data-testid={`export-evidence-${finding.kind}`} onClick={() => void run()}>
      {label}
    </button>
  );
}

/** A display filter selecting these frames: `frame.number in {2, 6, 10}` (Wireshark's syntax). */
export function framesFilter(frames: readonly number[]): string {
  return `frame.number in {${[...new Set(frames)].sort((a, b) => a - b).join(', ')}}`;
}

/** The Packets tab showing these frames, `select` selected (the first one by default). */
export function showFramesInPackets(frames: readonly number[], select?: number): void {
  if (frames.length === 0) return;
  const pl = usePacketList.getState();
  pl.setFilter(framesFilter(frames));
  pl.select(select ?? Math.min(...frames));
  useUi.getState().selectStream(null);
  pl.setTab('packets');
}

/** Height of an expanded finding's text in the windowed list (it scrolls inside). */
const DETAIL_HEIGHT = 220;

/** A capture finding in full under its line (asked of the worker), and "Show packets". */
function FindingDetail({ finding, virtual }: { finding: FindingItem; virtual: boolean }) {
  const { t } = useTranslation();
  const generation = useSession((s) => s.generation);
  const mtu = useUi((s) => diagnoseMtu(s));
  const lang = useUi((s) => s.lang);
  const [got, setGot] = useState<{ view: FindingView | null } | null>(null);
  useEffect(() => {
    let live = true;
    void findingDetails(finding.id).then((view) => { if (live) setGot({ view }); });
    return () => { live = false; };
  }, [finding.id, mtu, lang, generation]);
  const frames = got?.view?.frames ?? (finding.frame !== null ? [finding.frame] : []);
  return (
    <div className="finding-detail pad" data-testid={`finding-detail-${finding.kind}`} style={virtual ? { height: DETAIL_HEIGHT, overflow: 'auto' } : undefined}>
      {got === null && <p className="muted">{t('findings.loading')}</p>}
      {got !== null && !got.view && <p className="muted">{t('findings.gone')}</p>}
      {got?.view && <FindingStory finding={got.view} onFrame={(frame) => showFramesInPackets(frames, frame)} />}
      <button type="button" disabled={frames.length === 0} data-testid={`show-packets-${finding.kind}`} title={t('findings.showPacketsHelp')} onClick={() => showFramesInPackets(frames)}>
        {t('findings.showPackets')}
      </button>
    </div>
  );
}

/** "3, 7, 12-15 …": stream numbers with runs as ranges, the first `max` parts and an ellipsis for the rest. */
export function streamList(streams: readonly number[], max = Infinity): string {
  const parts: string[] = [];
  for (let k = 0; k < streams.length; ) {
    let j = k;
    while (j + 1 < streams.length && streams[j + 1] === streams[j] + 1) j++;
    parts.push(j > k ? `${streams[k]}-${streams[j]}` : `${streams[k]}`);
    k = j + 1;
  }
  return parts.length > max ? `${parts.slice(0, max).join(', ')} …` : parts.join(', ');
}

/** Stream parts shown on a grouped finding's line (all of them in its tooltip, up to a screenful). */
const LINE_PARTS = 3;
const TOOLTIP_PARTS = 40;

/** Every virtual row's height (set on the row: its content is one line, never wrapped). */
const ROW_HEIGHT = 27;
/** Up to this many, every finding is in the DOM (plain flow, cheap); beyond, only the visible ones. */
const VIRTUAL_ABOVE = 60;

/** Rows drawn beyond the visible ones, each side. */
const OVERSCAN = 4;
/** The list's height until its ResizeObserver reports (about the panel's maximum on a laptop). */
const FIRST_HEIGHT = 300;

/** The rows [from, to) in or near the scroll element's viewport. */
function useRowWindow(count: number, scrollRef: RefObject<HTMLDivElement | null>, active: boolean, extraRows = 0): { from: number; to: number } {
  const [view, setView] = useState({ top: 0, height: FIRST_HEIGHT });
  useEffect(() => {
    const el = scrollRef.current;
    if (!active || !el) return;
    const onScroll = () => setView((v) => (v.top === el.scrollTop ? v : { ...v, top: el.scrollTop }));
    el.addEventListener('scroll', onScroll, { passive: true });
    // A list mounted again (another capture) starts where its element is, not where the last one was.
    onScroll();
    const ro = typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => {
        const h = entries[0]?.contentRect.height;
        if (h) setView((v) => (v.height === h ? v : { ...v, height: h }));
      })
      : null;
    ro?.observe(el);
    return () => { el.removeEventListener('scroll', onScroll); ro?.disconnect(); };
  }, [scrollRef, active]);
  const from = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN - extraRows);
  const to = Math.min(count, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  return { from, to: Math.max(from, to) };
}

export function FindingsList() {
  const { t } = useTranslation();
  const { t: st } = useShareT();
  const { shown, share } = useShareLink();
  const copyLabel = st('copyLink');
  // Each row's words from templates translated once a render: i18next's interpolation, three times a
  // row, was the bulk of mounting the list.
  const words = useMemo(() => {
    const mark = '\u0000';
    const streamText = t('findings.stream', { stream: mark });
    const openText = t('findings.open', { stream: mark });
    const sev = new Map(SEVERITIES.map((x) => [x, t(`severity.${x}`)]));
    const about = (f: FindingItem) => (f.kind.startsWith('dns-') ? t('findings.aboutDns') : t('findings.aboutCapture'));
    const expandText = t('findings.expand');
    // A grouped finding covers several streams: its line names them, and opens the one told in detail.
    const isGroup = (f: FindingItem) => (f.streams?.length ?? 0) > 1;
    return {
      stream: (f: FindingItem) => (isCaptureFinding(f) ? about(f) : isGroup(f)
        ? t('findings.streams', { n: f.streams!.length, list: streamList(f.streams!, LINE_PARTS) })
        : streamText.replace(mark, String(f.stream))),
      open: (f: FindingItem) => (isCaptureFinding(f) ? expandText : isGroup(f)
        ? t('findings.openGroup', { n: f.streams!.length, all: streamList(f.streams!, TOOLTIP_PARTS), stream: f.stream })
        : openText.replace(mark, String(f.stream))),
      severity: (x: Severity) => sev.get(x) ?? x,
    };
  }, [t]);
  const findings = useSession((s) => s.findings);
  const summary = useSession((s) => s.summary);
  // The capture points' findings (listed in their own section) count among the capture's.
  const openFile = useSession((s) => s.fileName);
  const cross = usePoints((s) => crossFindingCount(s, openFile));
  const [exportNote, setExportNote] = useState<string | null>(null);
  const expandedId = useFindingExpand((s) => s.id);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = findings.length > VIRTUAL_ABOVE;
  // Only a finding without a stream expands; the rows after it move down by its text's height.
  const expanded = expandedId === null ? -1 : findings.findIndex((f) => f.id === expandedId && isCaptureFinding(f));
  const extra = expanded >= 0 ? DETAIL_HEIGHT : 0;
  const win = useRowWindow(findings.length, scrollRef, virtual, Math.ceil(extra / ROW_HEIGHT));
  const items = virtual
    ? Array.from({ length: win.to - win.from }, (_, k) => {
      const index = win.from + k;
      return { index, key: findings[index].id, start: index * ROW_HEIGHT + (expanded >= 0 && index > expanded ? extra : 0) };
    })
    : findings.map((f, index) => ({ index, key: f.id, start: 0 }));
  return (
    <section className="panel findings" aria-label={t('findings.title')}>
      <div className="panel-head">
        <h2>{t('findings.title')}</h2>
        <span className="muted" data-testid="findings-count">{findings.length + cross || ''}</span>
      </div>
      <LinkResult shown={shown} />
      {exportNote && <p className="muted pad" role="status" data-testid="export-evidence-note">{exportNote}</p>}
      {findings.length === 0 ? (
        <p className="muted pad">{t(!summary?.packets ? 'findings.noPackets' : !summary.tcpPackets ? 'findings.noTcp' : 'findings.none')}</p>
      ) : (
        <div className="finding-list" ref={scrollRef}>
          <ul data-testid="findings" className={virtual ? 'finding-rows virtual' : 'finding-rows'} style={virtual ? { height: findings.length * ROW_HEIGHT + extra } : undefined}>
            {items.map((it) => {
              const f = findings[it.index];
              const open = it.index === expanded;
              return (
                <li key={it.key} data-index={it.index} style={virtual ? { transform: `translateY(${it.start}px)`, height: ROW_HEIGHT + (open ? extra : 0) } : undefined}>
                  <button
                    type="button" className={`finding sev-${f.severity}`} data-testid={`finding-${f.kind}`} title={words.open(f)}
                    aria-expanded={isCaptureFinding(f) ? open : undefined} onClick={() => openFindingInView(f)}
                  >
                    <span className={`badge sev-${f.severity}`}>{words.severity(f.severity)}</span>
                    <span className="finding-stream mono" data-testid="finding-streams">{words.stream(f)}</span>
                    <span className="finding-title">{f.title}</span>
                  </button>
                  <CopyFindingLink finding={f} label={copyLabel} share={share} />
                  <ExportEvidence finding={f} label={t('export.evidence')} title={t('export.evidenceHelp')} onDone={setExportNote} />
                  {open && <FindingDetail finding={f} virtual={virtual} />}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
