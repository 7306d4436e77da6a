/**
 * The packet's fate in Chromium: on the sample, the segment the black hole swallowed (frame 21) says
 * it was lost after the capture point; its re-sends (frames 24-29) show Wireshark's flag as
 * Wireshark's and the fate as the verdict, lost as well; in Chinese every label is Chinese. A
 * finding grouped over several connections names them in the list. Screenshots go to test-output/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupedCapture } from '../unit/groupedCapture';
import { e2eUnavailable, externalRequests, openApp, repoRoot, type AppSession } from './harness';

const why = e2eUnavailable();
if (why) console.warn(`fates e2e skipped: ${why}`);

describe.skipIf(why !== null)('app: what became of each segment', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 1000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function selectFrame(frame: number): Promise<void> {
    await s.page.getByTestId(`packet-row-${frame}`).click();
    await expect.poll(() => s.page.getByTestId('packet-detail').getAttribute('aria-label')).toMatch(new RegExp(`(Frame|帧) ${frame}$`));
    await s.page.getByTestId('packet-fate').waitFor();
  }

  it('frame 21: no Wireshark flag, lost after the capture point', async () => {
    await s.page.getByTestId('file-input').setInputFiles(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));
    await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    await s.page.getByTestId('packet-row-21').waitFor();
    await selectFrame(21);
    const fate = s.page.getByTestId('packet-fate');
    expect(await fate.getAttribute('data-fate')).toBe('fate.lost');
    expect(await fate.textContent()).toMatch(/^Fate: Lost after this capture point: .*sent again \(frame 24\)\.$/);
    expect(await s.page.getByTestId('packet-why-flag').count()).toBe(0);
    await s.page.getByTestId('packet-why').scrollIntoViewIfNeeded();
    await s.screenshot('fates-01-frame21');
  });

  it('frames 24-29: "Wireshark: retransmission" with its rule, and the fate: lost as well', async () => {
    for (const frame of [24, 25, 26, 27, 28, 29]) {
      await selectFrame(frame);
      expect(await s.page.getByTestId('packet-why-flag').first().textContent()).toMatch(/^Wireshark: retransmission Data at 346, below the next expected sequence/);
      expect(await s.page.getByTestId('packet-fate').textContent()).toMatch(new RegExp(`^Fate: Lost after this capture point: .*\\(frame ${frame + 1}\\)\\.$`));
    }
    // The fate's frame link follows the re-sends.
    await s.page.getByTestId('fate-frame-link-30').click();
    await expect.poll(() => s.page.getByTestId('packet-detail').getAttribute('aria-label')).toBe('Frame 30');
    await expect.poll(() => s.page.getByTestId('packet-fate').getAttribute('data-fate')).toBe('fate.unresolved');
    await selectFrame(24);
    await s.page.getByTestId('packet-why').scrollIntoViewIfNeeded();
    await s.screenshot('fates-02-frame24');
  });

  it('in Chinese: Wireshark\'s label, its rule and the fate in Chinese', async () => {
    await s.page.getByTestId('lang').selectOption('zh-CN');
    await expect.poll(() => s.page.getByTestId('packet-fate').textContent()).toMatch(/^去向： 在本抓包点之后丢失：/);
    expect(await s.page.getByTestId('packet-why-flag').first().textContent()).toMatch(/^Wireshark：重传 序列号 346 处的数据/);
    await s.page.getByTestId('packet-why').scrollIntoViewIfNeeded();
    await s.screenshot('fates-03-frame24-zh');
    await s.page.getByTestId('lang').selectOption('en');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('a finding over several connections names them, counted on each stream\'s row', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ci-e2e-grouped-'));
    try {
      const file = path.join(dir, 'grouped-refusals.pcap');
      writeFileSync(file, groupedCapture());
      await s.page.getByTestId('file-input').setInputFiles(file);
      const line = s.page.getByTestId('finding-handshake-failure');
      await line.waitFor({ timeout: 30_000 });
      expect(await line.getByTestId('finding-streams').textContent()).toBe('4 streams: 0-3');
      await s.page.getByTestId('stream-row-3').waitFor();
      for (const k of [0, 1, 2, 3]) expect(await s.page.getByTestId(`stream-row-${k}`).locator('.badge').textContent()).toBe('1');
      await s.screenshot('fates-04-grouped');
      await line.click();
      await s.page.getByTestId('stream-view').waitFor();
      expect(await s.page.getByTestId('stream-view').textContent()).toContain('Stream 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(s.errors).toEqual([]);
  });

  it('the chart draws copies of a packet captured twice as copies, not as retransmissions', async () => {
    await s.page.getByTestId('file-input').setInputFiles(path.join(repoRoot, 'tests', 'fixtures', 'diagnose', 'pmtu-blackhole.node-any.sll2.pcap'));
    await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    await s.page.getByTestId('legend-copy').waitFor();
    await s.page.getByTestId('chart-slot').locator('[data-testid="segment"][data-frame="8"]').waitFor();
    const cls = (frame: number) => s.page.getByTestId('chart-slot').locator(`[data-testid="segment"][data-frame="${frame}"]`).first().getAttribute('class');
    // Frame 8 repeats frame 7 on the other interface: Wireshark's "retransmission", drawn as a copy.
    await expect.poll(() => cls(8)).toBe('seg copy');
    expect(await cls(7)).toBe('seg');
    expect(await s.page.getByTestId('legend-copy').getAttribute('class')).toBe('');
    await s.page.getByTestId('packet-row-8').click();
    await expect.poll(() => s.page.getByTestId('packet-fate').textContent()).toMatch(/^Fate: The same packet as frame 7, captured twice: not a retransmission/);
    await s.screenshot('fates-05-copies');
    expect(s.errors).toEqual([]);
  });
});
