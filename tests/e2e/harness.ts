/**
 * End-to-end harness: serves the built app (dist/, made by `vite build` before the e2e project runs)
 * from a tiny static server on 127.0.0.1, drives the system Chromium headless through playwright-core,
 * and records every request so a test can assert that nothing leaves the machine.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** The built app; E2E_DIST names another build folder (e.g. `vite build --outDir dist-x`), relative to the repository. */
export const distDir = path.resolve(repoRoot, process.env.E2E_DIST ?? 'dist');
export const outputDir = path.join(repoRoot, 'test-output');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export function e2eUnavailable(): string | null {
  if (!existsSync(path.join(distDir, 'index.html'))) return `${path.relative(repoRoot, distDir)}/ is missing: run \`vite build\` first (npm test does)`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`;
  return null;
}
{
  // Each test file that imports the harness says why its browser tests are skipped.
  const why = e2eUnavailable();
  if (why) console.warn(`browser tests skipped: ${why}`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.pcap': 'application/vnd.tcpdump.pcap', '.pcapng': 'application/octet-stream', '.gz': 'application/gzip',
};

function serveDir(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.normalize(path.join(root, urlPath));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

export interface AppSession {
  url: string;
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for (documents, scripts, workers, fetches). */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openApp(opts: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; locale?: string } = {}): Promise<AppSession> {
  const { server, url } = await serveDir(distDir);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ci-e2e-'));
  // A fresh profile per run; playwright takes it as the persistent context's directory (it refuses
  // a --user-data-dir argument), which is the same thing.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.locale ?? 'en-US',
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  mkdirSync(outputDir, { recursive: true });
  return {
    url, context, page, requests, errors,
    async screenshot(name) {
      const file = path.join(outputDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Requests that went anywhere but the local server (data: and blob: URLs stay in the page). */
export function externalRequests(s: AppSession): string[] {
  return s.requests.filter((u) => !u.startsWith(s.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
}
