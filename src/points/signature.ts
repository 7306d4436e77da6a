/**
 * Segment signatures: what survives between two capture points. NAT rewrites addresses and ports,
 * tunnels add outer headers, clocks differ; the raw sequence and acknowledgement numbers, the
 * payload length, the TCP flags, the timestamp option and the first payload bytes do not. The key is
 * a compact number (a 53-bit hash) so the index is a plain Map<number, number> plus a chain array:
 * no strings, no per-packet objects.
 */
import { L4, type PacketColumns } from '../decode/columns';

/** Flags that make two otherwise equal segments different packets (SYN, FIN, RST). */
const KEY_FLAGS = 0x07;

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x5bd1e995);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The signature key of a TCP row (rows that are not TCP are never keyed). */
export function segmentKey(c: PacketColumns, i: number): number {
  let h1 = 0x9747b28c, h2 = 0x1b873593;
  const f = c.tcpFlags[i] & KEY_FLAGS;
  h1 = mix(h1, c.seqRaw[i]); h2 = mix(h2, c.ackRaw[i]);
  h1 = mix(h1, c.tcpLen[i] * 8 + f); h2 = mix(h2, c.tsval[i]);
  h1 = mix(h1, c.payloadHead[i]); h2 = mix(h2, c.tsecr[i]);
  h1 = mix(h1, h2);
  return h1 * 0x200000 + (h2 & 0x1fffff);
}

/** Whether two rows carry the same segment (the key's fields compared exactly: hashes collide). */
export function sameSegment(a: PacketColumns, i: number, b: PacketColumns, j: number): boolean {
  return a.seqRaw[i] === b.seqRaw[j] && a.ackRaw[i] === b.ackRaw[j] && a.tcpLen[i] === b.tcpLen[j] &&
    (a.tcpFlags[i] & KEY_FLAGS) === (b.tcpFlags[j] & KEY_FLAGS) && a.tsval[i] === b.tsval[j] &&
    a.tsecr[i] === b.tsecr[j] && a.payloadHead[i] === b.payloadHead[j];
}

export function isTcp(c: PacketColumns, stream: ArrayLike<number>, i: number): boolean {
  return c.l4[i] === L4.Tcp && stream[i] >= 0;
}

/**
 * Rows of one point by signature: `head.get(key)` is the first row with that key, `next[row]` the
 * following one (capture order), -1 at the end.
 */
export class SegmentIndex {
  readonly head = new Map<number, number>();
  readonly next: Int32Array;
  readonly key: Float64Array;
  private readonly tail = new Map<number, number>();

  constructor(readonly cols: PacketColumns, stream: ArrayLike<number>, rows: ArrayLike<number>) {
    this.next = new Int32Array(cols.length).fill(-1);
    this.key = new Float64Array(cols.length);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      if (!isTcp(cols, stream, i)) continue;
      const key = segmentKey(cols, i);
      this.key[i] = key;
      const t = this.tail.get(key);
      if (t === undefined) this.head.set(key, i);
      else this.next[t] = i;
      this.tail.set(key, i);
    }
  }
}
