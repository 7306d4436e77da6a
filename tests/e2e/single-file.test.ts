/**
 * The one-file build (`npm run build:single` → dist-single/capture-inspector.html) opened from
 * file:// in Chromium with the network switched off: the inlined sample, a capture through the file
 * input, the black-hole finding and its chart, the exports, a link that names the file and reopens
 * the same view, the note that captures cannot be kept from a file, and the workers' data: URL
 * fallback where Blob URLs are refused. Nothing but the file itself
 * (and the page's own blob: and data: URLs) is ever requested. E2E_SINGLE names another build folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFromUrl } from '../../src/share/codec';
import { CHROMIUM, outputDir, repoRoot } from './harness';

const SINGLE = path.resolve(repoRoot, process.env.E2E_SINGLE ?? 'dist-single', 'capture-inspector.html');
const CAPTURE = path.join(repoRoot, 'tests', 'fixtures', 'diagnose', 'pmtu-blackhole.node-eth0.pcap');

function unavailable(): string | null {
  if (!existsSync(SINGLE)) return `${path.relative(repoRoot, SINGLE)} is missing: run \`npm run build:single\` first (npm test does)`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`;
  return null;
}
const why = unavailable();
if (why) console.warn(`single-file e2e skipped: ${why}`);

interface FileSession { context: BrowserContext; page: Page; requests: string[]; errors: string[]; profile: string }

async function openOffline(url: string): Promise<FileSession> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ci-e2e-file-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    acceptDownloads: true,
    offline: true,
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  mkdirSync(outputDir, { recursive: true });
  return { context, page, requests, errors, profile };
}

async function closeSession(s: FileSession | undefined): Promise<void> {
  if (!s) return;
  await s.context.close();
  rmSync(s.profile, { recursive: true, force: true });
}

/** Requests that are not the file itself nor the page's own blob: and data: URLs. */
function elsewhere(s: FileSession, file: string): string[] {
  return s.requests.filter((u) => !u.startsWith(file) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: path.join(outputDir, `${name}.png`) });
}

describe.skipIf(why !== null)('the app as one HTML file, from file://, offline', () => {
  const fileUrl = pathToFileURL(SINGLE).href;
  let s: FileSession;
  let link = '';
  beforeAll(async () => { s = await openOffline(fileUrl); });
  afterAll(async () => { await closeSession(s); });

  it('is one file whose policy allows its own script and no connection', () => {
    const html = readFileSync(SINGLE, 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain('worker-src blob:');
    expect(csp).not.toContain('unsafe-eval');
    // No file beside it is needed: no src= or href= to anything but data: URLs.
    expect(html.match(/\s(?:src|href)="(?!data:)[^"]+"/g) ?? []).toEqual([]);
    console.log(`dist-single/capture-inspector.html: ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB`);
  });

  it('opens the inlined sample (worker from a Blob URL) and says captures cannot be kept', async () => {
    await s.page.getByRole('button', { name: 'Open sample' }).last().click();
    await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    expect(await s.page.getByTestId('keep-unavailable').textContent()).toContain('opened from a file');
    await shot(s.page, 'single-file-1-sample');
  });

  it('reads a capture through the file input: black-hole finding, its chart, exports, a link naming the file', async () => {
    await s.page.getByTestId('file-input').setInputFiles(CAPTURE);
    await s.page.waitForFunction((name) => document.body.textContent?.includes(name) ?? false, path.basename(CAPTURE), { timeout: 30_000 });
    await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('copy-link-pmtu-blackhole').click();
    await s.page.getByTestId('finding-pmtu-blackhole').click();
    await s.page.getByTestId('stream-view').waitFor();
    await s.page.locator('[data-testid="chart-slot"] svg.recharts-surface').first().waitFor({ timeout: 20_000 });
    await s.page.waitForFunction(() => location.hash.includes('&k='), undefined, { timeout: 5_000 });
    await s.page.getByTestId('copy-link').click();
    const field = s.page.getByTestId('share-link').last();
    await field.waitFor({ timeout: 20_000 });
    link = await field.inputValue();
    // The link names the HTML file (there is no server) and carries the view in its fragment.
    expect(link.startsWith(`${fileUrl}#`)).toBe(true);
    const state = stateFromUrl(new URL(link).hash);
    expect(state.ok && state.state.capture.name).toBe(path.basename(CAPTURE));
    expect(state.ok && state.state.stream?.index).toBe(0);
    await shot(s.page, 'single-file-2-stream');

    const [md] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-md').click()]);
    const report = readFileSync((await md.path()) as string, 'utf8');
    expect(report).toMatch(/^# PMTU black hole/);
    // The report's link names the file too.
    expect(report).toContain(`${fileUrl}#`);
    const [svg] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-svg').click()]);
    expect(readFileSync((await svg.path()) as string, 'utf8')).toMatch(/^<svg/);
    const [png] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-png').click()]);
    expect([...readFileSync((await png.path()) as string).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(elsewhere(s, fileUrl)).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('where a browser refuses Blob URLs, runs the analysis from a data: URL worker instead', async () => {
    const page = await s.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.addInitScript(() => { URL.createObjectURL = () => { throw new DOMException('refused', 'SecurityError'); }; });
      await page.goto(fileUrl);
      await page.getByRole('button', { name: 'Open sample' }).last().click();
      await page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('reopens the link: asks for the capture, then shows the same view', async () => {
    // A new tab of the same (offline) browser opens the link.
    const page = await s.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const r = { page };
    try {
      await page.goto(link);
      const needs = r.page.getByTestId('link-needs-capture');
      await needs.waitFor({ timeout: 20_000 });
      expect(await needs.textContent()).toContain(path.basename(CAPTURE));
      // Dropped this time, as a user drops a file from the USB stick.
      const bytes = [...readFileSync(CAPTURE)];
      await page.evaluate(({ bytes, name }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name));
        for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, { bytes, name: path.basename(CAPTURE) });
      await r.page.getByTestId('stream-view').waitFor({ timeout: 30_000 });
      await r.page.locator('[data-testid="chart-slot"] svg.recharts-surface').first().waitFor({ timeout: 20_000 });
      await r.page.waitForFunction(() => location.hash.includes('&k='), undefined, { timeout: 5_000 });
      const want = stateFromUrl(new URL(link).hash);
      const got = stateFromUrl(await r.page.evaluate(() => location.hash));
      if (!want.ok || !got.ok) throw new Error('unreadable link');
      expect(got.state.stream?.index).toBe(want.state.stream?.index);
      expect(got.state.direction).toBe(want.state.direction);
      expect(got.state.window).toEqual(want.state.window);
      expect(await r.page.evaluate(() => location.href.split('#')[0])).toBe(fileUrl);
      await shot(r.page, 'single-file-3-link-reopened');
      expect(elsewhere(s, fileUrl)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
