/**
 * `npm run build:cli [-- --outdir DIR]`: the command line as one ES module with every dependency
 * inside (dist-cli/capture-inspector.mjs), for a machine with node ≥ 18 and nothing else (the node
 * where tcpdump ran): `node capture-inspector.mjs analyze capture.pcap`.
 * esbuild bundles src/cli/bin.ts for Node 18; the build then refuses APIs that Node 18 lacks.
 */
import { build } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const CLI_FILE = 'capture-inspector.mjs';

/**
 * Calls a Node 18 runtime lacks (newer ECMAScript and Node APIs): esbuild's target lowers syntax,
 * not library calls, so the bundle is searched for them.
 */
const NEWER_THAN_NODE_18: readonly [RegExp, string][] = [
  [/\bimport\.meta\.(?:dirname|filename)\b/, 'import.meta.dirname/filename (Node 20.11)'],
  [/\.toSorted\(|\.toReversed\(|\.toSpliced\(/, 'Array.prototype.toSorted/toReversed/toSpliced (Node 20)'],
  [/\bObject\.groupBy\(|\bMap\.groupBy\(/, 'Object.groupBy/Map.groupBy (Node 21)'],
  [/\bPromise\.withResolvers\(/, 'Promise.withResolvers (Node 22)'],
  [/\bArray\.fromAsync\(/, 'Array.fromAsync (Node 22)'],
  [/\.isWellFormed\(|\.toWellFormed\(/, 'String.prototype.isWellFormed (Node 20)'],
  [/\bfs\.globSync\b|\bglobSync\(/, 'fs.globSync (Node 22)'],
  [/\bprocess\.getBuiltinModule\b/, 'process.getBuiltinModule (Node 22)'],
];

export function node18Problems(code: string): string[] {
  return NEWER_THAN_NODE_18.filter(([re]) => re.test(code)).map(([, what]) => what);
}

export async function buildCli(outDir: string): Promise<string> {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const outfile = path.join(outDir, CLI_FILE);
  await build({
    entryPoints: [path.join(root, 'src', 'cli', 'bin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: '#!/usr/bin/env node\n// Capture Inspector command line (one file, no dependencies): node capture-inspector.mjs --help' },
  });
  const problems = node18Problems(readFileSync(outfile, 'utf8'));
  if (problems.length > 0) throw new Error(`${outfile} uses what Node 18 lacks: ${problems.join(', ')}`);
  return outfile;
}

if (process.argv[1] && /scripts[\\/]build[\\/]cli\.[cm]?[jt]s$/.test(process.argv[1])) {
  const i = process.argv.indexOf('--outdir');
  const outDir = path.resolve(i > 0 && process.argv[i + 1] ? process.argv[i + 1] : 'dist-cli');
  buildCli(outDir).then(
    (file) => { console.log(`${path.relative(process.cwd(), file)}  ${(statSync(file).size / 1024).toFixed(0)} KiB`); },
    (e: unknown) => { console.error(e instanceof Error ? e.message : String(e)); process.exitCode = 1; },
  );
}
