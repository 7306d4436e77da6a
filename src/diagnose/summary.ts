/** The capture at a glance: format, link types, interfaces, packets, time span, streams, tunnels. */
import { L4 } from '../decode/columns';
import type { DiagnoseInput } from './types';
import { encapNames, tunnelBits } from './text';

export interface CaptureSummary {
  format: string;
  linkTypes: number[];
  interfaces: { id: number; name: string | null; linkType: number }[];
  packets: number;
  tcpPackets: number;
  /** Epoch seconds of the first and last packet (0 when none). */
  firstTime: number;
  lastTime: number;
  duration: number;
  streams: number;
  /** Tunnel encapsulations seen, e.g. ["IPIP"]. */
  tunnels: string[];
  /** ICMP "fragmentation needed" / "packet too big" messages. */
  icmpPtb: number;
  warnings: { kind: string; offset: number; frame?: number; message: string; fatal: boolean }[];
}

export function summarizeCapture(input: DiagnoseInput, streamCount?: number): CaptureSummary {
  const c = input.cols;
  let tcp = 0, encap = 0, ptb = 0, first = Infinity, last = -Infinity, maxStream = -1;
  const links = new Set<number>();
  for (const i of input.interfaces ?? []) links.add(i.linkType);
  for (let i = 0; i < c.length; i++) {
    if (c.l4[i] === L4.Tcp) tcp++;
    encap |= c.encap[i];
    if ((c.l4[i] === L4.Icmp && c.icmpType[i] === 3 && c.icmpCode[i] === 4) || (c.l4[i] === L4.Icmpv6 && c.icmpType[i] === 2)) ptb++;
    const t = c.time(i);
    if (t < first) first = t;
    if (t > last) last = t;
    if (input.tcp && input.tcp.stream[i] > maxStream) maxStream = input.tcp.stream[i];
  }
  if (c.length === 0) { first = 0; last = 0; }
  return {
    format: input.format ?? 'unknown',
    linkTypes: [...links].sort((a, b) => a - b),
    interfaces: (input.interfaces ?? []).map((i) => ({ id: i.id, name: i.name, linkType: i.linkType })),
    packets: c.length,
    tcpPackets: tcp,
    firstTime: first,
    lastTime: last,
    duration: last - first,
    streams: streamCount ?? (input.tcp ? Math.max(input.tcp.streams.length, maxStream + 1) : 0),
    tunnels: encapNames(tunnelBits(encap)),
    icmpPtb: ptb,
    warnings: (input.warnings ?? []).map((w) => ({ kind: w.kind, offset: w.offset, ...(w.frame !== undefined ? { frame: w.frame } : {}), message: w.message, fatal: w.fatal })),
  };
}
