/**
 * Generates a big synthetic capture: a few dozen connections open at any time, thousands in all,
 * interleaved in time order, written as they are simulated. One big stream carries ~200k packets per
 * GiB; a PMTU black hole, a zero-window stall, a client reset and a refused connection are placed
 * early; the rest are bulk responses of varied size, rate, RTT and loss, 10% over IPv6.
 */
import { CaptureWriter, type OutputFormat } from './captureWriter';
import { EventHeap } from './eventHeap';
import { Prng } from './prng';
import { StreamSim, type Scenario, type StreamPlan } from './streamSim';
import { frameLength, writeTcpFrame, type Endpoints, type Segment } from './tcpFrame';

export interface GenerateOptions {
  out: string;
  format: OutputFormat;
  sizeBytes: number;
  seed: number;
  onProgress?: (bytes: number, packets: number) => void;
}

export interface GenerateResult {
  bytes: number;
  packets: number;
  streams: number;
  bigStreamPackets: number;
  seconds: number;
}

const GIB = 1024 ** 3;
const EPOCH_US = 1_700_000_000 * 1e6;
/** Capture time the connections' arrivals are spread over, whatever the size. */
const DURATION_US = 60e6;
/** Mean bytes a bulk connection adds to the file (measured), to pace arrivals so the size fits. */
const MEAN_STREAM_BYTES = 330_000;
/** The diagnosable incidents, at fixed capture times so every size holds them whole. */
const SPECIAL: [number, Scenario][] = [[1.0e6, 'blackhole'], [1.5e6, 'zero-window'], [2.0e6, 'reset'], [2.5e6, 'refused']];

interface Active {
  t: number;
  o: number;
  /** null: the arrival process's next arrival. */
  sim: StreamSim | null;
  emit: (s: Segment) => void;
}

function endpointsFor(id: number, v6: boolean, rng: Prng): Endpoints {
  const server = rng.int(0, 19);
  const clientAddr = v6
    ? Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255)
    : Uint8Array.of(10, 1 + Math.floor(id / 62500), Math.floor(id / 250) % 250, 2 + (id % 250));
  const serverAddr = v6
    ? Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10 + server)
    : Uint8Array.of(server < 10 ? 192 : 198, server < 10 ? 0 : 51, server < 10 ? 2 : 100, 10 + server);
  return {
    v6, clientAddr, serverAddr,
    clientPort: rng.int(32768, 60999),
    serverPort: rng.pick([443, 443, 443, 443, 8443, 22, 5201]),
    flowLabel: rng.u32() & 0xfffff,
  };
}

function planFor(id: number, startUs: number, special: Scenario | null, big: boolean, sizeBytes: number, rng: Prng): StreamPlan {
  let scenario: Scenario = special ?? 'bulk';
  if (!special && !big) {
    if (rng.chance(0.004)) scenario = 'reset';
    else if (rng.chance(0.003)) scenario = 'refused';
  }
  const v6 = !big && scenario !== 'blackhole' && rng.chance(0.1);
  const plan: StreamPlan = {
    scenario, endpoints: endpointsFor(id, v6, rng), startUs,
    rttUs: rng.logUniform(300, 120_000),
    gapUs: rng.logUniform(12, 1200),
    requestBytes: rng.int(80, 700),
    responseBytes: Math.round(rng.chance(0.25) ? rng.logUniform(1000, 16_000) : rng.logUniform(16_000, 2_000_000)),
    lossRate: rng.chance(0.35) ? rng.logUniform(0.001, 0.03) : 0,
    cwnd: 0, rcvBufSegs: 2048, stallAtSeg: 0, stallUs: 0, resetAtSeg: 0,
  };
  if (big) {
    const packets = Math.max(2000, Math.round((200_000 * sizeBytes) / GIB));
    Object.assign(plan, { rttUs: 2000, gapUs: 40, responseBytes: Math.round(packets * 0.66 * 1448), lossRate: 0.0005, rcvBufSegs: 4096 });
  } else if (scenario === 'blackhole') {
    Object.assign(plan, { rttUs: 20_000, gapUs: 100, responseBytes: 64_000, lossRate: 0, cwnd: 10 });
  } else if (scenario === 'zero-window') {
    Object.assign(plan, { rttUs: 10_000, gapUs: 50, responseBytes: 3_000_000, lossRate: 0, cwnd: 200, rcvBufSegs: 400, stallAtSeg: 300, stallUs: 3_500_000 });
  } else if (scenario === 'reset') {
    plan.responseBytes = Math.max(plan.responseBytes, 400_000);
    plan.resetAtSeg = rng.int(20, 200);
  }
  if (plan.cwnd === 0) {
    const clocked = Math.ceil(plan.rttUs / plan.gapUs) + 4;
    plan.cwnd = Math.min(700, rng.chance(0.2) ? rng.int(10, 64) : clocked);
  }
  return plan;
}

export function generateCapture(opts: GenerateOptions): GenerateResult {
  const started = performance.now();
  const writer = new CaptureWriter(opts.out, opts.format);
  const rng = new Prng(opts.seed);
  const streams = new EventHeap<Active>();
  const launchUntil = opts.sizeBytes * 0.97;
  const maxRecord = writer.recordSize(frameLength({ v6: true } as Endpoints, { syn: false, sack: [0, 0, 0, 0, 0, 0], len: 1500, flags: 0x10 } as Segment));
  let full = false;
  let nextId = 1;
  let launched = 0;
  let bigStreamPackets = 0;
  let lastProgress = 0;

  const launch = (t: number, big: boolean, special: Scenario | null = null) => {
    const id = nextId++;
    const streamRng = new Prng((Math.imul(opts.seed, 0x9e3779b1) ^ id) >>> 0);
    const plan = planFor(id, t, special, big, opts.sizeBytes, streamRng);
    const sim = new StreamSim(plan, streamRng);
    const emit = (s: Segment) => {
      if (writer.bytes + maxRecord > opts.sizeBytes) { full = true; return; }
      writeTcpFrame(writer, EPOCH_US, plan.endpoints, s);
      if (big) bigStreamPackets++;
    };
    streams.push({ t: sim.nextTime(), o: id, sim, emit });
    launched++;
  };

  launch(1000, true);
  for (const [t, scenario] of SPECIAL) launch(t, false, scenario);
  const arrivals = Math.max(20, (opts.sizeBytes * 0.8) / MEAN_STREAM_BYTES);
  const meanGap = DURATION_US / arrivals;
  streams.push({ t: 2000, o: 0, sim: null, emit: () => undefined });

  while (!full) {
    const a = streams.pop();
    if (!a) break;
    if (!a.sim) {
      // Poisson arrivals until the file is nearly full; the open connections then run on to the limit.
      if (writer.bytes < launchUntil) {
        launch(a.t, false);
        a.t += rng.exp(meanGap);
        streams.push(a);
      }
      continue;
    }
    a.sim.step(a.emit);
    if (!a.sim.done) {
      a.t = a.sim.nextTime();
      streams.push(a);
    }
    if (opts.onProgress && writer.bytes - lastProgress > 64 << 20) {
      lastProgress = writer.bytes;
      opts.onProgress(writer.bytes, writer.packets);
    }
  }
  writer.close();
  return {
    bytes: writer.bytes, packets: writer.packets, streams: launched, bigStreamPackets,
    seconds: (performance.now() - started) / 1000,
  };
}
