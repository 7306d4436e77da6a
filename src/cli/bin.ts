/**
 * Entry of the bundled CLI (`npm run build:cli` → dist-cli/capture-inspector.mjs, run with plain
 * node, no node_modules): runs the command line whatever the file is called.
 */
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 1; },
);
