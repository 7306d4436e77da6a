/** The command line's usage contract: help, bad usage (2), unreadable input (1), a report (0). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeArgs } from '../../src/cli/analyze';
import { runCli as run } from './cliRun';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');


describe('cli usage', () => {
  it('--help of a command prints its usage on stdout and exits 0', async () => {
    expect(await run('analyze', '--help')).toEqual({ code: 0, out: expect.stringMatching(/^usage: analyze FILE \[FILE \.\.\.\] \[--mtu N\]/), err: '' });
    expect((await run('fields', '-h')).out).toMatch(/^usage: fields FILE \[-Y FILTER\] -e FIELD/);
  });

  it('an option without its value is bad usage', async () => {
    expect(parseAnalyzeArgs(['x.pcap', '--format'])).toBe('option --format needs a value');
    expect(parseAnalyzeArgs(['x.pcap', '--mtu'])).toBe('option --mtu needs a value');
    const r = await run('analyze', 'x.pcap', '--lang');
    expect(r.code).toBe(2);
    expect(r.err).toBe('analyze: option --lang needs a value\nusage: analyze FILE [FILE ...] [--mtu N] [--lang en|zh-CN] [--format json|text] [--max-packets N] [-Y FILTER]\n');
  });

  it('options go before or after the files, with = or a space', () => {
    expect(parseAnalyzeArgs(['--format=json', 'a.pcap', '--mtu', '1440', 'b.pcap', '--lang', 'zh-CN'])).toEqual({
      file: 'a.pcap', files: ['a.pcap', 'b.pcap'], mtu: 1440, lang: 'zh-CN', format: 'json',
    });
  });

  it('analyze: a file that is not a capture exits 1 with the reason, nothing on stdout', async () => {
    const r = await run('analyze', path.join(fixtures, 'capture', 'pcapng-test-generator.le.test008.txt'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^analyze: .*test008\.txt cannot be analysed: this is a text file, not a pcap or pcapng capture/);
  });

  it('analyze: --mtu reaches the report and the oversized-packet finding', async () => {
    const r = await run('analyze', path.join(fixtures, 'diagnose', 'pmtu-blackhole.node-eth0.pcap'), '--mtu', '1400', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.pathMtu).toBe(1400);
    expect(j.findings.find((f: { kind: string }) => f.kind === 'oversized-df')).toMatchObject({ mtu: 1400, mtuSource: 'user' });
  });
});
