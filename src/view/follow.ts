/**
 * Follow a stream: both directions' payload in sequence order, as the peers received it.
 *
 * Two steps, so that a stream of any size is never held whole:
 *  1. `followPlan(...)`, from the packet table and the TCP analysis alone (no byte read): which
 *     frames, which byte range of each payload, in the order the bytes became readable in the
 *     capture. Bytes sent again are taken once (the first copy that brought them); data after a
 *     hole waits until the hole is filled; a hole is declared not captured when the peer
 *     acknowledged past it (the capture missed bytes that arrived) or at the end of the stream.
 *     A UDP conversation is every datagram of its address/port pair, in capture order.
 *  2. `readFollow(plan, source, page)`: the chunks of one page with their bytes, re-read from the
 *     capture by offset (CaptureBytes); a page holds about `maxBytes` of payload.
 *
 * Formatters (`followFormatter`) turn chunks into text: ASCII (non-printables as '.'), a hex dump,
 * UTF-8 (a decoder per direction, streaming across chunks).
 */
import type { CaptureInterface } from '../capture/types';
import type { CaptureBytes } from '../capture/ranges';
import { groupThousands } from '../capture/messages';
import { L4, TcpFlag, type PacketColumns } from '../decode/columns';
import { decodeDetail } from '../decode/detail';
import type { TcpStreamInfo } from '../tcp/types';
import { frameAt, type Direction, type Frame } from '../types';

/** What the plan reads of the TCP analysis. */
export interface FollowTcpView {
  streams: readonly TcpStreamInfo[];
  dir: ArrayLike<number>;
  seq: ArrayLike<number>;
  ack: ArrayLike<number>;
}

export interface FollowEndpoint {
  addr: string;
  port: number;
}

/** The chunks of a followed stream, as columns (entry i: row[i], dir[i], ...). */
export interface FollowPlan {
  protocol: 'tcp' | 'udp';
  /** TCP stream index, or -1 for UDP. */
  stream: number;
  /** Endpoint A sent the first packet (direction 0); B the other. */
  a: FollowEndpoint;
  b: FollowEndpoint;
  count: number;
  /** Row of the frame whose payload holds the chunk; for a hole, the row after which it was declared. */
  row: Uint32Array;
  dir: Uint8Array;
  /** Relative sequence number of the chunk's first byte (TCP); UDP: the byte's position in its direction. */
  seq: Float64Array;
  /** Payload bytes of the frame before the chunk (bytes already taken from an earlier copy). */
  skip: Uint32Array;
  length: Uint32Array;
  /** 1: bytes not captured (a hole), 0: payload. */
  gap: Uint8Array;
  /** Payload bytes per direction (holes not counted); for UDP from the IP lengths. */
  bytes: [number, number];
  /** Bytes not captured per direction. */
  notCaptured: [number, number];
}

export type FollowChunk =
  | { index: number; dir: Direction; frame: Frame; seq: number; kind: 'data'; bytes: Uint8Array }
  | { index: number; dir: Direction; frame: Frame; seq: number; kind: 'gap'; length: number };

/** What reading a plan needs: the packet table, the interfaces, the capture's bytes. */
export interface FollowSource {
  cols: PacketColumns;
  interfaces: readonly CaptureInterface[];
  bytes: CaptureBytes;
}

export interface FollowPage {
  /** First plan entry to read (default 0). */
  from?: number;
  /** Payload bytes of the page (default 1 MiB); at least one entry is read. */
  maxBytes?: number;
}

const TWO32 = 4294967296;
const HALF = 2147483648;
/** Out-of-order segments waiting for a hole before the hole is declared not captured regardless. */
const MAX_PENDING = 65536;

class PlanBuilder {
  count = 0;
  row = new Uint32Array(256);
  dir = new Uint8Array(256);
  seq = new Float64Array(256);
  skip = new Uint32Array(256);
  length = new Uint32Array(256);
  gap = new Uint8Array(256);
  bytes: [number, number] = [0, 0];
  notCaptured: [number, number] = [0, 0];

  /** `keepEmpty`: an entry even without bytes (an empty UDP datagram). */
  add(row: number, dir: number, seq: number, skip: number, length: number, gap: boolean, keepEmpty = false): void {
    if (length <= 0 && !keepEmpty) return;
    const i = this.count;
    if (i === this.row.length) {
      const n = i * 2;
      const g = <T extends Uint32Array | Uint8Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(n);
        b.set(a);
        return b;
      };
      this.row = g(this.row); this.dir = g(this.dir); this.seq = g(this.seq); this.skip = g(this.skip);
      this.length = g(this.length); this.gap = g(this.gap);
    }
    this.row[i] = row; this.dir[i] = dir; this.seq[i] = seq; this.skip[i] = skip; this.length[i] = length; this.gap[i] = gap ? 1 : 0;
    this.count = i + 1;
    if (gap) this.notCaptured[dir] += length;
    else this.bytes[dir] += length;
  }

  plan(protocol: 'tcp' | 'udp', stream: number, a: FollowEndpoint, b: FollowEndpoint): FollowPlan {
    const n = this.count;
    return {
      protocol, stream, a, b, count: n,
      row: this.row.slice(0, n), dir: this.dir.slice(0, n), seq: this.seq.slice(0, n), skip: this.skip.slice(0, n),
      length: this.length.slice(0, n), gap: this.gap.slice(0, n), bytes: this.bytes, notCaptured: this.notCaptured,
    };
  }
}

/** A segment that arrived beyond a hole: [s, e) of row's payload, which starts at `start`. */
interface Pending { row: number; start: number; s: number; e: number }

/** The 32-bit value `v` as the number nearest to `ref` (sequence numbers of streams past 4 GiB). */
function unwrap(v: number, ref: number): number {
  const d = (((v - (ref % TWO32)) % TWO32) + TWO32 + HALF) % TWO32 - HALF;
  return ref + d;
}

/**
 * The plan of TCP stream `stream`: rows of the stream in capture order (Analysis.streamIndex()).
 */
export function followTcpPlan(cols: PacketColumns, tcp: FollowTcpView, stream: number, rows: ArrayLike<number>): FollowPlan {
  const info = tcp.streams[stream];
  const out = new PlanBuilder();
  /** Next byte expected per direction (unwrapped relative sequence), NaN before the first data. */
  const next = [NaN, NaN];
  const pending: Pending[][] = [[], []];

  const drain = (d: number) => {
    const p = pending[d];
    while (p.length && p[0].s <= next[d]) {
      const f = p.shift() as Pending;
      if (f.e > next[d]) {
        out.add(f.row, d, next[d], f.start + (next[d] - f.s), f.e - next[d], false);
        next[d] = f.e;
      }
    }
  };
  /** Declare bytes up to `upTo` not captured (and take what waited behind them). */
  const hole = (d: number, upTo: number, row: number) => {
    const p = pending[d];
    while (p.length && next[d] < upTo) {
      const to = Math.min(upTo, p[0].s);
      if (to > next[d]) {
        out.add(row, d, next[d], 0, to - next[d], true);
        next[d] = to;
      }
      drain(d);
    }
  };
  const insert = (d: number, f: Pending) => {
    const p = pending[d];
    let lo = 0, hi = p.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p[mid].s <= f.s) lo = mid + 1;
      else hi = mid;
    }
    p.splice(lo, 0, f);
    if (p.length > MAX_PENDING) hole(d, p[0].s, f.row);
  };

  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    const d = tcp.dir[r] ? 1 : 0;
    const o = 1 - d;
    const flags = cols.tcpFlags[r];
    const len = cols.tcpLen[r];
    if (len > 0) {
      const raw = tcp.seq[r] + (flags & TcpFlag.Syn ? 1 : 0);
      if (Number.isNaN(next[d])) next[d] = info?.isnFromSyn[d] ? unwrap(1, raw) : raw;
      const s = unwrap(raw % TWO32, next[d]);
      const e = s + len;
      if (e > next[d]) {
        if (s <= next[d]) {
          out.add(r, d, next[d], next[d] - s, e - next[d], false);
          next[d] = e;
          drain(d);
        } else {
          insert(d, { row: r, start: 0, s, e });
        }
      }
    }
    // The peer acknowledged bytes beyond a hole: they arrived, the capture missed them.
    if (flags & TcpFlag.Ack && pending[o].length && !Number.isNaN(next[o])) {
      const ack = unwrap(tcp.ack[r], next[o]);
      if (ack > next[o]) hole(o, ack, r);
    }
  }
  const last = rows.length ? rows[rows.length - 1] : 0;
  for (const d of [0, 1]) if (pending[d].length) hole(d, Infinity, last);

  const addr = (id: number) => cols.addresses.text[id] ?? '';
  return out.plan('tcp', stream,
    { addr: addr(info?.addrA ?? 0), port: info?.portA ?? 0 },
    { addr: addr(info?.addrB ?? 0), port: info?.portB ?? 0 });
}

/**
 * The plan of the UDP conversation `frame` belongs to (its two addresses and ports, both ways),
 * or null when the frame is not UDP. Direction 0 is the sender of the conversation's first datagram.
 */
export function followUdpPlan(cols: PacketColumns, frameRow: number): FollowPlan | null {
  if (frameRow < 0 || frameRow >= cols.length || cols.l4[frameRow] !== L4.Udp) return null;
  const s0 = cols.src[frameRow], d0 = cols.dst[frameRow], sp0 = cols.srcPort[frameRow], dp0 = cols.dstPort[frameRow];
  const out = new PlanBuilder();
  let first = -1;
  const pos = [0, 0];
  for (let r = 0; r < cols.length; r++) {
    if (cols.l4[r] !== L4.Udp) continue;
    const fwd = cols.src[r] === s0 && cols.dst[r] === d0 && cols.srcPort[r] === sp0 && cols.dstPort[r] === dp0;
    const rev = cols.src[r] === d0 && cols.dst[r] === s0 && cols.srcPort[r] === dp0 && cols.dstPort[r] === sp0;
    if (!fwd && !rev) continue;
    if (first < 0) first = r;
    const fromA = cols.src[r] === cols.src[first] && cols.srcPort[r] === cols.srcPort[first];
    const d = fromA ? 0 : 1;
    // The datagram's length comes from its header when read; here the IP lengths give it (no IP options assumed).
    const len = Math.max(0, cols.ipLen[r] - (cols.ipVersion[r] === 6 ? 40 : 20) - 8);
    out.add(r, d, pos[d], 0, len, false, true);
    pos[d] += len;
  }
  const addr = (id: number) => cols.addresses.text[id] ?? '';
  return out.plan('udp', -1,
    { addr: addr(cols.src[first]), port: cols.srcPort[first] },
    { addr: addr(cols.dst[first]), port: cols.dstPort[first] });
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Finds the transport header in a frame's bytes: the last place it was, else a full decode. */
class PayloadLocator {
  /** Offset of the transport header in the last frame, per direction. */
  private last = [-1, -1];

  constructor(private readonly cols: PacketColumns, private readonly interfaces: readonly CaptureInterface[], private readonly udp: boolean) {}

  private fits(b: Uint8Array, row: number, t: number): boolean {
    const c = this.cols;
    if (t < 0 || t + 8 > b.length) return false;
    if (u16(b, t) !== c.srcPort[row] || u16(b, t + 2) !== c.dstPort[row]) return false;
    if (this.udp) return true;
    return t + 14 <= b.length && u32(b, t + 4) === c.seqRaw[row] >>> 0 && (b[t + 12] >> 4) * 4 === c.tcpHdrLen[row];
  }

  /** [start, end) of the payload within the frame's bytes (end may pass the bytes captured), or null. */
  locate(b: Uint8Array, row: number, dir: number): [number, number] | null {
    let t = this.last[dir];
    if (!this.fits(b, row, t)) {
      const iface = this.interfaces.find((i) => i.id === this.cols.iface[row]);
      const layers = decodeDetail(b, iface?.linkType ?? 1, iface?.fcsLen ?? 0);
      const name = this.udp ? 'UDP' : 'TCP';
      t = -1;
      for (const l of layers) if (l.name === name) t = l.start;
      if (!this.fits(b, row, t)) return null;
      this.last[dir] = t;
    }
    if (this.udp) {
      const len = u16(b, t + 4);
      return [t + 8, t + Math.max(8, len)];
    }
    const start = t + this.cols.tcpHdrLen[row];
    return [start, start + this.cols.tcpLen[row]];
  }
}

/** Plan entries [from, to) of about `maxBytes` of payload (at least one). */
function pageEnd(plan: FollowPlan, from: number, maxBytes: number): number {
  let to = from, sum = 0;
  while (to < plan.count && (to === from || sum + (plan.gap[to] ? 0 : plan.length[to]) <= maxBytes)) {
    if (!plan.gap[to]) sum += plan.length[to];
    to++;
  }
  return to;
}

/**
 * The chunks of one page of the plan, with their bytes (copies, the caller may keep them). A chunk
 * whose frame was cut short by the snapshot length comes as the bytes captured then a hole.
 * Continue with `from` = the last chunk's index + 1, until it reaches plan.count.
 */
export async function readFollow(plan: FollowPlan, src: FollowSource, page: FollowPage = {}): Promise<FollowChunk[]> {
  const from = Math.max(0, Math.min(page.from ?? 0, plan.count));
  const to = pageEnd(plan, from, page.maxBytes ?? 1 << 20);
  const cols = src.cols;
  const locator = new PayloadLocator(cols, src.interfaces, plan.protocol === 'udp');
  // Read the frames in file order (a gzip capture reads forward), then hand out in plan order.
  const order: number[] = [];
  for (let i = from; i < to; i++) if (!plan.gap[i]) order.push(i);
  order.sort((x, y) => cols.fileOffset[plan.row[x]] - cols.fileOffset[plan.row[y]] || x - y);
  const got = new Map<number, { bytes: Uint8Array; missing: number }>();
  for (const i of order) {
    const r = plan.row[i];
    const frame = await src.bytes.read(cols.fileOffset[r] + cols.dataDelta[r], cols.capLen[r]);
    const at = locator.locate(frame, r, plan.dir[i]);
    if (!at) { got.set(i, { bytes: new Uint8Array(0), missing: plan.length[i] }); continue; }
    const [start, end] = at;
    const length = plan.protocol === 'udp' ? end - start : plan.length[i];
    const a = start + plan.skip[i];
    const b = Math.min(a + length, frame.length, plan.protocol === 'udp' ? end : Infinity);
    const bytes = frame.slice(Math.min(a, b), b);
    got.set(i, { bytes, missing: length - bytes.length });
  }
  const chunks: FollowChunk[] = [];
  for (let i = from; i < to; i++) {
    const dir: Direction = plan.dir[i] ? 1 : 0;
    const frame = frameAt(plan.row[i]);
    const seq = plan.seq[i];
    if (plan.gap[i]) { chunks.push({ index: i, dir, frame, seq, kind: 'gap', length: plan.length[i] }); continue; }
    const g = got.get(i) as { bytes: Uint8Array; missing: number };
    if (g.bytes.length) chunks.push({ index: i, dir, frame, seq, kind: 'data', bytes: g.bytes });
    if (g.missing > 0) chunks.push({ index: i, dir, frame, seq: seq + g.bytes.length, kind: 'gap', length: g.missing });
  }
  return chunks;
}

/** Every chunk of the plan, page by page. */
export async function* followChunks(plan: FollowPlan, src: FollowSource, maxBytes = 1 << 20): AsyncGenerator<FollowChunk> {
  for (let from = 0; from < plan.count; ) {
    const page = await readFollow(plan, src, { from, maxBytes });
    if (!page.length) break;
    for (const c of page) yield c;
    from = page[page.length - 1].index + 1;
  }
}

export type FollowFormat = 'ascii' | 'hex' | 'utf8';

/** Text of a hole, e.g. "[1,448 bytes not captured]". */
export function gapText(length: number): string {
  return `[${groupThousands(length)} byte${length === 1 ? '' : 's'} not captured]`;
}

/** Turns chunks into text, one call per chunk, keeping what spans chunks (a UTF-8 sequence, hex dump offsets). */
export interface FollowFormatter {
  /** The text of one chunk; direction B's hex dump lines are indented by a tab, as tshark does. */
  chunk(c: FollowChunk): string;
  /** What is left at the end (an incomplete UTF-8 sequence). */
  end(): string;
}

function asciiOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    s += (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 ? String.fromCharCode(c) : '.';
  }
  return s;
}

function hexDump(b: Uint8Array, offset: number, indent: string): string {
  let s = '';
  for (let i = 0; i < b.length; i += 16) {
    const line = b.subarray(i, i + 16);
    let hex = '';
    let text = '';
    for (let j = 0; j < 16; j++) {
      if (j === 8) {
        hex += ' ';
        if (line.length > 8) text += ' ';
      }
      if (j < line.length) {
        hex += line[j].toString(16).padStart(2, '0') + ' ';
        text += line[j] >= 0x20 && line[j] < 0x7f ? String.fromCharCode(line[j]) : '.';
      } else hex += '   ';
    }
    s += `${indent}${(offset + i).toString(16).padStart(8, '0')}  ${hex} ${text}\n`;
  }
  return s;
}

export function followFormatter(format: FollowFormat): FollowFormatter {
  const offsets = [0, 0];
  const decoders = [new TextDecoder('utf-8'), new TextDecoder('utf-8')];
  return {
    chunk(c) {
      if (c.kind === 'gap') {
        offsets[c.dir] += c.length;
        const flush = format === 'utf8' ? decoders[c.dir].decode() : '';
        return `${flush}${format === 'hex' && c.dir ? '\t' : ''}${gapText(c.length)}\n`;
      }
      if (format === 'ascii') return asciiOf(c.bytes);
      if (format === 'utf8') return decoders[c.dir].decode(c.bytes, { stream: true });
      const s = hexDump(c.bytes, offsets[c.dir], c.dir ? '\t' : '');
      offsets[c.dir] += c.bytes.length;
      return s;
    },
    end() {
      return format === 'utf8' ? decoders[0].decode() + decoders[1].decode() : '';
    },
  };
}
