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
import { decodeDetail, detailValues, withJoinedDns, type DetailLayer } from '../decode/detail';
import { joinedDnsOf } from '../decode/dnsTable';
import { checkFilter, FilterError, runFilterFetching, type FrameData } from '../filter/index';
import { CaptureSession, type ReaderFactory } from '../pipeline';
import type { TcpAnalyzer } from '../tcp/analyzer';
import { filterErrorText, readRows } from './filter';
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

  /** Bytes of a captured frame check sequence at the end of the current record. */
  fcsLen(): number {
    const rec = this.record;
    const iface = this.session.interfaces[rec.interfaceId];
    return iface ? Math.max(0, Math.min(iface.fcsLen - (rec.originalLength - rec.capturedLength), rec.data.length)) : 0;
  }

  /** Bytes of the frame before its FCS that were not captured (snaplen). */
  uncaptured(): number {
    const rec = this.record;
    const iface = this.session.interfaces[rec.interfaceId];
    return Math.max(0, rec.originalLength - rec.capturedLength - (iface ? iface.fcsLen : 0));
  }

  detail(): DetailLayer[] {
    if (!this.layers) {
      // A DNS message this frame completes without holding it whole (joined TCP segments, a reassembled datagram).
      const j = joinedDnsOf(this.cols, this.record.index);
      this.layers = withJoinedDns(decodeDetail(this.record.data, this.record.linkType, this.fcsLen(), this.uncaptured()), j?.msg, j?.tcp ?? false, j?.mdns, j?.ports);
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
  /** `-Y`: a display filter; only the frames it selects are printed. */
  filter?: string;
  createReader?: ReaderFactory;
}

/** Parse `FILE -e F [-e F ...]`; returns an error text for bad usage. */
export function parseFieldsArgs(args: string[]): FieldsOptions | string {
  let file: string | null = null;
  const fields: string[] = [];
  let filter: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-Y') {
      const f = args[++i];
      if (f === undefined) return 'option -Y needs a display filter';
      filter = f;
    } else if (a === '-e') {
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
  return { file, fields, ...(filter !== undefined ? { filter } : {}) };
}

export const FIELDS_USAGE = 'fields FILE [-Y FILTER] -e FIELD [-e FIELD ...]';

/** Run the command; output goes through `io` so tests need no child process. Returns the exit code. */
export async function runFields(opts: FieldsOptions, io: CliIo): Promise<number> {
  const unknown = opts.fields.filter((f) => !byName.has(f));
  if (unknown.length > 0) {
    io.err(`unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}\nsupported fields:\n  ${fieldNames().join('\n  ')}\n`);
    return 2;
  }
  if (opts.filter !== undefined) {
    // A bad filter is told before the file is read.
    try { checkFilter(opts.filter); } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      io.err(filterErrorText(e, opts.filter));
      return 2;
    }
  }
  const defs = opts.fields.map((f) => byName.get(f)!.def);
  const ext = new Map<string, unknown>();
  const session = new CaptureSession({ createReader: opts.createReader, expectedBytes: fileSize(opts.file) });
  const needed = new Set(opts.fields.map((f) => byName.get(f)!.group));
  // A filter may read the TCP analysis.
  if (opts.filter !== undefined) needed.add(TCP_FIELDS);
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
  let keep: Uint8Array | null = null;
  if (opts.filter !== undefined) {
    const a = ext.get('tcp') as TcpAnalyzer;
    const cols = session.columns;
    // The frames the filter asks for (those whose columns cannot decide), with their link type and FCS.
    const fetch = async (rows: Uint32Array) => {
      const bytes = await readRows(opts.file, rows);
      const frames = new Map<number, FrameData>();
      for (const [row, data] of bytes) {
        const iface = session.interfaces[cols.iface[row]];
        const fcsLen = iface ? Math.max(0, Math.min(iface.fcsLen - (cols.origLen[row] - cols.capLen[row]), data.length)) : 0;
        const uncaptured = Math.max(0, cols.origLen[row] - cols.capLen[row] - (iface ? iface.fcsLen : 0));
        frames.set(row, { data, linkType: iface?.linkType ?? 1, fcsLen, uncaptured, dnsJoined: joinedDnsOf(cols, row) });
      }
      return frames;
    };
    try {
      keep = (await runFilterFetching(opts.filter, {
        cols, tcp: { ...a.out, streams: a.streams }, pcapng: session.format === 'pcapng',
        interfaceName: (id) => session.interfaces[id]?.name ?? 'unknown',
      }, fetch)).mask;
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      io.err(filterErrorText(e, opts.filter));
      return 2;
    }
  }
  let out = opts.fields.join('\t') + '\n';
  let row = 0;
  const n = session.packets;
  await readCaptureFile(opts.file, {
    onRecord(rec) {
      if (row >= n) return;
      ctx.next(rec);
      if (keep && keep[row] === 0) { row++; return; }
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
