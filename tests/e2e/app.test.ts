/**
 * The app in headless Chromium: open the sample through the file input, see the black-hole finding,
 * open its stream, follow a frame link from the text into the packet table, switch language and
 * direction; no request leaves 127.0.0.1. Screenshots go to test-output/.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eUnavailable, externalRequests, openApp, repoRoot, type AppSession } from './harness';

const why = e2eUnavailable();
if (why) console.warn(`app e2e skipped: ${why}`);

describe.skipIf(why !== null)('app: open a capture, read the diagnosis', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the welcome screen with the sample as the first step', async () => {
    await s.page.getByRole('button', { name: 'Open sample' }).first().waitFor();
    await s.screenshot('app-01-welcome');
  });

  it('loads the sample through the file input and shows the black-hole finding', async () => {
    await s.page.getByTestId('file-input').setInputFiles(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));
    const finding = s.page.getByTestId('finding-pmtu-blackhole');
    await finding.waitFor({ timeout: 30_000 });
    expect(await s.page.getByTestId('summary').textContent()).toContain('32');
    await s.page.getByTestId('stream-row-0').waitFor();
    await s.screenshot('app-02-overview');
  });

  it('opens the stream at the finding', async () => {
    await s.page.getByTestId('finding-pmtu-blackhole').click();
    await s.page.getByTestId('stream-view').waitFor();
    await s.page.getByTestId('packet-row-21').waitFor();
    // The finding's first evidence frame is selected on opening.
    expect(await s.page.getByTestId('packet-row-21').getAttribute('aria-selected')).toBe('true');
    // Chart checks belong to the chart's own e2e test (the chart sits in [data-testid=chart-slot]).
    await s.page.getByTestId('chart-slot').waitFor();
    await s.screenshot('app-03-stream');
  });

  it('selects a frame from the analysis text in the packet table and the detail', async () => {
    const link = s.page.getByTestId('analysis').locator('[data-testid^="frame-link-"]').filter({ hasNotText: /^21$/ }).first();
    const frame = Number((await link.getAttribute('data-testid'))?.replace('frame-link-', ''));
    expect(frame).toBeGreaterThan(0);
    await link.click();
    const row = s.page.getByTestId(`packet-row-${frame}`);
    await row.waitFor();
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => s.page.getByTestId('packet-detail').textContent()).toContain(`Frame ${frame}`);
    await s.screenshot('app-04-frame-selected');
  });

  it('moves through packets with the arrow keys and clears with Escape', async () => {
    await s.page.getByTestId('packet-row-21').click();
    await s.page.keyboard.press('ArrowDown');
    await expect.poll(() => s.page.getByTestId('packet-row-22').getAttribute('aria-selected')).toBe('true');
    await s.page.keyboard.press('Escape');
    await expect.poll(() => s.page.locator('[aria-selected="true"]').count()).toBe(0);
  });

  it('switches direction', async () => {
    await s.page.getByTestId('dir-1').click();
    expect(await s.page.getByTestId('dir-1').getAttribute('aria-checked')).toBe('true');
    await s.page.getByTestId('dir-0').click();
    expect(await s.page.getByTestId('dir-0').getAttribute('aria-checked')).toBe('true');
  });

  it('switches language, findings included, and remembers it', async () => {
    const before = await s.page.getByTestId('analysis').textContent();
    await s.page.getByTestId('lang').selectOption('zh-CN');
    await s.page.getByText('分析', { exact: true }).first().waitFor();
    await expect.poll(() => s.page.getByTestId('analysis').textContent()).not.toBe(before);
    await s.screenshot('app-05-zh');
    expect(await s.page.evaluate(() => localStorage.getItem('capture-inspector.lang'))).toBe('zh-CN');
    await s.page.getByTestId('lang').selectOption('en');
  });

  it('changes the path MTU preset', async () => {
    await s.page.getByTestId('mtu-preset').selectOption('calico');
    await expect.poll(() => s.page.getByTestId('packet-row-21').getAttribute('class')).toContain('oversized');
    await s.page.getByTestId('mtu-preset').selectOption('ethernet');
    await expect.poll(() => s.page.getByTestId('packet-row-21').getAttribute('class')).not.toContain('oversized');
  });

  it('made no request outside 127.0.0.1 and logged no error', () => {
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
