// @vitest-environment jsdom
/**
 * Caveats and the memory limit in the app: the worker's engine reports them with the summary (real
 * core, real fixtures), and the notices show them in words, in the page's language.
 */
import { File as NodeFile } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { PacketColumns } from '../../src/decode/columns';
import { Notices } from '../../web/components/Notices';
import { createI18n } from '../../web/i18n';
import { useSession } from '../../web/store/session';
import { BROWSER_TABLE_BYTES, loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import { pcapFile } from './captureBuilders';
import { be16, bytes, cat, eth, ipv4, tcp } from './decodeBuilders';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'diagnose');

async function open(file: string, maxTableBytes?: number) {
  const engine = new AnalysisEngine(loadCore({ maxTableBytes }));
  // Node's File: jsdom's Blob cannot be read (no arrayBuffer()).
  const summary = await engine.open(new NodeFile([readFileSync(path.join(fixtures, file))], file) as unknown as File, 0, 'en', () => undefined);
  return { engine, summary };
}

afterEach(() => {
  cleanup();
  useSession.setState({ summary: null, error: null });
});

describe('caveats in the app', () => {
  it('the browser budget holds a few million packets', () => {
    const rows = BROWSER_TABLE_BYTES / PacketColumns.bytesPerRow();
    expect(rows).toBeGreaterThan(5e6);
    expect(rows).toBeLessThan(1e7);
  });

  it('a capture over the budget is analysed up to it, and the notices say where and why', async () => {
    const { engine, summary } = await open('pmtu-blackhole.node-eth0.pcap', 20 * PacketColumns.bytesPerRow());
    expect(summary.packets).toBe(20);
    expect(summary.warnings.at(-1)).toMatchObject({ kind: 'memory-limit', fatal: true, frame: 21 });
    expect(summary.caveats?.[0]).toMatchObject({ kind: 'memory-limit', count: 20 });
    // What was read stays usable: streams, packets and findings answer.
    expect(engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 10 }).rows[0].packets).toBe(20);
    expect(engine.packetRows({ type: 'packetRows', stream: 0, from: 0, count: 100, mtu: 1500 }).total).toBe(20);
    expect(Array.isArray(engine.findings(0, 'en').findings)).toBe(true);

    useSession.setState({ summary });
    const i18n = createI18n('en');
    render(<I18nextProvider i18n={i18n}><Notices /></I18nextProvider>);
    const note = screen.getByTestId('caveat-memory-limit');
    expect(note.textContent).toMatch(/Reading stopped after 20 packets at byte [\d,]+: the packet table reached its limit of 0\.0 MB\. Everything before is analysed/);
    expect(note.hasAttribute('open')).toBe(true);
    await act(() => i18n.changeLanguage('zh-CN'));
    expect(screen.getByTestId('caveat-memory-limit').textContent).toContain('读取了 20 个包后在字节');
  });

  it('reports packets captured twice on an -i any capture', async () => {
    const { summary } = await open('pmtu-blackhole.node-any.sll2.pcap');
    expect(summary.caveats?.map((c) => c.kind)).toContain('duplicate-capture');
    useSession.setState({ summary });
    render(<I18nextProvider i18n={createI18n('en')}><Notices /></I18nextProvider>);
    expect(screen.getByTestId('caveat-duplicate-capture').textContent).toMatch(/Packets captured twice, at 2 capture points/);
  });

  it('a capture whose TCP is in an encapsulation not decoded says why nothing is shown', async () => {
    const inner = ipv4({}, tcp({}, bytes(10)));
    // PPPoE carrying bridged Ethernet (PPP 0x0031), which is not decoded.
    const pppoe = eth(0x8864, cat([0x11, 0, 0, 1, ...be16(inner.length + 2), 0, 0x31], inner));
    const file = pcapFile({ records: [pppoe, pppoe, eth(0x0806, bytes(28))].map((data, k) => ({ sec: 1_700_000_000 + k, data })) });
    const engine = new AnalysisEngine(loadCore({}));
    const summary = await engine.open(new NodeFile([file], 'pppoe.pcap') as unknown as File, 0, 'en', () => undefined);
    expect(summary.caveats?.map((c) => [c.kind, c.severity, c.count])).toEqual([['decode-anomalies', 'warning', 2]]);
    useSession.setState({ summary });
    const i18n = createI18n('en');
    render(<I18nextProvider i18n={i18n}><Notices /></I18nextProvider>);
    const note = screen.getByTestId('caveat-decode-anomalies');
    expect(note.textContent).toMatch(/^No TCP or UDP traffic could be analysed: 2 of the 3 packets .*could not see inside them/);
    expect(note.textContent).toContain('ethertype 0x8864 PPPoE session, network layer not decoded: 2 (frames 1-2)');
    await act(() => i18n.changeLanguage('zh-CN'));
    expect(screen.getByTestId('caveat-decode-anomalies').textContent).toContain('以太网类型 0x8864 PPPoE session，网络层未解码：2 个');
  });

  it('a clean capture has no caveat', async () => {
    const { summary } = await open('pmtu-blackhole.node-eth0.pcap');
    expect(summary.caveats).toEqual([]);
  });
});
