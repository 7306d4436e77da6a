/** "Open sample" (fetched from the app's own origin under the CSP) in dark mode, wide window. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eUnavailable, externalRequests, openApp, type AppSession } from './harness';

describe.skipIf(e2eUnavailable() !== null)('app: the sample in one click, dark mode', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1680, height: 1000, colorScheme: 'dark' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens the sample and shows the black hole first', async () => {
    await s.page.getByRole('button', { name: 'Open sample' }).last().click();
    await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    const first = s.page.locator('[data-testid^="finding-"]').first();
    expect(await first.getAttribute('data-testid')).toBe('finding-pmtu-blackhole');
    await s.page.getByTestId('stream-row-0').waitFor();
    await s.screenshot('app-sample-dark-overview');
    await s.page.getByTestId('stream-row-0').click();
    // Frame 21 (the first 1450-byte segment) has no Wireshark flag, only its fate; frame 24, its
    // first retransmission, has both: the "why" box names the rule.
    await s.page.getByTestId('packet-row-21').click();
    await expect.poll(() => s.page.getByTestId('packet-fate').getAttribute('data-fate'), { timeout: 10_000 }).toMatch(/lost/);
    expect(await s.page.getByTestId('packet-why-flag').count()).toBe(0);
    await s.page.getByTestId('packet-row-24').click();
    const flag = s.page.getByTestId('packet-why-flag').first();
    await flag.waitFor({ timeout: 10_000 });
    expect(await flag.textContent()).toContain('Wireshark: retransmission');
    await s.screenshot('app-sample-dark-stream');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
