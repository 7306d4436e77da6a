// @vitest-environment jsdom
/**
 * The share bar says what its buttons did: "Markdown report" and the chart exports download a file
 * and used to give no sign of it (a browser may show the download only as a corner icon, or not at
 * all), while "Copy link" says "Link copied".
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../web/i18n/index';
import { ShareBar } from '../../web/share/ShareBar';
import { blackholeSnapshot, fullState } from './shareSamples';

const made = vi.hoisted(() => ({ state: true, snapshot: true }));

vi.mock('../../web/share/buildLink', async (original) => ({
  ...(await original<typeof import('../../web/share/buildLink')>()),
  currentState: async () => (made.state ? fullState() : null),
  snapshotOf: async () => (made.snapshot ? blackholeSnapshot() : null),
}));

vi.mock('../../web/share/download', async (original) => ({
  ...(await original<typeof import('../../web/share/download')>()),
  download: vi.fn(),
  copyText: vi.fn(async () => true),
}));

const { download } = await import('../../web/share/download');

afterEach(cleanup);
beforeEach(() => {
  made.state = true;
  made.snapshot = true;
  vi.mocked(download).mockClear();
});

function setup(lang: 'en' | 'zh-CN' = 'en') {
  return render(<I18nextProvider i18n={createI18n(lang)}><ShareBar /></I18nextProvider>);
}

describe('share bar feedback', () => {
  it('"Markdown report" downloads the report and says so, by name', async () => {
    setup();
    fireEvent.click(screen.getByTestId('export-md'));
    const said = await screen.findByTestId('export-result');
    expect(download).toHaveBeenCalledTimes(1);
    const name = vi.mocked(download).mock.calls[0][0];
    expect(name).toMatch(/\.md$/);
    expect(said.textContent).toBe(`Downloaded ${name}`);
    expect(screen.getByTestId('share-result').getAttribute('role')).toBe('status');
  });

  it('a copied link replaces the download notice, and the other way round', async () => {
    setup();
    fireEvent.click(screen.getByTestId('copy-link'));
    expect((await screen.findByTestId('share-result')).textContent).toContain('Link copied');
    fireEvent.click(screen.getByTestId('export-md'));
    await screen.findByTestId('export-result');
    expect(screen.queryByTestId('share-link')).toBeNull();
  });

  it('says why nothing was saved when there is nothing to report yet', async () => {
    made.snapshot = false;
    setup();
    fireEvent.click(screen.getByTestId('export-md'));
    expect((await screen.findByTestId('share-error')).textContent).toMatch(/Nothing to export yet/);
    expect(download).not.toHaveBeenCalled();
  });

  it('speaks Chinese too', async () => {
    setup('zh-CN');
    fireEvent.click(screen.getByTestId('export-md'));
    expect((await screen.findByTestId('export-result')).textContent).toMatch(/^已下载 .+\.md$/);
  });
});
