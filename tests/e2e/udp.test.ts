/**
 * UDP conversations in Chromium, on a real capture of DNS timeouts (tests/fixtures/diagnose/
 * dns-timeout.node-eth0.pcap: 21 DNS packets over 8 UDP sockets, AAAA queries left unanswered):
 * the stream table's switch lists the UDP conversations with their count; a conversation opens its
 * view with a timeline where the unanswered query is marked and the query joined to its response;
 * Show packets filters the Packets tab with udp.stream == N; the findings citing it are there;
 * follow UDP stream opens; no console error. Screenshots in test-output/ are checked by eye.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eUnavailable, externalRequests, openApp, repoRoot, type AppSession } from './harness';

const FIXTURE = path.join(repoRoot, 'tests', 'fixtures', 'diagnose', 'dns-timeout.node-eth0.pcap');

describe.skipIf(e2eUnavailable() !== null)('app: UDP conversations', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1400, height: 900 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists the UDP conversations, opens one with its timeline, its packets and its findings', async () => {
    const p = s.page;
    await p.getByTestId('file-input').setInputFiles(FIXTURE);
    await p.getByTestId('conv-switch').waitFor({ timeout: 30_000 });
    await p.getByTestId('conv-udp').filter({ hasText: 'UDP (8)' }).waitFor();
    expect(await p.getByTestId('conv-tcp').innerText()).toBe('TCP (0)');
    await p.getByTestId('conv-udp').click();
    await p.getByTestId('udp-row-0').waitFor();
    expect(await p.getByTestId('udp-count').innerText()).toBe('8 of 8');
    const row0 = await p.getByTestId('udp-row-0').innerText();
    expect(row0).toContain('198.18.1.2:37979');
    expect(row0).toContain('DNS');
    expect(row0).toContain('4 queries · 1 unanswered');
    await s.screenshot('udp-list');

    // The box filters by text, as the TCP list's does.
    await p.getByTestId('udp-filter').fill('53472');
    await p.getByTestId('udp-count').filter({ hasText: '1 of 8' }).waitFor();
    await p.getByTestId('udp-row-5').waitFor();
    // And by a display filter: the conversations having a matching packet.
    await p.getByTestId('udp-filter').fill('dns.flags.response == 0 && dns.qry.type == 28');
    await p.getByTestId('udp-count').filter({ hasText: /^\d+ of 8$/ }).waitFor();
    await p.waitForFunction(() => document.querySelector('[data-testid="udp-count"]')?.textContent !== '8 of 8');
    await p.getByTestId('udp-filter').fill('');
    await p.getByTestId('udp-count').filter({ hasText: '8 of 8' }).waitFor();

    // Sorting by the DNS column: the conversations with unanswered queries first.
    await p.getByRole('columnheader', { name: 'DNS' }).click();
    await p.waitForTimeout(200);

    await p.getByTestId('udp-row-0').click();
    await p.getByTestId('udp-view').waitFor();
    await p.getByTestId('udp-timeline').waitFor();
    // Frame 2, the first AAAA query, was never answered (its retry, frame 6, was).
    const unanswered = p.getByTestId('udp-unanswered');
    expect(await unanswered.count()).toBe(1);
    expect(await unanswered.locator('title').textContent()).toContain('Frame 2');
    expect(await p.locator('.udp-timeline .link').count()).toBe(3);
    expect(await p.locator('.udp-timeline .mark').count()).toBe(7);
    expect(await p.getByTestId('udp-dns').innerText()).toContain('4 queries · 1 unanswered');
    // The DNS timeout finding cites its packets.
    expect(await p.getByTestId('udp-findings').innerText()).toMatch(/api\.example\.com/);
    await s.screenshot('udp-conversation');

    // Follow UDP stream.
    await p.getByTestId('udp-follow').click();
    await p.getByTestId('follow-dialog').waitFor();
    await p.keyboard.press('Escape');

    // Show packets: the Packets tab filtered to the conversation.
    await p.getByTestId('udp-view').waitFor();
    await p.getByTestId('udp-show-packets').click();
    await p.getByTestId('packet-list-view').waitFor();
    await p.getByTestId('plist-count').filter({ hasText: '7 packets' }).waitFor();
    for (const f of [1, 2, 3, 4, 5, 6, 7]) expect(await p.getByTestId(`plist-row-${f}`).count()).toBe(1);
    await s.screenshot('udp-packets');

    expect(s.errors).toEqual([]);
    expect(externalRequests(s)).toEqual([]);
  }, 90_000);
});

describe.skipIf(e2eUnavailable() !== null)('app: UDP conversations in Chinese, dark', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1400, height: 900, colorScheme: 'dark', locale: 'zh-CN' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the switch, the list and a conversation worded in Chinese', async () => {
    const p = s.page;
    await p.getByTestId('file-input').setInputFiles(FIXTURE);
    await p.getByTestId('conv-udp').filter({ hasText: 'UDP（8）' }).waitFor({ timeout: 30_000 });
    await p.getByTestId('conv-udp').click();
    await p.getByTestId('udp-row-5').waitFor();
    expect(await p.getByTestId('udp-row-5').innerText()).toContain('1 个查询 · 1 个无回应');
    await p.getByTestId('udp-row-5').click();
    await p.getByTestId('udp-timeline').waitFor();
    expect(await p.getByTestId('udp-unanswered').count()).toBe(1);
    expect(await p.getByTestId('udp-view').innerText()).toContain('UDP 会话 5');
    await s.screenshot('udp-conversation-zh');
    expect(s.errors).toEqual([]);
  }, 90_000);
});
