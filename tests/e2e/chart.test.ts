/**
 * The sequence chart in a real browser, on the bundled PMTU black-hole sample: the hole band and the
 * oversized-DF markers are drawn, a brushed range and the wheel zoom redraw the chart, and a click on
 * a segment selects its frame. Screenshots go to test-output/ for a human to look at.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eUnavailable, openApp, repoRoot, type AppSession } from './harness';

/** The visible window, read from the chart's info line ("… · 0.123–4.567 s"). */
async function visibleWindow(s: AppSession): Promise<[number, number]> {
  const text = (await s.page.getByTestId('chart-info').textContent()) ?? '';
  const m = text.match(/(-?[\d.]+)–(-?[\d.]+) s/);
  if (!m) throw new Error(`no window in "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

async function plotBox(s: AppSession) {
  const box = await s.page.locator('[data-testid="chart-plot"] .plot-bg').boundingBox();
  if (!box) throw new Error('plot not laid out');
  return box;
}

async function openStream0(s: AppSession): Promise<void> {
  await s.page.getByTestId('open-sample').click();
  await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
  await s.page.getByTestId('stream-row-0').click();
  await s.page.getByTestId('sequence-chart').waitFor();
  await s.page.getByTestId('hole-band').first().waitFor({ timeout: 15_000 });
}

describe.skipIf(e2eUnavailable() !== null)('sequence chart on the PMTU black-hole sample', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 900 });
    await openStream0(s);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the hole, and the oversized DF segments once the path MTU is 1440', async () => {
    expect(await s.page.getByTestId('hole-band').count()).toBe(1);
    await s.page.getByTestId('mtu-preset').selectOption('calico');
    await s.page.locator('[data-testid="oversized-mark"]').nth(7).waitFor();
    expect(await s.page.getByTestId('oversized-mark').count()).toBe(8);
    expect(await s.page.getByTestId('legend-oversized').textContent()).toContain('1440');
    await s.screenshot('chart-sample-overview');
  });

  it('zooms to a dragged range, then a click on a segment selects its frame', async () => {
    const [t0, t1] = await visibleWindow(s);
    const box = await plotBox(s);
    const px = (t: number) => box.x + ((t - t0) / (t1 - t0)) * box.width;
    const y = box.y + box.height / 2;
    await s.page.mouse.move(px(0.85), y);
    await s.page.mouse.down();
    await s.page.mouse.move(px(0.95), y, { steps: 5 });
    await s.page.mouse.move(px(1.0), y, { steps: 5 });
    await s.page.mouse.up();
    await expect.poll(async () => (await visibleWindow(s))[1] - (await visibleWindow(s))[0], { timeout: 10_000 }).toBeLessThan(0.3);
    const seg = s.page.locator('[data-testid="segment"][data-frame="21"]');
    await seg.waitFor();
    await s.screenshot('chart-sample-zoomed');
    await seg.click();
    await s.page.locator('[data-testid="selected-frame"][data-frame="21"]').waitFor();
    await s.page.locator('[data-testid="segment"][data-frame="24"]').hover();
    const tip = s.page.getByTestId('chart-tooltip');
    await tip.waitFor();
    expect(await tip.textContent()).toContain('Frame 24');
    expect(await tip.textContent()).toContain('1,450');
    await s.screenshot('chart-sample-selected-tooltip');
  });

  it('zooms with the wheel around the pointer and resets', async () => {
    const before = await visibleWindow(s);
    const box = await plotBox(s);
    await s.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await s.page.mouse.wheel(0, 400);
    await expect.poll(async () => (await visibleWindow(s))[1] - (await visibleWindow(s))[0], { timeout: 10_000 }).toBeGreaterThan(before[1] - before[0]);
    await s.page.getByTestId('chart-reset').click();
    await expect.poll(async () => (await visibleWindow(s))[1], { timeout: 10_000 }).toBeGreaterThan(25);
    expect(await s.page.getByTestId('segment').count()).toBeGreaterThan(10);
    expect(s.errors).toEqual([]);
  });
});

describe.skipIf(e2eUnavailable() !== null)('sequence chart in the dark scheme, in Chinese', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 900, colorScheme: 'dark', locale: 'zh-CN' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('draws the same marks, readable on a dark background', async () => {
    await openStream0(s);
    await s.page.getByTestId('mtu-preset').selectOption('calico');
    await s.page.locator('[data-testid="oversized-mark"]').nth(7).waitFor();
    expect(await s.page.getByTestId('legend-oversized').textContent()).toContain('超大');
    await s.screenshot('chart-sample-dark');
    expect(s.errors).toEqual([]);
  });
});

const sharedCapture = path.resolve(repoRoot, '..', 'shared', 'captures', 'random-loss-sack.node-eth0.pcap');

if (!existsSync(sharedCapture)) console.warn('chart.test.ts: ../shared/captures/random-loss-sack.node-eth0.pcap is absent; the bulk transfer chart is not checked');
describe.skipIf(e2eUnavailable() !== null || !existsSync(sharedCapture))('sequence chart of a bulk transfer with loss (skipped when ../shared/captures/random-loss-sack.node-eth0.pcap is absent)', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('draws the retransmissions and SACK holes of 1 600 packets, then zooms into one loss', async () => {
    await s.page.getByTestId('file-input').setInputFiles(sharedCapture);
    await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    await s.page.getByTestId('hole-band').first().waitFor({ timeout: 15_000 });
    expect(await s.page.locator('[data-testid="chart-plot"] :is(.seg.retrans, .seg.fast, .seg.ooo)').count()).toBe(19);
    await s.screenshot('chart-random-loss');
    // Brush around the retransmission of frame 421 (the loss of frame 400).
    const mark = await s.page.locator('[data-testid="chart-plot"] [data-testid="segment"][data-frame="421"]').boundingBox();
    const box = await plotBox(s);
    if (!mark) throw new Error('frame 421 not drawn');
    const y = box.y + box.height / 2;
    await s.page.mouse.move(mark.x - 14, y);
    await s.page.mouse.down();
    await s.page.mouse.move(mark.x + 10, y, { steps: 6 });
    await s.page.mouse.up();
    await expect.poll(async () => (await visibleWindow(s))[1] - (await visibleWindow(s))[0], { timeout: 10_000 }).toBeLessThan(0.1);
    await s.page.locator('[data-testid="chart-plot"] [data-testid="segment"][data-frame="421"]').waitFor();
    expect(await s.page.getByTestId('hole-band').count()).toBeGreaterThan(0);
    await s.screenshot('chart-random-loss-zoomed');
    expect(s.errors).toEqual([]);
  });
});

describe.skipIf(e2eUnavailable() !== null)('the chart opened at a short finding (refused connections)', () => {
  const file = path.join(repoRoot, 'tests', 'fixtures', 'tcp', 'rst-and-refused.node-eth0.pcap');
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1280, height: 800 });
    await s.page.getByTestId('file-input').setInputFiles(file);
    await s.page.getByTestId('finding-handshake-failure').first().waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('fits the SYN and the RST 4.5 ms later, from the capture start (the SYN) on', async () => {
    await s.page.getByTestId('finding-handshake-failure').first().click();
    await s.page.locator('[data-testid="conn-mark"]').nth(1).waitFor({ timeout: 15_000 });
    const [t0, t1] = await visibleWindow(s);
    // Was 0–0.0545 s: the two marks in the left tenth of the plot.
    expect(t1 - t0).toBeLessThan(0.0065);
    // Never before the capture start: the SYN, its first packet, is on the time axis's origin.
    expect(t0).toBe(0);
    expect(t1).toBeGreaterThan(0.0045);
    const box = await plotBox(s);
    const xs = await Promise.all([0, 1].map(async (i) => {
      const b = (await s.page.locator('[data-testid="conn-mark"]').nth(i).boundingBox())!;
      return b.x + b.width / 2;
    }));
    const left = Math.min(...xs) - box.x, right = box.x + box.width - Math.max(...xs);
    expect(Math.abs(left)).toBeLessThan(2);
    expect(right).toBeGreaterThan(box.width * 0.04);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(box.width * 0.8);
    await s.screenshot('chart-refused-finding');
    expect(s.errors).toEqual([]);
  });
});
