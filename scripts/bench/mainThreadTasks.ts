/**
 * The page's main-thread tasks from a Chromium trace (CDP Tracing), whatever their length: the
 * 'longtask' observer only reports tasks over 50 ms, so on an idle machine it says nothing about how
 * close to 50 ms the busiest ones come. Used by scripts/bench-browser.ts.
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { type?: string } };
}

export interface MainTask {
  /** Milliseconds after tracing started (the file is chosen right after). */
  atMs: number;
  ms: number;
  /** The task's biggest inner events (name and type: e.g. "EventDispatch message 38 ms"). */
  inside: string[];
}

export interface MainThreadTrace {
  stop(): Promise<MainTask[]>;
}

const CATEGORIES = 'devtools.timeline,disabled-by-default-devtools.timeline,v8';
/** Smallest task listed by default: shorter ones are the app working as intended. */
export const LIST_ABOVE_MS = 16;

function label(e: TraceEvent): string {
  return e.args?.data?.type ? `${e.name} ${e.args.data.type}` : e.name;
}

/** The renderer main thread that ran the most: the page's (other renderers idle). */
function pageMain(events: TraceEvent[]): { pid: number; tid: number } | null {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best: { pid: number; tid: number } | null = null;
  let bestBusy = -1;
  for (const m of mains) {
    let busy = 0;
    for (const e of events) if (e.pid === m.pid && e.tid === m.tid && e.name === 'RunTask' && e.dur) busy += e.dur;
    if (busy > bestBusy) { bestBusy = busy; best = { pid: m.pid, tid: m.tid }; }
  }
  return best;
}

function tasksOf(events: TraceEvent[], aboveMs: number): MainTask[] {
  const main = pageMain(events);
  if (!main) return [];
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  const t0 = Math.min(...mine.map((e) => e.ts));
  const out: MainTask[] = [];
  for (const task of mine) {
    if (task.name !== 'RunTask' || (task.dur ?? 0) / 1000 < aboveMs) continue;
    const end = task.ts + (task.dur ?? 0);
    const inner = new Map<string, number>();
    for (const e of mine) {
      if (e === task || e.name === 'RunTask' || e.ts < task.ts || e.ts >= end) continue;
      inner.set(label(e), Math.max(inner.get(label(e)) ?? 0, e.dur ?? 0));
    }
    const inside = [...inner].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, d]) => `${n} ${(d / 1000).toFixed(0)} ms`);
    out.push({ atMs: Math.round((task.ts - t0) / 1000), ms: Math.round((task.dur ?? 0) / 100) / 10, inside });
  }
  return out.sort((a, b) => b.ms - a.ms);
}

/** Start tracing the page; `stop()` ends it and lists the main thread's tasks over `aboveMs`, longest first. */
export async function traceMainThread(page: Page, aboveMs = LIST_ABOVE_MS): Promise<MainThreadTrace> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => { for (const ev of e.value as unknown as TraceEvent[]) events.push(ev); });
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return {
    async stop() {
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await done;
      await cdp.detach();
      return tasksOf(events, aboveMs);
    },
  };
}

/** A V8 CPU profile of the page's main thread (open the file in Chromium's DevTools, Performance tab). */
export async function profileMainThread(page: Page): Promise<{ stop(file: string): Promise<void> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      await cdp.detach();
    },
  };
}
