/**
 * `npx tsx scripts/bench-series.ts`: cost of the chart's series on a large stream. Builds a packet
 * table of ~1.1 M rows (a 1 GiB capture's worth: one bulk stream of 200 k packets with 1 % loss,
 * SACK and retransmissions, amid 900 k packets of 9 000 small streams), then times the stream index,
 * the first request (summary pass + series) and later requests for the whole stream and for zoomed
 * windows at a 1 200-pixel width. Options: --packets N (the big stream), --loss P (per cent).
 */
import { PacketColumns, TcpFlag, emptyRow } from '../src/decode/columns';
import { TcpFlagBit, type TcpStreamInfo } from '../src/tcp/types';
import { buildStreamIndex, streamSeries } from '../src/view/series';
import { streamSummary } from '../src/view/streamSummary';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const BIG = arg('packets', 200_000);
const LOSS = arg('loss', 1) / 100;
const SMALL_STREAMS = 9_000, SMALL_PACKETS = 100;
const MSS = 1448;

function build() {
  const n = BIG + SMALL_STREAMS * SMALL_PACKETS;
  const cols = new PacketColumns(n);
  const tcp = {
    stream: new Int32Array(n), dir: new Uint8Array(n), seq: new Uint32Array(n), ack: new Uint32Array(n),
    window: new Uint32Array(n), flags: new Uint16Array(n),
    streams: Array.from({ length: SMALL_STREAMS + 1 }, (_, i) => ({ index: i }) as TcpStreamInfo),
  };
  const row = emptyRow();
  let rnd = 12345;
  const random = () => ((rnd = (rnd * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let i = 0, t = 0, next = 1, acked = 1;
  const lost: number[] = [];
  const put = (stream: number, dir: number, seq: number, ack: number, len: number, flags: number, sack: [number, number] | null) => {
    row.tsSec = 1_700_000_000 + Math.floor(t);
    row.tsNsec = Math.floor((t % 1) * 1e9);
    row.tcpFlags = TcpFlag.Ack; row.tcpLen = len; row.ipLen = len + 52; row.ipDf = 1;
    row.seqRaw = seq >>> 0; row.ackRaw = ack >>> 0;
    if (sack) cols.pushSack(sack[0] >>> 0, sack[1] >>> 0);
    cols.commit(row);
    tcp.stream[i] = stream; tcp.dir[i] = dir; tcp.seq[i] = seq >>> 0; tcp.ack[i] = ack >>> 0;
    tcp.window[i] = 6_000_000; tcp.flags[i] = flags;
    i++;
  };
  // The big stream's packets interleave with the small streams' (1 in 5.5 rows is the big one).
  let small = 0;
  for (let k = 0; k < BIG; k++) {
    t += 5e-5;
    if (k % 2 === 0) {
      const resend = lost.length > 0 && random() < 0.3;
      const seq = resend ? lost.shift()! : next;
      if (!resend) next += MSS;
      if (!resend && random() < LOSS) lost.push(seq);
      put(0, 0, seq, 1, MSS, resend ? TcpFlagBit.Retransmission : 0, null);
    } else {
      const hole = lost[0];
      acked = hole !== undefined ? hole : next;
      put(0, 1, 1, acked, 0, 0, hole !== undefined ? [hole + MSS, next] : null);
    }
    for (let j = 0; j < 4.5 && small < SMALL_STREAMS * SMALL_PACKETS; j++, small++) {
      const s = 1 + (small % SMALL_STREAMS);
      put(s, small & 1, 1 + (small >> 1) * 100, 1, 100, 0, null);
    }
  }
  while (small < SMALL_STREAMS * SMALL_PACKETS) { put(1 + (small % SMALL_STREAMS), 0, 1, 1, 100, 0, null); small++; }
  return { cols, tcp };
}

/** Best of `runs`, wall clock and CPU time (the CPU figure is the one to trust on a busy machine). */
function time<T>(label: string, f: () => T, runs = 1): T {
  let best = Infinity, bestCpu = Infinity, out: T | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    out = f();
    const c = process.cpuUsage(c0);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  }
  console.log(`${label.padEnd(52)} ${best.toFixed(1).padStart(8)} ms wall ${bestCpu.toFixed(1).padStart(8)} ms cpu`);
  return out as T;
}

const { cols, tcp } = time('build synthetic table', build);
console.log(`${cols.length} rows, big stream ${BIG} packets`);
const index = time('buildStreamIndex', () => buildStreamIndex(tcp, cols));
const input = { cols, tcp, index };
const opts = { stream: 0, dir: 0, pixels: 1200, pathMtu: 1440 };
const first = time('first request (summary pass + whole stream)', () => streamSeries(input, { ...opts, t0: NaN, t1: NaN }));
console.log(`  ${first.segmentsInWindow} segments in window -> ${first.segCount} marks, ${first.ackCount} ACK points, ${first.sackCount} SACK blocks, ${first.holes.count} holes`);
time('whole stream again (best of 5)', () => streamSeries(input, { ...opts, t0: NaN, t1: NaN }), 5);
const span = first.extent.t1 - first.extent.t0;
for (const frac of [0.5, 0.1, 0.01, 0.001]) {
  const t0 = first.extent.t0 + span * 0.37;
  const s = time(`window of ${frac * 100}% (best of 5)`, () => streamSeries(input, { ...opts, t0, t1: t0 + span * frac }), 5);
  console.log(`  ${s.segmentsInWindow} segments -> ${s.segCount} marks, ${s.ackCount} ACK points, ${s.sackCount} SACK blocks`);
}

// The first request pays the stream's summary pass once; time it alone on fresh indexes (new caches).
for (let k = 0; k < arg('summaries', 3); k++) {
  const fresh = { cols, tcp, index: buildStreamIndex(tcp, cols) };
  time('summary pass alone, fresh cache', () => streamSummary(fresh, 0));
}
