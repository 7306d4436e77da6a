/** `-Y FILTER` of the CLI's `fields` and `analyze` commands. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cliRun';

const sample = path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap');

describe('fields -Y', () => {
  it('prints only the frames the filter selects', async () => {
    const r = await runCli('fields', sample, '-Y', 'tcp.flags.syn == 1 || frame.number in {5, 7}', '-e', 'frame.number', '-e', 'tcp.flags');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('frame.number\ttcp.flags\n1\t0x0002\n2\t0x0012\n5\t0x0018\n7\t0x0010\n');
  });

  it('reads the frames for fields the columns do not hold', async () => {
    const all = await runCli('fields', sample, '-e', 'frame.number', '-e', 'eth.src');
    const src = all.out.split('\n')[1].split('\t')[1];
    const r = await runCli('fields', sample, '-Y', `eth.src == ${src} && frame.number < 4`, '-e', 'frame.number');
    expect(r.out.split('\n').filter(Boolean).slice(1).every((l) => Number(l) < 4)).toBe(true);
    expect(r.out).toContain('\n1\n');
  });

  it('a bad filter: exit 2, the reason and where, before reading the file', async () => {
    const r = await runCli('fields', 'no-such-file.pcap', '-Y', 'tcp.prot == 80', '-e', 'frame.number');
    expect(r.code).toBe(2);
    expect(r.err).toBe('bad display filter: "tcp.prot" is neither a field nor a protocol; did you mean tcp.port?\n  tcp.prot == 80\n  ^^^^^^^^\n');
  });
});

describe('analyze -Y', () => {
  it('keeps the streams with a matching packet and says so', async () => {
    const all = JSON.parse((await runCli('analyze', sample, '--format', 'json')).out);
    const r = await runCli('analyze', sample, '--format', 'json', '-Y', 'tcp.stream == 0');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.streams.map((s: { index: number }) => s.index)).toEqual([0]);
    expect(j.filter).toEqual({ expression: 'tcp.stream == 0', frames: all.streams[0].packets, streams: 1 });
    expect(j.capture).toEqual(all.capture);
  });

  it('in Chinese, a bad filter is told in Chinese', async () => {
    const r = await runCli('analyze', sample, '--lang', 'zh-CN', '-Y', 'tcp.port ==');
    expect(r.code).toBe(2);
    expect(r.err).toContain('显示过滤器有误');
  });
});
