/**
 * The rate verdicts (src/diagnose/rate.ts) beside the kernel's tcp_info chrono counters, for every
 * `<scenario>.meta.json` with a bulk client in the folders given (kernel captures made by
 * tools/kernel-captures/make-captures.sh): one row per capture point (node-eth0 next to the
 * sender, server-eth0 at the receiver), our dominant limit and our shares in the kernel's groups.
 *   npx tsx scripts/rate-table.ts tests/fixtures/rate tools/kernel-captures/out/rate2
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openAnalysis } from '../src/analysis';
import { readCaptureFileIntoAnalysis } from '../src/cli/readFile';
import { DiagnoseContext } from '../src/diagnose/context';
import { streamModels } from '../src/diagnose/index';
import { kernelGroups, ourGroups, groupsText } from '../tests/oracle/rateGroups';

async function main(): Promise<void> {
  const dirs = process.argv.slice(2);
  if (!dirs.length || dirs.includes('--help')) {
    console.log('usage: npx tsx scripts/rate-table.ts FOLDER... (folders of <scenario>.meta.json and <scenario>.<point>.pcap)');
    return;
  }
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.meta.json')).sort()) {
      const scen = f.slice(0, -'.meta.json'.length);
      const meta = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown;
      const kernel = kernelGroups(meta);
      if (!kernel) continue;
      for (const point of ['node-eth0', 'server-eth0']) {
        const file = path.join(dir, `${scen}.${point}.pcap`);
        if (!existsSync(file)) continue;
        const a = await readCaptureFileIntoAnalysis(file, openAnalysis());
        const ctx = new DiagnoseContext(a.columns, streamModels(a.input), {}, a.input.tcp?.flags);
        const m = ctx.streams.find((s) => s.clientDir === 0 && s.rows.length > 10);
        const r = m ? ctx.rate(m, 0) : null;
        const ours = r ? `${r.dominant.padEnd(15)} ${groupsText(ourGroups(r))}` : 'no verdict';
        console.log(`${path.basename(dir)}/${scen}`.padEnd(28), point.padEnd(11), '|', ours, '| kernel', groupsText(kernel));
      }
    }
  }
}

void main();
