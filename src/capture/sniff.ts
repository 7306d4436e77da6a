/**
 * Recognising what a stream holds from its first bytes: pcap, pcapng, gzip, or something a person
 * may have picked by mistake (which we name, to say what to do instead).
 */
import { pcapMagic } from './pcap';
import { pcapngTextModeDamage } from './textMode';

export type Sniffed =
  | { kind: 'pcap' }
  | { kind: 'pcapng' }
  | { kind: 'gzip' }
  | { kind: 'text-mode'; how: string }
  | { kind: 'other'; what: string; hint: string }
  | { kind: 'unknown' };

const DECOMPRESS = 'decompress it first (gzip-compressed captures can be opened as they are)';

/** Other formats by leading bytes: what they are, and what to do. */
const OTHERS: { magic: number[]; what: string; hint: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive', hint: 'extract the capture from it first' },
  { magic: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file', hint: DECOMPRESS },
  { magic: [0xfd, 0x37, 0x7a, 0x58], what: 'an xz-compressed file', hint: DECOMPRESS },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd-compressed file', hint: DECOMPRESS },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive', hint: 'extract the capture from it first' },
  { magic: [0x73, 0x6e, 0x6f, 0x6f], what: 'a Solaris snoop capture', hint: 'convert it to pcapng first, for example with editcap' },
  { magic: [0x47, 0x4d, 0x42, 0x55], what: 'a Microsoft Network Monitor capture', hint: 'convert it to pcapng first, for example with editcap' },
  { magic: [0x52, 0x54, 0x53, 0x53], what: 'a Microsoft Network Monitor capture', hint: 'convert it to pcapng first, for example with editcap' },
];

export function sniff(head: Uint8Array): Sniffed {
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  const be32 = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (be32 === 0x0a0d0d0a) return { kind: 'pcapng' };
  if (pcapMagic(be32)) return { kind: 'pcap' };
  const how = pcapngTextModeDamage(head[0], head[1], head[2], head[3]);
  if (how) return { kind: 'text-mode', how };
  for (const o of OTHERS) {
    if (o.magic.every((b, i) => head[i] === b)) return { kind: 'other', what: o.what, hint: o.hint };
  }
  if (head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d)) {
    return {
      kind: 'other',
      what: 'a text file',
      hint: 'perhaps a capture printed as text; save the capture itself, for example with tcpdump -w file.pcap',
    };
  }
  return { kind: 'unknown' };
}

export function hexBytes(head: Uint8Array): string {
  return Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
