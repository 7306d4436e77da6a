/**
 * Follow stream and pcapng export in Chromium, on a capture built here: a request and a response of
 * about 1 MB with one segment never captured and one sent twice. The dialog pages the stream as it
 * scrolls (never all of it in the page), marks the hole, switches formats and directions, saves the
 * bytes; the stream is exported as pcapng and read back by our own reader.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { pcapFile, type PcapRecordSpec } from '../unit/captureBuilders';
import { eth, ipv4, tcp } from '../unit/decodeBuilders';
import { mixedCapture } from '../unit/packetListCapture';
import { e2eUnavailable, externalRequests, openApp, outputDir, repoRoot, type AppSession } from './harness';

/** Packets of a pcapng file as our own reader reads them, after checking it opens with a Section Header Block. */
function readPcapng(file: string): { packets: number; text: string } {
  const bytes = new Uint8Array(readFileSync(file));
  expect(Array.from(bytes.subarray(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
  const run = openAnalysis();
  run.push(bytes);
  const a = run.finish();
  expect(a.format).toBe('pcapng');
  return { packets: a.summary().packets, text: Buffer.from(bytes).toString('utf8') };
}

const A = '10.1.0.1', B = '10.2.0.2';
const ISN_A = 7000, ISN_B = 90000;
const SYN = 0x02, ACK = 0x10, PSH = 0x18;
const SEG = 1400;
/** Segments of the response; SEG bytes each. */
const SEGMENTS = 700;
/** The response's segment never captured (its bytes are a hole), and the one captured twice. */
const MISSING = 5;
const TWICE = 9;

const request = new TextEncoder().encode('GET /big HTTP/1.1\r\nHost: example\r\n\r\n');
const response = new Uint8Array(SEG * SEGMENTS);
{
  const line = new TextEncoder().encode('resp:the-quick-brown-fox-jumps-over-the-lazy-dog-0123456789\n');
  for (let i = 0; i < response.length; i++) response[i] = line[i % line.length];
}

function seg(from: 'A' | 'B', i: number, seq: number, ack: number, flags: number, payload = new Uint8Array(0)): PcapRecordSpec {
  const [src, dst, sport, dport, isn, peer] = from === 'A' ? [A, B, 51000, 80, ISN_A, ISN_B] : [B, A, 80, 51000, ISN_B, ISN_A];
  return { sec: 1700000000 + Math.floor(i / 1000), frac: (i % 1000) * 1000, data: eth(0x0800, ipv4({ src, dst, proto: 6 }, tcp({ sport, dport, seq: isn + seq, ack: peer + ack, flags, win: 65535 }, payload))) };
}

function buildCapture(): { file: Uint8Array; packets: number } {
  const r: PcapRecordSpec[] = [];
  let i = 0;
  const q = request.length;
  r.push(seg('A', i++, 0, 0, SYN), seg('B', i++, 0, 1, SYN | ACK), seg('A', i++, 1, 1, ACK));
  r.push(seg('A', i++, 1, 1, PSH, request));
  for (let k = 0; k < SEGMENTS; k++) {
    if (k === MISSING) continue;
    const part = response.subarray(k * SEG, (k + 1) * SEG);
    r.push(seg('B', i++, 1 + k * SEG, 1 + q, PSH, part));
    if (k === TWICE) r.push(seg('B', i++, 1 + k * SEG, 1 + q, PSH, part));
    if (k % 20 === 19) r.push(seg('A', i++, 1 + q, 1 + (k + 1) * SEG, ACK));
  }
  r.push(seg('A', i++, 1 + q, 1 + SEGMENTS * SEG, ACK));
  return { file: pcapFile({ records: r }), packets: r.length };
}

describe.skipIf(e2eUnavailable() !== null)('app: follow stream and export', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1400, height: 900 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('follows a stream page by page, marks the hole, switches format and direction, saves and exports', async () => {
    const p = s.page;
    const dir = path.join(outputDir, 'follow');
    mkdirSync(dir, { recursive: true });
    const built = buildCapture();
    const file = path.join(dir, 'big-response.pcap');
    writeFileSync(file, built.file);
    await p.getByTestId('file-input').setInputFiles(file);
    await p.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await p.getByTestId('stream-row-0').click();
    await p.getByTestId('stream-view').waitFor();

    // Open it from the keyboard.
    await p.getByTestId('follow-open').focus();
    await p.keyboard.press('Enter');
    const dialog = p.getByTestId('follow-dialog');
    await dialog.waitFor();
    await p.locator('.fl-block.fl-dir1').first().waitFor();
    const first = p.locator('.fl-block').first();
    expect(await first.getAttribute('data-dir')).toBe('0');
    expect(await first.locator('.fl-prefix').innerText()).toBe('▶ A');
    expect(await first.locator('.fl-body').innerText()).toMatch(/^GET \/big HTTP\/1\.1/);
    const firstB = p.locator('.fl-block.fl-dir1').first();
    expect(await firstB.locator('.fl-prefix').innerText()).toBe('◀ B');
    expect(await firstB.locator('.fl-body').innerText()).toMatch(/^resp:the-quick-brown-fox/);
    // The hole, once; the segment captured twice shown once.
    const gap = p.locator('.fl-block.fl-gap');
    await gap.first().waitFor();
    expect(await gap.count()).toBe(1);
    expect(await gap.innerText()).toContain('[1,400 bytes not captured]');
    expect(await p.getByTestId('follow-sizes').innerText()).toBe(`A → B ${request.length} bytes, B → A ${(SEG * (SEGMENTS - 1)).toLocaleString('en')} bytes`);
    const colours = await p.evaluate(() => [...document.querySelectorAll('.fl-block:not(.fl-gap)')].slice(0, 2).map((e) => getComputedStyle(e).color));
    expect(colours[0]).not.toBe(colours[1]);
    await s.screenshot('follow-ascii');
    await gap.first().scrollIntoViewIfNeeded();
    await s.screenshot('follow-ascii-gap');

    // Scrolling on loads the next pages; the page never holds the whole stream.
    const text = p.getByTestId('follow-text');
    for (let k = 0; k < 40 && (await p.getByTestId('follow-end').count()) === 0; k++) {
      await text.evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await p.waitForTimeout(150);
    }
    await p.getByTestId('follow-end').waitFor({ timeout: 20_000 });
    expect(await p.locator('[data-page]').count()).toBeLessThanOrEqual(8);
    // A direction's run split by a page boundary carries on without a new prefix.
    expect(await p.locator('.fl-block.fl-cont').count()).toBeGreaterThan(0);
    const shown = await text.evaluate((el) => el.textContent?.length ?? 0);
    expect(shown).toBeLessThan(response.length * 0.75);
    await p.getByTestId('follow-restart').waitFor();
    await s.screenshot('follow-scrolled-to-end');

    // Hex dump, from the start again.
    await p.getByTestId('follow-format-hex').click();
    await p.waitForFunction(() => /^00000000 {2}47 45 54 20/.test((document.querySelector('.fl-body') as HTMLElement | null)?.innerText ?? ''));
    expect(await p.locator('.fl-block.fl-dir1 .fl-body').first().innerText()).toMatch(/^\t?00000000 {2}72 65 73 70/);
    await s.screenshot('follow-hex');

    // One direction: B → A only, in UTF-8.
    await p.getByTestId('follow-format-utf8').click();
    await p.getByTestId('follow-dirs-1').click();
    await p.waitForFunction(() => document.querySelector('.fl-block')?.getAttribute('data-dir') === '1');
    expect(await p.locator('.fl-block.fl-dir0').count()).toBe(0);
    await s.screenshot('follow-b-to-a-utf8');

    // Save as…: both directions' bytes, the hole left out, the copy once.
    await p.getByTestId('follow-dirs-both').click();
    await p.waitForFunction(() => document.querySelector('.fl-block')?.getAttribute('data-dir') === '0');
    const [saved] = await Promise.all([p.waitForEvent('download'), p.getByTestId('follow-save').click()]);
    expect(saved.suggestedFilename()).toBe('big-response-stream-0-both.bin');
    const got = readFileSync((await saved.path())!);
    const expected = Buffer.concat([request, response.subarray(0, MISSING * SEG), response.subarray((MISSING + 1) * SEG)]);
    expect(got.length).toBe(expected.length);
    expect(got.equals(expected)).toBe(true);
    await p.getByTestId('follow-save-note').waitFor();

    // Escape closes it; the focus goes back to the button.
    await p.keyboard.press('Escape');
    await p.waitForFunction(() => document.querySelector('[data-testid="follow-dialog"]') === null);
    expect(await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('follow-open');
    await p.getByTestId('stream-view').waitFor();

    // Export the stream as pcapng, read back with our own reader.
    const [exp] = await Promise.all([p.waitForEvent('download'), p.getByTestId('export-stream').click()]);
    expect(exp.suggestedFilename()).toBe('big-response-stream-0.pcapng');
    expect(readPcapng((await exp.path())!).packets).toBe(built.packets);
    await p.getByTestId('export-stream-note').waitFor();
    await s.screenshot('follow-export-stream');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it("exports a finding's evidence with its comment", async () => {
    const p = s.page;
    await p.getByRole('button', { name: 'Open sample' }).last().click();
    await p.getByTestId('export-evidence-pmtu-blackhole').waitFor({ timeout: 30_000 });
    const sample = readFileSync(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));
    const run = openAnalysis();
    run.push(new Uint8Array(sample));
    const finding = run.finish().diagnosis(0).findings.find((f) => f.kind === 'pmtu-blackhole')!;
    const [exp] = await Promise.all([p.waitForEvent('download'), p.getByTestId('export-evidence-pmtu-blackhole').click()]);
    expect(exp.suggestedFilename()).toBe(`pmtu-blackhole-finding-${finding.id.replace(/[^\w.-]+/g, '-')}.pcapng`);
    const back = readPcapng((await exp.path())!);
    expect(back.packets).toBe(new Set(finding.frames).size);
    expect(back.text).toContain(finding.id);
    expect(back.text).toContain('PMTU black hole');
    await p.getByTestId('export-evidence-note').waitFor();
    await s.screenshot('export-evidence');
    expect(s.errors).toEqual([]);
  });

  it('follows a UDP conversation from the packet list and exports the displayed packets', async () => {
    const p = s.page;
    const dir = path.join(outputDir, 'follow');
    const file = path.join(dir, 'mixed-kinds.pcap');
    writeFileSync(file, mixedCapture());
    await p.getByTestId('file-input').setInputFiles(file);
    await p.getByTestId('tab-packets').click();
    await p.getByTestId('plist-row-3').waitFor({ timeout: 30_000 });
    await p.getByTestId('plist-row-3').click();
    await p.getByTestId('plist-follow').focus();
    await p.keyboard.press('Enter');
    await p.getByTestId('follow-dialog').waitFor();
    await p.getByRole('heading', { name: 'Follow UDP conversation (frame 3)' }).waitFor();
    // The query from 10.0.0.2:53001 (A), the answers from 10.0.0.53:53 (B).
    await p.locator('.fl-block.fl-dir1').first().waitFor();
    expect(await p.locator('.fl-block[data-dir="0"] .fl-body').first().innerText()).toContain('example');
    expect(await p.locator('.follow-ends').innerText()).toMatch(/10\.0\.0\.2:53001[\s\S]*10\.0\.0\.53:53/);
    await p.getByTestId('follow-format-hex').focus();
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => /^00000000 {2}1a 2b 01 00/.test((document.querySelector('.fl-body') as HTMLElement | null)?.innerText ?? ''));
    await s.screenshot('follow-udp-hex');
    await p.keyboard.press('Escape');
    await p.waitForFunction(() => document.querySelector('[data-testid="follow-dialog"]') === null);

    // No filter, no "Export displayed packets"; with one, the displayed packets as pcapng.
    expect(await p.getByTestId('plist-export-displayed').count()).toBe(0);
    await p.getByTestId('plist-filter').fill('udp.port == 53');
    await p.getByTestId('plist-filter').press('Enter');
    await p.waitForFunction(() => document.querySelector('[data-testid="plist-table"]')?.getAttribute('aria-rowcount') === '3');
    const [exp] = await Promise.all([p.waitForEvent('download'), p.getByTestId('plist-export-displayed').click()]);
    expect(exp.suggestedFilename()).toBe('mixed-kinds-filtered-udp.port_53.pcapng');
    expect(readPcapng((await exp.path())!).packets).toBe(3);
    await p.getByTestId('plist-export-note').waitFor();
    await s.screenshot('export-displayed');
    expect(externalRequests(s)).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
