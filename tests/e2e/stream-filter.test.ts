/**
 * The stream table's filter box in Chromium: a display filter keeps the streams having a matching
 * packet, address pieces and stream numbers still match as text, a broken filter is underlined where
 * it breaks with the reason and the nearest names (in English and in Chinese), a suggestion fixes it,
 * and the displayed packets export as pcapng.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { e2eUnavailable, externalRequests, openApp, outputDir, type AppSession } from './harness';

async function rowsShown(s: AppSession): Promise<number> {
  return Number((await s.page.locator('.stream-grid').getAttribute('aria-rowcount')) ?? '-1');
}

async function typeFilter(s: AppSession, text: string, rows: number): Promise<void> {
  const box = s.page.getByTestId('stream-filter');
  await box.fill('');
  await box.pressSequentially(text, { delay: 5 });
  await s.page.waitForFunction((n) => document.querySelector('.stream-grid')?.getAttribute('aria-rowcount') === String(n), rows, { timeout: 10_000 });
}

describe.skipIf(e2eUnavailable() !== null)('app: the stream filter box takes display filters', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1400, height: 860 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('filters streams by a display filter, keeps text matching, underlines a broken filter', async () => {
    const p = s.page;
    await p.getByRole('button', { name: 'Open sample' }).last().click();
    await p.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    expect(await rowsShown(s)).toBe(1);

    // Display filters: a port that is there, one that is not (this found nothing silently before: now it is a filter).
    await typeFilter(s, 'tcp.port == 9090', 1);
    expect(await p.getByTestId('stream-filter-mode').innerText()).toBe('display filter');
    await typeFilter(s, 'tcp.port==80', 0);
    await typeFilter(s, 'tcp.analysis.retransmission && ip.src == 198.18.1.2', 1);
    await typeFilter(s, 'udp', 0);

    // Free text as before: a piece of an endpoint, a stream number.
    await typeFilter(s, '198.18.1', 1);
    expect(await p.getByTestId('stream-filter-mode').innerText()).toBe('text match');
    await typeFilter(s, ':9091', 0);
    await typeFilter(s, '#0', 1);

    // A misspelt field: underlined, the reason, the nearest name as a button that fixes it.
    await typeFilter(s, 'tcp.prot == 9090', 1);
    const underline = p.getByTestId('stream-filter-underline');
    expect(await underline.innerText()).toBe('tcp.prot');
    const style = await underline.evaluate((e) => getComputedStyle(e).textDecorationStyle);
    expect(style).toBe('wavy');
    expect(await p.getByTestId('stream-filter-message').innerText()).toMatch(/"tcp\.prot" is neither a field nor a protocol\.\s*Did you mean:\s*tcp\.port/);
    expect(await p.getByTestId('stream-filter').getAttribute('aria-invalid')).toBe('true');
    await s.screenshot('stream-filter-error-en');
    await p.locator('.panel.streams').screenshot({ path: path.join(outputDir, 'stream-filter-error-en-box.png') });
    await p.getByTestId('stream-filter-suggestion').first().focus();
    await p.keyboard.press('Enter');
    expect(await p.getByTestId('stream-filter').inputValue()).toBe('tcp.port == 9090');
    await p.waitForFunction(() => document.querySelector('[data-testid="stream-filter-message"]') === null);
    expect(await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('stream-filter');

    // A filter cut short: the caret at its end.
    await typeFilter(s, 'tcp.port ==', 1);
    expect(await p.getByTestId('stream-filter-message').innerText()).toMatch(/ends too early/);

    // The displayed packets as pcapng.
    await typeFilter(s, 'tcp.analysis.retransmission', 1);
    const [exp] = await Promise.all([p.waitForEvent('download'), p.getByTestId('stream-export-displayed').click()]);
    expect(exp.suggestedFilename()).toBe('pmtu-blackhole-filtered-tcp.analysis.retransmission.pcapng');
    const bytes = new Uint8Array(readFileSync((await exp.path())!));
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    const run = openAnalysis();
    run.push(bytes);
    expect(run.finish().summary().packets).toBe(7);
    await p.getByTestId('stream-export-note').waitFor();
    await s.screenshot('stream-filter-display');

    // The packet list's filter box: the same underline and reason as one types.
    await p.getByTestId('tab-packets').click();
    await p.getByTestId('plist-row-1').waitFor();
    await p.getByTestId('plist-filter').pressSequentially('ip.scr == 198.18.1.2', { delay: 5 });
    expect(await p.getByTestId('plist-filter-underline').innerText()).toBe('ip.scr');
    expect(await p.getByTestId('plist-filter-message').innerText()).toMatch(/"ip\.scr" is neither a field nor a protocol\.\s*Did you mean:\s*ip\.src/);
    await s.screenshot('packet-list-filter-error');
    await p.getByTestId('plist-filter-suggestion').first().click();
    await p.getByTestId('plist-filter').press('Enter');
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-table"]')?.getAttribute('aria-rowcount') === '22');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});

describe.skipIf(e2eUnavailable() !== null)('app: the stream filter box in Chinese', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1400, height: 860, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('says why a filter is broken in Chinese', async () => {
    const p = s.page;
    await p.getByRole('button', { name: '打开示例' }).last().click();
    await p.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await typeFilter(s, 'tcp.prot == 9090', 1);
    expect(await p.getByTestId('stream-filter-message').innerText()).toMatch(/"tcp\.prot" 既不是字段也不是协议。\s*您是不是想输入：\s*tcp\.port/);
    await s.screenshot('stream-filter-error-zh');
    await p.locator('.panel.streams').screenshot({ path: path.join(outputDir, 'stream-filter-error-zh-box.png') });
    await typeFilter(s, 'ip.addr == 198.18.1.2 &&', 1);
    expect(await p.getByTestId('stream-filter-message').innerText()).toMatch(/过滤器提前结束/);
    await typeFilter(s, 'ip.addr == 198.18.1.2', 1);
    expect(await p.getByTestId('stream-filter-mode').innerText()).toBe('显示过滤器');

    // The follow dialog in Chinese; Tab stays inside it.
    await p.getByTestId('stream-row-0').click();
    await p.getByTestId('follow-open').click();
    await p.getByRole('heading', { name: '追踪 TCP 流 0' }).waitFor();
    await p.locator('.fl-block').first().waitFor();
    expect(await p.getByTestId('follow-sizes').innerText()).toBe('A → B 3,050 字节，B → A 153 字节');
    for (let k = 0; k < 12; k++) {
      await p.keyboard.press('Tab');
      expect(await p.evaluate(() => document.activeElement?.closest('[data-testid="follow-dialog"]') !== null)).toBe(true);
    }
    await s.screenshot('follow-zh');
    await p.keyboard.press('Escape');
    await p.waitForFunction(() => document.querySelector('[data-testid="follow-dialog"]') === null);
    expect(s.errors).toEqual([]);
  });
});
