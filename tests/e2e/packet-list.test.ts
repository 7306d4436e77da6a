/**
 * The list of every packet in Chromium: the sample opened, the Packets tab, scrolling, sorting by a
 * column, Ctrl+G to a frame, the keyboard, the detail tree and the bytes with a field's bytes lit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedCapture } from '../unit/packetListCapture';
import { e2eUnavailable, externalRequests, openApp, outputDir, type AppSession } from './harness';

describe.skipIf(e2eUnavailable() !== null)('app: every packet', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1500, height: 950 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists, scrolls, sorts, goes to a frame and shows its bytes', async () => {
    const p = s.page;
    await p.getByRole('button', { name: 'Open sample' }).last().click();
    await p.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await p.getByTestId('tab-packets').click();
    await p.getByTestId('plist-row-1').waitFor();
    const first = await p.getByTestId('plist-row-1').innerText();
    expect(first).toMatch(/TCP/);
    expect(first).toMatch(/\[SYN\] Seq=0 Win=\d+ Len=0 MSS=\d+/);
    await s.screenshot('packet-list-top');

    // Scrolling: later pages arrive.
    await p.getByTestId('plist-scroll').hover();
    await p.mouse.wheel(0, 20 * 40);
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-row-32"]') !== null, undefined, { timeout: 10_000 });

    // Keyboard: Home selects the first row and shows its detail and bytes.
    await p.keyboard.press('Home');
    await p.getByTestId('plist-detail').waitFor();
    await p.getByTestId('packet-bytes').waitFor();
    await p.keyboard.press('ArrowDown');
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-row-2"]')?.getAttribute('aria-selected') === 'true');
    await p.keyboard.press('End');
    const total = Number((await p.getByTestId('plist-table').getAttribute('aria-rowcount')) ?? '0');
    expect(total).toBeGreaterThan(20);
    await p.waitForFunction((n) => document.querySelector(`[data-testid="plist-row-${n}"]`)?.getAttribute('aria-selected') === 'true', total, { timeout: 10_000 });

    // Sort by length, largest first.
    await p.getByTestId('plist-sort-length').click();
    await p.getByTestId('plist-sort-length').click();
    expect(await p.locator('[role="columnheader"][aria-sort="descending"]').innerText()).toMatch(/Length/);
    await p.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid^="plist-row-"]')].sort((a, b) => Number(a.getAttribute('data-pos')) - Number(b.getAttribute('data-pos')));
      const lens = rows.slice(0, 10).map((r) => Number((r.children[5] as HTMLElement).innerText));
      return lens.length === 10 && lens.every((l, i) => i === 0 || lens[i - 1] >= l) && lens[0] > lens[9];
    }, undefined, { timeout: 10_000 });
    await s.screenshot('packet-list-sorted-by-length');
    await p.getByTestId('plist-sort-number').click();

    // Ctrl+G to frame 21: selected, scrolled to, detail and bytes shown.
    await p.keyboard.press('Control+g');
    await p.getByTestId('goto-dialog').waitFor();
    await p.getByTestId('goto-input').fill('21');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-row-21"]')?.getAttribute('aria-selected') === 'true', undefined, { timeout: 10_000 });
    expect(await p.getByTestId('goto-dialog').count()).toBe(0);
    await p.getByRole('heading', { name: 'Frame 21' }).waitFor();

    // A field's bytes are lit when pointed at (the IPv4 source address: 4 bytes).
    const field = p.locator('[data-testid="plist-field"]', { hasText: 'Source address' }).first();
    await field.hover();
    await p.waitForFunction(() => document.querySelectorAll('.pbytes-hex [data-hl="1"]').length > 0);
    const lit = await p.locator('.pbytes-hex [data-hl="1"]').count();
    const start = Number(await field.getAttribute('data-start'));
    const end = Number(await field.getAttribute('data-end'));
    expect(lit).toBe(end - start);
    await s.screenshot('packet-list-goto-21-bytes');

    // Time formats and a time reference.
    await p.getByTestId('plist-time-format').selectOption('utc');
    await p.waitForFunction(() => /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}/.test((document.querySelector('[data-testid="plist-row-21"]')?.children[1] as HTMLElement)?.innerText ?? ''));
    await p.getByTestId('plist-time-format').selectOption('rel');
    await p.keyboard.press('Control+Alt+t');
    await p.waitForFunction(() => (document.querySelector('[data-testid="plist-row-21"]')?.children[1] as HTMLElement)?.innerText === '*REF*');
    await s.screenshot('packet-list-time-reference');

    // Enter opens the selected TCP packet's stream.
    await p.keyboard.press('Enter');
    await p.getByTestId('packet-row-21').waitFor({ timeout: 10_000 });

    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});

describe.skipIf(e2eUnavailable() !== null)('app: every packet, not only TCP, in Chinese', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1500, height: 900, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows ARP, DNS and ICMP rows, the MTU of a "fragmentation needed", and filters', async () => {
    const p = s.page;
    const dir = path.join(outputDir, 'other');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'mixed-kinds.pcap');
    writeFileSync(file, mixedCapture());
    await p.getByTestId('file-input').setInputFiles(file);
    await p.getByTestId('tab-packets').click();
    await p.getByTestId('plist-row-12').waitFor({ timeout: 30_000 });
    expect(await p.getByTestId('tab-packets').innerText()).toBe('全部数据包');
    expect(await p.getByTestId('plist-sort-source').innerText()).toMatch(/源地址/);
    expect(await p.getByTestId('plist-row-1').innerText()).toMatch(/ARP[\s\S]*Who has 10\.0\.0\.1\? Tell 10\.0\.0\.2/);
    expect(await p.getByTestId('plist-row-4').innerText()).toMatch(/DNS[\s\S]*Standard query response 0x1a2b A example\.com A 93\.184\.216\.34/);
    expect(await p.getByTestId('plist-row-6').innerText()).toMatch(/Destination unreachable \(Fragmentation needed\)/);
    expect(await p.getByTestId('plist-row-6').getByTestId('plist-mtu').innerText()).toBe('MTU 1380');
    expect(await p.getByTestId('plist-row-8').innerText()).toMatch(/\(request in 7\)/);
    await p.getByTestId('plist-row-1').click();
    await p.getByTestId('packet-bytes').waitFor();
    await s.screenshot('packet-list-mixed-zh');

    // A display filter: only the ICMP packets stay.
    await p.getByTestId('plist-filter').fill('icmp');
    await p.getByTestId('plist-filter').press('Enter');
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-table"]')?.getAttribute('aria-rowcount') === '3');
    expect(await p.getByTestId('plist-row-1').count()).toBe(0);
    await p.getByTestId('plist-row-6').waitFor();
    // The selected frame is no longer displayed: nothing is selected.
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-detail"]') === null);
    await s.screenshot('packet-list-filter-icmp-zh');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
