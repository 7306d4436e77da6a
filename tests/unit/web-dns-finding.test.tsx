// @vitest-environment jsdom
/**
 * A finding about the capture as a whole (DNS, `stream` -1) in the findings list: its line says
 * "DNS", not a stream; a click opens no stream but expands its text (asked of the worker) under the
 * line; "Show packets" opens the Packets tab filtered to its evidence frames; a link to it opens the
 * list with it expanded.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asFrame } from '../../src/index';
import { checkFilter } from '../../src/filter/index';
import { splitFrameRefs } from '../../src/view/story';
import { App } from '../../web/App';
import { framesFilter } from '../../web/components/FindingsList';
import { createI18n } from '../../web/i18n';
import { applyState, findingState } from '../../web/share/buildLink';
import { useFindingExpand } from '../../web/store/findingExpand';
import { usePacketList } from '../../web/store/packetListStore';
import { openFile, setWorkerFactory, useSession } from '../../web/store/session';
import { DEFAULT_URL_STATE, useUi } from '../../web/store/uiStore';
import type { CaptureSummaryView, FindingView, RequestEnvelope, WorkerMessage } from '../../web/worker/protocol';

const summary: CaptureSummaryView = {
  fileName: 'dns.pcap', fileSize: 1000, format: 'pcap', linkTypes: [{ linkType: 1, name: 'Ethernet' }], interfaces: [{ id: 0, name: null, linkType: 1 }],
  packets: 12, tcpPackets: 0, firstTime: 1, lastTime: 12, streams: 0, problemStreams: 0, tunnels: [], warnings: [],
  bytesRead: 1000, cancelled: false, analysisAvailable: true, fingerprint: 'a'.repeat(64),
};

const ID = 'dns-timeout:q2';
function dnsFinding(lang: string): FindingView {
  const text = lang === 'zh-CN' ? '帧 2 中的查询在帧 6 和 10 中重发，无应答。' : 'The query in frame 2 was sent again in frames 6 and 10, never answered.';
  return {
    id: ID, kind: 'dns-timeout', severity: 'error', stream: -1, dir: null, frame: asFrame(2), frames: [asFrame(2), asFrame(6), asFrame(10)], t0: 1, t1: 10,
    title: lang === 'zh-CN' ? 'DNS 查询超时' : 'DNS query timed out', story: [splitFrameRefs(text)], remedy: [], numbers: {},
  };
}

const asked: string[] = [];

class FakeWorker {
  onmessage: ((ev: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminate() {}
  postMessage(env: RequestEnvelope) {
    const r = env.req;
    asked.push(r.type);
    const result = (() => {
      switch (r.type) {
        case 'open': return { summary };
        case 'summary': return { summary };
        case 'findings': {
          const { frames: _frames, numbers: _numbers, story: _story, remedy: _remedy, ...item } = dnsFinding(r.lang);
          return { findings: [item] };
        }
        case 'finding': return { finding: r.id === ID ? dnsFinding(r.lang) : null };
        case 'streamFindings': return { findings: [] };
        case 'streams': return { total: 0, rows: [] };
        case 'packetList': return { total: 0, rows: [] };
        case 'packetListLocate': return null;
        case 'packetDetail': return { detail: { frame: r.frame, capturedLength: 4, originalLength: 4, layers: [], why: [], fate: null, bytes: new Uint8Array([1, 2, 3, 4]), note: null } };
        default: return null;
      }
    })();
    setTimeout(() => this.onmessage?.(new MessageEvent('message', { data: { kind: 'reply', id: env.id, ok: true, result } as WorkerMessage })), 0);
  }
}

beforeEach(() => {
  asked.length = 0;
  setWorkerFactory(() => new FakeWorker() as unknown as Worker);
  useUi.setState({ ...DEFAULT_URL_STATE, lang: 'en', showKeys: false, inferredMtu: null });
  useSession.setState({ status: 'idle', fileName: null, progress: null, summary: null, findings: [], error: null });
  usePacketList.getState().reset();
  useFindingExpand.setState({ id: null });
});
afterEach(cleanup);

function renderApp(lang = 'en') {
  return render(<I18nextProvider i18n={createI18n(lang)}><App /></I18nextProvider>);
}

describe('a finding without a stream (DNS)', () => {
  it('says DNS on its line, opens no stream, and expands its story', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'dns.pcap')));
    const line = await screen.findByTestId('finding-dns-timeout');
    expect(line.textContent).toContain('DNS');
    expect(line.textContent).not.toContain('stream');
    expect(line.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(line);
    expect(useUi.getState()).toMatchObject({ stream: null, finding: null });
    expect(screen.queryByTestId('stream-view')).toBeNull();
    expect(line.getAttribute('aria-expanded')).toBe('true');
    const detail = await screen.findByTestId('finding-detail-dns-timeout');
    await waitFor(() => expect(detail.textContent).toContain('never answered'));
    expect(asked).toContain('finding');
    expect(asked).not.toContain('streamFindings');
    // Frame numbers of the story are buttons too.
    expect(screen.getByTestId('frame-link-6')).toBeTruthy();
    // The export of its evidence is still there.
    expect(screen.getByTestId('export-evidence-dns-timeout')).toBeTruthy();
    // A second click folds it.
    fireEvent.click(line);
    expect(screen.queryByTestId('finding-detail-dns-timeout')).toBeNull();
  });

  it('"Show packets" opens the Packets tab filtered to the evidence frames', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'dns.pcap')));
    fireEvent.click(await screen.findByTestId('finding-dns-timeout'));
    await waitFor(() => expect(screen.getByTestId('finding-detail-dns-timeout').textContent).toContain('never answered'));
    fireEvent.click(screen.getByTestId('show-packets-dns-timeout'));
    expect(usePacketList.getState()).toMatchObject({ tab: 'packets', filter: 'frame.number in {2, 6, 10}', selected: 2 });
    expect(useUi.getState().stream).toBeNull();
    expect(screen.getByTestId('tab-packets').getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(asked).toContain('packetList'));
  });

  it('the frames filter is one the display filter accepts', () => {
    expect(framesFilter([10, 2, 6, 2])).toBe('frame.number in {2, 6, 10}');
    expect(() => checkFilter(framesFilter([10, 2, 6]))).not.toThrow();
  });

  it('Chinese: the line says DNS, with no stream', async () => {
    renderApp('zh-CN');
    useUi.setState({ lang: 'zh-CN' });
    await act(() => openFile(new File([new Uint8Array(10)], 'dns.pcap')));
    const line = await screen.findByTestId('finding-dns-timeout');
    expect(line.querySelector('[data-testid="finding-streams"]')?.textContent).toBe('DNS');
  });

  it('a link to it opens the findings list with it expanded, not a stream', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'dns.pcap')));
    const f = useSession.getState().findings[0];
    const state = await findingState(f);
    expect(state).not.toBeNull();
    expect(state!.stream).toBeUndefined();
    expect(state!.finding).toBe(ID);
    let ok = false;
    await act(async () => { ok = await applyState(state!); });
    expect(ok).toBe(true);
    expect(useUi.getState().stream).toBeNull();
    expect(useFindingExpand.getState().id).toBe(ID);
    await waitFor(() => expect(screen.getByTestId('finding-detail-dns-timeout').textContent).toContain('never answered'));
  });
});
