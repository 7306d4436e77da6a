/**
 * The stream graphs against tshark: RTT samples against tcp.analysis.ack_rtt (from each capture's
 * `<file>.tshark.tsv`), throughput bins against the io,stat figures scripts/graph-oracle.ts stored.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'fflate';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { asStreamId, asRow, type Direction } from '../../src/index';
import { TcpFlagBit } from '../../src/tcp/types';
import { RttSkip } from '../../src/view/graphs';
import { readTsv } from './tcpSupport/oracle';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_CAPTURES = path.resolve(repoRoot, '..', 'shared', 'captures');
export const IOSTAT_FIXTURE = path.resolve(repoRoot, 'tests', 'fixtures', 'graphs', 'iostat.tsv.gz');

/** One io,stat column: a capture's stream and direction, the interval, the bytes per interval. */
export interface IoStatColumn {
  capture: string;
  interval: number;
  stream: number;
  dir: Direction;
  bytes: number[];
}

export function readIoStat(): IoStatColumn[] {
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(IOSTAT_FIXTURE))));
  return text.split('\n').filter((l) => l !== '').map((l) => {
    const [capture, interval, stream, dir, bytes] = l.split('\t');
    return { capture, interval: Number(interval), stream: Number(stream), dir: Number(dir) as Direction, bytes: bytes.split(',').map(Number) };
  });
}

/** Our throughput bins (bytes) for an io,stat column: asked with the same interval from the capture start. */
export function ourBins(a: Analysis, c: IoStatColumn): number[] {
  const n = c.bytes.length;
  const g = a.graph({ stream: c.stream, dir: c.dir, kind: 'throughput', t0: 0, t1: n * c.interval, pixels: 4 * n, average: 0, binWidth: c.interval });
  const s = g.series[0];
  return Array.from(s.value.subarray(0, n), (v) => Math.round((v * g.binWidth) / 8));
}

export function analyse(path: string): Analysis {
  const bytes = new Uint8Array(readFileSync(path));
  const run = openAnalysis({ expectedBytes: bytes.length });
  run.push(path.endsWith('.gz') ? gunzipSync(bytes) : bytes);
  return run.finish();
}

/** How our sample at an ACK compares with tshark's ack_rtt there. */
export interface RttAgreement {
  /** ACK frames where tshark has an ack_rtt. */
  tshark: number;
  /** ... and ours is the same (within a nanosecond and a half: tshark prints nanoseconds). */
  equal: number;
  /** Ours none, by Karn's rule: the bytes timed had passed the capture point twice. */
  karn: number;
  /** Ours none: the ACK covered a SYN or FIN only and ours has none (not expected: they are timed too). */
  control: number;
  /** Ours none: the ACK covered nothing new, its bytes were SACKed before (tshark times the old segment). */
  sackedBefore: number;
  /** Ours none: the bytes were never captured. */
  unseen: number;
  /** Ours none: the ACK is a second capture of a packet (tshark analyses it again). */
  copy: number;
  /** Both, from different segments: tshark the segment ending at the ACK, ours the highest byte newly covered (SACKed bytes skipped). */
  otherSegment: number;
  others: { frame: number; tshark: number; ours: number; tsharkFrom: number; oursFrom: number }[];
  /** Both from the same segment, different values: a real disagreement (listed). */
  differ: { frame: number; tshark: number; ours: number }[];
  /** Ours where tshark has none: samples from SACK blocks, or an ACK tshark matched no segment for. */
  onlyOurs: number;
  /** Of onlyOurs, ACKs carrying SACK blocks. */
  onlyOursSack: number;
  /** Of onlyOurs, samples of exactly 0 (the ACK has the segment's time stamp): tshark shows no ack_rtt of 0. */
  onlyOursZero: number;
  /** Of onlyOurs, ACKs ending inside the segment timed (a partial ACK): tshark times only ACKs at a segment's end. */
  onlyOursPartial: number;
  /** Unexplained: tshark has one, ours none, for no reason above (listed). */
  missing: number[];
}

export function compareRtt(a: Analysis, tsvPath: string): RttAgreement {
  const tsv = readTsv(tsvPath);
  const cRtt = tsv.col('tcp.analysis.ack_rtt'), cAcks = tsv.col('tcp.analysis.acks_frame'), cFrame = tsv.col('frame.number');
  const ours = new Map<number, { value: number; from: number }>();
  const skip = new Map<number, number>();
  for (let s = 0; s < a.tcp.streams.length; s++) {
    for (const d of [0, 1] as Direction[]) {
      const t = a.graphTrack(asStreamId(s), d);
      for (let i = 0; i < t.rtt.count; i++) ours.set(t.rtt.frame[i], { value: t.rtt.value[i], from: t.rttFrom[i] });
      for (let i = 0; i < t.rttSkipFrame.length; i++) skip.set(t.rttSkipFrame[i], t.rttSkipReason[i]);
    }
  }
  const cols = a.columns;
  const out: RttAgreement = {
    tshark: 0, equal: 0, karn: 0, control: 0, sackedBefore: 0, unseen: 0, copy: 0, otherSegment: 0, others: [], differ: [], onlyOurs: 0, onlyOursSack: 0, onlyOursZero: 0, onlyOursPartial: 0, missing: [],
  };
  const tsharkFrames = new Set<number>();
  // tcp.ack of each ACK and tcp.nxtseq of each segment, when the file has them (relative numbers).
  const cAck = tsv.header.indexOf('tcp.ack'), cNxt = tsv.header.indexOf('tcp.nxtseq');
  const ackOf = new Map<number, number>(), nxtOf = new Map<number, number>();
  for (const row of tsv.rows) {
    const frame = Number(row[cFrame]);
    if (cAck >= 0 && row[cAck]) ackOf.set(frame, Number(row[cAck]));
    if (cNxt >= 0 && row[cNxt]) nxtOf.set(frame, Number(row[cNxt]));
  }
  for (const row of tsv.rows) {
    const v = row[cRtt];
    if (!v) continue;
    const frame = Number(row[cFrame]);
    const acked = Number(row[cAcks]);
    const rtt = Number(v);
    tsharkFrames.add(frame);
    out.tshark++;
    const o = ours.get(frame);
    if (o) {
      if (Math.abs(o.value - rtt) <= 1.5e-9) out.equal++;
      else if (o.from !== acked) { out.otherSegment++; out.others.push({ frame, tshark: rtt, ours: o.value, tsharkFrom: acked, oursFrom: o.from }); }
      else out.differ.push({ frame, tshark: rtt, ours: o.value });
      continue;
    }
    const why = skip.get(frame);
    if (why === RttSkip.Karn) out.karn++;
    else if (why === RttSkip.Unseen) out.unseen++;
    else if (why === RttSkip.Copy) out.copy++;
    else if (acked > 0 && cols.tcpLen[acked - 1] === 0) out.control++;
    else if (acked > 0) out.sackedBefore++;
    else out.missing.push(frame);
  }
  for (const [frame, o] of ours) {
    if (tsharkFrames.has(frame)) continue;
    out.onlyOurs++;
    const ack = ackOf.get(frame), end = nxtOf.get(o.from);
    if (o.value === 0) out.onlyOursZero++;
    else if (cols.sackCount[frame - 1] > 0) out.onlyOursSack++;
    else if (ack !== undefined && end !== undefined && ack < end) out.onlyOursPartial++;
  }
  return out;
}

/** Our bytes in flight at each data segment against tshark's tcp.analysis.bytes_in_flight. */
export interface InFlightAgreement {
  /** Data segments where tshark has bytes_in_flight (and we a point). */
  both: number;
  equal: number;
  /** Different, on a stream with a gap (bytes never captured, which we count as sent and tshark not) or a packet captured twice. */
  gapOrCopy: number;
  /** Different elsewhere (listed: frame, tshark, ours). */
  differ: [number, number, number][];
}

export function compareInFlight(a: Analysis, tsvPath: string): InFlightAgreement {
  const tsv = readTsv(tsvPath);
  const cB = tsv.col('tcp.analysis.bytes_in_flight'), cF = tsv.col('frame.number');
  const theirs = new Map<number, number>();
  for (const r of tsv.rows) if (r[cB]) theirs.set(Number(r[cF]), Number(r[cB]));
  const out: InFlightAgreement = { both: 0, equal: 0, gapOrCopy: 0, differ: [] };
  const idx = a.streamIndex();
  for (let s = 0; s < a.tcp.streams.length; s++) {
    let special = false;
    for (let p = idx.offsets[s]; p < idx.offsets[s + 1] && !special; p++) {
      const r = idx.rows[p];
      special = (a.tcp.flags[r] & TcpFlagBit.LostSegment) !== 0 || a.fate(asRow(r))?.key === 'fate.copy';
    }
    for (const d of [0, 1] as Direction[]) {
      const t = a.graphTrack(asStreamId(s), d);
      for (let i = 0; i < t.inFlight.count; i++) {
        const frame = t.inFlight.frame[i], v = theirs.get(frame);
        if (v === undefined) continue;
        out.both++;
        if (v === t.inFlight.value[i]) out.equal++;
        else if (special) out.gapOrCopy++;
        else out.differ.push([frame, v, t.inFlight.value[i]]);
      }
    }
  }
  return out;
}
