/** Small formatting helpers shared by the diagnoses: parameters are language-neutral strings. */
import type { PacketColumns } from '../decode/columns';
import { Encap } from '../decode/columns';
import type { StreamModel } from './streams';

/** "198.18.1.2:39144", "[2001:2::1]:443". */
export function endpoint(cols: PacketColumns, addr: number, port: number): string {
  const t = cols.addresses.text[addr] ?? '?';
  return cols.addresses.family[addr] === 6 ? `[${t}]:${port}` : `${t}:${port}`;
}

export function host(cols: PacketColumns, addr: number): string {
  return cols.addresses.text[addr] ?? '?';
}

/** Endpoints of one direction: [sender, receiver]. */
export function ends(cols: PacketColumns, m: StreamModel, d: number): [string, string] {
  const a = endpoint(cols, m.addrA, m.portA), b = endpoint(cols, m.addrB, m.portB);
  return d === 0 ? [a, b] : [b, a];
}

/** 1-based frame numbers as "21, 24-30" (ranges with an ASCII hyphen so the UI links them). */
export function frameList(frames: number[], max = 12): string {
  const f = [...new Set(frames)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < f.length; ) {
    let j = k;
    while (j + 1 < f.length && f[j + 1] === f[j] + 1) j++;
    parts.push(j > k ? `${f[k]}-${f[j]}` : `${f[k]}`);
    k = j + 1;
  }
  return parts.length > max ? `${parts.slice(0, max).join(', ')}, …` : parts.join(', ');
}

/** Seconds with a precision that suits their size. */
export function secs(s: number): string {
  if (s >= 100) return s.toFixed(0);
  if (s >= 10) return s.toFixed(1);
  if (s >= 1) return s.toFixed(2);
  return s.toFixed(3);
}

/** A time span with its unit, for a sentence: "0.04 ms", "259 ms", "12.5 s". */
export function span(s: number): string {
  if (s < 0.001) return `${(s * 1000).toFixed(2)} ms`;
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms`;
  return `${secs(s)} s`;
}

export function pct(x: number): string {
  return (x * 100).toFixed(x < 0.1 ? 1 : 0);
}

const ENCAP_NAMES: [number, string][] = [
  [Encap.Vlan, 'VLAN'], [Encap.Vxlan, 'VXLAN'], [Encap.Geneve, 'Geneve'], [Encap.Gre, 'GRE'], [Encap.SixInFour, '6in4'], [Encap.Ipip, 'IPIP'],
];

export function encapNames(bits: number): string[] {
  const out: string[] = [];
  for (const [bit, name] of ENCAP_NAMES) if (bits & bit) out.push(name);
  return out;
}

/** Tunnel layers only (a VLAN tag does not take room from the IP MTU). */
export function tunnelBits(bits: number): number {
  return bits & ~Encap.Vlan;
}

/** Stable finding id. */
export function findingId(kind: string, stream: number, dir: number | null, frame: number): string {
  return `${kind}:s${stream}:${dir === null ? 'dx' : `d${dir}`}:f${frame}`;
}
