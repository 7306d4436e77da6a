/**
 * `follow FILE (--stream N | --udp-frame N) [--format ascii|hex|raw|utf8] [-o OUT]`: a stream's payload,
 * both directions in sequence order, bytes sent again once, holes marked; laid out like tshark's
 * `-z follow,tcp,<mode>,N` (raw: one hex line per chunk, direction B indented by a tab). With -o
 * and raw, OUT gets the payload bytes themselves (both directions, in order); otherwise the text.
 */
import { createWriteStream } from 'node:fs';
import { openCaptureBytes } from '../capture/node';
import { followFormatter, gapText, type FollowChunk, type FollowFormat } from '../view/follow';
import { asFrame, asStreamId } from '../types';
import { loadCapture } from './analyze';
import type { CliIo } from './io';

export const FOLLOW_USAGE = 'follow FILE (--stream N | --udp-frame N) [--format ascii|hex|raw|utf8] [-o OUT]';

export interface FollowOptions {
  file: string;
  stream?: number;
  udpFrame?: number;
  format: 'ascii' | 'hex' | 'raw' | 'utf8';
  out?: string;
}

export function parseFollowArgs(args: string[]): FollowOptions | string {
  let file: string | undefined, stream: number | undefined, udpFrame: number | undefined, out: string | undefined;
  let format: FollowOptions['format'] = 'ascii';
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const value = () => args[++k];
    if (['--stream', '--udp-frame', '--format', '-o'].includes(a) && args[k + 1] === undefined) return `option ${a} needs a value`;
    if (a === '--stream' || a === '--udp-frame') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < (a === '--stream' ? 0 : 1)) return `${a} takes a whole number${a === '--stream' ? '' : ' above 0'}`;
      if (a === '--stream') stream = v;
      else udpFrame = v;
    } else if (a === '--format') {
      const v = value();
      if (v !== 'ascii' && v !== 'hex' && v !== 'raw' && v !== 'utf8') return `unknown format "${v}" (ascii, hex, raw, utf8)`;
      format = v;
    } else if (a === '-o') out = value();
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `one FILE only (${a})`;
  }
  if (!file) return 'FILE is missing';
  if ((stream === undefined) === (udpFrame === undefined)) return 'say which stream: --stream N (TCP) or --udp-frame N (the UDP conversation of frame N)';
  return { file, stream, udpFrame, format, out };
}

function hexLine(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** One chunk as tshark's ascii mode shows it: its length, then its text (non-printables as '.'). */
function asciiChunk(c: FollowChunk): string {
  const tab = c.dir ? '\t' : '';
  if (c.kind === 'gap') return `${tab}${gapText(c.length)}\n`;
  let text = '';
  for (const x of c.bytes) text += x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.';
  return `${tab}${c.bytes.length}\n${text}\n`;
}

export async function runFollow(opts: FollowOptions, io: CliIo): Promise<number> {
  const a = await loadCapture(opts.file);
  const plan = a.follow(opts.stream !== undefined ? { tcp: asStreamId(opts.stream) } : { udp: asFrame(opts.udpFrame ?? 0) });
  if (!plan) {
    io.err(opts.stream !== undefined ? `follow: there is no TCP stream ${opts.stream}\n` : `follow: frame ${opts.udpFrame} is not UDP\n`);
    return 1;
  }
  const src = await openCaptureBytes(opts.file, a.compressed);
  const file = opts.out ? createWriteStream(opts.out) : null;
  const write = async (t: string | Uint8Array) => {
    if (!file) { io.out(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')); return; }
    if (!file.write(t)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
  };
  const binary = opts.format === 'raw' && file !== null;
  try {
    const proto = plan.protocol;
    const filter = proto === 'tcp' ? `tcp.stream eq ${plan.stream}` : `udp frame ${opts.udpFrame}`;
    const rule = '===================================================================\n';
    if (!binary) {
      await write(`\n${rule}Follow: ${proto},${opts.format}\nFilter: ${filter}\nNode 0: ${node(plan.a)}\nNode 1: ${node(plan.b)}\n`);
    }
    const fmt = opts.format === 'hex' || opts.format === 'utf8' ? followFormatter(opts.format as FollowFormat) : null;
    let gaps = 0;
    for await (const c of a.followChunks(plan, src.bytes)) {
      if (c.kind === 'gap') gaps += c.length;
      if (binary) { if (c.kind === 'data') await write(c.bytes); continue; }
      if (opts.format === 'raw') { if (c.kind === 'data') await write(`${c.dir ? '\t' : ''}${hexLine(c.bytes)}\n`); continue; }
      if (fmt) await write(fmt.chunk(c));
      else await write(asciiChunk(c));
    }
    if (fmt) await write(fmt.end());
    if (!binary) await write(rule);
    if (gaps > 0 && opts.format === 'raw') io.err(`follow: ${gapText(gaps)} in this stream (raw output leaves holes out)\n`);
  } finally {
    await src.close();
    if (file) await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
  return 0;
}

function node(e: { addr: string; port: number }): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}
