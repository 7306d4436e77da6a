/**
 * The stream graphs under the sequence chart in a real browser, on the bundled PMTU black-hole
 * sample (retransmissions of the oversized segments): switching between none, throughput, RTT and
 * window (by keyboard and by click), each drawing its points, axis and marks on the chart's pixel
 * columns; zoom on the chart redrawing the graph's window, and zoom on the graph moving the chart;
 * a click on a point selecting its frame; the permalink and the self-contained link carrying the
 * graph; the SVG export holding both pictures. Screenshots go to test-output/ for a human to look at.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFromUrl } from '../../src/share/codec';
import { e2eUnavailable, externalRequests, openApp, repoRoot, type AppSession } from './harness';

const SAMPLE = path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap');

/** The chart's visible window, read from its info line ("… · 0.123–4.567 s"). */
async function chartWindow(s: AppSession): Promise<[number, number]> {
  const text = (await s.page.getByTestId('chart-info').textContent()) ?? '';
  const m = text.match(/(-?[\d.]+)–(-?[\d.]+) s/);
  if (!m) throw new Error(`no window in "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

/** The window the graph's last answer was computed for (data-t0, data-t1), and its point count. */
async function graphState(s: AppSession): Promise<{ kind: string; t0: number; t1: number; points: number; status: string }> {
  return s.page.getByTestId('stream-graph').evaluate((el) => ({
    kind: el.getAttribute('data-kind') ?? '', t0: Number(el.getAttribute('data-t0')), t1: Number(el.getAttribute('data-t1')),
    points: Number(el.getAttribute('data-points')), status: el.getAttribute('data-status') ?? '',
  }));
}

async function box(s: AppSession, selector: string) {
  const b = await s.page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} not laid out`);
  return b;
}

async function openSampleStream(s: AppSession): Promise<void> {
  await s.page.getByTestId('open-sample').click();
  await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
  await s.page.getByTestId('stream-row-0').click();
  await s.page.getByTestId('sequence-chart').waitFor();
  await s.page.getByTestId('hole-band').first().waitFor({ timeout: 15_000 });
}

async function waitForKind(s: AppSession, kind: string): Promise<void> {
  await expect.poll(async () => { const g = await graphState(s); return g.kind === kind && g.status === 'ready' && g.points > 0; }, { timeout: 15_000 }).toBe(true);
}

/** Drag on a plot from time a to time b, given the plot's box and window. */
async function brush(s: AppSession, plot: { x: number; y: number; width: number; height: number }, w: [number, number], a: number, b: number): Promise<void> {
  const px = (t: number) => plot.x + ((t - w[0]) / (w[1] - w[0])) * plot.width;
  const y = plot.y + plot.height / 2;
  await s.page.mouse.move(px(a), y);
  await s.page.mouse.down();
  await s.page.mouse.move((px(a) + px(b)) / 2, y, { steps: 4 });
  await s.page.mouse.move(px(b), y, { steps: 4 });
  await s.page.mouse.up();
}

async function readLink(s: AppSession): Promise<string> {
  const field = s.page.getByTestId('share-link').last();
  await field.waitFor({ timeout: 20_000 });
  return field.inputValue();
}

/** Drop a file on the page the way a user does. */
async function dropFile(s: AppSession, file: string): Promise<void> {
  const bytes = [...readFileSync(file)];
  const name = path.basename(file);
  await s.page.evaluate(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { bytes, name });
}

describe.skipIf(e2eUnavailable() !== null)('stream graphs under the sequence chart (black-hole sample)', () => {
  let s: AppSession;
  let link = '';
  let snapshotLink = '';
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 1000 });
    await openSampleStream(s);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('switches from none to throughput, RTT and window with the keyboard and by click, each drawn with its axis', async () => {
    expect((await graphState(s)).kind).toBe('none');
    expect(await s.page.locator('[data-testid="stream-graph"] svg.recharts-surface').count()).toBe(0);
    // A radio group: Tab reaches the checked choice, the arrows move it.
    await s.page.getByTestId('graph-none').focus();
    await s.page.keyboard.press('ArrowRight');
    await waitForKind(s, 'throughput');
    expect(await s.page.getByTestId('graph-throughput').getAttribute('aria-checked')).toBe('true');
    expect(await s.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('graph-throughput');
    const graph = s.page.getByTestId('stream-graph');
    expect(await graph.locator('.axis-label').textContent()).toMatch(/^Rate \((bit|kbit|Mbit|Gbit)\/s\)$/);
    for (const k of ['throughput', 'goodput', 'average']) {
      expect(Number(await s.page.getByTestId(`graph-series-${k}`).getAttribute('data-count'))).toBeGreaterThan(0);
      await s.page.getByTestId(`graph-legend-${k}`).waitFor();
    }
    // The retransmissions of the black hole are marked as on the chart, in the chart's colours.
    expect(await s.page.locator('[data-testid="graph-mark"].retrans, [data-testid="graph-mark"].fast, [data-testid="graph-mark"].oversized').count()).toBeGreaterThan(0);
    // The graph's plot spans the chart's pixel columns exactly.
    const chartPlot = await box(s, '[data-testid="chart-plot"] .plot-bg');
    const graphPlot = await box(s, '[data-testid="graph-plot"] .plot-bg');
    expect(Math.abs(graphPlot.x - chartPlot.x)).toBeLessThan(0.5);
    expect(Math.abs(graphPlot.width - chartPlot.width)).toBeLessThan(0.5);
    await s.screenshot('graph-throughput');

    await s.page.keyboard.press('ArrowRight');
    await waitForKind(s, 'rtt');
    expect(await graph.locator('.axis-label').textContent()).toBe('RTT (ms)');
    expect(Number(await s.page.getByTestId('graph-series-rtt').getAttribute('data-count'))).toBeGreaterThan(0);
    await s.screenshot('graph-rtt');

    await s.page.getByTestId('graph-window').click();
    await waitForKind(s, 'window');
    expect(await graph.locator('.axis-label').textContent()).toMatch(/^Bytes \((B|KiB|MiB)\)$/);
    expect(Number(await s.page.getByTestId('graph-series-rwnd').getAttribute('data-count'))).toBeGreaterThan(0);
    expect(Number(await s.page.getByTestId('graph-series-flight').getAttribute('data-count'))).toBeGreaterThan(0);
    await s.screenshot('graph-window');

    await s.page.getByTestId('graph-none').click();
    await expect.poll(async () => (await graphState(s)).kind).toBe('none');
    expect(await s.page.locator('[data-testid="stream-graph"] svg.recharts-surface').count()).toBe(0);
    expect(s.errors).toEqual([]);
  });

  it('follows the chart\'s zoom, and zooms the chart from the graph (one zoom)', async () => {
    await s.page.getByTestId('graph-throughput').click();
    await waitForKind(s, 'throughput');
    const whole = await chartWindow(s);
    // The info line prints the window to 0.1 s here: the graph's is the chart's to that precision.
    const g0 = await graphState(s);
    expect(Math.abs(g0.t0 - whole[0])).toBeLessThan(0.06);
    expect(Math.abs(g0.t1 - whole[1])).toBeLessThan(0.06);
    // Brush on the chart: the graph asks for the new window.
    await brush(s, await box(s, '[data-testid="chart-plot"] .plot-bg'), whole, 0.8, 1.6);
    await expect.poll(async () => { const w = await chartWindow(s); return w[1] - w[0]; }, { timeout: 10_000 }).toBeLessThan(1);
    const zoomed = await chartWindow(s);
    await expect.poll(async () => { const g = await graphState(s); return Math.abs(g.t0 - zoomed[0]) < 0.01 && Math.abs(g.t1 - zoomed[1]) < 0.01; }, { timeout: 10_000 }).toBe(true);
    await s.screenshot('graph-zoomed-from-chart');
    // The wheel on the graph zooms both out.
    const gp = await box(s, '[data-testid="graph-plot"] .plot-bg');
    await s.page.mouse.move(gp.x + gp.width / 2, gp.y + gp.height / 2);
    await s.page.mouse.wheel(0, 300);
    await expect.poll(async () => { const w = await chartWindow(s); return w[1] - w[0]; }, { timeout: 10_000 }).toBeGreaterThan(zoomed[1] - zoomed[0] + 0.1);
    const out = await chartWindow(s);
    await expect.poll(async () => { const g = await graphState(s); return Math.abs(g.t0 - out[0]) < 0.01 && Math.abs(g.t1 - out[1]) < 0.01; }, { timeout: 10_000 }).toBe(true);
    // A drag on the graph zooms both in.
    await brush(s, await box(s, '[data-testid="graph-plot"] .plot-bg'), out, 0.85, 1.05);
    await expect.poll(async () => { const w = await chartWindow(s); return w[1] - w[0]; }, { timeout: 10_000 }).toBeLessThan(0.3);
    const inner = await chartWindow(s);
    await expect.poll(async () => { const g = await graphState(s); return Math.abs(g.t0 - inner[0]) < 0.01 && Math.abs(g.t1 - inner[1]) < 0.01; }, { timeout: 10_000 }).toBe(true);
    await s.screenshot('graph-zoomed-from-graph');
    await s.page.getByTestId('chart-reset').click();
    await expect.poll(async () => (await graphState(s)).t1 - (await graphState(s)).t0, { timeout: 10_000 }).toBeGreaterThan(whole[1] - whole[0] - 0.1);
    expect(s.errors).toEqual([]);
  });

  it('shows a tooltip, and a click on an RTT sample selects its frame (the chart and the link follow)', async () => {
    await s.page.getByTestId('graph-rtt').click();
    await waitForKind(s, 'rtt');
    const dot = await s.page.getByTestId('graph-series-rtt').evaluate((el) => {
      // The last sample's square ("M x y h…" in the path; the first ones lie on the y axis at the
      // stream's start), its centre 1.6 px in.
      const all = [...(el.getAttribute('d') ?? '').matchAll(/M(-?[\d.]+) (-?[\d.]+)/g)];
      const m = all[all.length - 1];
      const svg = (el as unknown as SVGPathElement).ownerSVGElement!.getBoundingClientRect();
      return m ? { x: svg.left + Number(m[1]) + 1.6, y: svg.top + Number(m[2]) + 1.6 } : null;
    });
    if (!dot) throw new Error('no RTT sample drawn');
    await s.page.mouse.move(dot.x, dot.y);
    const tip = s.page.getByTestId('graph-tooltip');
    await tip.waitFor();
    const text = (await tip.textContent()) ?? '';
    expect(text).toMatch(/Frame \d+/);
    expect(text).toMatch(/RTT sample.*\d ms/);
    const frame = Number(/Frame (\d+)/.exec(text)![1]);
    await s.screenshot('graph-rtt-tooltip');
    await s.page.mouse.down();
    await s.page.mouse.up();
    await s.page.locator(`[data-testid="graph-selected-frame"][data-frame="${frame}"]`).waitFor({ timeout: 10_000 });
    // The same selection as a click on the chart: its ring on the ACK that gave the sample.
    await s.page.locator(`[data-testid="selected-frame"][data-frame="${frame}"]`).waitFor({ timeout: 10_000 });
    await expect.poll(() => s.page.evaluate(() => location.hash)).toContain(`&f=${frame}`);
    expect(s.errors).toEqual([]);
  });

  it('carries the graph and its average in the link, and the snapshot and the SVG export carry the graph', async () => {
    await s.page.getByTestId('graph-throughput').click();
    await waitForKind(s, 'throughput');
    await s.page.getByTestId('graph-average').selectOption('0.01');
    // The worker never averages over less than a bin (about 50 ms over the whole 15.6 s here), and says so.
    await expect.poll(async () => (await s.page.getByTestId('graph-info').textContent()) ?? '').toMatch(/average over \d+ ms/);
    await s.page.getByTestId('copy-link').click();
    link = await readLink(s);
    const parsed = stateFromUrl(new URL(link).hash);
    expect(parsed.ok && parsed.state.graph).toEqual({ kind: 'throughput', average: 0.01 });

    await s.page.getByTestId('copy-snapshot').click();
    await s.page.waitForFunction(() => [...document.querySelectorAll<HTMLInputElement>('[data-testid="share-link"]')].some((i) => i.value.includes('snap=')), undefined, { timeout: 20_000 });
    snapshotLink = await s.page.locator('[data-testid="share-link"]').last().inputValue();
    const snap = stateFromUrl(new URL(snapshotLink).hash);
    expect(snap.ok && snap.state.snapshot?.graph?.kind).toBe('throughput');
    // The average the worker used for the snapshot's width (never less than a bin), not the one asked.
    expect(snap.ok && snap.state.snapshot?.graph?.average).toBeGreaterThan(0);
    expect(snap.ok && snap.state.snapshot?.graph?.series[0].count).toBeGreaterThan(0);
    console.log(`graph link ${new URL(link).hash.length} characters, self-contained ${new URL(snapshotLink).hash.length}`);

    const [svg] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-svg').click()]);
    const svgText = readFileSync((await svg.path()) as string, 'utf8');
    expect(svgText).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svgText).toContain('graph-series gr-tput');
    expect(svgText).toContain('data-testid="segment"');
    const [png] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-png').click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('opens the link in a fresh browser with the same file: the same graph and average', async () => {
    const r = await openApp({ width: 1440, height: 1000 });
    try {
      await r.page.goto(r.url + new URL(link).hash);
      await r.page.getByTestId('link-needs-capture').waitFor({ timeout: 20_000 });
      await dropFile(r, SAMPLE);
      await r.page.getByTestId('stream-view').waitFor({ timeout: 30_000 });
      await waitForKind(r, 'throughput');
      expect(await r.page.getByTestId('graph-average').inputValue()).toBe('0.01');
      expect(await r.page.getByTestId('graph-throughput').getAttribute('aria-checked')).toBe('true');
      await expect.poll(async () => (await r.page.getByTestId('graph-info').textContent()) ?? '').toMatch(/average over \d+ ms/);
      await r.screenshot('graph-link-restored');
      expect(externalRequests(r)).toEqual([]);
      expect(r.errors).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('opens the self-contained link without the capture: the graph as it was shared', async () => {
    const r = await openApp({ width: 1440, height: 1000 });
    try {
      await r.page.goto(r.url + new URL(snapshotLink).hash);
      await r.page.getByTestId('snapshot-view').waitFor({ timeout: 20_000 });
      await waitForKind(r, 'throughput');
      expect(Number(await r.page.getByTestId('graph-series-throughput').getAttribute('data-count'))).toBeGreaterThan(0);
      // Only the graph the snapshot holds can be chosen; the average is as it was made.
      expect(await r.page.getByTestId('graph-rtt').count()).toBe(0);
      expect(await r.page.getByTestId('graph-average').count()).toBe(0);
      await r.screenshot('graph-snapshot');
      expect(externalRequests(r)).toEqual([]);
      expect(r.errors).toEqual([]);
    } finally {
      await r.close();
    }
  });
});

describe.skipIf(e2eUnavailable() !== null)('stream graphs in the dark scheme, in Chinese', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 1000, colorScheme: 'dark', locale: 'zh-CN' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('draws the window graph with Chinese words, readable on a dark background', async () => {
    await openSampleStream(s);
    await s.page.getByTestId('graph-window').click();
    await waitForKind(s, 'window');
    expect(await s.page.getByTestId('stream-graph').locator('.axis-label').textContent()).toMatch(/^字节（(字节|KiB|MiB)）$/);
    expect(await s.page.getByTestId('graph-legend-rwnd').textContent()).toBe('通告的接收窗口');
    await s.screenshot('graph-window-dark-zh');
    await s.page.getByTestId('graph-throughput').click();
    await waitForKind(s, 'throughput');
    await s.screenshot('graph-throughput-dark-zh');
    expect(s.errors).toEqual([]);
  });
});

const sharedCapture = path.resolve(repoRoot, '..', 'shared', 'captures', 'random-loss-sack.node-eth0.pcap');

describe.skipIf(e2eUnavailable() !== null || !existsSync(sharedCapture))('stream graphs of a bulk transfer with loss (needs ../shared/captures/random-loss-sack.node-eth0.pcap)', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 1000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('marks every retransmission of the chart on the throughput graph', async () => {
    await s.page.getByTestId('file-input').setInputFiles(sharedCapture);
    await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    await s.page.getByTestId('hole-band').first().waitFor({ timeout: 15_000 });
    await s.page.getByTestId('graph-throughput').click();
    await waitForKind(s, 'throughput');
    const onChart = await s.page.locator('[data-testid="chart-plot"] :is(.seg.retrans, .seg.fast)').count();
    // The graph draws the marks of one look as one path, saying how many it holds.
    const onGraph = (await s.page.locator('[data-testid="graph-plot"] :is(.graph-mark.retrans, .graph-mark.fast)').evaluateAll(
      (els) => els.map((el) => Number(el.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
    expect(onChart).toBeGreaterThan(0);
    expect(onGraph).toBe(onChart);
    await s.screenshot('graph-random-loss-throughput');
    await s.page.getByTestId('graph-rtt').click();
    await waitForKind(s, 'rtt');
    await s.screenshot('graph-random-loss-rtt');
    await s.page.getByTestId('graph-window').click();
    await waitForKind(s, 'window');
    await s.screenshot('graph-random-loss-window');
    expect(s.errors).toEqual([]);
  });
});
