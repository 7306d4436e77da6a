/** The CLI's `graph` command: a stream graph as tab-separated lines (tests/fixtures/tcp captures). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGraphArgs } from '../../src/cli/graph';
import { runCli as run } from './cliRun';

const capture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tcp', 'random-loss-sack.node-eth0.pcap.gz');
const rows = (out: string) => out.trim().split('\n').slice(1).map((l) => l.split('\t'));

describe('cli graph', () => {
  it('throughput: every data byte of the direction, per bin of --bin seconds, with goodput and the average', async () => {
    const r = await run('graph', capture, '--stream', '0', '--bin', '0.1');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('time\tseries\tbits_per_second\tframe');
    const tput = rows(r.out).filter((x) => x[1] === 'throughput');
    const good = rows(r.out).filter((x) => x[1] === 'goodput');
    const bytes = (xs: string[][]) => xs.reduce((s, x) => s + (Number(x[2]) * 0.1) / 8, 0);
    // tshark's io,stat SUM(tcp.len) of the direction (tests/oracle/graphsTshark.test.ts) over the file.
    expect(Math.round(bytes(tput))).toBe(1527512);
    expect(bytes(good)).toBeLessThan(bytes(tput));
    expect(tput[1][0]).toBe('0.100000000');
  });

  it('rtt: every sample with the ACK and the segment timed; window: both series in a time range', async () => {
    const r = await run('graph', capture, '--stream', '0', '--kind', 'rtt');
    const s = rows(r.out);
    expect(s.length).toBeGreaterThan(100);
    for (const x of s) {
      expect(x[1]).toBe('rtt');
      expect(Number(x[3])).toBeGreaterThan(Number(x[4]));
    }
    const w = rows((await run('graph', capture, '--stream=0', '--kind=window', '--from', '0.5', '--to', '0.6')).out);
    expect(new Set(w.map((x) => x[1]))).toEqual(new Set(['window', 'in_flight']));
    for (const x of w) expect(Number(x[0])).toBeGreaterThanOrEqual(0.5);
  });

  it('bad usage exits 2 with the reason; no such stream exits 1', async () => {
    expect(parseGraphArgs(['x.pcap'])).toBe('say which stream: --stream N');
    expect(parseGraphArgs(['x.pcap', '--stream', '0', '--kind', 'foo'])).toBe('unknown kind "foo" (throughput, rtt, window)');
    expect(parseGraphArgs(['x.pcap', '--stream', '0', '--dir', '2'])).toBe('--dir is 0 (A→B) or 1 (B→A)');
    expect((await run('graph', capture, '--stream')).code).toBe(2);
    const r = await run('graph', capture, '--stream', '99');
    expect(r.code).toBe(1);
    expect(r.err).toBe('graph: there is no TCP stream 99\n');
  });
});
