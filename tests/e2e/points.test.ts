/**
 * Two capture points in the app: open the black hole's node eth0 capture, add the server's capture
 * as another point, name them, see the cross-point finding and the joint chart with the lost
 * packets marked. Screenshots go to test-output/.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eUnavailable, externalRequests, openApp, repoRoot, type AppSession } from './harness';

const why = e2eUnavailable();
if (why) console.warn(`points e2e skipped: ${why}`);
const fixture = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'points', name);

describe.skipIf(why !== null)('app: two capture points', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens node eth0, adds the server as another point and shows what was lost between them', async () => {
    await s.page.getByTestId('file-input').setInputFiles(fixture('pmtu-blackhole.node-eth0.pcap'));
    await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('point-input').setInputFiles(fixture('pmtu-blackhole.server-eth0.pcap'));
    const finding = s.page.getByTestId('finding-lost-between-points');
    await finding.waitFor({ timeout: 30_000 });
    await s.page.getByTestId('point-name-0').fill('node eth0');
    await s.page.getByTestId('point-name-1').fill('pod');
    const text = (await finding.textContent()) ?? '';
    expect(text).toContain('8 of');
    expect(text).toContain('captured at node eth0 and never at pod');
    expect(text).toContain('frames 21 and 24-30');
    expect(await s.page.getByTestId('point-1').textContent()).toContain('24 TCP packets');
    await finding.scrollIntoViewIfNeeded();
    await s.screenshot('points-01-overview');
  });

  it('draws both points on the joint chart of the stream, the lost packets marked', async () => {
    await s.page.getByTestId('open-joint').first().click();
    await s.page.getByTestId('stream-view').waitFor();
    const chart = s.page.getByTestId('joint-chart');
    await chart.waitFor();
    expect(await s.page.locator('[data-testid^="joint-p0-"]').count()).toBeGreaterThan(10);
    expect(await s.page.locator('[data-testid^="joint-p1-"]').count()).toBeGreaterThan(5);
    expect(await s.page.locator('[data-testid^="joint-lost-"]').count()).toBe(8);
    expect(await s.page.getByTestId('joint-lost-f21').count()).toBe(1);
    expect((await s.page.getByTestId('joint-links').getAttribute('d'))?.length ?? 0).toBeGreaterThan(20);
    expect(await s.page.getByTestId('joint').textContent()).toContain('node eth0');
    await chart.scrollIntoViewIfNeeded();
    await s.screenshot('points-02-joint-chart');
    // Around the first loss the two copies of each packet and the line joining them separate.
    await s.page.getByTestId('joint-zoom-loss').click();
    await s.page.getByTestId('joint-lost-f21').waitFor();
    expect(await s.page.getByTestId('joint-lost-f25').count()).toBe(0);
    expect(await s.page.locator('[data-testid^="joint-p1-"]').count()).toBeGreaterThan(0);
    expect((await s.page.getByTestId('joint-links').getAttribute('d')) ?? '').toMatch(/^M/);
    await chart.scrollIntoViewIfNeeded();
    await s.screenshot('points-03-joint-chart-zoomed');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('copies a link naming both captures; opened elsewhere, it asks for each file and shows the cross-point finding', async () => {
    // Back to the overview, where the cross-point finding is listed.
    await s.page.getByTestId('stream-view').getByRole('button', { name: /Back|Overview|←/ }).first().click();
    const copy = s.page.getByTestId('copy-link-lost-between-points');
    await copy.first().click();
    const field = s.page.getByTestId('points').getByTestId('share-link');
    await field.waitFor({ timeout: 20_000 });
    const link = await field.inputValue();
    expect(link).toMatch(/[#&]p0p=node%20eth0&p1=[0-9a-f]{32}&p1n=pmtu-blackhole\.server-eth0\.pcap&p1s=\d+&p1p=pod&/);
    expect(link).toContain('k=lost-between-points');

    const r = await openApp();
    try {
      await r.page.goto('about:blank');
      await r.page.goto(r.url + link.slice(link.indexOf('#')));
      await r.page.getByTestId('link-needs-points').waitFor({ timeout: 20_000 });
      await r.page.getByTestId('file-input').setInputFiles(fixture('pmtu-blackhole.node-eth0.pcap'));
      const needs = r.page.getByTestId('link-needs-point');
      await needs.waitFor({ timeout: 30_000 });
      expect(await needs.textContent()).toContain('pmtu-blackhole.server-eth0.pcap');
      expect(await needs.textContent()).toContain('(pod)');
      // The wrong file is explained and not added.
      await r.page.getByTestId('link-point-input').setInputFiles(fixture('pmtu-blackhole.node-eth0.pcap'));
      await r.page.getByTestId('link-point-mismatch').waitFor({ timeout: 30_000 });
      // Another size: turned away at once, without reading it.
      expect(await r.page.getByTestId('link-point-mismatch').textContent()).toContain('It was not read');
      expect(await r.page.getByTestId('joint-chart').count()).toBe(0);
      await r.screenshot('points-04-link-needs-point');
      await r.page.getByTestId('link-point-input').setInputFiles(fixture('pmtu-blackhole.server-eth0.pcap'));
      await r.page.getByTestId('joint-chart').waitFor({ timeout: 30_000 });
      expect(await needs.count()).toBe(0);
      expect(await r.page.locator('[data-testid^="joint-lost-"]').count()).toBe(8);
      expect(await r.page.getByTestId('joint').textContent()).toContain('node eth0');
      expect(await r.page.getByTestId('joint').textContent()).toContain('pod');
      await r.screenshot('points-05-link-opened-both');
      expect(externalRequests(r)).toEqual([]);
      expect(r.errors).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
