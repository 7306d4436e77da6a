/**
 * Compare the TCP analyzer with tshark's per-frame reading of the same capture (`<file>.tshark.tsv`,
 * columns described in ../shared/captures/README.md, "Oracle files").
 */
import { readFileSync } from 'node:fs';
import { createCaptureReader } from '../../../src/capture';
import { CaptureSession } from '../../../src/pipeline';
import { TcpAnalyzer, type TcpAnalyzerOptions } from '../../../src/tcp/analyzer';
import { relativeSack } from '../../../src/tcp/sack';
import { tsharkAckRtt } from '../../../src/tcp/tshark';
import { TCP_FLAG_NAMES } from '../../../src/tcp/types';

export interface TsvTable {
  header: string[];
  rows: string[][];
  col(name: string): number;
}

export function readTsv(path: string): TsvTable {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  const rows = lines.slice(1).map((l) => l.split('\t'));
  return {
    header,
    rows,
    col(name: string) {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`column ${name} missing`);
      return i;
    },
  };
}

export function analyzeFile(path: string, options: TcpAnalyzerOptions = {}): { session: CaptureSession; tcp: TcpAnalyzer } {
  const tcp = new TcpAnalyzer(options);
  const session = new CaptureSession({ processors: [tcp], createReader: (sink) => createCaptureReader(sink) });
  session.push(new Uint8Array(readFileSync(path)));
  session.end();
  return { session, tcp };
}

export interface FlagAgreement {
  flag: string;
  tshark: number;
  ours: number;
  both: number;
  precision: number;
  recall: number;
  /** Frames (1-based) where only one side set the flag. */
  onlyTshark: number[];
  onlyOurs: number[];
}

export interface FieldMismatch {
  frame: number;
  field: string;
  tshark: string;
  ours: string;
}

export interface Comparison {
  frames: number;
  flags: FlagAgreement[];
  mismatches: FieldMismatch[];
}

const fmtNum = (n: number) => String(n);

/** Our value of a tshark field on row i, as tshark prints it (empty when absent). */
function ourField(tcp: TcpAnalyzer, session: CaptureSession, field: string, i: number): string {
  const o = tcp.out;
  const cols = session.columns;
  if (o.stream[i] < 0) return '';
  switch (field) {
    case 'tcp.stream': return fmtNum(o.stream[i]);
    case 'tcp.seq': return fmtNum(o.seq[i]);
    case 'tcp.ack': return fmtNum(o.ack[i]);
    case 'tcp.nxtseq': return fmtNum(o.nxtseq[i]);
    case 'tcp.len': return fmtNum(cols.tcpLen[i]);
    case 'tcp.window_size': return fmtNum(o.window[i]);
    case 'tcp.options.sack_le':
    case 'tcp.options.sack_re': {
      const s = relativeSack(cols, tcp, i);
      const pick = field.endsWith('le') ? 0 : 1;
      return s.filter((_, k) => k % 2 === pick).join(',');
    }
    case 'tcp.analysis.duplicate_ack_num': return o.dupAckNum[i] > 0 ? fmtNum(o.dupAckNum[i]) : '';
    case 'tcp.analysis.duplicate_ack_frame': return o.dupAckNum[i] > 0 ? fmtNum(o.dupAckFrame[i] + 1) : '';
    case 'tcp.analysis.acks_frame': return o.acksFrame[i] >= 0 ? fmtNum(o.acksFrame[i] + 1) : '';
    case 'tcp.analysis.ack_rtt': {
      // tshark's reading (no RTT of 0, negative ones shown), not ours: src/tcp/tshark.ts.
      const rtt = tsharkAckRtt(cols, o, i);
      return Number.isNaN(rtt) ? '' : rtt.toFixed(6);
    }
    case 'tcp.analysis.bytes_in_flight': return o.bytesInFlight[i] >= 0 ? fmtNum(o.bytesInFlight[i]) : '';
    default: throw new Error(field);
  }
}

export const COMPARED_FIELDS = [
  'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size', 'tcp.options.sack_le',
  'tcp.options.sack_re', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.bytes_in_flight',
] as const;

/** tshark's value normalised to what we compare (ack_rtt to the microsecond). */
function theirField(field: string, v: string): string {
  if (field === 'tcp.analysis.ack_rtt' && v !== '') return Number(v).toFixed(6);
  return v;
}

/** Frames whose TCP header tshark read inside an ICMP error (not a TCP packet of ours). */
function isIcmpRow(session: CaptureSession, i: number): boolean {
  return session.columns.icmpType[i] !== 255;
}

export function compare(session: CaptureSession, tcp: TcpAnalyzer, tsv: TsvTable): Comparison {
  const n = Math.min(tsv.rows.length, session.columns.length);
  const mismatches: FieldMismatch[] = [];
  const flags: FlagAgreement[] = [];
  const frameCol = tsv.col('frame.number');
  for (let bit = 0; bit < TCP_FLAG_NAMES.length; bit++) {
    const name = TCP_FLAG_NAMES[bit];
    const c = tsv.col(`tcp.analysis.${name}`);
    const a: FlagAgreement = { flag: name, tshark: 0, ours: 0, both: 0, precision: 1, recall: 1, onlyTshark: [], onlyOurs: [] };
    for (let i = 0; i < n; i++) {
      const t = tsv.rows[i][c] !== '';
      const o = (tcp.out.flags[i] & (1 << bit)) !== 0;
      if (t) a.tshark++;
      if (o) a.ours++;
      if (t && o) a.both++;
      else if (t) a.onlyTshark.push(Number(tsv.rows[i][frameCol]));
      else if (o) a.onlyOurs.push(Number(tsv.rows[i][frameCol]));
    }
    a.precision = a.ours === 0 ? 1 : a.both / a.ours;
    a.recall = a.tshark === 0 ? 1 : a.both / a.tshark;
    flags.push(a);
  }
  for (const field of COMPARED_FIELDS) {
    const c = tsv.col(field);
    for (let i = 0; i < n; i++) {
      const theirs = theirField(field, tsv.rows[i][c]);
      if (isIcmpRow(session, i)) {
        // tshark also dissects the TCP header quoted in an ICMP error; we only map it to its stream.
        if (field === 'tcp.stream' && theirs !== '' && String(tcp.out.icmpStream[i]) !== theirs) {
          mismatches.push({ frame: i + 1, field: 'tcp.stream (ICMP quote)', tshark: theirs, ours: String(tcp.out.icmpStream[i]) });
        }
        continue;
      }
      const ours = ourField(tcp, session, field, i);
      if (ours !== theirs) mismatches.push({ frame: i + 1, field, tshark: theirs, ours });
    }
  }
  if (tsv.rows.length !== session.columns.length) {
    mismatches.push({ frame: 0, field: 'frame count', tshark: String(tsv.rows.length), ours: String(session.columns.length) });
  }
  return { frames: n, flags, mismatches };
}

/** One line per flag that either side raised: "file flag tshark ours both precision recall". */
export function agreementLines(file: string, cmp: Comparison): string[] {
  return cmp.flags
    .filter((f) => f.tshark > 0 || f.ours > 0)
    .map((f) => [file, f.flag, f.tshark, f.ours, f.both, (100 * f.precision).toFixed(1) + '%', (100 * f.recall).toFixed(1) + '%'].join('\t'));
}
