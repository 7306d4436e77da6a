// @vitest-environment jsdom
/** The app lists the reader's warnings in the page's language, and follows a change of language. */
import { File as NodeFile } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { Notices } from '../../web/components/Notices';
import { createI18n } from '../../web/i18n';
import { useSession } from '../../web/store/session';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';

const capture = readFileSync(path.resolve(import.meta.dirname, '..', 'fixtures', 'diagnose', 'pmtu-blackhole.node-eth0.pcap'));

afterEach(() => {
  cleanup();
  useSession.setState({ summary: null, error: null });
});

describe('reader warnings in the app', () => {
  it('a cut-short capture: the warning in Chinese, then in English', async () => {
    const engine = new AnalysisEngine(loadCore({}));
    // Node's File: jsdom's Blob cannot be read (no arrayBuffer()).
    const file = new NodeFile([capture.subarray(0, 2000)], 'cut.pcap') as unknown as File;
    const summary = await engine.open(file, 0, 'zh-CN', () => undefined);
    expect(summary.warnings).toHaveLength(1);
    useSession.setState({ summary });
    const i18n = createI18n('zh-CN');
    render(<I18nextProvider i18n={i18n}><Notices /></I18nextProvider>);
    const notes = screen.getByTestId('notices');
    expect(notes.textContent).toContain('文件在帧 18 的中间（字节 1,870 处）就结束了：抓包文件被截断');
    expect(notes.textContent).not.toContain('the file ends');
    await act(() => i18n.changeLanguage('en'));
    expect(screen.getByTestId('notices').textContent).toContain('the file ends in the middle of packet 18 at byte 1,870: the capture was cut short');
  });
});
