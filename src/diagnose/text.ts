/** Small formatting helpers shared by the diagnoses: parameters are language-neutral strings. */
import type { PacketColumns } from '../decode/columns';
import { Encap } from '../decode/columns';
import type { StreamModel } from './streams';
import type { MsgParams } from './types';

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

/** One item of a list: a number (a frame, a stream) or a text already formatted. */
export type ListItem = number | string;

/**
 * A list as the parameters of a message, to spread into its params: `{ ...listParams('frames', rows) }`
 * fills `{{frames}}` with "21, 24-30 and 40" (en) or "21、24-30 和 40" (zh-CN), and a list of more
 * than `max` parts with "21, 24-30, 40, … and 12 more" / "21、24-30、40…等 12 个" (12: the items
 * left out, each frame of a range counted). Numbers are sorted, deduplicated and their runs
 * written as ranges with an ASCII hyphen ("24-30"), as frameList() does, so src/view/story.ts links
 * every frame of the list and nothing else; texts are kept as given, after the numbers. An empty
 * list renders "none" / "无": better leave such a sentence out.
 *
 * Built from the nested messages list.seq / list.pair / list.more (see src/i18n/index.ts): the
 * params are `<name>` and `<name>.…`, so two lists in one message need two names.
 */
export function listParams(name: string, items: readonly ListItem[], max = 8): MsgParams {
  const nums = [...new Set(items.filter((x): x is number => typeof x === 'number'))].sort((a, b) => a - b);
  const parts: ListPart[] = [];
  for (let k = 0; k < nums.length; ) {
    let j = k;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    parts.push({ text: j > k ? `${nums[k]}-${nums[j]}` : `${nums[k]}`, n: j - k + 1 });
    k = j + 1;
  }
  for (const x of items) if (typeof x === 'string') parts.push({ text: x, n: 1 });
  return joinParams(name, parts, max);
}

/**
 * Seconds (intervals, offsets) as a list in the order given, each with secs()'s precision:
 * "1.03, 2.01 and 4.00" / "1.03、2.01 和 4.00"; more than `max` end in "… and N more". The unit
 * belongs to the message ("{{intervals}} s"). Never place it right after a frame list in a
 * message ("frames {{frames}}, {{intervals}} s apart"): the reader, and the links, would take the
 * seconds for more frames; put words between them.
 */
export function secondsParams(name: string, seconds: readonly number[], max = 8): MsgParams {
  return joinParams(name, seconds.map((s) => ({ text: secs(s), n: 1 })), max);
}

interface ListPart {
  text: string;
  /** Items it stands for (a range counts each of its frames). */
  n: number;
}

function joinParams(name: string, parts: ListPart[], max: number): MsgParams {
  if (!parts.length) return { [name]: '@list.none' };
  const out: MsgParams = {};
  let key = name;
  let head = parts;
  if (parts.length > Math.max(1, max)) {
    head = parts.slice(0, Math.max(1, max));
    out[key] = '@list.more';
    out[`${key}.more`] = parts.slice(head.length).reduce((sum, p) => sum + p.n, 0);
    key = `${key}.head`;
  } else if (parts.length > 1) {
    head = parts.slice(0, -1);
    out[key] = '@list.pair';
    out[`${key}.last`] = parts[parts.length - 1].text;
    key = `${key}.head`;
  }
  // "a, b, c": list.seq nested to the left, the first part innermost.
  for (let i = head.length - 1; i > 0; i--) {
    out[key] = '@list.seq';
    out[`${key}.next`] = head[i].text;
    key = `${key}.head`;
  }
  out[key] = head[0].text;
  return out;
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
  if (s >= 7200) return `${(s / 3600).toFixed(s >= 360000 ? 0 : 1)} h`;
  if (s >= 600) return `${(s / 60).toFixed(0)} min`;
  return `${secs(s)} s`;
}

export function pct(x: number): string {
  return (x * 100).toFixed(x < 0.1 ? 1 : 0);
}

const ENCAP_NAMES: [number, string][] = [
  [Encap.Vlan, 'VLAN'], [Encap.Vxlan, 'VXLAN'], [Encap.Geneve, 'Geneve'], [Encap.Gre, 'GRE'], [Encap.SixInFour, '6in4'], [Encap.Ipip, 'IPIP'],
  [Encap.Gtp, 'GTP-U'], [Encap.UdpIp, 'Teredo/AYIYA'],
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
