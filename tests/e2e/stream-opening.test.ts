/**
 * A stream opened from the stream table opens where its story is, in Chromium on the bundled sample:
 * on the direction that carries the data (198.18.1.2 → 198.18.3.2: 12,836 bytes against 153) and over
 * the time the data moved (frame 4 at 0.003 s to the last retransmission, frame 30 at 14.15 s), not
 * up to the FIN and RST at 25.9 s; "Reset zoom" shows the whole stream; a link naming a window
 * opens that window. Then a built capture whose data goes B→A and whose connection idles for two
 * minutes after the transfer. Screenshots go to test-output/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFromUrl, urlFromState } from '../../src/share/codec';
import { Conversation } from '../unit/tcpBuilder';
import { e2eUnavailable, openApp, type AppSession } from './harness';

/** The visible window, read from the chart's info line ("… · 0.1–15.6 s"). */
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

/** Horizontal centre of a segment's mark, as a share of the plot's width. */
async function segmentAt(s: AppSession, frame: number): Promise<number> {
  const box = await plotBox(s);
  const seg = await s.page.locator(`[data-testid="chart-plot"] [data-testid="segment"][data-frame="${frame}"]`).first().boundingBox();
  if (!seg) throw new Error(`frame ${frame} not drawn`);
  return (seg.x + seg.width / 2 - box.x) / box.width;
}

describe.skipIf(e2eUnavailable() !== null)('a stream opened from the stream table (PMTU black-hole sample)', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 900 });
    await s.page.getByTestId('open-sample').click();
    await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens on the data direction, over the time the data moved', async () => {
    await s.page.getByTestId('stream-row-0').click();
    await s.page.locator('[data-testid="chart-plot"] [data-testid="segment"][data-frame="30"]').waitFor({ timeout: 15_000 });
    expect(await s.page.getByTestId('dir-0').getAttribute('aria-checked')).toBe('true');
    expect(await s.page.getByTestId('dir-0').textContent()).toBe('198.18.1.2:39144 → 198.18.3.2:9090');
    const [t0, t1] = await visibleWindow(s);
    // From the capture start (the margin stops at 0 s) to just after the last retransmission at
    // 14.15 s, with a tenth of the span as margin: not to the RST at 25.9 s (27 s with the margin).
    expect(t0).toBe(0);
    expect(t1).toBeGreaterThan(14.15);
    expect(t1).toBeLessThan(16);
    // The transfer spreads over the plot: the first request near the left, the last attempt near the right.
    expect(await segmentAt(s, 4)).toBeLessThan(0.05);
    const last = await segmentAt(s, 30);
    expect(last).toBeGreaterThan(0.85);
    expect(last).toBeLessThan(0.95);
    // The address bar carries that window and direction.
    await s.page.waitForFunction(() => /[#&]w=/.test(location.hash), undefined, { timeout: 5_000 });
    const here = stateFromUrl(await s.page.evaluate(() => location.hash));
    expect(here.ok && here.state.direction).toBe('a');
    expect(here.ok && here.state.window?.t0).toBe(0);
    expect(here.ok && here.state.window!.t1).toBeCloseTo(t1, 1);
    await s.screenshot('stream-opening-data-window');
    expect(s.errors).toEqual([]);
  });

  it('"Reset zoom" shows the whole stream, up to the RST', async () => {
    await s.page.getByTestId('chart-reset').click();
    await expect.poll(async () => (await visibleWindow(s))[1], { timeout: 10_000 }).toBeGreaterThan(25.9);
    await s.page.locator('[data-testid="chart-plot"] [data-testid="conn-mark"][data-frame="32"]').waitFor({ timeout: 10_000 });
    expect(await s.page.getByTestId('chart-reset').isDisabled()).toBe(true);
    await s.screenshot('stream-opening-whole-stream');
  });

  it('a link that names a window opens that window, not the data window', async () => {
    await s.page.waitForFunction(() => !/[#&]w=/.test(location.hash), undefined, { timeout: 5_000 });
    const here = stateFromUrl(await s.page.evaluate(() => location.hash));
    if (!here.ok) throw new Error('unreadable address bar');
    const link = urlFromState({ ...here.state, window: { t0: 2, t1: 5 } });
    await s.page.evaluate((hash) => { location.hash = hash; }, link);
    await expect.poll(() => visibleWindow(s), { timeout: 10_000 }).toEqual([2, 5]);
    expect(await s.page.getByTestId('dir-0').getAttribute('aria-checked')).toBe('true');
  });

  it('a finding still opens at its own window, which starts no earlier than the capture', async () => {
    await s.page.getByRole('button', { name: '← All streams' }).click();
    await s.page.getByTestId('finding-pmtu-blackhole').click();
    await s.page.locator('[data-testid="chart-plot"] [data-testid="segment"][data-frame="21"]').waitFor({ timeout: 15_000 });
    // The black hole: frames 21 to 30 (0.914 to 14.15 s); a tenth of a margin would start at -0.41 s.
    const [t0, t1] = await visibleWindow(s);
    expect(t0).toBe(0);
    expect(t1).toBeGreaterThan(14.15);
    expect(t1).toBeLessThan(16);
    expect(s.errors).toEqual([]);
  });
});

/**
 * A download: A asks (100 bytes at 0.02 s), B answers with ten 1000-byte segments from 0.1 to
 * 0.55 s; a keep-alive at 60 s and the FINs at 120 s.
 */
function downloadThenIdle(): Uint8Array {
  const c = new Conversation().handshake({ wsA: 7, wsB: 7 });
  c.tcp('A', { len: 100, win: 502, t: 0.02 });
  c.tcp('B', { ack: 101, win: 510, t: 0.05 });
  for (let k = 0; k < 10; k++) {
    c.tcp('B', { len: 1000, win: 510, t: 0.1 + k * 0.05 });
    c.tcp('A', { win: 502, t: 0.1 + k * 0.05 + 0.002 });
  }
  c.tcp('B', { seq: 10_000, len: 0, win: 510, t: 60 });
  c.tcp('A', { win: 502, t: 60.001 });
  c.tcp('B', { flags: 'FA', win: 510, t: 120 });
  c.tcp('A', { flags: 'FA', win: 502, t: 120.001 });
  c.tcp('B', { win: 510, t: 120.002 });
  return c.toPcap();
}

describe.skipIf(e2eUnavailable() !== null)('a stream whose data goes B→A, idle for two minutes after', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 900 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens on B→A over the half second of the transfer, not the two minutes of the stream', async () => {
    await s.page.getByTestId('file-input').setInputFiles({ name: 'download-idle.pcap', mimeType: 'application/vnd.tcpdump.pcap', buffer: Buffer.from(downloadThenIdle()) });
    await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    await s.page.locator('[data-testid="chart-plot"] [data-testid="segment"]').nth(9).waitFor({ timeout: 15_000 });
    expect(await s.page.getByTestId('dir-1').getAttribute('aria-checked')).toBe('true');
    // The capture starts with the SYN at 0.0001 s: B's data runs from 0.0999 to 0.5499 s.
    const [t0, t1] = await visibleWindow(s);
    expect(t0).toBeCloseTo(0.0999 - 0.045, 2);
    expect(t1).toBeCloseTo(0.5499 + 0.045, 2);
    expect(await s.page.locator('[data-testid="chart-plot"] [data-testid="segment"]').count()).toBe(10);
    // B's first and last segments (frames 6 and 24) near either end of the plot.
    expect(await segmentAt(s, 6)).toBeLessThan(0.15);
    expect(await segmentAt(s, 24)).toBeGreaterThan(0.85);
    await s.screenshot('stream-opening-b-to-a');
    await s.page.getByTestId('chart-reset').click();
    await expect.poll(async () => (await visibleWindow(s))[1], { timeout: 10_000 }).toBeGreaterThan(120);
    expect(s.errors).toEqual([]);
  });
});
