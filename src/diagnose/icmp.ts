/**
 * ICMP "fragmentation needed" (type 3 code 4) and ICMPv6 "packet too big" (type 2) in the capture,
 * matched to the stream direction whose packet they quote.
 */
import { L4, type PacketColumns } from '../decode/columns';
import type { StreamModel } from './streams';
import type { Direction } from '../types';

export interface PtbMessage {
  row: number;
  stream: number;
  dir: Direction;
  mtu: number;
  /** Relative sequence number of the quoted segment. */
  quotedSeqRaw: number;
  quotedIpLen: number;
}

export function isPtb(cols: PacketColumns, i: number): boolean {
  const l4 = cols.l4[i];
  return (l4 === L4.Icmp && cols.icmpType[i] === 3 && cols.icmpCode[i] === 4) || (l4 === L4.Icmpv6 && cols.icmpType[i] === 2);
}

export function findPtb(cols: PacketColumns, streams: StreamModel[]): PtbMessage[] {
  const byTuple = new Map<string, StreamModel[]>();
  const key = (a: number, pa: number, b: number, pb: number) => `${a}:${pa}>${b}:${pb}`;
  for (const m of streams) {
    for (const k of [key(m.addrA, m.portA, m.addrB, m.portB), key(m.addrB, m.portB, m.addrA, m.portA)]) {
      const list = byTuple.get(k);
      if (list) list.push(m); else byTuple.set(k, [m]);
    }
  }
  const out: PtbMessage[] = [];
  for (let i = 0; i < cols.length; i++) {
    if (!isPtb(cols, i)) continue;
    const list = byTuple.get(key(cols.qSrc[i], cols.qSrcPort[i], cols.qDst[i], cols.qDstPort[i]));
    if (!list) continue;
    // Port reuse: the latest stream that had started by then.
    let m = list[0];
    for (const c of list) if (c.rows.length && c.rows[0] <= i) m = c;
    const dir = cols.qSrc[i] === m.addrA && cols.qSrcPort[i] === m.portA ? 0 : 1;
    out.push({ row: i, stream: m.index, dir, mtu: cols.icmpMtu[i], quotedSeqRaw: cols.qSeqRaw[i], quotedIpLen: cols.qIpLen[i] });
  }
  return out;
}
