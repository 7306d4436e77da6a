/**
 * The stream view's "Numbers": the sample's stream (with findings), then a healthy stream of a small
 * built capture (no finding, the numbers all the same), in English and in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../unit/tcpBuilder';
import { e2eUnavailable, openApp, type AppSession } from './harness';

/** A clean transfer: server 20 ms beyond the capture point, ten 1000-byte segments, FINs. */
function healthy(): Uint8Array {
  const c = new Conversation();
  c.tcp('A', { flags: 'S', seq: 0, win: 64240, mss: 1460, ws: 7, sackPerm: true, t: 0 });
  c.tcp('B', { flags: 'SA', seq: 0, ack: 1, win: 65160, mss: 1460, ws: 7, sackPerm: true, t: 0.02 });
  c.tcp('A', { seq: 1, ack: 1, win: 502, t: 0.0205 });
  for (let k = 0; k < 10; k++) {
    c.tcp('A', { len: 1000, win: 502, t: 0.03 + k * 0.001 });
    c.tcp('B', { win: 510, t: 0.05 + k * 0.001 });
  }
  c.tcp('A', { flags: 'FA', win: 502, t: 0.1 });
  c.tcp('B', { flags: 'FA', win: 510, t: 0.12 });
  c.tcp('A', { win: 502, t: 0.1205 });
  return c.toPcap();
}

describe.skipIf(e2eUnavailable() !== null)('the stream view shows every stream\'s numbers', () => {
  let s: AppSession;
  beforeAll(async () => {
    s = await openApp({ width: 1440, height: 1000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the sample\'s stream: handshake RTT, ACK RTT, retransmissions, reset', async () => {
    await s.page.getByRole('button', { name: 'Open sample' }).last().click();
    await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    const stats = s.page.getByTestId('stream-stats');
    await stats.getByTestId('stats-handshake').waitFor({ timeout: 15_000 });
    expect(await stats.getByTestId('stats-handshake').textContent()).toContain('2.598\u00a0ms');
    expect(await stats.getByTestId('stats-close').textContent()).toContain('reset by A after a FIN from B');
    expect(await stats.getByTestId('stats-side-0').textContent()).toContain('7 segments');
    await s.screenshot('stream-stats-sample');
    expect(s.errors).toEqual([]);
  });

  it('a healthy stream: no finding, and its numbers', async () => {
    await s.page.getByTestId('file-input').setInputFiles({ name: 'healthy.pcap', mimeType: 'application/vnd.tcpdump.pcap', buffer: Buffer.from(healthy()) });
    await s.page.getByTestId('stream-row-0').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('stream-row-0').click();
    await s.page.getByText('No finding for this stream.').waitFor({ timeout: 15_000 });
    const stats = s.page.getByTestId('stream-stats');
    await stats.getByTestId('stats-handshake').waitFor({ timeout: 15_000 });
    expect(await stats.getByTestId('stats-handshake').textContent()).toContain('20.50\u00a0ms');
    expect(await stats.getByTestId('stats-rtt-0').textContent()).toContain('20.00\u00a0ms / 20.00\u00a0ms / 20.00\u00a0ms');
    expect(await stats.getByTestId('stats-close').textContent()).toContain('closed with FINs, A first');
    expect(await stats.textContent()).toContain('shift 7 (×128)');
    await s.screenshot('stream-stats-healthy');
    await s.page.getByTestId('lang').selectOption('zh-CN');
    await s.page.getByText('以 FIN 关闭，A 先发').waitFor({ timeout: 10_000 });
    expect(await stats.getByTestId('stats-handshake').textContent()).toContain('SYN → SYN/ACK 20.00\u00a0ms（抓包点 ↔ B）');
    await s.screenshot('stream-stats-healthy-zh');
    expect(s.errors).toEqual([]);
  });
});
