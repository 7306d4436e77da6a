/**
 * Hand-made hostile packets the mutators insert into real captures: tunnels nested far deeper than
 * any decoder should follow, and TCP headers whose options are random soup.
 */
import type { Prng } from '../gen/prng';

function ipv4(payloadLen: number, proto: number): number[] {
  const len = 20 + payloadLen;
  return [0x45, 0, len >> 8, len & 255, 0, 1, 0x40, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
}

function ipv6(payloadLen: number, next: number): number[] {
  const h = [0x60, 0, 0, 0, payloadLen >> 8, payloadLen & 255, next, 64];
  for (let i = 0; i < 32; i++) h.push(i === 15 || i === 31 ? i : 0);
  return h;
}

function tcp(rng: Prng, options: number[]): number[] {
  const padded = [...options];
  while (padded.length % 4) padded.push(rng.chance(0.5) ? 0 : 1);
  const doff = Math.min(15, 5 + padded.length / 4);
  // A lying data offset now and then: shorter or longer than the options really are.
  const off = rng.chance(0.2) ? rng.int(0, 15) : doff;
  const h = [0x9c, 0x40, 0x01, 0xbb, ...[0, 0, 0, 1], ...[0, 0, 0, 2], (off << 4), 0x18 | (rng.chance(0.2) ? 0x02 : 0), 0xff, 0xff, 0, 0, 0, 0];
  return [...h, ...padded];
}

/** Random TCP option bytes: real kinds with wrong lengths, zero and one-byte lengths, unknown kinds, truncation. */
export function optionSoup(rng: Prng): number[] {
  const out: number[] = [];
  const n = rng.int(0, 40);
  for (let i = 0; i < n && out.length < 60; i++) {
    const kind = rng.pick([0, 1, 2, 3, 4, 5, 8, 19, 28, 29, 30, 34, 253, 254, rng.int(0, 255)]);
    if (kind <= 1) { out.push(kind); continue; }
    const len = rng.pick([0, 1, 2, 3, 4, 10, 18, 34, 40, 255, rng.int(0, 60)]);
    out.push(kind, len);
    for (let j = 2; j < len && out.length < 60; j++) out.push(rng.int(0, 255));
  }
  return out;
}

/** An Ethernet frame carrying a TCP segment under `depth` layers of tunnel (mixed kinds). */
export function deepTunnelFrame(rng: Prng, depth: number): Uint8Array {
  let inner = tcp(rng, rng.chance(0.5) ? optionSoup(rng) : [2, 4, 5, 0xb4]);
  let innerIsV6 = false;
  let innerIsEthernet = false;
  for (let i = 0; i < depth; i++) {
    const kind = rng.int(0, 5);
    const etherInner = innerIsEthernet;
    if (etherInner && kind !== 3) {
      // Ethernet payload: wrap it in VXLAN over UDP over IPv4.
      const vx = [0x08, 0, 0, 0, 0, 0, 1, 0, ...inner];
      const udp = [0x12, 0x34, 0x12, 0xb5, (vx.length + 8) >> 8, (vx.length + 8) & 255, 0, 0, ...vx];
      inner = [...ipv4(udp.length, 17), ...udp];
      innerIsV6 = false; innerIsEthernet = false;
      continue;
    }
    switch (kind) {
      case 0: inner = [...ipv4(inner.length, innerIsV6 ? 41 : 4), ...inner]; innerIsV6 = false; break;
      case 1: inner = [...ipv6(inner.length, innerIsV6 ? 41 : 4), ...inner]; innerIsV6 = true; break;
      case 2: { // GRE
        const gre = [0, 0, innerIsV6 ? 0x86 : 0x08, innerIsV6 ? 0xdd : 0x00, ...inner];
        inner = [...ipv4(gre.length, 47), ...gre]; innerIsV6 = false; break;
      }
      case 3: { // inner Ethernet (for VXLAN/Geneve) or VLAN tag stack
        const type = innerIsV6 ? [0x86, 0xdd] : [0x08, 0x00];
        inner = etherInner ? [0x81, 0, 0, i & 255, ...inner] : [...new Array<number>(12).fill(2), ...type, ...inner];
        innerIsEthernet = true; break;
      }
      default: { // Geneve over UDP
        const gen = [0, 0, 0x65, 0x58, 0, 0, 1, 0, ...[...new Array<number>(12).fill(2), 0x08, 0x00], ...inner];
        const udp = [0x12, 0x34, 0x17, 0xc1, (gen.length + 8) >> 8, (gen.length + 8) & 255, 0, 0, ...gen];
        inner = [...ipv4(udp.length, 17), ...udp]; innerIsV6 = false; break;
      }
    }
  }
  const type = innerIsEthernet ? [0x81, 0x00, 0, 1] : [];
  const head = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...type, ...(innerIsV6 ? [0x86, 0xdd] : innerIsEthernet ? [0x65, 0x58] : [0x08, 0x00])];
  return Uint8Array.from([...head, ...inner].map((x) => x & 255));
}

/** An Ethernet/IPv4 frame with a TCP header full of option soup. */
export function optionSoupFrame(rng: Prng): Uint8Array {
  const seg = tcp(rng, optionSoup(rng));
  const ip = rng.chance(0.3) ? ipv6(seg.length, 6) : ipv4(seg.length, 6);
  const et = ip[0] === 0x60 ? [0x86, 0xdd] : [0x08, 0x00];
  return Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...et, ...ip, ...seg].map((x) => x & 255));
}
