/**
 * How our per-frame TCP reading agrees with tshark's on a folder of real captures (the 805 of
 * ../shared/realworld/zeek): tshark's reading is kept in tests/fixtures/realworld/tshark-tcp.tsv.gz
 * (made by `npx tsx scripts/realworld-tshark.ts gen`, one block per capture), ours is made in-process.
 *
 * Fields compared on every frame where tshark has TCP (not a TCP header quoted in an ICMP error):
 * tcp.stream, seq, ack, nxtseq, len, window_size. Analysis flags: each of TCP_FLAG_NAMES on every
 * frame, as precision, recall and F1.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'fflate';
import { analyzeFile } from './tcpSupport/oracle';
import { TCP_FLAG_NAMES } from '../../src/tcp/types';
import { TSHARK_DIFFERENCES } from '../../src/tcp/tshark';

export const TSHARK_TCP_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'realworld', 'tshark-tcp.tsv.gz');

/** The tshark fields asked per frame, in the fixture's column order (after the capture's block line). */
export const TSHARK_FIELDS = [
  'frame.number', 'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size', 'icmp.type', 'icmpv6.type',
  ...TCP_FLAG_NAMES.map((f) => `tcp.analysis.${f}`),
];

export const COMPARED = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size'] as const;
export type Compared = (typeof COMPARED)[number];

/** One frame of tshark's reading: the compared fields, whether the TCP was quoted in ICMP, the flags as bits of TCP_FLAG_NAMES. */
export interface TsharkFrame {
  frame: number;
  values: string[];
  icmp: boolean;
  flags: number;
}

export interface TsharkCapture {
  file: string;
  frames: number;
  tcp: TsharkFrame[];
}

/** The fixture: `#<file>\t<frames>` then one line per TCP frame: frame, 6 fields, icmp (0/1), flag bits. */
export function readTsharkFixture(file = TSHARK_TCP_FILE): TsharkCapture[] {
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(file))));
  const out: TsharkCapture[] = [];
  let cur: TsharkCapture | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [name, frames] = line.slice(1).split('\t');
      cur = { file: name, frames: Number(frames), tcp: [] };
      out.push(cur);
      continue;
    }
    const c = line.split('\t');
    cur!.tcp.push({ frame: Number(c[0]), values: c.slice(1, 7), icmp: c[7] === '1', flags: Number(c[8]) });
  }
  return out;
}

/**
 * Frames where tshark 4.0 is wrong and we keep our reading: left out of the counts (the table says how
 * many), each with the reason. `what` is a compared field or an analysis flag.
 */
export interface TsharkWrong { file: string; frame: number; what: string; reason: string }

/** The rule behind each entry is one of TSHARK_DIFFERENCES (src/tcp/tshark.ts), where a unit test shows it. */
const FIN_AFTER_10000 = `${TSHARK_DIFFERENCES.find((d) => d.id === 'fin-after-10000-unacked')!.id}: 13,985 segments were sent without an ACK here`;

export const TSHARK_WRONG: TsharkWrong[] = [
  { file: 'contentline/rlogin-long-client-user-no-nul.pcapng.gz', frame: 13987, what: 'ack_lost_segment', reason: FIN_AFTER_10000 },
  { file: 'contentline/rsh-long-client-user-no-nul.pcapng.gz', frame: 13987, what: 'ack_lost_segment', reason: FIN_AFTER_10000 },
  { file: 'contentline/telnet-long-line-no-eol.pcapng.gz', frame: 13987, what: 'ack_lost_segment', reason: FIN_AFTER_10000 },
  { file: 'contentline/telnet-unclosed-suboption.pcapng.gz', frame: 13987, what: 'ack_lost_segment', reason: FIN_AFTER_10000 },
];

function wrongSet(file: string): Set<string> {
  return new Set(TSHARK_WRONG.filter((w) => w.file === file).map((w) => `${w.frame} ${w.what}`));
}

export interface FlagScore { flag: string; tshark: number; ours: number; both: number; precision: number; recall: number; f1: number }

export interface CaptureAgreement {
  file: string;
  framesTshark: number;
  framesOurs: number;
  /** TCP frames compared (tshark's, not ICMP quotes). */
  tcpFrames: number;
  /** Frames where every compared field is equal. */
  equalFrames: number;
  /** Per field: frames equal. */
  fieldEqual: number[];
  /** Per flag: [tshark, ours, both]. */
  flagCounts: [number, number, number][];
  /** First few differences, for reading. */
  examples: string[];
  /** Values left out because tshark is wrong there (TSHARK_WRONG). */
  tsharkWrong: number;
  error?: string;
}

function ours(tcp: ReturnType<typeof analyzeFile>['tcp'], session: ReturnType<typeof analyzeFile>['session'], i: number): string[] {
  const o = tcp.out;
  if (i >= session.columns.length || o.stream[i] < 0) return ['', '', '', '', '', ''];
  return [String(o.stream[i]), String(o.seq[i]), String(o.ack[i]), String(o.nxtseq[i]), String(session.columns.tcpLen[i]), String(o.window[i])];
}

/** Compare one capture. `ack` is printed by tshark only with the ACK bit: an empty tshark ack is compared as such. */
export function compareCapture(file: string, t: TsharkCapture, maxExamples = 5): CaptureAgreement {
  const a: CaptureAgreement = {
    file: t.file, framesTshark: t.frames, framesOurs: 0, tcpFrames: 0, equalFrames: 0,
    fieldEqual: COMPARED.map(() => 0), flagCounts: TCP_FLAG_NAMES.map(() => [0, 0, 0]), examples: [], tsharkWrong: 0,
  };
  const wrong = wrongSet(t.file);
  let r: ReturnType<typeof analyzeFile>;
  try {
    r = analyzeFile(file);
  } catch (e) {
    a.error = String(e);
    return a;
  }
  const { session, tcp } = r;
  a.framesOurs = session.columns.length;
  const byFrame = new Map<number, TsharkFrame>();
  for (const f of t.tcp) byFrame.set(f.frame, f);
  const n = Math.max(a.framesOurs, t.frames);
  for (let i = 0; i < n; i++) {
    const tf = byFrame.get(i + 1);
    const ourFlags = i < a.framesOurs && tcp.out.stream[i] >= 0 ? tcp.out.flags[i] : 0;
    const theirFlags = tf ? tf.flags : 0;
    for (let b = 0; b < TCP_FLAG_NAMES.length; b++) {
      const th = (theirFlags >> b) & 1, ou = (ourFlags >> b) & 1;
      if (th !== ou && wrong.has(`${i + 1} ${TCP_FLAG_NAMES[b]}`)) { a.tsharkWrong++; continue; }
      if (th) a.flagCounts[b][0]++;
      if (ou) a.flagCounts[b][1]++;
      if (th && ou) a.flagCounts[b][2]++;
      if (th !== ou && a.examples.length < maxExamples) a.examples.push(`frame ${i + 1}: ${TCP_FLAG_NAMES[b]} tshark ${th} ours ${ou}`);
    }
    if (!tf || tf.icmp) continue;
    a.tcpFrames++;
    const mine = ours(tcp, session, i);
    let all = true;
    for (let k = 0; k < COMPARED.length; k++) {
      // tshark prints several values for a field seen more than once (TCP in TCP-carrying tunnels is rare): compare the last.
      const theirs = tf.values[k].split(',').at(-1) ?? '';
      if (theirs === mine[k] || wrong.has(`${i + 1} ${COMPARED[k]}`)) {
        a.fieldEqual[k]++;
        if (theirs !== mine[k]) a.tsharkWrong++;
      }
      else {
        all = false;
        if (a.examples.length < maxExamples) a.examples.push(`frame ${i + 1}: ${COMPARED[k]} tshark ${theirs || '-'} ours ${mine[k] || '-'}`);
      }
    }
    if (all) a.equalFrames++;
  }
  return a;
}

export interface AgreementTable {
  captures: number;
  tcpFrames: number;
  equalFrames: number;
  fields: { field: string; equal: number; share: number }[];
  flags: FlagScore[];
  frameCountDiffers: { file: string; tshark: number; ours: number }[];
  /** Values where tshark 4.0 is wrong, left out (TSHARK_WRONG). */
  tsharkWrong: number;
  errors: { file: string; error: string }[];
}

export function summarize(list: CaptureAgreement[]): AgreementTable {
  const tcpFrames = list.reduce((s, a) => s + a.tcpFrames, 0);
  const fields = COMPARED.map((field, k) => {
    const equal = list.reduce((s, a) => s + a.fieldEqual[k], 0);
    return { field, equal, share: tcpFrames === 0 ? 1 : equal / tcpFrames };
  });
  const flags = TCP_FLAG_NAMES.map((flag, b) => {
    const [tshark, ours, both] = list.reduce(([x, y, z], a) => [x + a.flagCounts[b][0], y + a.flagCounts[b][1], z + a.flagCounts[b][2]], [0, 0, 0]);
    const precision = ours === 0 ? 1 : both / ours;
    const recall = tshark === 0 ? 1 : both / tshark;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { flag, tshark, ours, both, precision, recall, f1 };
  });
  return {
    captures: list.length,
    tcpFrames,
    equalFrames: list.reduce((s, a) => s + a.equalFrames, 0),
    fields,
    flags,
    frameCountDiffers: list.filter((a) => !a.error && a.framesOurs !== a.framesTshark).map((a) => ({ file: a.file, tshark: a.framesTshark, ours: a.framesOurs })),
    tsharkWrong: list.reduce((s, a) => s + a.tsharkWrong, 0),
    errors: list.filter((a) => a.error).map((a) => ({ file: a.file, error: a.error! })),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(3)} %`;

export function formatTable(t: AgreementTable): string {
  const lines = [
    `${t.captures} captures, ${t.tcpFrames} TCP frames (tshark), all compared fields equal on ${t.equalFrames} (${pct(t.tcpFrames ? t.equalFrames / t.tcpFrames : 1)})`,
    'field\tequal\tshare',
    ...t.fields.map((f) => `${f.field}\t${f.equal}\t${pct(f.share)}`),
    'flag\ttshark\tours\tboth\tprecision\trecall\tF1',
    ...t.flags.map((f) => `${f.flag}\t${f.tshark}\t${f.ours}\t${f.both}\t${f.precision.toFixed(4)}\t${f.recall.toFixed(4)}\t${f.f1.toFixed(4)}`),
  ];
  if (t.tsharkWrong) lines.push(`${t.tsharkWrong} values where tshark 4.0 is wrong are left out (each named with its reason in TSHARK_WRONG)`);
  if (t.frameCountDiffers.length) lines.push(`frame counts differ: ${t.frameCountDiffers.map((d) => `${d.file} (tshark ${d.tshark}, ours ${d.ours})`).join('; ')}`);
  if (t.errors.length) lines.push(`errors: ${t.errors.map((e) => `${e.file}: ${e.error}`).join('; ')}`);
  return lines.join('\n');
}
