/**
 * The bundled command line (`npm run build:cli` → capture-inspector.mjs): built once into a temporary
 * folder, copied alone into an empty one (no node_modules, no package.json) and run there with plain
 * `node`, it prints what the in-process CLI (`npm run cli`) prints on a handful of the shared
 * captures: analyze as text and as JSON in Chinese, two capture points, fields, follow, graph, export.
 * CLI_NODE=/path/to/node runs the bundle with another node too (e.g. a Node 18).
 * Skipped, with this name, when ../shared/captures is absent.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI_FILE, node18Problems } from '../../scripts/build/cli';
import { main } from '../../src/cli/main';
import { memoryIo } from '../../src/cli/io';

const repo = path.resolve(import.meta.dirname, '..', '..');
const captures = path.resolve(repo, '..', 'shared', 'captures');
const haveShared = existsSync(captures);
if (!haveShared) console.warn('cliBundle: ../shared/captures not found beside the repository; the bundled CLI test is skipped');

const cap = (name: string) => path.join(captures, name);

/** Argument lists, the output file (if any) written where `{out}` stands. */
const RUNS: { name: string; args: string[] }[] = [
  { name: 'analyze, text (pcapng, two interfaces)', args: ['analyze', cap('pmtu-blackhole.node-eth0-tunl0.pcapng')] },
  { name: 'analyze, JSON in Chinese (SLL2)', args: ['analyze', cap('pmtu-blackhole.node-any.sll2.pcap'), '--format', 'json', '--lang', 'zh-CN'] },
  { name: 'analyze, resets and refusals, --mtu', args: ['analyze', cap('rst-and-refused.node-eth0.pcap'), '--mtu', '1440'] },
  { name: 'analyze, gzip', args: ['analyze', cap('random-loss-sack.node-eth0.pcap.gz')] },
  { name: 'analyze, two capture points', args: ['analyze', cap('pmtu-blackhole.node-eth0.pcap'), cap('pmtu-blackhole.server-eth0.pcap'), '--format', 'json'] },
  { name: 'fields with a filter', args: ['fields', cap('zero-window.node-eth0.pcap'), '-Y', 'tcp.analysis.zero_window || tcp.flags.syn == 1', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'tcp.window_size', '-e', 'tcp.analysis.zero_window'] },
  { name: 'follow, hex', args: ['follow', cap('pmtu-ok.node-eth0.pcap'), '--stream', '0', '--format', 'hex'] },
  { name: 'graph, throughput', args: ['graph', cap('pmtu-ok.node-eth0.pcap'), '--stream', '0', '--kind', 'throughput'] },
  { name: 'export a stream', args: ['export', cap('rst-and-refused.node-eth0.pcap'), '--stream', '1', '-w', '{out}'] },
  { name: 'usage error', args: ['analyze', '--no-such-option'] },
];

interface Result { code: number; stdout: string; stderr: string; file: string | null }

/** The output file's path is written as {out}, so two runs writing to two files compare equal. */
function result(code: number, stdout: string, stderr: string, file: string): Result {
  return {
    code, stdout: stdout.split(file).join('{out}'), stderr: stderr.split(file).join('{out}'),
    file: existsSync(file) ? readFileSync(file).toString('base64') : null,
  };
}

function runBundle(node: string, dir: string, args: string[], out: string): Result {
  const file = path.join(out, 'bundle.pcapng');
  rmSync(file, { force: true });
  const r = spawnSync(node, [CLI_FILE, ...args.map((a) => (a === '{out}' ? file : a))], {
    cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LANG: 'C' }, maxBuffer: 64 << 20,
  });
  return result(r.status ?? -1, r.stdout, r.stderr, file);
}

async function runInProcess(args: string[], out: string): Promise<Result> {
  const file = path.join(out, 'inprocess.pcapng');
  rmSync(file, { force: true });
  const io = memoryIo();
  const code = await main(args.map((a) => (a === '{out}' ? file : a)), io);
  return result(code, io.stdout, io.stderr, file);
}

describe.skipIf(!haveShared)('the bundled CLI in an empty folder, against ../shared/captures (skipped when ../shared is absent)', () => {
  let buildDir = '';
  let runDir = '';
  let outDir = '';
  const nodes = [process.execPath, ...(process.env.CLI_NODE ? [process.env.CLI_NODE] : [])];

  beforeAll(async () => {
    buildDir = mkdtempSync(path.join(os.tmpdir(), 'ci-cli-build-'));
    runDir = mkdtempSync(path.join(os.tmpdir(), 'ci-cli-run-'));
    outDir = mkdtempSync(path.join(os.tmpdir(), 'ci-cli-out-'));
    const built = await buildCli(buildDir);
    copyFileSync(built, path.join(runDir, CLI_FILE));
    console.log(`${CLI_FILE}: ${(statSync(built).size / 1024).toFixed(0)} KiB`);
  });
  afterAll(() => {
    for (const d of [buildDir, runDir, outDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('is one file, alone in its folder, with nothing Node 18 lacks', () => {
    expect(readdirSync(runDir)).toEqual([CLI_FILE]);
    const code = readFileSync(path.join(runDir, CLI_FILE), 'utf8');
    expect(node18Problems(code)).toEqual([]);
    // Every import is one of Node's own modules.
    const imports = [...code.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports.filter((s) => !s.startsWith('node:') && !['fs', 'path', 'fs/promises', 'module', 'url'].includes(s))).toEqual([]);
  });

  for (const run of RUNS) {
    it(`prints what npm run cli prints: ${run.name}`, async () => {
      const want = await runInProcess(run.args, outDir);
      for (const node of nodes) {
        const got = runBundle(node, runDir, run.args, outDir);
        expect({ ...got, node }).toEqual({ ...want, node });
      }
      if (run.name.startsWith('usage')) expect(want.code).toBe(2);
      else expect(want.code).toBe(0);
    });
  }
});
