/** Runs one measured workload in a child process: ours (workload.ts) or an external tool. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkloadResult } from './workload';

const WORKLOAD = fileURLToPath(new URL('./workload.ts', import.meta.url));

export function runWorkload(kind: 'read' | 'decode' | 'analyze' | 'filter' | 'graphs' | 'peer', file: string): WorkloadResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', WORKLOAD, kind, file], {
    encoding: 'utf8', maxBuffer: 1 << 24,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`workload ${kind} ${file} failed:\n${r.stderr}`);
  return JSON.parse(line) as WorkloadResult;
}

export interface ToolResult {
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  /** Lines the tool printed on stdout. */
  lines: number;
  ok: boolean;
}

export function hasTool(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Run `cmd args` under /usr/bin/time (when present) to get its wall time, CPU time and peak RSS. */
export function runTool(cmd: string, args: string[], timeoutMs: number): Promise<ToolResult> {
  const timed = spawnSync('/usr/bin/time', ['--version'], { stdio: 'ignore' }).status === 0;
  const argv = timed ? ['/usr/bin/time', '-f', 'BENCHTIME %e %U %S %M', cmd, ...args] : [cmd, ...args];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => { for (const b of d) if (b === 10) lines++; });
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4096); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      const m = /BENCHTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      resolve({
        seconds: m ? Number(m[1]) : wall,
        cpuSeconds: m ? Number(m[2]) + Number(m[3]) : NaN,
        maxRssBytes: m ? Number(m[4]) * 1024 : NaN,
        lines, ok: code === 0,
      });
    });
  });
}
