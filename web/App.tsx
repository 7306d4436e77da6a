/** The page: top bar, progress, notices, then the overview or one stream. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { DropZone } from './components/DropZone';
import { FindingsList } from './components/FindingsList';
import { KeyHelp } from './components/KeyHelp';
import { LoadProgress } from './components/LoadProgress';
import { Notices } from './components/Notices';
import { PacketList } from './components/PacketList';
import { StreamTable } from './components/StreamTable';
import { StreamView } from './components/StreamView';
import { SummaryPanel } from './components/SummaryPanel';
import { TopBar } from './components/TopBar';
import { Welcome } from './components/Welcome';
import { PointsPanel } from './points/PointsPanel';
import { PointsStreamChart } from './points/PointsStreamChart';
import { isTyping } from './hooks/useListKeys';
import { useFocusRescue } from './hooks/useFocusRescue';
import { refreshFindings, unreadableReason, useSession } from './store/session';
import { useUi, diagnoseMtu } from './store/uiStore';
import { usePacketList } from './store/packetListStore';
import { useLink } from './share/linkStore';
import { KeepPanel } from './share/KeepPanel';
import { LinkNotice } from './share/LinkNotice';
import { UpdatePrompt } from './offline/UpdatePrompt';
import { SnapshotView } from './share/SnapshotView';
import { useLinkSync } from './share/useLinkSync';

function useGlobalKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { useUi.getState().clearSelection(); return; }
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const ui = useUi.getState();
      if (e.key === '?') { e.preventDefault(); ui.setShowKeys(!ui.showKeys); }
      else if (ui.stream !== null && e.key === 'ArrowLeft') ui.setDir(0);
      else if (ui.stream !== null && e.key === 'ArrowRight') ui.setDir(1);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const { t, i18n } = useTranslation();
  const status = useSession((s) => s.status);
  const loaded = useSession((s) => s.summary);
  // An unreadable file is explained in the notices; the page stays the welcome page.
  const summary = unreadableReason(loaded) ? null : loaded;
  const stream = useUi((s) => s.stream);
  const lang = useUi((s) => s.lang);
  // 0 while "Inferred" is chosen: switching to a preset of the same number still diagnoses again.
  const mtu = useUi((s) => diagnoseMtu(s));
  useGlobalKeys();
  useFocusRescue(summary ? (stream === null ? 'overview' : 'stream') : null);
  // Permalinks: the address bar follows the view; a link opens its view once its capture is open.
  useLinkSync();
  const linked = useLink((s) => s.pending);
  const tab = usePacketList((s) => s.tab);
  const generation = useSession((s) => s.generation);
  // A new capture: no selection or time reference of the last one carries over.
  useEffect(() => { usePacketList.setState({ selected: null, refs: [] }); }, [generation]);

  useEffect(() => {
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [lang, i18n]);
  // The diagnoses depend on the path MTU and speak the chosen language: ask again when either changes.
  useEffect(() => { void refreshFindings(); }, [mtu, lang]);

  return (
    <div className="app">
      <TopBar />
      {status === 'loading' && <LoadProgress />}
      <UpdatePrompt />
      <Notices />
      <LinkNotice />
      <KeepPanel />
      <main>
        {!summary && status !== 'loading' && (linked?.snapshot ? <SnapshotView snapshot={linked.snapshot} capture={linked.capture} /> : <Welcome />)}
        {summary && stream === null && (
          <div className="main-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'streams'} data-testid="tab-streams" onClick={() => usePacketList.getState().setTab('streams')}>{t('plist.tabStreams')}</button>
            <button type="button" role="tab" aria-selected={tab === 'packets'} data-testid="tab-packets" onClick={() => usePacketList.getState().setTab('packets')}>{t('plist.tabPackets')}</button>
          </div>
        )}
        {summary && stream === null && tab === 'packets' && <PacketList />}
        {summary && stream === null && tab === 'streams' && (
          <div className="overview">
            <SummaryPanel summary={summary} />
            <FindingsList />
            <PointsPanel />
            <StreamTable />
          </div>
        )}
        {summary && stream !== null && <StreamView stream={stream} />}
        {summary && stream !== null && <PointsStreamChart stream={stream} />}
      </main>
      <DropZone />
      <KeyHelp />
    </div>
  );
}
