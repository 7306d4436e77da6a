/**
 * Command-line entry: `npm run --silent cli -- <command> [args]`. Commands live in the table below;
 * each parses its own arguments and returns an exit code (2 = usage error).
 */
import { ANALYZE_USAGE, parseAnalyzeArgs, runAnalyze } from './analyze';
import { EXPORT_USAGE, parseExportArgs, runExport } from './export';
import { FIELDS_USAGE, parseFieldsArgs, runFields } from './fields';
import { FOLLOW_USAGE, parseFollowArgs, runFollow } from './follow';
import { GRAPH_USAGE, parseGraphArgs, runGraph } from './graph';
import { processIo, type CliIo } from './io';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  analyze: {
    summary: 'capture summary, stream table and findings (--format json|text)',
    usage: ANALYZE_USAGE,
    async run(args, io) {
      const opts = parseAnalyzeArgs(args);
      if (typeof opts === 'string') { io.err(`analyze: ${opts}\nusage: ${ANALYZE_USAGE}\n`); return 2; }
      return runAnalyze(opts, io);
    },
  },
  fields: {
    summary: 'print per-frame fields named like tshark fields (tab-separated)',
    usage: FIELDS_USAGE,
    async run(args, io) {
      const opts = parseFieldsArgs(args);
      if (typeof opts === 'string') {
        io.err(`fields: ${opts}\nusage: ${FIELDS_USAGE}\n`);
        return 2;
      }
      return runFields(opts, io);
    },
  },
  export: {
    summary: 'write packets (all, a stream, frames, a finding\'s evidence) as pcapng',
    usage: EXPORT_USAGE,
    async run(args, io) {
      const opts = parseExportArgs(args);
      if (typeof opts === 'string') { io.err(`export: ${opts}\nusage: ${EXPORT_USAGE}\n`); return 2; }
      return runExport(opts, io);
    },
  },
  follow: {
    summary: 'a stream\'s payload, both directions in sequence order (like tshark -z follow)',
    usage: FOLLOW_USAGE,
    async run(args, io) {
      const opts = parseFollowArgs(args);
      if (typeof opts === 'string') { io.err(`follow: ${opts}\nusage: ${FOLLOW_USAGE}\n`); return 2; }
      return runFollow(opts, io);
    },
  },
  graph: {
    summary: 'a stream graph as tab-separated lines: throughput and goodput per bin, RTT samples, or window and bytes in flight',
    usage: GRAPH_USAGE,
    async run(args, io) {
      const opts = parseGraphArgs(args);
      if (typeof opts === 'string') { io.err(`graph: ${opts}\nusage: ${GRAPH_USAGE}\n`); return 2; }
      return runGraph(opts, io);
    },
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n      ${c.usage}`);
  return `usage: cli <command> [args]\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  const cmd = name === undefined ? undefined : COMMANDS[name];
  if (!cmd) {
    if (name !== undefined && name !== '-h' && name !== '--help') io.err(`unknown command: ${name}\n`);
    io.err(usage());
    return name === '-h' || name === '--help' ? 0 : 2;
  }
  if (args.includes('-h') || args.includes('--help')) {
    io.out(`usage: ${cmd.usage}\n`);
    return 0;
  }
  return cmd.run(args, io);
}

// Run only when executed directly (not when imported by tests).
if (process.argv[1] && /main\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 1; },
  );
}
