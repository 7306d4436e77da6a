/* global process, setTimeout, WebSocket, console, Buffer */
// Opens the one-file build from file:// in Firefox (headless, WebDriver BiDi, no network needed),
// clicks "Open sample", waits for the black-hole finding, opens its stream and saves a screenshot.
// Firefox is not in the test suite (CI installs Chromium only): run it by hand where Firefox is.
//   node --experimental-websocket scripts/firefox-single.mjs [dist-single/capture-inspector.html] [out.png]
// (Node 22 and later have WebSocket without the flag.) FIREFOX names the binary (default firefox-esr).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const file = path.resolve(process.argv[2] ?? 'dist-single/capture-inspector.html');
const out = path.resolve(process.argv[3] ?? 'test-output/firefox-single.png');
const port = 9300 + Math.floor(Math.random() * 500);
const profile = mkdtempSync(path.join(os.tmpdir(), 'ci-ff-'));
const ff = spawn(process.env.FIREFOX ?? 'firefox-esr', ['--headless', '--no-remote', '--profile', profile, `--remote-debugging-port=${port}`, '--window-size=1280,900'], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function connect() {
  for (let i = 0; i < 100; i++) {
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/session`);
      await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
      return ws;
    } catch { await sleep(200); }
  }
  throw new Error('Firefox did not open its WebDriver BiDi port');
}

let id = 0;
const pending = new Map();
function send(ws, method, params) {
  const n = ++id;
  ws.send(JSON.stringify({ id: n, method, params }));
  return new Promise((res, rej) => pending.set(n, { res, rej }));
}

async function evaluate(ws, context, expression) {
  const r = await send(ws, 'script.evaluate', { expression, target: { context }, awaitPromise: true });
  if (r.type === 'exception') throw new Error(`page: ${r.exceptionDetails.text}`);
  return r.result.value;
}

async function waitFor(ws, context, expression, what, ms = 30000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await evaluate(ws, context, expression)) return Date.now() - t0;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let code = 0;
try {
  const ws = await connect();
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'error') p.rej(new Error(`${msg.error}: ${msg.message}`)); else p.res(msg.result);
  };
  const session = await send(ws, 'session.new', { capabilities: {} });
  console.log(`${session.capabilities.browserName} ${session.capabilities.browserVersion}`);
  const tree = await send(ws, 'browsingContext.getTree', {});
  const context = tree.contexts[0].context;
  await send(ws, 'browsingContext.navigate', { context, url: pathToFileURL(file).href, wait: 'complete' });
  await waitFor(ws, context, `[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Open sample')`, 'the app');
  await evaluate(ws, context, `[...document.querySelectorAll('button')].filter((b) => b.textContent.trim() === 'Open sample').pop().click()`);
  const ms = await waitFor(ws, context, `!!document.querySelector('[data-testid="finding-pmtu-blackhole"]')`, 'the black-hole finding');
  console.log(`sample analysed, black-hole finding shown after ${ms} ms`);
  await evaluate(ws, context, `document.querySelector('[data-testid="finding-pmtu-blackhole"]').click()`);
  await waitFor(ws, context, `!!document.querySelector('[data-testid="chart-slot"] svg')`, 'the chart');
  await sleep(800);
  console.log('stream chart drawn');
  const shot = await send(ws, 'browsingContext.captureScreenshot', { context });
  writeFileSync(out, Buffer.from(shot.data, 'base64'));
  console.log(`screenshot: ${path.relative(process.cwd(), out)}`);
  await send(ws, 'session.end', {}).catch(() => undefined);
} catch (e) {
  console.error(`firefox-single: ${e instanceof Error ? e.message : String(e)}`);
  code = 1;
} finally {
  ff.kill();
  await sleep(300);
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
