// @vitest-environment jsdom
/**
 * The packet's fate in the "why" box, through the real engine behind a stand-in worker: Wireshark's
 * flag stays labelled as Wireshark's ("Wireshark: retransmission" and its rule), the fate reads as
 * our verdict ("Fate: ...") and says so where the two differ (a copy Wireshark calls a
 * retransmission); in Chinese every label and rule sentence is Chinese. The findings list names the
 * streams of a grouped finding and opens the one told in detail.
 */
import { File as NodeFile } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FindingsList, streamList } from '../../web/components/FindingsList';
import { PacketDetail } from '../../web/components/PacketDetail';
import { createI18n } from '../../web/i18n';
import { openFile, setWorkerFactory, useSession } from '../../web/store/session';
import { DEFAULT_URL_STATE, useUi } from '../../web/store/uiStore';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import type { Request, RequestEnvelope, WorkerMessage } from '../../web/worker/protocol';
import { groupedCapture } from './groupedCapture';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const sample = readFileSync(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));
const anyCapture = readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'diagnose', 'pmtu-blackhole.node-any.sll2.pcap'));

/** The worker's request handling (as analysis.worker.ts), on an engine in this thread. */
class EngineWorker {
  onmessage: ((ev: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  private readonly engine = new AnalysisEngine(loadCore());
  terminate() {}
  private async handle(r: Request): Promise<unknown> {
    const e = this.engine;
    switch (r.type) {
      case 'open': return { summary: await e.open(r.file, r.mtu, r.lang, () => undefined) };
      case 'summary': return e.summary();
      case 'findings': return e.findings(r.mtu, r.lang);
      case 'finding': return e.finding(r.id, r.mtu, r.lang);
      case 'streamFindings': return e.streamFindings(r.stream, r.mtu, r.lang);
      case 'streams': return e.streams(r);
      case 'packetRows': return e.packetRows(r);
      case 'locateFrame': return e.locateFrame(r.frame);
      case 'packetDetail': return e.packetDetail(r.frame, r.lang);
      case 'streamSeries': return e.streamSeries(r);
      default: return null;
    }
  }
  postMessage(env: RequestEnvelope) {
    void this.handle(env.req).then((result) => this.onmessage?.(new MessageEvent('message', { data: { kind: 'reply', id: env.id, ok: true, result } as WorkerMessage })));
  }
}

beforeEach(() => {
  setWorkerFactory(() => new EngineWorker() as unknown as Worker);
  useUi.setState({ ...DEFAULT_URL_STATE, lang: 'en', showKeys: false, inferredMtu: null });
  useSession.setState({ status: 'idle', fileName: null, progress: null, summary: null, findings: [], error: null });
});
afterEach(cleanup);

async function open(bytes: Uint8Array, name: string, lang: 'en' | 'zh-CN' = 'en') {
  useUi.setState({ lang });
  await act(() => openFile(new NodeFile([bytes], name) as unknown as File));
}

function show(node: React.ReactNode, lang = 'en') {
  return render(<I18nextProvider i18n={createI18n(lang)}>{node}</I18nextProvider>);
}

async function whyOf(frame: number): Promise<HTMLElement> {
  act(() => useUi.setState({ stream: 0, frame }));
  await waitFor(() => expect(screen.getByTestId('packet-detail').textContent).not.toMatch(/Reading the packet|正在读取/));
  return screen.getByTestId('packet-why');
}

describe('the why box: Wireshark\'s flag and the fate', () => {
  it('the segment the black hole swallowed: no Wireshark flag, the fate says lost after the capture point', async () => {
    await open(sample, 'pmtu-blackhole.pcap');
    show(<PacketDetail />);
    const why = await whyOf(21);
    expect(screen.queryAllByTestId('packet-why-flag')).toHaveLength(0);
    const fate = screen.getByTestId('packet-fate');
    expect(fate.getAttribute('data-fate')).toBe('fate.lost');
    expect(why.textContent).toMatch(/^Fate: Lost after this capture point: .* sent again \(frame 24\)\.$/);
    // The frame it names is a link that selects that frame.
    fireEvent.click(screen.getByTestId('fate-frame-link-24'));
    expect(useUi.getState().frame).toBe(24);
  });

  it('a retransmission, lost too: "Wireshark: retransmission" with its rule, then the fate', async () => {
    await open(sample, 'pmtu-blackhole.pcap');
    show(<PacketDetail />);
    await whyOf(24);
    const flags = screen.getAllByTestId('packet-why-flag');
    expect(flags).toHaveLength(1);
    expect(flags[0].textContent).toMatch(/^Wireshark: retransmission Data at 346, below the next expected sequence \d+/);
    expect(flags[0].getAttribute('title')).toContain('rule retrans.');
    expect(screen.getByTestId('packet-fate').textContent).toMatch(/^Fate: Lost after this capture point: .*\(frame 25\)\.$/);
  });

  it('a packet captured twice that Wireshark calls a retransmission: the fate says it is none', async () => {
    await open(anyCapture, 'any.pcap');
    show(<PacketDetail />);
    await whyOf(2);
    expect(screen.getByTestId('packet-why-flag').textContent).toMatch(/^Wireshark: retransmission/);
    const fate = screen.getByTestId('packet-fate');
    expect(fate.getAttribute('data-fate')).toBe('fate.copy');
    expect(fate.textContent).toBe('Fate: The same packet as frame 1, captured twice: not a retransmission (Wireshark compares this copy with the first one); counted once.');
  });

  it('in Chinese: the labels, Wireshark\'s rule and the fate, all Chinese', async () => {
    await open(sample, 'pmtu-blackhole.pcap', 'zh-CN');
    show(<PacketDetail />, 'zh-CN');
    const why = await whyOf(24);
    const flag = screen.getByTestId('packet-why-flag').textContent ?? '';
    expect(flag).toMatch(/^Wireshark：重传 序列号 346 处的数据，低于下一个期望序列号 \d+，不是保活、不是快速重传、也不是乱序：重传（在最高的数据段之后 [\d.]+ 毫秒）。$/);
    expect(screen.getByTestId('packet-fate').textContent).toMatch(/^去向： 在本抓包点之后丢失：/);
    // Nothing English but the tool's name, protocol words and numbers.
    const words = (why.textContent ?? '').replace(/Wireshark|ACK|SACK|TCP/g, '').match(/[A-Za-z]{2,}/g);
    expect(words).toBeNull();
  });

  it('a Chinese copy Wireshark calls a duplicate ACK says it is not another one', async () => {
    await open(anyCapture, 'any.pcap', 'zh-CN');
    show(<PacketDetail />, 'zh-CN');
    await whyOf(6);
    expect(screen.getByTestId('packet-why-flag').textContent).toMatch(/^Wireshark：重复 ACK 没有数据/);
    expect(screen.getByTestId('packet-fate').textContent).toBe('去向： 与帧 5 是同一个包，被抓到了两次：不是又一个重复 ACK（Wireshark 把这份副本与第一份比较）；只计一次。');
  });
});

describe('the findings list and grouped findings', () => {
  it('writes stream lists with ranges, cut after a few parts', () => {
    expect(streamList([0, 1, 2, 3])).toBe('0-3');
    expect(streamList([3, 7, 12, 13, 14, 20, 30], 3)).toBe('3, 7, 12-14 …');
    expect(streamList([5])).toBe('5');
  });

  it('a grouped finding says how many streams it covers, and opens its representative', async () => {
    await open(groupedCapture(), 'grouped.pcap');
    show(<FindingsList />);
    const line = await screen.findByTestId('finding-handshake-failure');
    expect(line.querySelector('[data-testid="finding-streams"]')?.textContent).toBe('4 streams: 0-3');
    expect(line.getAttribute('title')).toBe('The same on 4 streams (0-3): open stream 0, the one told in detail');
    fireEvent.click(line);
    expect(useUi.getState()).toMatchObject({ stream: 0, frame: 2 });
  });

  it('in Chinese too', async () => {
    await open(groupedCapture(), 'grouped.pcap', 'zh-CN');
    show(<FindingsList />, 'zh-CN');
    const line = await screen.findByTestId('finding-handshake-failure');
    expect(line.querySelector('[data-testid="finding-streams"]')?.textContent).toBe('4 个流：0-3');
  });
});
