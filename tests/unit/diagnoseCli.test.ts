import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeArgs, runAnalyze } from '../../src/cli/analyze';
import { memoryIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'diagnose');

describe('analyze command', () => {
  it('parses its options and refuses bad ones', () => {
    expect(parseAnalyzeArgs(['x.pcap', '--mtu', '1440', '--lang=zh-CN', '--format', 'json'])).toEqual({ file: 'x.pcap', mtu: 1440, lang: 'zh-CN', format: 'json' });
    expect(parseAnalyzeArgs([])).toBe('FILE is missing');
    expect(typeof parseAnalyzeArgs(['x', '--mtu', 'big'])).toBe('string');
    expect(typeof parseAnalyzeArgs(['x', '--lang', 'fr'])).toBe('string');
  });

  it('writes the documented JSON', async () => {
    const io = memoryIo();
    const code = await runAnalyze({ file: path.join(fixtures, 'pmtu-blackhole.node-eth0.vxlan.pcap'), lang: 'en', format: 'json' }, io);
    expect(code).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.version).toBe(1);
    expect(j.capture).toMatchObject({ format: 'pcap', frames: 32, warnings: [], tunnels: ['VXLAN'] });
    expect(j.streams).toHaveLength(1);
    expect(j.streams[0]).toMatchObject({ index: 0, a: '198.18.1.2:39144', b: '198.18.3.2:9090', packets: 32 });
    expect(j.streams[0].findings).toContain('pmtu-blackhole:s0:d0:f21');
    const b = j.findings[0];
    expect(b).toMatchObject({ id: 'pmtu-blackhole:s0:d0:f21', kind: 'pmtu-blackhole', severity: 'critical', stream: 0, pathMtu: { min: 1359, max: 1449 } });
    expect(typeof b.text).toBe('string');
    expect(b.remedy.length).toBeGreaterThan(2);
  });

  it('is registered in the command table and prints a text report', async () => {
    const io = memoryIo();
    expect(await main(['analyze', path.join(fixtures, 'rst-and-refused.node-eth0.pcap'), '--lang', 'zh-CN'], io)).toBe(0);
    expect(io.stdout).toContain('拒绝了连接');
    expect(io.stdout).toContain('TCP 流 (4)');
  });

  it('tells what the summary does not: how fast the refusal came, how many were refused, how long before the abort', async () => {
    const io = memoryIo();
    expect(await main(['analyze', path.join(fixtures, 'rst-and-refused.node-eth0.pcap'), '--format', 'json'], io)).toBe(0);
    const j = JSON.parse(io.stdout) as { findings: { id: string; summary: string; story: string[] }[] };
    const refused = j.findings.find((f) => f.id === 'handshake-failure:s0:d0:f2')!;
    expect(refused.story[0]).toMatch(/^The RST came 4\.5 ms after the SYN, with TTL \/ hop limit 62: the path to 198\.18\.3\.2:9091 works/);
    expect(refused.story[1]).toBe('Connection attempts to 198.18.3.2:9091 refused in this capture: 2 (streams 0-1).');
    const abort = j.findings.find((f) => f.id === 'reset:s3:d1:f58')!;
    expect(abort.summary).toBe('198.18.3.2:9090 sent RST in frame 58 after sending 0 bytes and receiving 604 bytes.');
    expect(abort.story[0]).toBe('No FIN came before it from either side: an abortive close, 259 ms after the previous packet of the connection (frame 57).');
    // No paragraph of a story repeats the summary.
    for (const f of j.findings) for (const p of f.story) expect(p).not.toBe(f.summary);
  });

  it('reports an unreadable file as an error', async () => {
    const io = memoryIo();
    expect(await runAnalyze({ file: path.join(fixtures, 'no-such-file.pcap'), lang: 'en', format: 'text' }, io)).toBe(1);
    expect(io.stderr).toContain('cannot read');
  });
});
