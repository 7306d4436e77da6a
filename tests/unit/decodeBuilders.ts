/** Hand-built packets for the decoder tests: each function returns the bytes of one header + payload. */
import type { CaptureRecord } from '../../src/capture/types';

export function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export const be16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
export const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const v4 = (s: string): number[] => s.split('.').map(Number);

export function v6(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => be16(parseInt(g, 16)));
}

const MAC_A = [2, 0, 0, 0, 0, 1];
const MAC_B = [2, 0, 0, 0, 0, 2];

export function eth(type: number, payload: Uint8Array, vlans: [tpid: number, id: number][] = []): Uint8Array {
  // Each tag is its TPID then its TCI; the payload's own type comes after the last tag.
  const tags = vlans.flatMap(([tpid, id]) => [...be16(tpid), ...be16(id)]);
  return cat([...MAC_B, ...MAC_A, ...tags, ...be16(type)], payload);
}

export interface Ip4Opts { src?: string; dst?: string; proto?: number; id?: number; df?: boolean; mf?: boolean; fragOff?: number; ttl?: number; options?: number[]; totalLen?: number }

export function ipv4(o: Ip4Opts, payload: Uint8Array): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const total = o.totalLen ?? hl + payload.length;
  const ff = (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | ((o.fragOff ?? 0) >> 3);
  return cat([0x40 | (hl / 4), 0, ...be16(total), ...be16(o.id ?? 0x1234), ...be16(ff), o.ttl ?? 64, o.proto ?? 6, 0, 0,
    ...v4(o.src ?? '10.0.0.1'), ...v4(o.dst ?? '10.0.0.2'), ...opts], payload);
}

export interface Ip6Opts { src?: string; dst?: string; nxt?: number; hlim?: number; ext?: number[] }

export function ipv6(o: Ip6Opts, payload: Uint8Array): Uint8Array {
  const ext = o.ext ?? [];
  return cat([0x60, 0, 0, 0, ...be16(ext.length + payload.length), o.nxt ?? 6, o.hlim ?? 64,
    ...v6(o.src ?? '2001:db8::1'), ...v6(o.dst ?? '2001:db8::2'), ...ext], payload);
}

export interface TcpOpts { sport?: number; dport?: number; seq?: number; ack?: number; flags?: number; win?: number; options?: number[] }

export function tcp(o: TcpOpts, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  return cat([...be16(o.sport ?? 40000), ...be16(o.dport ?? 80), ...be32(o.seq ?? 1000), ...be32(o.ack ?? 2000),
    (hl / 4) << 4 | ((o.flags ?? 0x10) >> 8), (o.flags ?? 0x10) & 255, ...be16(o.win ?? 512), 0xab, 0xcd, 0, 0, ...opts], payload);
}

export function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return cat([...be16(sport), ...be16(dport), ...be16(8 + payload.length), 0, 0], payload);
}

export function icmp(type: number, code: number, rest: number[], body: Uint8Array): Uint8Array {
  return cat([type, code, 0, 0, ...rest], body);
}

export const bytes = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill);

let index = 0;
export function rec(data: Uint8Array, linkType = 1, origLen = data.length): CaptureRecord {
  return {
    index: index++, fileOffset: 24, dataOffset: 40, tsSec: 1700000000, tsNsec: 5, capturedLength: data.length,
    originalLength: origLen, interfaceId: 0, linkType, data,
  };
}
