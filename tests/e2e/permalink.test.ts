/**
 * Permalinks end to end: copy a finding's link, open it in a fresh browser with the same capture
 * (same view), with another capture (mismatch explained, nothing applied), and a self-contained
 * link with no capture at all (chart and text, marked as a snapshot). Screenshots go to test-output/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFromUrl } from '../../src/share/codec';
import { e2eUnavailable, externalRequests, openApp, outputDir, repoRoot, type AppSession } from './harness';

const SAMPLE = path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap');

function hashOf(url: string): string {
  return new URL(url).hash;
}

/** Drop a file on the page the way a user does (a drop event carrying the file). */
async function dropFile(s: AppSession, file: string): Promise<void> {
  const bytes = [...readFileSync(file)];
  const name = path.basename(file);
  await s.page.evaluate(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { bytes, name });
}

/** Open a link as a new tab does: a full page load with the fragment. */
async function openLink(s: AppSession, hash: string): Promise<void> {
  await s.page.goto('about:blank');
  await s.page.goto(s.url + hash);
}

async function readLink(s: AppSession): Promise<string> {
  const field = s.page.getByTestId('share-link').last();
  await field.waitFor({ timeout: 20_000 });
  return field.inputValue();
}

describe.skipIf(e2eUnavailable() !== null)('permalinks', () => {
  let link = '';
  let snapshotLink = '';
  let other = '';

  beforeAll(() => {
    // Another capture with the sample's name: one byte differs, so only the fingerprint tells them apart.
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    bytes[bytes.length - 1] ^= 0xff;
    other = path.join(outputDir, 'other', 'pmtu-blackhole.pcap');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, bytes);
  });

  describe('the sender', () => {
    let s: AppSession;
    beforeAll(async () => { s = await openApp(); });
    afterAll(async () => { await s?.close(); });

    it('copies the black-hole finding\'s link and a self-contained one', async () => {
      await s.page.getByRole('button', { name: 'Open sample' }).last().click();
      await s.page.getByTestId('finding-pmtu-blackhole').waitFor({ timeout: 30_000 });
      await s.page.getByTestId('copy-link-pmtu-blackhole').click();
      link = await readLink(s);
      const parsed = stateFromUrl(hashOf(link));
      expect(parsed.ok && parsed.state.finding).toMatch(/^pmtu-blackhole/);
      expect(parsed.ok && parsed.state.capture.name).toBe('pmtu-blackhole.pcap');
      // The stream is named durably: 5-tuple and both handshake ISNs, the index only a hint.
      const isn = parsed.ok ? parsed.state.stream?.isn : undefined;
      expect(isn?.every((x) => typeof x === 'number')).toBe(true);

      await s.page.getByTestId('finding-pmtu-blackhole').click();
      await s.page.getByTestId('stream-view').waitFor();
      await s.page.locator('[data-testid="chart-slot"] svg.recharts-surface').first().waitFor({ timeout: 20_000 });
      // The address bar follows the view.
      await s.page.waitForFunction(() => location.hash.includes('&k='), undefined, { timeout: 5_000 });
      const here = stateFromUrl(await s.page.evaluate(() => location.hash));
      expect(here.ok && here.state.stream?.index).toBe(0);

      await s.page.getByTestId('copy-snapshot').click();
      await s.page.waitForFunction(() => [...document.querySelectorAll<HTMLInputElement>('[data-testid="share-link"]')].some((i) => i.value.includes('snap=')), undefined, { timeout: 20_000 });
      snapshotLink = await s.page.locator('[data-testid="share-link"]').last().inputValue();
      console.log(`link ${hashOf(link).length} characters, self-contained link ${hashOf(snapshotLink).length} characters`);
      // The snapshot's "Numbers": the finding's measurements, labelled.
      const snap = stateFromUrl(hashOf(snapshotLink));
      const facts = snap.ok ? snap.state.snapshot?.finding?.text.en?.facts ?? [] : [];
      expect(facts.map(([k]) => k)).toEqual(expect.arrayContaining(['path MTU', 'MSS', 'suggested MSS']));
      await s.screenshot('permalink-1-sender');

      // The finding as Markdown, the chart as SVG.
      const [md] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-md').click()]);
      // The click says what it saved (a download can go unnoticed).
      await expect.poll(() => s.page.getByTestId('export-result').textContent()).toBe(`Downloaded ${md.suggestedFilename()}`);
      const mdText = readFileSync((await md.path()) as string, 'utf8');
      expect(mdText).toMatch(/^# PMTU black hole/);
      expect(mdText).toContain('## Evidence frames');
      expect(mdText).toContain('| 21 |');
      writeFileSync(path.join(outputDir, 'permalink-report.md'), mdText);
      const [svg] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-svg').click()]);
      const svgText = readFileSync((await svg.path()) as string, 'utf8');
      expect(svgText).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      writeFileSync(path.join(outputDir, 'permalink-chart.svg'), svgText);

      // Masked: no address of the capture is left in the link.
      await s.page.getByTestId('mask-addresses').check();
      await s.page.getByTestId('copy-snapshot').click();
      await s.page.waitForFunction(() => [...document.querySelectorAll<HTMLInputElement>('[data-testid="share-link"]')].some((i) => i.value.includes('a=client')), undefined, { timeout: 20_000 });
      const masked = stateFromUrl(hashOf(await s.page.locator('[data-testid="share-link"]').last().inputValue()));
      expect(masked.ok).toBe(true);
      expect(JSON.stringify(masked.ok && { ...masked.state, snapshot: { ...masked.state.snapshot, series: null } })).not.toMatch(/198\.18\./);
      // The report, masked too: its text, its tables and its link.
      const [maskedMd] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-md').click()]);
      const maskedText = readFileSync((await maskedMd.path()) as string, 'utf8');
      expect(maskedText).toMatch(/^# PMTU black hole/);
      expect(maskedText).toContain('client');
      expect(maskedText).not.toMatch(/198\.18\./);
      expect(externalRequests(s)).toEqual([]);
      expect(s.errors).toEqual([]);
    });
  });

  it('opens the link in a fresh browser: asks for the capture, then shows the same view', async () => {
    const s = await openApp();
    try {
      await openLink(s, hashOf(link));
      const needs = s.page.getByTestId('link-needs-capture');
      await needs.waitFor({ timeout: 20_000 });
      expect(await needs.textContent()).toContain('pmtu-blackhole.pcap');
      await s.screenshot('permalink-2-needs-capture');
      await dropFile(s, SAMPLE);
      await s.page.getByTestId('stream-view').waitFor({ timeout: 30_000 });
      await s.page.locator('[data-testid="chart-slot"] svg.recharts-surface').first().waitFor({ timeout: 20_000 });
      await s.page.waitForFunction(() => location.hash.includes('&k='), undefined, { timeout: 5_000 });
      const want = stateFromUrl(hashOf(link));
      const got = stateFromUrl(await s.page.evaluate(() => location.hash));
      if (!want.ok || !got.ok) throw new Error('unreadable link');
      expect(got.state.stream?.index).toBe(want.state.stream?.index);
      expect(got.state.direction).toBe(want.state.direction);
      expect(got.state.window).toEqual(want.state.window);
      expect(got.state.frame).toBe(want.state.frame);
      expect(got.state.finding).toBe(want.state.finding);
      await s.screenshot('permalink-3-restored');
      expect(externalRequests(s)).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('explains a mismatch and applies nothing when another capture is opened', async () => {
    const s = await openApp();
    try {
      await openLink(s, hashOf(link));
      await s.page.getByTestId('link-needs-capture').waitFor({ timeout: 20_000 });
      await dropFile(s, other);
      const mismatch = s.page.getByTestId('link-mismatch');
      await mismatch.waitFor({ timeout: 30_000 });
      expect(await mismatch.textContent()).toContain('not the capture the link was made from');
      expect(await s.page.getByTestId('stream-view').count()).toBe(0);
      // The link stays in the address bar, so the right file can still be opened.
      expect(await s.page.evaluate(() => location.hash)).toBe(hashOf(link));
      await s.screenshot('permalink-4-mismatch');
    } finally {
      await s.close();
    }
  });

  it('shows a self-contained link without any capture: chart and text, marked as a snapshot', async () => {
    const s = await openApp();
    try {
      await openLink(s, hashOf(snapshotLink));
      await s.page.getByTestId('snapshot-view').waitFor({ timeout: 20_000 });
      expect(await s.page.getByTestId('snapshot-badge').textContent()).toContain('Snapshot');
      expect(await s.page.getByTestId('snapshot-text').textContent()).toContain('PMTU black hole');
      expect(await s.page.getByTestId('snapshot-text').textContent()).toContain('Numbers');
      expect(await s.page.getByTestId('snapshot-numbers').textContent()).toMatch(/path MTU\d+–\d+/);
      await s.page.locator('[data-testid="snapshot-chart"] svg.recharts-surface').first().waitFor({ timeout: 20_000 });
      await s.screenshot('permalink-5-snapshot');
      expect(externalRequests(s)).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
