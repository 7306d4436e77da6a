/**
 * ARP (RFC 826) over Ethernet and IPv4, for the packet list's Info column: read on demand for the
 * rows on screen. Never throws.
 */

import { u16 } from './bytes';

export interface ArpPacket {
  hwType: number;
  protoType: number;
  opcode: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

function mac(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[o + i].toString(16).padStart(2, '0');
  return s;
}

/** Longest address shown in full; longer ones end in "…". */
const SHOWN_BYTES = 36;

function addrText(b: Uint8Array, o: number, len: number, ipv4: boolean): string {
  if (len === 6) return mac(b, o);
  if (len === 4 && ipv4) return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  let s = '';
  for (let i = 0; i < Math.min(len, SHOWN_BYTES); i++) s += b[o + i].toString(16).padStart(2, '0');
  return len > SHOWN_BYTES ? `${s}…` : s;
}

/** An ARP packet at `b[off, end)` (any address lengths its header gives); null when shorter than they say. */
export function parseArp(b: Uint8Array, off: number, end: number): ArpPacket | null {
  end = Math.min(end, b.length);
  if (end - off < 8) return null;
  const h = b[off + 4], p = b[off + 5];
  if (end - off < 8 + 2 * h + 2 * p) return null;
  const ipv4 = u16(b, off + 2) === 0x0800;
  return {
    hwType: u16(b, off), protoType: u16(b, off + 2), opcode: u16(b, off + 6),
    senderMac: addrText(b, off + 8, h, false), senderIp: addrText(b, off + 8 + h, p, ipv4),
    targetMac: addrText(b, off + 8 + h + p, h, false), targetIp: addrText(b, off + 8 + 2 * h + p, p, ipv4),
  };
}

/** The Info line: "Who has 10.0.0.1? Tell 10.0.0.2", "10.0.0.1 is at f8:ed:a5:c0:a4:f1", announcements and probes. */
export function arpInfo(a: ArpPacket): string {
  switch (a.opcode) {
    case 1:
      if (a.senderIp === a.targetIp) {
        return /^[0:]+$/.test(a.targetMac) ? `ARP Announcement for ${a.senderIp}` : `Gratuitous ARP for ${a.senderIp} (Request)`;
      }
      if (/^[0.]+$/.test(a.senderIp)) return `Who has ${a.targetIp}? (ARP Probe)`;
      return `Who has ${a.targetIp}? Tell ${a.senderIp}`;
    case 2:
      if (a.senderIp === a.targetIp) return `Gratuitous ARP for ${a.senderIp} (Reply)`;
      return `${a.senderIp} is at ${a.senderMac}`;
    case 3: return `Who is ${a.targetMac}? Tell ${a.senderMac}`;
    case 4: return `${a.targetMac} is at ${a.targetIp}`;
    default: return `Unknown ARP opcode 0x${a.opcode.toString(16).padStart(4, '0')}`;
  }
}
