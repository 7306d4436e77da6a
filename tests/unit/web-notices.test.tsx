// @vitest-environment jsdom
/**
 * What the page says about files it could not fully read: a file that is no capture gets one
 * sentence and no empty overview; a cut-short one says where once; a capture without TCP says so.
 */
import { File as NodeFile } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { FindingsList } from '../../web/components/FindingsList';
import { Notices } from '../../web/components/Notices';
import { createI18n } from '../../web/i18n';
import { unreadableReason, useSession } from '../../web/store/session';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';

const sample = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap'));

async function summaryOf(bytes: Uint8Array, name: string) {
  const engine = new AnalysisEngine(loadCore());
  return engine.open(new NodeFile([bytes], name) as unknown as File, 0, 'en', () => undefined);
}

function show(node: React.ReactNode, lang = 'en') {
  return render(<I18nextProvider i18n={createI18n(lang)}>{node}</I18nextProvider>);
}

afterEach(() => {
  cleanup();
  useSession.setState({ summary: null, error: null, findings: [] });
});

describe('notices for files not fully read', () => {
  it('a text file is unreadable: one sentence with the reader\'s reason, no "damaged after 0 packets"', async () => {
    const summary = await summaryOf(new TextEncoder().encode('hello, this is not a capture\n'), 'notes.pcap');
    expect(unreadableReason(summary)).not.toBeNull();
    useSession.setState({ summary });
    show(<Notices />);
    const text = screen.getByTestId('notices').textContent ?? '';
    expect(text).toMatch(/^notes\.pcap could not be read as a capture: this is a text file/);
    expect(text).not.toMatch(/damaged|0 packets|at byte 0/);
  });

  it('in Chinese too', async () => {
    const summary = await summaryOf(new TextEncoder().encode('hello, this is not a capture\n'), 'notes.pcap');
    useSession.setState({ summary });
    show(<Notices />, 'zh-CN');
    expect(screen.getByTestId('notices').textContent).toMatch(/^notes\.pcap 无法作为抓包文件读取：/);
  });

  it('a cut-short capture is analysed, and where it ends is said once', async () => {
    const summary = await summaryOf(sample.subarray(0, 9_001), 'cut.pcap');
    expect(unreadableReason(summary)).toBeNull();
    useSession.setState({ summary });
    show(<Notices />);
    const text = screen.getByTestId('notices').textContent ?? '';
    expect(text).toContain('The file is damaged');
    expect(text).toContain('Reader warnings: 1');
    expect(text).not.toContain('Showing everything read before the problem');
    expect(text).not.toMatch(/\(at byte [\d,]+\)/);
  });

  it('a capture without TCP says there is nothing to diagnose, not "no problem found"', () => {
    useSession.setState({ summary: { packets: 12, tcpPackets: 0 } as never, findings: [] });
    show(<FindingsList />);
    expect(screen.getByText(/No TCP packets in this capture/)).toBeTruthy();
  });
});
