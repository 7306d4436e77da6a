/**
 * The served build as an offline app: visited once, its service worker keeps the app's files, so
 * with the server gone a reload still opens the app and the sample; the manifest makes it
 * installable; a new version served later is offered by the update prompt, and Reload switches to it.
 * The build is served from a copy (so the test can stop the server and change sw.js).
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, distDir, e2eUnavailable, outputDir, repoRoot } from './harness';

const why = e2eUnavailable() ?? (existsSync(path.join(distDir, 'sw.js')) ? null : `${path.relative(repoRoot, distDir)}/sw.js is missing: the build is older than the offline app`);
if (why) console.warn(`offline-app e2e skipped: ${why}`);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.pcap': 'application/vnd.tcpdump.pcap',
};

/** A static server over `root`; `served` counts what it answered. */
function serve(root: string, served: string[], port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.normalize(path.join(root, urlPath));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    served.push(urlPath);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

describe.skipIf(why !== null)('the served build as an offline app', () => {
  let root = '';
  let profile = '';
  let context: BrowserContext;
  let page: Page;
  let server: Server | null = null;
  let url = '';
  const served: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ci-e2e-offline-root-'));
    cpSync(distDir, root, { recursive: true, filter: (f) => !f.endsWith('.map') });
    profile = mkdtempSync(path.join(os.tmpdir(), 'ci-e2e-offline-'));
    ({ server, url } = await serve(root, served));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    mkdirSync(outputDir, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    if (server) await stop(server);
    for (const d of [root, profile]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('visited once, installs its service worker and offers a manifest', async () => {
    await page.goto(url);
    await page.getByTestId('open-sample').waitFor();
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href ?? '';
      return (await fetch(href)).json() as Promise<{ name: string; display: string; start_url: string; icons: unknown[] }>;
    });
    expect(manifest).toMatchObject({ name: 'Capture Inspector', display: 'standalone', start_url: './' });
    expect(manifest.icons.length).toBeGreaterThan(0);
    // The worker controls the page once it has kept every file.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    const kept = await page.evaluate(async () => {
      const out: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
      return out;
    });
    expect(kept).toEqual(expect.arrayContaining(['/index.html', '/manifest.webmanifest', '/samples/pmtu-blackhole.pcap']));
    expect(kept.some((p) => /^\/assets\/analysis\.worker-.*\.js$/.test(p))).toBe(true);
    // Chromium's own verdict on installing it (manifest, icon, service worker).
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  });

  it('reloads with the server gone: the app, the sample and its analysis', async () => {
    if (server) await stop(server);
    server = null;
    served.length = 0;
    await page.reload();
    await page.getByTestId('open-sample').click();
    await page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    await page.getByTestId('stream-row-0').click();
    await page.locator('[data-testid="chart-slot"] svg.recharts-surface').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(outputDir, 'offline-app-1-no-server.png') });
    expect(errors).toEqual([]);
  });

  it('a capture opened offline is never put in the cache', async () => {
    await page.getByTestId('file-input').setInputFiles(path.join(repoRoot, 'tests', 'fixtures', 'diagnose', 'zero-window.node-eth0.pcap'));
    await page.waitForFunction(() => document.body.textContent?.includes('zero-window.node-eth0.pcap') ?? false, undefined, { timeout: 30_000 });
    const kept = await page.evaluate(async () => {
      const out: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
      return out;
    });
    const swText = readFileSync(path.join(root, 'sw.js'), 'utf8');
    const files = JSON.parse(/const FILES = (\[.*\]);/.exec(swText)?.[1] ?? '[]') as string[];
    expect(kept.sort()).toEqual(files.map((f) => `/${f}`).sort());
  });

  it('a new version served: the update prompt, and Reload switches to it', async () => {
    // Another build is served at the same address: sw.js differs (the browser compares it byte by byte on each visit).
    appendFileSync(path.join(root, 'sw.js'), '\n// next version\n');
    ({ server, url } = await serve(root, served, Number(new URL(url).port)));
    await page.reload();
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor({ timeout: 30_000 });
    expect(await prompt.textContent()).toContain('A new version of Capture Inspector is available.');
    await page.screenshot({ path: path.join(outputDir, 'offline-app-2-update.png') });
    const before = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await page.getByTestId('open-sample').waitFor();
    expect(await page.getByTestId('update-prompt').count()).toBe(0);
    const cacheNames = await page.evaluate(() => caches.keys());
    expect(cacheNames).toHaveLength(1);
    expect(before).toContain('/sw.js');
  });
});
