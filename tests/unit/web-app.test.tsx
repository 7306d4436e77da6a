// @vitest-environment jsdom
/**
 * The app with a fake worker speaking the protocol: opening a file shows the summary and the
 * findings; a finding opens its stream; frame numbers in the text are buttons that select the frame;
 * the language switches; a worker crash is reported and the page stays usable.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asFrame } from '../../src/index';
import { splitFrameRefs } from '../../src/view/story';
import { App } from '../../web/App';
import { createI18n } from '../../web/i18n';
import { openFile, setWorkerFactory, useSession } from '../../web/store/session';
import { DEFAULT_URL_STATE, useUi } from '../../web/store/uiStore';
import type { CaptureSummaryView, FindingView, RequestEnvelope, WorkerMessage } from '../../web/worker/protocol';

const summary: CaptureSummaryView = {
  fileName: 'x.pcap', fileSize: 1000, format: 'pcap', linkTypes: [{ linkType: 1, name: 'Ethernet' }], interfaces: [{ id: 0, name: null, linkType: 1 }],
  packets: 32, tcpPackets: 32, firstTime: 1, lastTime: 27, streams: 1, problemStreams: 1, tunnels: [], warnings: [
    { kind: 'truncated-record', offset: 900, frame: 33, message: 'the file ends in the middle of packet 33', key: 'k', fatal: true },
  ], bytesRead: 1000, cancelled: false, analysisAvailable: true,
};

function finding(lang: string): FindingView {
  const text = lang === 'zh-CN' ? '在帧 21 中发送了 1398 字节' : 'In frame 21, the client sent 1398 bytes; again in frames 24-30.';
  return {
    id: 'pmtu-blackhole:s0:d0:f21', kind: 'pmtu-blackhole', severity: 'critical', stream: 0, dir: 0, frame: asFrame(21), frames: [asFrame(21), asFrame(24)], t0: 0.9, t1: 14,
    title: lang === 'zh-CN' ? 'PMTU 黑洞' : 'PMTU black hole', story: [splitFrameRefs(text)], remedy: [], numbers: { mss: 1398 },
    pathMtu: { min: 1359, max: 1449, source: 'blackhole' },
  };
}

/** Answers like the real worker, from canned values; `crash()` fires the worker's error event. */
class FakeWorker {
  onmessage: ((ev: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  static last: FakeWorker | null = null;
  constructor() { FakeWorker.last = this; }
  terminate() {}
  crash() { this.onerror?.(new ErrorEvent('error', { message: 'out of memory' })); }
  postMessage(env: RequestEnvelope) {
    const r = env.req;
    const result = (() => {
      switch (r.type) {
        case 'open': return { summary };
        case 'summary': return { summary };
        // The list carries titles only, as the real worker's does; the text comes per stream or per id.
        case 'findings': {
          const { frames: _frames, numbers: _numbers, story: _story, remedy: _remedy, ...item } = finding(r.lang);
          return { findings: [item] };
        }
        case 'finding': return { finding: r.id === finding(r.lang).id ? finding(r.lang) : null };
        case 'streamFindings': return { findings: r.stream === 0 ? [finding(r.lang)] : [] };
        case 'streams': return { total: 1, rows: [] };
        case 'packetRows': return { total: 0, rows: [] };
        // Frame 30 lies after the black-hole finding's window (0-15.3 s); the others at 1 s, inside.
        case 'locateFrame': return { stream: 0, position: r.frame - 1, dir: 0, time: r.frame === 30 ? 40 : 1 };
        case 'packetDetail': return { detail: { frame: r.frame, capturedLength: 4, originalLength: 4, layers: [], why: [], fate: null, bytes: new Uint8Array([1, 2, 3, 4]), note: null } };
        case 'streamStats': return { stats: null };
        default: return null;
      }
    })();
    setTimeout(() => this.onmessage?.(new MessageEvent('message', { data: { kind: 'reply', id: env.id, ok: true, result } as WorkerMessage })), 0);
  }
}

beforeEach(() => {
  setWorkerFactory(() => new FakeWorker() as unknown as Worker);
  useUi.setState({ ...DEFAULT_URL_STATE, lang: 'en', showKeys: false, inferredMtu: null });
  useSession.setState({ status: 'idle', fileName: null, progress: null, summary: null, findings: [], error: null });
});
afterEach(cleanup);

function renderApp() {
  return render(<I18nextProvider i18n={createI18n('en')}><App /></I18nextProvider>);
}

describe('app shell', () => {
  it('opens a capture: summary, warnings in words, findings; a finding opens its stream', async () => {
    renderApp();
    expect(screen.getAllByText('Open sample').length).toBeGreaterThan(0);
    await act(() => openFile(new File([new Uint8Array(10)], 'x.pcap')));
    expect(screen.getByTestId('summary').textContent).toContain('Ethernet (1)');
    expect(screen.getByTestId('summary').textContent).toContain('1 (unnamed)');
    expect(screen.getByTestId('notices').textContent).toContain('the file ends in the middle of packet 33');
    fireEvent.click(screen.getByTestId('finding-pmtu-blackhole'));
    expect(useUi.getState()).toMatchObject({ stream: 0, frame: 21, finding: 'pmtu-blackhole:s0:d0:f21' });
    expect(screen.getByTestId('stream-view')).toBeTruthy();
    // Every frame number of the story is a button (the story comes from the worker when the stream
    // opens); clicking selects that frame.
    fireEvent.click(await screen.findByTestId('frame-link-30'));
    expect(useUi.getState().frame).toBe(30);
    expect(screen.getByTestId('frame-link-30').getAttribute('aria-pressed')).toBe('true');
  });

  it('a frame selected outside the zoomed chart window pans the window to it, keeping its width', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'x.pcap')));
    fireEvent.click(screen.getByTestId('finding-pmtu-blackhole'));
    await screen.findByTestId('frame-link-24');
    const before = useUi.getState().zoom;
    expect(before).not.toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId('frame-link-24'));
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(useUi.getState().zoom).toEqual(before); // inside the window: no move
    await act(async () => {
      fireEvent.click(screen.getByTestId('frame-link-30'));
    });
    // The fake worker answers asynchronously: wait for the pan rather than a fixed time.
    await waitFor(() => {
      const z = useUi.getState().zoom;
      expect(z && z.t0 <= 40 && z.t1 >= 40).toBe(true);
    });
    const z = useUi.getState().zoom;
    expect(z && before && z.t1 - z.t0).toBeCloseTo(before!.t1 - before!.t0, 6);
  });

  it('starts at the inferred path MTU and shows it in the select', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'x.pcap')));
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'inferred', mtu: 1449 });
    const select = screen.getByTestId('mtu-preset') as HTMLSelectElement;
    expect(select.value).toBe('inferred');
    expect(select.selectedOptions[0].textContent).toBe('Inferred: 1449 (1359–1449)');
    await act(async () => {
      fireEvent.change(select, { target: { value: 'calico' } });
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(useUi.getState().mtu).toBe(1440);
  });

  it('switches language, the diagnoses included', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'x.pcap')));
    await act(async () => {
      fireEvent.change(screen.getByTestId('lang'), { target: { value: 'zh-CN' } });
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(screen.getByText('诊断发现')).toBeTruthy();
    expect(screen.getByTestId('finding-pmtu-blackhole').textContent).toContain('PMTU 黑洞');
  });

  it('the stream view\'s story follows the language switch', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'x.pcap')));
    fireEvent.click(screen.getByTestId('finding-pmtu-blackhole'));
    await screen.findByTestId('frame-link-30');
    expect(screen.getByTestId('analysis').textContent).toContain('the client sent 1398 bytes');
    await act(async () => {
      useUi.getState().setLang('zh-CN');
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(screen.getByTestId('analysis').textContent).toContain('在帧 21 中发送了 1398 字节');
    expect(screen.getByTestId('analysis').textContent).toContain('PMTU 黑洞');
  });

  it('reports a worker crash and stays usable', async () => {
    renderApp();
    await act(() => openFile(new File([new Uint8Array(10)], 'x.pcap')));
    act(() => FakeWorker.last?.crash());
    expect(screen.getByTestId('notices').textContent).toContain('out of memory');
    await act(() => openFile(new File([new Uint8Array(10)], 'y.pcap')));
    expect(useSession.getState().status).toBe('ready');
  });

  it('lists the keys on ? and closes on Escape', () => {
    renderApp();
    fireEvent.keyDown(document, { key: '?' });
    expect(screen.getByTestId('key-help')).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByTestId('key-help')).toBeNull();
  });
});
