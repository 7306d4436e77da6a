/** The command line: dispatcher, `fields` argument handling, errors and partly readable files. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerFieldGroup } from '../../src/cli/fields';
import { runCli as run } from '../unit/cliRun';

const fixture = path.resolve(__dirname, '..', 'fixtures', 'decode', 'pmtu-ok.node-eth0.pcap');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fields-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


describe('cli', () => {
  it('an unknown command prints the usage and exits 2', async () => {
    const r = await run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command: frobnicate/);
    expect(r.err).toMatch(/fields/);
    expect((await run()).code).toBe(2);
  });

  it('fields: bad usage exits 2', async () => {
    expect((await run('fields')).code).toBe(2);
    expect((await run('fields', fixture)).code).toBe(2);
    expect((await run('fields', fixture, '-e')).code).toBe(2);
    expect((await run('fields', fixture, '-x', 'ip.src')).code).toBe(2);
  });

  it('fields: an unknown field exits 2 and lists the supported ones', async () => {
    const r = await run('fields', fixture, '-e', 'ip.src', '-e', 'ip.nonsense');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown field: ip.nonsense/);
    expect(r.err).toMatch(/tcp\.seq_raw/);
    expect(r.out).toBe('');
  });

  it('fields: an unreadable or foreign file exits non-zero with the reason', async () => {
    const missing = await run('fields', path.join(tmp, 'none.pcap'), '-e', 'ip.src');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/none\.pcap/);
    const text = path.join(tmp, 'notes.txt');
    writeFileSync(text, 'this is not a capture\n'.repeat(10));
    const foreign = await run('fields', text, '-e', 'ip.src');
    expect(foreign.code).not.toBe(0);
    expect(foreign.err.length).toBeGreaterThan(0);
  });

  it('fields: prints what a cut-short file holds and warns on stderr', async () => {
    const cut = path.join(tmp, 'cut.pcap');
    writeFileSync(cut, readFileSync(fixture).subarray(0, 3000));
    const r = await run('fields', cut, '-e', 'frame.number', '-e', 'ip.len');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('frame.number\tip.len');
    expect(lines.length).toBeGreaterThan(5);
    expect(r.err).toMatch(/warning: /);
  });

  it('fields: -eFIELD works and values follow tshark conventions', async () => {
    const r = await run('fields', fixture, '-eframe.number', '-e', 'ip.src', '-e', 'icmp.mtu', '-e', 'tcp.flags', '-e', 'frame.time_epoch');
    const row22 = r.out.split('\n')[22].split('\t');
    expect(row22).toEqual(['22', '198.18.1.1,198.18.1.2', '1440', '0x0018', '1795635717.252036000']);
  });

  it('fields: a registered group sets up its processor and serves its fields', async () => {
    registerFieldGroup({
      name: 'test-group',
      setup(session, ext) {
        const counts: number[] = [];
        session.addProcessor({ process: (cols, row) => { counts[row] = cols.tcpLen[row] * 2; } });
        ext.set('double', counts);
      },
      fields: [{ name: 'test.double_len', get: (ctx, row) => String((ctx.ext.get('double') as number[])[row]) }],
    });
    const r = await run('fields', fixture, '-e', 'tcp.len', '-e', 'test.double_len');
    const rows = r.out.trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows[20]).toEqual(['1398', '2796']);
  });
});
