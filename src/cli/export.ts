/**
 * `export FILE -w OUT.pcapng [-Y FILTER] [--stream N] [--frames 1-10,20] [--finding ID]`: packets of
 * a capture as pcapng (interfaces, time stamps at the source's resolution, the bytes as captured).
 * The options narrow the selection together (a stream's frames among 1-10 that the filter selects,
 * ...); none: every packet. --finding: that finding's evidence frames, each commented with the
 * finding's name.
 */
import { open } from 'node:fs/promises';
import { openCaptureBytes } from '../capture/node';
import { asStreamId, rowOf, type Frame } from '../types';
import type { ExportRequest } from '../analysis';
import { checkFilter, FilterError } from '../filter/index';
import { loadCapture } from './analyze';
import { filterCaptureFile, filterErrorText } from './filter';
import type { CliIo } from './io';

export const EXPORT_USAGE = 'export FILE -w OUT.pcapng [-Y FILTER] [--stream N] [--frames 1-10,20] [--finding ID]';

export interface ExportOptions {
  file: string;
  out: string;
  stream?: number;
  /** Frame ranges, inclusive. */
  frames?: [number, number][];
  finding?: string;
  /** `-Y`: a display filter (src/filter). */
  filter?: string;
}

/** "1-10,20" → [[1, 10], [20, 20]], or an error text. */
export function parseFrameRanges(text: string): [number, number][] | string {
  const out: [number, number][] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return `bad frame range "${part}" (e.g. 1-10,20)`;
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a) return `bad frame range "${part}" (frames count from 1, low-high)`;
    out.push([a, b]);
  }
  return out;
}

export function parseExportArgs(args: string[]): ExportOptions | string {
  let file: string | undefined, out: string | undefined, stream: number | undefined, frames: [number, number][] | undefined;
  let finding: string | undefined, filter: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (['-w', '--stream', '--frames', '--finding', '-Y'].includes(a) && args[k + 1] === undefined) return `option ${a} needs a value`;
    if (a === '-w') out = args[++k];
    else if (a === '--stream') {
      const v = Number(args[++k]);
      if (!Number.isInteger(v) || v < 0) return '--stream takes a whole number';
      stream = v;
    } else if (a === '--frames') {
      const r = parseFrameRanges(args[++k]);
      if (typeof r === 'string') return r;
      frames = r;
    } else if (a === '--finding') finding = args[++k];
    else if (a === '-Y') filter = args[++k];
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `one FILE only (${a})`;
  }
  if (!file) return 'FILE is missing';
  if (!out) return '-w OUT.pcapng is missing';
  return { file, out, stream, frames, finding, filter };
}

export async function runExport(opts: ExportOptions, io: CliIo): Promise<number> {
  if (opts.filter !== undefined) {
    // A bad filter is told before the file is read.
    try { checkFilter(opts.filter); } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      io.err(filterErrorText(e, opts.filter));
      return 2;
    }
  }
  const a = await loadCapture(opts.file);
  const n = a.columns.length;
  let req: ExportRequest;
  if (opts.finding !== undefined) {
    const f = a.diagnosis(0).findings.find((x) => x.id === opts.finding);
    if (!f) { io.err(`export: no finding ${opts.finding} (see analyze --format json)\n`); return 1; }
    req = a.exportRows({ finding: f });
  } else if (opts.stream !== undefined) {
    if (opts.stream >= a.tcp.streams.length) { io.err(`export: there is no TCP stream ${opts.stream}\n`); return 1; }
    req = a.exportRows({ stream: asStreamId(opts.stream) });
  } else req = { rows: Uint32Array.from({ length: n }, (_, i) => i) };
  if (opts.frames) {
    const ranges = opts.frames.map(([x, y]) => [rowOf(x as Frame), rowOf(y as Frame)]);
    req = { ...req, rows: req.rows.filter((r) => ranges.some(([x, y]) => r >= x && r <= y)) };
  }
  if (opts.filter !== undefined) {
    let mask: Uint8Array;
    try {
      mask = (await filterCaptureFile(a, opts.file, opts.filter)).mask;
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      io.err(filterErrorText(e, opts.filter));
      return 2;
    }
    req = { ...req, rows: req.rows.filter((r) => mask[r] === 1) };
  }
  const src = await openCaptureBytes(opts.file, a.compressed);
  const fh = await open(opts.out, 'w');
  try {
    for await (const part of a.exportPcapng(req, src.bytes)) await fh.write(part);
  } finally {
    await fh.close();
    await src.close();
  }
  io.err(`export: ${req.rows.length} packet${req.rows.length === 1 ? '' : 's'} written to ${opts.out}\n`);
  return 0;
}
