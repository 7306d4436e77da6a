import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeArgs, runAnalyze } from '../../src/cli/analyze';
import { memoryIo } from '../../src/cli/io';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'diagnose');

async function analyze(file: string, extra: { maxPackets?: number; lang?: 'en' | 'zh-CN'; format?: 'json' | 'text' } = {}) {
  const io = memoryIo();
  expect(await runAnalyze({ file: path.join(fixtures, file), lang: extra.lang ?? 'en', format: extra.format ?? 'json', maxPackets: extra.maxPackets }, io)).toBe(0);
  return io.stdout;
}

describe('analyze: caveats and the packet limit', () => {
  it('parses --max-packets', () => {
    expect(parseAnalyzeArgs(['x.pcap', '--max-packets', '1000'])).toMatchObject({ file: 'x.pcap', maxPackets: 1000 });
    expect(parseAnalyzeArgs(['x.pcap', '--max-packets=5'])).toMatchObject({ maxPackets: 5 });
    expect(typeof parseAnalyzeArgs(['x.pcap', '--max-packets', '0'])).toBe('string');
    expect(parseAnalyzeArgs(['x.pcap'])).not.toHaveProperty('maxPackets');
  });

  it('a clean capture has an empty caveats array', async () => {
    expect(JSON.parse(await analyze('pmtu-blackhole.node-eth0.pcap')).caveats).toEqual([]);
  });

  it('stops at --max-packets and says so, with the partial analysis', async () => {
    const j = JSON.parse(await analyze('pmtu-blackhole.node-eth0.pcap', { maxPackets: 20 }));
    expect(j.capture.frames).toBe(20);
    expect(j.capture.warnings.at(-1)).toMatchObject({ kind: 'memory-limit', fatal: true, frame: 21 });
    expect(j.caveats[0]).toMatchObject({ kind: 'memory-limit', severity: 'warning', count: 20, frames: [21] });
    expect(j.caveats[0].text).toMatch(/^Reading stopped after 20 packets at byte [\d,]+: the limit of 20 packets was reached\. Everything before is analysed/);
    expect(j.streams[0].packets).toBe(20);
    const zh = await analyze('pmtu-blackhole.node-eth0.pcap', { maxPackets: 20, format: 'text', lang: 'zh-CN' });
    expect(zh).toContain('阅读时请注意 (1)');
    expect(zh).toContain('达到了 20 个包的上限');
  });

  it('lists packets captured twice on an -i any capture, in the text report too', async () => {
    const j = JSON.parse(await analyze('pmtu-blackhole.node-any.sll2.pcap'));
    const dup = j.caveats.find((c: { kind: string }) => c.kind === 'duplicate-capture');
    expect(dup.count).toBeGreaterThan(0);
    expect(dup.text).toMatch(/^Packets captured twice, at 2 capture points .*: \d+\. The diagnoses count each such packet once/);
    const text = await analyze('pmtu-blackhole.node-any.sll2.pcap', { format: 'text' });
    expect(text).toMatch(/Read with care \(\d\)\n {2}\* Packets captured twice/);
    expect(text).toMatch(/\n {4}- second copies, for example frames \d[\d, -]*(?: and \d[\d-]*)?\n/);
  });
});
