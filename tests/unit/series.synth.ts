/**
 * Synthetic packet tables for the series tests: a TCP conversation written as a list of packets with
 * relative numbers, turned into PacketColumns plus the per-row arrays the TCP analysis would produce.
 */
import { PacketColumns, TcpFlag, emptyRow } from '../../src/decode/columns';
import type { TcpStreamInfo } from '../../src/tcp/types';
import { buildStreamIndex, type SeriesInput, type TcpRowSource } from '../../src/view/series';

export interface SynthPacket {
  t: number;
  dir: 0 | 1;
  seq: number;
  ack?: number;
  len?: number;
  /** TCP header flags; ACK is added when `ack` is given. */
  hdr?: number;
  ipLen?: number;
  df?: boolean;
  win?: number;
  /** TcpFlagBit bits. */
  flags?: number;
  /** Relative SACK blocks. */
  sack?: [number, number][];
  stream?: number;
}

const ISN = [0xfffff000, 1000];

export function synth(packets: SynthPacket[], streamCount = 1): SeriesInput {
  const cols = new PacketColumns(16);
  const row = emptyRow();
  const n = packets.length;
  const tcp = {
    stream: new Int32Array(n), dir: new Uint8Array(n), seq: new Uint32Array(n), ack: new Uint32Array(n),
    window: new Float64Array(n), flags: new Uint32Array(n),
    streams: Array.from({ length: streamCount }, (_, i) => ({ index: i }) as TcpStreamInfo),
  } satisfies TcpRowSource;
  const base = 1_700_000_000;
  packets.forEach((p, i) => {
    row.tsSec = base + Math.floor(p.t);
    row.tsNsec = Math.round((p.t - Math.floor(p.t)) * 1e9);
    row.l4 = 6;
    row.tcpLen = p.len ?? 0;
    row.tcpFlags = (p.hdr ?? 0) | (p.ack !== undefined ? TcpFlag.Ack : 0);
    row.ipLen = p.ipLen ?? 52 + (p.len ?? 0);
    row.ipDf = p.df === false ? 0 : 1;
    row.seqRaw = (ISN[p.dir] + p.seq) >>> 0;
    row.ackRaw = p.ack !== undefined ? (ISN[p.dir ^ 1] + p.ack) >>> 0 : 0;
    for (const [l, r] of p.sack ?? []) cols.pushSack((ISN[p.dir ^ 1] + l) >>> 0, (ISN[p.dir ^ 1] + r) >>> 0);
    cols.commit(row);
    tcp.stream[i] = p.stream ?? 0;
    tcp.dir[i] = p.dir;
    tcp.seq[i] = p.seq >>> 0;
    tcp.ack[i] = (p.ack ?? 0) >>> 0;
    tcp.window[i] = p.win ?? 65535;
    tcp.flags[i] = p.flags ?? 0;
  });
  return { cols, tcp, index: buildStreamIndex(tcp, cols) };
}

/** A bulk transfer A→B: `count` segments of `mss` bytes every `dt` s, each ACKed by B `rtt` later. */
export function bulk(count: number, mss = 1448, dt = 1e-4, rtt = 0.01): SynthPacket[] {
  const out: SynthPacket[] = [
    { t: 0, dir: 0, seq: 0, hdr: TcpFlag.Syn },
    { t: rtt, dir: 1, seq: 0, ack: 1, hdr: TcpFlag.Syn },
  ];
  for (let i = 0; i < count; i++) {
    out.push({ t: rtt + 1e-5 + i * dt, dir: 0, seq: 1 + i * mss, ack: 1, len: mss });
  }
  const acks: SynthPacket[] = [];
  for (let i = 0; i < count; i += 2) acks.push({ t: 2 * rtt + i * dt + 5e-5, dir: 1, seq: 1, ack: 1 + Math.min(count, i + 2) * mss });
  return [...out, ...acks].sort((a, b) => a.t - b.t);
}
