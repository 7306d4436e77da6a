/**
 * `npm run bench:browser`: the app in headless Chromium (the system's, never a download), served
 * from dist/ on 127.0.0.1. Measures, in the page's own clock:
 *   - choosing the ~100 MiB pcapng → first row of the stream table shown, and main-thread long
 *     tasks (> 50 ms, PerformanceObserver 'longtask') meanwhile;
 *   - the same for the 1 GiB pcap, then the redraw after each wheel zoom on its biggest stream
 *     (~200 k packets), first of the chart alone, then of the chart with each stream graph under it
 *     (throughput, RTT, window: the zoom → both the chart and the graph redrawn for the new window);
 *   - the tab's memory (performance.measureUserAgentSpecificMemory, workers included: the page is
 *     served cross-origin isolated for it; else CDP's JSHeapUsedSize of the page).
 * Options: --small (skip the 1 GiB file), --zooms N, --graphs KINDS (comma-separated, default
 * throughput,rtt,window; "none" skips them), --dist DIR (another build of the app, e.g. a
 * "before" build to compare with), --trace [MS] (list every main-thread task over MS, default 16,
 * from a Chromium trace, with what ran inside), --throttle N (CPU slowed N times, as on a loaded machine),
 * --profile PREFIX (a CPU profile of the main thread per file, PREFIX-<file>.cpuprofile).
 * Writes bench-data/bench-browser.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ensureCapture, GIB, MIB } from './bench/captures';
import { LIST_ABOVE_MS, profileMainThread, traceMainThread, type MainTask } from './bench/mainThreadTasks';
import { parseArgs } from './gen/args';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.pcap': 'application/octet-stream',
};

function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let file = path.normalize(path.join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      // Cross-origin isolation lets measureUserAgentSpecificMemory count the worker's heap too.
      'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })));
}

/** Installed before the app's scripts: long-task log and the moment a file is chosen. */
const INIT = `
  window.__longTasks = [];
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration }); })
    .observe({ type: 'longtask', buffered: true }); } catch {}
  document.addEventListener('change', (e) => { if (e.target && e.target.type === 'file') window.__chosenAt = performance.now(); }, true);
`;

// In-page code is passed as text: the TypeScript loader would wrap functions with helpers the page lacks.
const WAIT_FOR_TABLE = `new Promise((resolve) => {
  const mo = new MutationObserver(() => {
    if (document.querySelector('[data-testid="stream-row-0"]')) { mo.disconnect(); resolve(performance.now()); }
  });
  mo.observe(document.body, { childList: true, subtree: true });
})`;

const MEASURE_MEMORY = `(async () => {
  if (!globalThis.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return -1;
  const timeout = new Promise((r) => setTimeout(() => r({ bytes: -1 }), 30000));
  return (await Promise.race([performance.measureUserAgentSpecificMemory(), timeout])).bytes;
})()`;

/** Settled when nothing in the chart changed for 300 ms (or after 10 s); the redraw ended at the last change. */
const WAIT_FOR_REDRAW = `new Promise((resolve) => {
  const root = document.querySelector('[data-testid="sequence-chart"]');
  const start = performance.now();
  let last = -1;
  const mo = new MutationObserver(() => { last = performance.now(); });
  mo.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  const poll = () => {
    const now = performance.now();
    if ((last > 0 && now - last > 300) || now - start > 10000) { mo.disconnect(); resolve(last > 0 ? last - start : NaN); }
    else setTimeout(poll, 20);
  };
  setTimeout(poll, 20);
})`;

/**
 * The same, told apart: the last change inside the stream graph (its lines for the new window, its
 * data-t0/t1) and the last elsewhere in the chart; settled when neither changed for 300 ms.
 */
const WAIT_FOR_GRAPH_REDRAW = `new Promise((resolve) => {
  const root = document.querySelector('[data-testid="sequence-chart"]');
  const graph = root.querySelector('[data-testid="stream-graph"]');
  const start = performance.now();
  let chart = -1, g = -1;
  const mo = new MutationObserver((list) => {
    const now = performance.now();
    for (const m of list) { if (graph.contains(m.target)) g = now; else chart = now; }
  });
  mo.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  const poll = () => {
    const now = performance.now(), last = Math.max(chart, g);
    if ((last > 0 && now - last > 300) || now - start > 10000) {
      mo.disconnect();
      resolve({ chart: chart > 0 ? chart - start : NaN, graph: g > 0 ? g - start : NaN, both: chart > 0 && g > 0 ? last - start : NaN });
    } else setTimeout(poll, 20);
  };
  setTimeout(poll, 20);
})`;

interface TaskAt { atMs: number; ms: number }

interface LoadFigures {
  file: string; bytes: number; ms: number; longTasks: number; longestTaskMs: number;
  /** Each long task while loading, and in the SETTLE_MS after the table appeared: ms after the file was chosen. */
  tasks: TaskAt[]; longTasksAfter: TaskAt[];
  memoryMB: number; memorySource: string;
  /** With --trace: the main thread's longer tasks from choosing the file to SETTLE_MS after the table. */
  mainTasks?: MainTask[];
}

/** How long after the stream table appears long tasks are still counted (as "after"). */
const SETTLE_MS = 2000;

async function tabMemory(page: Page): Promise<{ mb: number; source: string }> {
  const uasm = await page.evaluate<number>(MEASURE_MEMORY);
  if (uasm > 0) return { mb: uasm / MIB, source: 'measureUserAgentSpecificMemory (page + worker)' };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  return { mb: used / MIB, source: 'CDP JSHeapUsedSize (page only)' };
}

interface LoadOptions { trace: number | null; throttle: number; profile?: string }

async function loadCapture(page: Page, url: string, file: string, opt: LoadOptions): Promise<LoadFigures> {
  await page.goto(url);
  await page.getByTestId('file-input').waitFor({ state: 'attached' });
  if (opt.throttle > 1) {
    // A slower main thread stands in for a loaded machine: what nears 50 ms here crosses it there.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: opt.throttle });
  }
  const trace = opt.trace !== null ? await traceMainThread(page, opt.trace) : null;
  const profiler = opt.profile ? await profileMainThread(page) : null;
  // Resolve, in the page, the moment the stream table's first row appears.
  const shown = page.evaluate<number>(WAIT_FOR_TABLE);
  await page.getByTestId('file-input').setInputFiles(file);
  const shownAt = await shown;
  // What the page does right after the table appears (the rest of the overview, late replies) counts too.
  await page.waitForTimeout(SETTLE_MS);
  const mainTasks = trace ? await trace.stop() : undefined;
  await profiler?.stop(`${opt.profile}-${path.basename(file)}.cpuprofile`);
  const { chosenAt, tasks } = await page.evaluate<{ chosenAt: number; tasks: { start: number; ms: number }[] }>(
    '({ chosenAt: window.__chosenAt, tasks: window.__longTasks })');
  // A task still running when the file was chosen (the choice's own event handler) counts too.
  const during = tasks.filter((t) => t.start + t.ms >= chosenAt && t.start <= shownAt);
  const after = tasks.filter((t) => t.start > shownAt && t.start <= shownAt + SETTLE_MS);
  const mem = await tabMemory(page);
  return {
    file: path.basename(file), bytes: statSync(file).size, ms: shownAt - chosenAt, longTasks: during.length,
    longestTaskMs: during.reduce((m, t) => Math.max(m, t.ms), 0),
    tasks: during.map((t) => ({ atMs: Math.round(t.start - chosenAt), ms: Math.round(t.ms) })),
    longTasksAfter: after.map((t) => ({ atMs: Math.round(t.start - chosenAt), ms: Math.round(t.ms) })),
    memoryMB: mem.mb, memorySource: mem.source, ...(mainTasks ? { mainTasks } : {}),
  };
}

/** Wheel-zoom into the plot `n` times; each redraw = wheel → the plot's DOM stops changing. */
async function zoomRedraws(page: Page, n: number): Promise<number[]> {
  await page.getByTestId('stream-row-0').click();
  await page.getByTestId('sequence-chart').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="segment"]').first().waitFor({ state: 'attached', timeout: 60_000 });
  const plot = page.locator('[data-testid="chart-plot"] .plot-bg');
  const box = await plot.boundingBox();
  if (!box) throw new Error('chart plot not laid out');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await page.mouse.move(box.x + box.width * (0.3 + 0.1 * i), box.y + box.height / 2);
    const settled = page.evaluate<number>(WAIT_FOR_REDRAW);
    await page.mouse.wheel(0, -300);
    out.push(await settled);
  }
  return out;
}

interface GraphZoom { chart: number; graph: number; both: number }

/**
 * With the stream graph `kind` shown under the chart of the stream open: back to the whole stream,
 * then `n` wheel zooms as zoomRedraws does; each = wheel → the chart and the graph redrawn.
 */
async function graphZoomRedraws(page: Page, kind: string, n: number): Promise<GraphZoom[]> {
  await page.getByTestId(`graph-${kind}`).click();
  const ready = () => page.getByTestId('stream-graph').evaluate((el, k) =>
    el.getAttribute('data-kind') === k && el.getAttribute('data-status') === 'ready', kind);
  for (let i = 0; i < 600 && !(await ready()); i++) await page.waitForTimeout(100);
  await page.getByTestId('chart-reset').click();
  await page.waitForTimeout(1500);
  const plot = page.locator('[data-testid="chart-plot"] .plot-bg');
  const box = await plot.boundingBox();
  if (!box) throw new Error('chart plot not laid out');
  const out: GraphZoom[] = [];
  for (let i = 0; i < n; i++) {
    await page.mouse.move(box.x + box.width * (0.3 + 0.1 * i), box.y + box.height / 2);
    const settled = page.evaluate<GraphZoom>(WAIT_FOR_GRAPH_REDRAW);
    await page.mouse.wheel(0, -300);
    out.push(await settled);
  }
  return out;
}

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((x, y) => x - y);
  return s[s.length >> 1] ?? NaN;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  const DIST = path.resolve(args.dist ?? 'dist');
  if (!existsSync(path.join(DIST, 'index.html'))) {
    if (args.dist !== undefined) throw new Error(`no app built in ${DIST}`);
    process.stderr.write('building the app (vite build) ...\n');
    const r = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const small = ensureCapture(100 * MIB, 'pcapng', 1);
  const big = args.small === undefined ? ensureCapture(GIB, 'pcap', 1) : null;
  const { server, url } = await serve(DIST);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ci-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const results: Record<string, unknown> = {};
  try {
    await context.addInitScript(INIT);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const opt: LoadOptions = { trace: args.trace === undefined ? null : args.trace === 'true' ? LIST_ABOVE_MS : Number(args.trace), throttle: Number(args.throttle ?? 1), profile: args.profile };
    results.options = { ...opt, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) };
    const printTasks = (f: LoadFigures) => {
      for (const t of [...(f.mainTasks ?? [])].sort((x, y) => x.atMs - y.atMs)) console.log(`  main-thread task ${t.ms} ms at ${t.atMs} ms: ${t.inside.join(', ')}`);
    };
    const a = await loadCapture(page, url, small, opt);
    results.small = a;
    console.log(`${a.file}: chosen → stream table ${a.ms.toFixed(0)} ms (target ≤ 1500), ` +
      `${a.longTasks} long tasks (longest ${a.longestTaskMs.toFixed(0)} ms; target none > 50 ms), ${a.longTasksAfter.length} in the ${SETTLE_MS} ms after, memory ${a.memoryMB.toFixed(0)} MB [${a.memorySource}]`);
    printTasks(a);
    if (big) {
      const b = await loadCapture(page, url, big, opt);
      results.big = b;
      console.log(`${b.file}: chosen → stream table ${b.ms.toFixed(0)} ms, ${b.longTasks} long tasks (longest ${b.longestTaskMs.toFixed(0)} ms) [${b.tasks.map((t) => `${t.ms} ms at ${t.atMs}`).join(', ')}], ` +
        `${b.longTasksAfter.length} in the ${SETTLE_MS} ms after, memory ${b.memoryMB.toFixed(0)} MB [${b.memorySource}]`);
      printTasks(b);
      const zooms = await zoomRedraws(page, Number(args.zooms ?? 5));
      results.zoomRedrawMs = zooms;
      const sorted = zooms.filter(Number.isFinite).sort((x, y) => x - y);
      console.log(`zoom redraws on stream 0 (the biggest): ${zooms.map((z) => z.toFixed(0)).join(', ')} ms; ` +
        `median ${(sorted[sorted.length >> 1] ?? NaN).toFixed(0)} ms (target ≤ 100)`);
      const kinds = String(args.graphs ?? 'throughput,rtt,window').split(',').filter((k) => k && k !== 'none');
      const graphZooms: Record<string, GraphZoom[]> = {};
      for (const kind of kinds) {
        const g = await graphZoomRedraws(page, kind, Number(args.zooms ?? 5));
        graphZooms[kind] = g;
        console.log(`zoom redraws with the ${kind} graph: ${g.map((z) => `${z.both.toFixed(0)}`).join(', ')} ms (chart and graph); ` +
          `median ${median(g.map((z) => z.both)).toFixed(0)} ms (target ≤ 100; chart ${median(g.map((z) => z.chart)).toFixed(0)}, graph ${median(g.map((z) => z.graph)).toFixed(0)})`);
      }
      if (kinds.length) results.graphZoomRedrawMs = graphZooms;
    }
    if (errors.length) console.log(`page errors: ${errors.join(' | ')}`);
    results.errors = errors;
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  mkdirSync('bench-data', { recursive: true });
  writeFileSync('bench-data/bench-browser.json', JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2));
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
