/**
 * Captures kept in the browser (Origin Private File System): with keeping on, the sample is copied
 * as it loads; a reload with the link reopens it by itself (no drop); clearing removes it, after
 * which the link asks for its capture again. Nothing leaves the machine.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eUnavailable, externalRequests, openApp, outputDir, repoRoot, type AppSession } from './harness';

const pointFixture = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'points', name);

describe.skipIf(e2eUnavailable() !== null)('kept captures', () => {
  let s: AppSession;
  beforeAll(async () => { s = await openApp(); });
  afterAll(async () => { await s?.close(); });

  it('reopens a kept capture on reload, and forgets it once cleared', async () => {
    const { page } = s;
    const box = page.getByTestId('keep-captures');
    await box.waitFor({ timeout: 20_000 });
    expect(await box.isChecked()).toBe(false);
    await box.check();

    await page.getByRole('button', { name: 'Open sample' }).last().click();
    await page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    await page.getByTestId('keep-show').filter({ hasText: 'Kept: 1' }).waitFor({ timeout: 20_000 });
    // The address bar carries the view's link (fingerprint included).
    await page.waitForFunction(() => location.hash.includes('fp='), undefined, { timeout: 5_000 });
    const hash = await page.evaluate(() => location.hash);

    await page.goto('about:blank');
    await page.goto(s.url + hash);
    // No drop: the kept copy opens, the link's view applies, and the option is remembered.
    await page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('keep-captures').isChecked()).toBe(true);
    expect(await page.getByTestId('link-needs-capture').count()).toBe(0);
    expect(await page.getByTestId('keep-show').textContent()).toContain('Kept: 1');

    await page.getByTestId('keep-show').click();
    const item = page.getByTestId('keep-item');
    await item.waitFor();
    expect(await item.textContent()).toContain('pmtu-blackhole.pcap');
    await page.screenshot({ path: path.join(outputDir, 'keep-dialog.png') });
    await page.getByTestId('keep-clear').click();
    await page.getByTestId('keep-empty').waitFor();
    const left = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const names: string[] = [];
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      return names;
    });
    expect(left).toEqual([]);

    await page.goto('about:blank');
    await page.goto(s.url + hash);
    await page.getByTestId('link-needs-capture').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('keep-show').textContent()).toContain('Kept: 0');
    expect(externalRequests(s)).toEqual([]);
  }, 120_000);

  it("keeps another capture point too: a link naming both reopens both, with no file given", async () => {
    const { page } = s;
    await page.goto(s.url);
    const box = page.getByTestId('keep-captures');
    await box.waitFor({ timeout: 20_000 });
    if (!(await box.isChecked())) await box.check();
    await page.getByTestId('file-input').setInputFiles(pointFixture('pmtu-blackhole.node-eth0.pcap'));
    await page.getByTestId('add-point').waitFor({ timeout: 30_000 });
    await page.getByTestId('point-input').setInputFiles(pointFixture('pmtu-blackhole.server-eth0.pcap'));
    await page.getByTestId('finding-lost-between-points').waitFor({ timeout: 30_000 });
    await page.getByTestId('keep-show').filter({ hasText: 'Kept: 2' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('open-joint').click();
    await page.getByTestId('joint-chart').waitFor({ timeout: 30_000 });
    // The address bar's link names both captures.
    await page.waitForFunction(() => location.hash.includes('p1='), undefined, { timeout: 10_000 });
    const hash = await page.evaluate(() => location.hash);

    await page.goto('about:blank');
    await page.goto(s.url + hash);
    await page.getByTestId('joint-chart').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('link-needs-capture').count()).toBe(0);
    expect(await page.getByTestId('link-needs-point').count()).toBe(0);
    expect(await page.locator('[data-testid^="joint-lost-"]').count()).toBe(8);
    expect(externalRequests(s)).toEqual([]);
  }, 120_000);
});

