/** A small capture with one frame of each kind the packet list's Info reads from bytes (ARP, DNS, ICMP, ...). */
import { pcapFile } from './captureBuilders';
import { be16, be32, cat, eth, icmp, ipv4, ipv6, tcp, udp } from './decodeBuilders';

/** A DNS name in wire form. */
function name(n: string): number[] {
  return [...n.split('.').flatMap((l) => [l.length, ...[...l].map((c) => c.charCodeAt(0))]), 0];
}

export function dnsMsg(o: { id: number; flags: number; q: string; qtype: number; answers?: number[][] }): Uint8Array {
  const an = o.answers ?? [];
  return cat([...be16(o.id), ...be16(o.flags), ...be16(1), ...be16(an.length), 0, 0, 0, 0, ...name(o.q), ...be16(o.qtype), ...be16(1)], ...an.map((a) => new Uint8Array(a)));
}

/** An A record pointing back at the question's name (offset 12). */
export function aRecord(addr: number[]): number[] {
  return [0xc0, 12, ...be16(1), ...be16(1), ...be32(300), ...be16(4), ...addr];
}

export const MAC1 = [0xf8, 0xed, 0xa5, 0xc0, 0xa4, 0xf1];
export function arp(op: number, sha: number[], spa: number[], tha: number[], tpa: number[]): Uint8Array {
  return new Uint8Array([0, 1, 8, 0, 6, 4, ...be16(op), ...sha, ...spa, ...tha, ...tpa]);
}

/** A capture of one frame of each kind the Info column reads from bytes. */
export function mixedCapture(): Uint8Array {
  const frames = [
    eth(0x0806, arp(1, MAC1, [10, 0, 0, 2], [0, 0, 0, 0, 0, 0], [10, 0, 0, 1])),
    eth(0x0806, arp(2, MAC1, [10, 0, 0, 1], [2, 0, 0, 0, 0, 1], [10, 0, 0, 2])),
    eth(0x0800, ipv4({ proto: 17, src: '10.0.0.2', dst: '10.0.0.53' }, udp(53001, 53, dnsMsg({ id: 0x1a2b, flags: 0x0100, q: 'example.com', qtype: 1 })))),
    eth(0x0800, ipv4({ proto: 17, src: '10.0.0.53', dst: '10.0.0.2' }, udp(53, 53001, dnsMsg({ id: 0x1a2b, flags: 0x8180, q: 'example.com', qtype: 1, answers: [aRecord([93, 184, 216, 34])] })))),
    eth(0x0800, ipv4({ proto: 17, src: '10.0.0.53', dst: '10.0.0.2' }, udp(53, 53001, dnsMsg({ id: 0x1a2c, flags: 0x8183, q: 'nope.example', qtype: 1 })))),
    eth(0x0800, ipv4({ proto: 1, src: '10.9.9.9', dst: '10.0.0.2' }, icmp(3, 4, [0, 0, ...be16(1380)], ipv4({ src: '10.0.0.2', dst: '10.0.0.80', df: true, totalLen: 1500 }, tcp({ sport: 49152, dport: 443 }))))),
    eth(0x0800, ipv4({ proto: 1, src: '10.0.0.2', dst: '10.0.0.1', ttl: 64 }, icmp(8, 0, [...be16(0x04ca), ...be16(1)], new Uint8Array(8)))),
    eth(0x0800, ipv4({ proto: 1, src: '10.0.0.1', dst: '10.0.0.2', ttl: 113 }, icmp(0, 0, [...be16(0x04ca), ...be16(1)], new Uint8Array(8)))),
    eth(0x0800, ipv4({ proto: 17, src: '10.0.0.2', dst: '10.0.0.3' }, udp(5000, 6000, new Uint8Array(12)))),
    eth(0x86dd, ipv6({ nxt: 58 }, icmp(2, 0, be32(1280), new Uint8Array(8)))),
    eth(0x0800, ipv4({ proto: 6, src: '10.0.0.2', dst: '10.0.0.80' }, tcp({ sport: 49152, dport: 443, seq: 100, flags: 0x02, win: 64240, options: [2, 4, ...be16(1460), 4, 2, 1, 3, 3, 7, 1, 1] }))),
    eth(0x88cc, new Uint8Array(20)),
  ];
  return pcapFile({ records: frames.map((data, i) => ({ sec: 1700000000 + i, frac: i * 1000, data })) });
}

