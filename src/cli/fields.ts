/**
 * `fields FILE -e FIELD [-e FIELD ...]`: one tab-separated line per frame, named and formatted like
 * `tshark -r FILE -n -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=,`
 * (absent field → empty; a field occurring several times → comma-joined, outer before inner).
 *
 * The field registry
 * ------------------
 * A field is `{ name, get(ctx, row) → string }`, registered in groups:
 *
 *   registerFieldGroup({
 *     name: 'tcp-analysis',
 *     setup(session, ext) { const a = new TcpAnalyzer(); session.addProcessor(a); ext.set('tcp', a); },
 *     fields: [{ name: 'tcp.stream', get: (ctx, row) => String((ctx.ext.get('tcp') as TcpAnalyzer).stream[row]) }],
 *   });
 *
 * The command runs in two passes over the file. Pass 1 feeds a CaptureSession (decoder + the row
 * processors that the groups of the requested fields added in `setup`), so per-row columns such as
 * the TCP analysis are complete. Pass 2 reads the records again and prints each frame: `get` receives
 * a FieldContext with the session and its columns (index them with `row`, the 0-based frame), the
 * current record (its bytes are valid only during the call), and `values(key)`, every value of a
 * tshark-style key in the frame's full decode (decodeDetail, made once per frame on first use).
 *
 * Why a second decode instead of more columns: the packet table keeps only what the analysis needs
 * (innermost IP, TCP, ICMP summary); the outer headers of tunnels, checksums, VLAN ids and the like are
 * wanted only when printing, so they are decoded again from the bytes, one frame at a time.
 */

import type { CaptureRecord } from '../capture/types';
import type { PacketColumns } from '../decode/columns';
import { decodeDetail, detailValues, type DetailLayer } from '../decode/detail';
import { CaptureSession, type ReaderFactory } from '../pipeline';
import { BASE_FIELDS } from './baseFields';
import { TCP_FIELDS } from './tcpFields';
import type { CliIo } from './io';
import { fileSize, readCaptureFile, readCaptureFileIntoSession } from './readFile';

export interface FieldContext {
  readonly session: CaptureSession;
  readonly cols: PacketColumns;
  /** The record being printed; its `data` is valid only during get(). */
  readonly record: CaptureRecord;
  /** The full decode of the current frame. */
  detail(): DetailLayer[];
  /** Every value of a tshark-style key in the current frame, outer layer first. */
  values(key: string): string[];
  /** Objects the groups' setup() stored (e.g. the TCP analyzer), by name. */
  readonly ext: Map<string, unknown>;
}

export interface FieldDef {
  name: string;
  get(ctx: FieldContext, row: number): string;
}

export interface FieldGroup {
  name: string;
  /** Called once before pass 1 when one of the group's fields is requested. */
  setup?(session: CaptureSession, ext: Map<string, unknown>): void;
  fields: FieldDef[];
}

const groups: FieldGroup[] = [];
const byName = new Map<string, { def: FieldDef; group: FieldGroup }>();

export function registerFieldGroup(g: FieldGroup): void {
  groups.push(g);
  for (const def of g.fields) byName.set(def.name, { def, group: g });
}

export function fieldNames(): string[] {
  return [...byName.keys()];
}

registerFieldGroup(BASE_FIELDS);
registerFieldGroup(TCP_FIELDS);

class Context implements FieldContext {
  record!: CaptureRecord;
  private layers: DetailLayer[] | null = null;

  constructor(readonly session: CaptureSession, readonly ext: Map<string, unknown>) {}

  get cols(): PacketColumns {
    return this.session.columns;
  }

  next(rec: CaptureRecord): void {
    this.record = rec;
    this.layers = null;
  }

  detail(): DetailLayer[] {
    if (!this.layers) {
      const rec = this.record;
      const iface = this.session.interfaces[rec.interfaceId];
      const fcs = iface ? Math.max(0, Math.min(iface.fcsLen - (rec.originalLength - rec.capturedLength), rec.data.length)) : 0;
      // Bytes of the frame before its FCS that snaplen left out (tcp.len when the IP length overstates the frame).
      const uncaptured = Math.max(0, rec.originalLength - rec.capturedLength - (iface ? iface.fcsLen : 0));
      this.layers = decodeDetail(rec.data, rec.linkType, fcs, uncaptured);
    }
    return this.layers;
  }

  values(key: string): string[] {
    return detailValues(this.detail(), key);
  }
}

export interface FieldsOptions {
  file: string;
  fields: string[];
  createReader?: ReaderFactory;
}

/** Parse `FILE -e F [-e F ...]`; returns an error text for bad usage. */
export function parseFieldsArgs(args: string[]): FieldsOptions | string {
  let file: string | null = null;
  const fields: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e') {
      const f = args[++i];
      if (f === undefined) return 'option -e needs a field name';
      fields.push(f);
    } else if (a.startsWith('-e') && a.length > 2) fields.push(a.slice(2));
    else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else if (file === null) file = a;
    else return `more than one input file (${file}, ${a})`;
  }
  if (file === null) return 'no input file';
  if (fields.length === 0) return 'no field requested (-e FIELD)';
  return { file, fields };
}

export const FIELDS_USAGE = 'fields FILE -e FIELD [-e FIELD ...]';

/** Run the command; output goes through `io` so tests need no child process. Returns the exit code. */
export async function runFields(opts: FieldsOptions, io: CliIo): Promise<number> {
  const unknown = opts.fields.filter((f) => !byName.has(f));
  if (unknown.length > 0) {
    io.err(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}\nsupported fields:\n  ${fieldNames().join('\n  ')}\n`);
    return 2;
  }
  const defs = opts.fields.map((f) => byName.get(f)!.def);
  const ext = new Map<string, unknown>();
  const session = new CaptureSession({ createReader: opts.createReader, expectedBytes: fileSize(opts.file) });
  const needed = new Set(opts.fields.map((f) => byName.get(f)!.group));
  for (const g of groups) if (needed.has(g)) g.setup?.(session, ext);

  try {
    await readCaptureFileIntoSession(opts.file, session);
  } catch (e) {
    io.err(`cannot read ${opts.file}: ${(e as Error).message}\n`);
    return 1;
  }
  const fatal = session.warnings.find((w) => w.fatal);
  if (session.packets === 0 && fatal) {
    io.err(`${opts.file}: ${fatal.message}\n`);
    return 1;
  }

  const ctx = new Context(session, ext);
  let out = opts.fields.join('\t') + '\n';
  let row = 0;
  const n = session.packets;
  await readCaptureFile(opts.file, {
    onRecord(rec) {
      if (row >= n) return;
      ctx.next(rec);
      for (let i = 0; i < defs.length; i++) out += (i ? '\t' : '') + defs[i].get(ctx, row);
      out += '\n';
      row++;
      if (out.length > 1 << 16) { io.out(out); out = ''; }
    },
  }, opts.createReader);
  io.out(out);
  for (const w of session.warnings) io.err(`warning: ${w.message}\n`);
  return 0;
}
