/**
 * One TCP connection, simulated as a Linux server sends a response and captured at the server's NIC:
 * handshake, request, ack-clocked data paced at the path's rate, delayed ACKs, random loss after the
 * capture point (the original is seen, then SACK dup ACKs, then the retransmission), RTO with
 * back-off, a receiver that stops reading (zero window, probes, window update), a client that aborts
 * (RST), a refused connection, and a PMTU black hole (full-size DF segments vanish, small ones pass).
 *
 * Times are µs on the capture's clock. The receiver's reaction to a segment sent at t is computed at
 * t and shows up in the capture at t + rtt, which keeps every packet the stream emits in time order.
 */
import { EventHeap } from './eventHeap';
import type { Prng } from './prng';
import { ACK, FIN, PSH, RST, SYN, WSCALE, type Endpoints, type Segment } from './tcpFrame';

export type Scenario = 'bulk' | 'refused' | 'reset' | 'zero-window' | 'blackhole';

export interface StreamPlan {
  scenario: Scenario;
  endpoints: Endpoints;
  startUs: number;
  rttUs: number;
  /** Time between two full segments at the path's rate. */
  gapUs: number;
  requestBytes: number;
  responseBytes: number;
  /** Probability that an original data segment is lost after the capture point. */
  lossRate: number;
  /** Congestion window in segments (kept fixed: the path rate is what paces the sender). */
  cwnd: number;
  /** Receive buffer in segments. */
  rcvBufSegs: number;
  /** zero-window: segment index from which the receiving application stops reading, and for how long. */
  stallAtSeg: number;
  stallUs: number;
  /** reset: segment index at whose arrival the client aborts. */
  resetAtSeg: number;
}

const enum Kind { Packet, Ack, ClientRst, Retransmit, Rto, DelAck, Probe, AppRead }

interface Ev {
  t: number;
  o: number;
  kind: Kind;
  seg: Segment | null;
  /** Ack: receiver's next expected segment; Retransmit: segment index; Probe: generation. */
  k: number;
  winSegs: number;
  /** Ack: SACKed segment ranges [start, end) as flat pairs. */
  ranges: number[] | null;
}

const MIN_RTO_US = 200_000;
const DELACK_US = 40_000;
const BLACKHOLE_IP_LIMIT = 1400;
const GIVE_UP_AFTER_RTOS = 5;

export class StreamSim {
  done = false;
  private readonly heap = new EventHeap<Ev>();
  private order = 0;
  private readonly mss: number;
  private readonly firstLen: number;
  private readonly nSegs: number;
  private readonly cIsn: number;
  private readonly sIsn: number;
  private readonly cTsBase: number;
  private readonly sTsBase: number;
  private cIpId: number;
  private sIpId: number;
  private readonly clientNext: number;
  private readonly half: number;
  // Sender (server) state, as it knows it from the ACKs it has seen.
  private nextNew = 0;
  private nextDataTime = Infinity;
  private lastSendTime = 0;
  private ackSeen = 0;
  private rwndSeen: number;
  private readonly retransmitted = new Set<number>();
  private rtoArmed = false;
  private rtoArmTime = 0;
  private rtoBackoff = 0;
  private lastProgress = 0;
  private probeGen = 0;
  private probing = false;
  private probeBackoff = 0;
  private finSent = false;
  private stopped = false;
  // Receiver (client) state.
  private rcvNext = 0;
  private ooo: number[] = [];
  private unacked = 0;
  private delackArmed = false;
  private paused = false;
  private resumed = false;
  private dead = false;

  constructor(private readonly plan: StreamPlan, private readonly rng: Prng) {
    this.mss = plan.endpoints.v6 ? 1428 : 1448; // MSS minus the 12-byte timestamp option
    this.firstLen = plan.scenario === 'blackhole' ? 320 : this.mss;
    const rest = Math.max(0, plan.responseBytes - this.firstLen);
    this.nSegs = 1 + Math.ceil(rest / this.mss);
    this.cIsn = rng.u32();
    this.sIsn = rng.u32();
    this.cTsBase = rng.u32();
    this.sTsBase = rng.u32();
    this.cIpId = rng.int(0, 65535);
    this.sIpId = rng.int(0, 65535);
    this.clientNext = this.cIsn + 1 + plan.requestBytes;
    this.half = plan.rttUs / 2;
    this.rwndSeen = plan.rcvBufSegs;
    this.handshake();
  }

  /** Time of the stream's next event (a packet or an internal timer). */
  nextTime(): number {
    const h = this.heap.peek();
    return Math.min(h ? h.t : Infinity, this.nextDataTime);
  }

  /** Handle the next event; writes at most one packet through `emit`. */
  step(emit: (s: Segment) => void): void {
    const h = this.heap.peek();
    if (this.nextDataTime !== Infinity && (!h || this.nextDataTime <= h.t)) {
      this.sendNew(this.nextDataTime, emit);
    } else if (h) {
      this.heap.pop();
      this.handle(h, emit);
    }
    this.done = this.heap.size === 0 && this.nextDataTime === Infinity;
  }

  // ---- sequence space -------------------------------------------------------------------------

  private segStart(k: number): number {
    if (k <= 0) return 0;
    return Math.min(this.plan.responseBytes, this.firstLen + (k - 1) * this.mss);
  }

  private seqOf(k: number): number {
    return (this.sIsn + 1 + this.segStart(k)) >>> 0;
  }

  private segLen(k: number): number {
    return this.segStart(k + 1) - this.segStart(k);
  }

  private cTs(t: number): number {
    return (this.cTsBase + Math.floor(t / 1000)) >>> 0;
  }

  private sTs(t: number): number {
    return (this.sTsBase + Math.floor(t / 1000)) >>> 0;
  }

  // ---- packets ---------------------------------------------------------------------------------

  private fromClient(t: number, seq: number, ack: number, flags: number, len: number, win: number, syn = false, sack: number[] | null = null): Segment {
    return {
      t, fromServer: false, seq, ack, flags, len, win, syn, sack, mss: this.plan.endpoints.v6 ? 1440 : 1460,
      tsval: this.cTs(t - this.half), tsecr: this.sTs(t - this.plan.rttUs), ipId: this.cIpId++ & 0xffff,
    };
  }

  private fromServer(t: number, seq: number, ack: number, flags: number, len: number, syn = false): Segment {
    return {
      t, fromServer: true, seq, ack, flags, len, win: 502, syn, sack: null, mss: this.plan.endpoints.v6 ? 1440 : 1460,
      tsval: this.sTs(t), tsecr: this.cTs(t - this.half), ipId: this.sIpId++ & 0xffff,
    };
  }

  private push(t: number, kind: Kind, seg: Segment | null, k = 0, winSegs = 0, ranges: number[] | null = null): void {
    this.heap.push({ t, o: this.order++, kind, seg, k, winSegs, ranges });
  }

  private handshake(): void {
    const p = this.plan;
    const t0 = p.startUs;
    this.push(t0, Kind.Packet, this.fromClient(t0, this.cIsn, 0, SYN, 0, 64240, true));
    if (p.scenario === 'refused') {
      const rst = this.fromServer(t0 + 15, 0, this.cIsn + 1, RST | ACK, 0);
      rst.win = 0;
      this.push(t0 + 15, Kind.Packet, rst);
      return;
    }
    this.push(t0 + 15, Kind.Packet, this.fromServer(t0 + 15, this.sIsn, this.cIsn + 1, SYN | ACK, 0, true));
    const t1 = t0 + p.rttUs + 15;
    this.push(t1, Kind.Packet, this.fromClient(t1, this.cIsn + 1, this.sIsn + 1, ACK, 0, this.windowRaw()));
    const t2 = t1 + 25;
    this.push(t2, Kind.Packet, this.fromClient(t2, this.cIsn + 1, this.sIsn + 1, PSH | ACK, p.requestBytes, this.windowRaw()));
    this.nextDataTime = t2 + 30 + this.rng.logUniform(20, 5000);
  }

  // ---- sender ----------------------------------------------------------------------------------

  private canSend(k: number): boolean {
    return !this.stopped && k < this.nSegs && k < this.ackSeen + Math.min(this.plan.cwnd, this.rwndSeen);
  }

  private rto(): number {
    return (MIN_RTO_US + this.plan.rttUs) * 2 ** this.rtoBackoff;
  }

  private sendNew(t: number, emit: (s: Segment) => void): void {
    const k = this.nextNew++;
    this.transmit(k, t, false, emit);
    const next = this.nextNew;
    if (this.canSend(next)) {
      this.nextDataTime = t + this.plan.gapUs * (0.85 + 0.3 * this.rng.float()) * (this.segLen(next) / this.mss);
      if (this.nextDataTime <= t) this.nextDataTime = t + 1;
    } else {
      this.nextDataTime = Infinity;
    }
  }

  private transmit(k: number, t: number, isRetransmission: boolean, emit: (s: Segment) => void): void {
    const len = this.segLen(k);
    const last = k === this.nSegs - 1;
    emit(this.fromServer(t, this.seqOf(k), this.clientNext, last ? PSH | ACK : ACK, len));
    this.lastSendTime = t;
    this.armRto(t);
    const ipLen = (this.plan.endpoints.v6 ? 40 : 20) + 32 + len;
    const lost = this.plan.scenario === 'blackhole'
      ? ipLen > BLACKHOLE_IP_LIMIT
      : !isRetransmission && this.rng.chance(this.plan.lossRate);
    if (!lost) this.arrive(k, t);
  }

  private armRto(t: number): void {
    if (this.rtoArmed || this.stopped) return;
    this.rtoArmed = true;
    this.rtoArmTime = t;
    this.push(t + this.rto(), Kind.Rto, null);
  }

  private onRto(t: number, emit: (s: Segment) => void): void {
    this.rtoArmed = false;
    if (this.stopped || this.ackSeen >= this.nextNew) return;
    if (this.lastProgress > this.rtoArmTime) {
      this.rtoArmed = true;
      this.rtoArmTime = this.lastProgress;
      this.push(this.lastProgress + this.rto(), Kind.Rto, null);
      return;
    }
    this.retransmitted.add(this.ackSeen);
    this.rtoBackoff++; // before transmit(), which re-arms the timer with the doubled value
    this.transmit(this.ackSeen, t, true, emit);
    if (this.plan.scenario === 'blackhole' && this.rtoBackoff >= GIVE_UP_AFTER_RTOS) {
      // The client's application times out and aborts the connection.
      this.stopped = true;
      const tr = t + 2_000_000;
      const rst = this.fromClient(tr, this.clientNext, this.seqOf(this.rcvNext), RST | ACK, 0, 0);
      this.push(tr, Kind.ClientRst, rst);
    }
  }

  private onAck(ev: Ev, t: number): void {
    if (ev.k > this.ackSeen) {
      this.ackSeen = ev.k;
      this.lastProgress = t;
      this.rtoBackoff = 0;
    }
    this.rwndSeen = ev.winSegs;
    if (ev.ranges) this.recoverFromSack(ev.ranges, t);
    if (this.ackSeen >= this.nSegs && !this.finSent) {
      this.finSent = true;
      this.closeConnection(t + 15);
      return;
    }
    if (this.nextDataTime === Infinity && this.canSend(this.nextNew)) {
      this.probing = false;
      this.nextDataTime = Math.max(t + 10, this.lastSendTime + this.plan.gapUs);
    } else if (this.rwndSeen === 0 && !this.probing && this.nextNew < this.nSegs && !this.stopped) {
      this.probing = true;
      this.probeBackoff = 0;
      this.push(t + this.rto(), Kind.Probe, null, ++this.probeGen);
    }
  }

  /** RFC 6675's rule: a hole with at least three SACKed segments above it is lost; resend it once. */
  private recoverFromSack(ranges: number[], t: number): void {
    let top = 0;
    for (let i = 1; i < ranges.length; i += 2) top = Math.max(top, ranges[i]);
    let when = t + 20;
    for (let m = this.ackSeen; m < top && m < this.nextNew; m++) {
      let sackedAbove = 0;
      let inRange = false;
      for (let i = 0; i < ranges.length; i += 2) {
        if (m >= ranges[i] && m < ranges[i + 1]) inRange = true;
        else if (ranges[i] > m) sackedAbove += ranges[i + 1] - ranges[i];
      }
      if (inRange || sackedAbove < 3 || this.retransmitted.has(m)) continue;
      this.retransmitted.add(m);
      this.push(when, Kind.Retransmit, null, m);
      when += this.plan.gapUs;
    }
  }

  private onProbe(ev: Ev, t: number, emit: (s: Segment) => void): void {
    if (ev.k !== this.probeGen || !this.probing || this.rwndSeen > 0) return;
    // Linux's window probe: an empty segment one below snd_una, which the receiver must answer.
    emit(this.fromServer(t, (this.seqOf(this.nextNew) - 1) >>> 0, this.clientNext, ACK, 0));
    this.sendAck(t, -1);
    this.probeBackoff++;
    this.push(t + this.rto() * 2 ** this.probeBackoff, Kind.Probe, null, this.probeGen);
  }

  private closeConnection(t: number): void {
    const end = this.seqOf(this.nSegs);
    this.push(t, Kind.Packet, this.fromServer(t, end, this.clientNext, FIN | ACK, 0));
    const tc = t + this.plan.rttUs;
    this.push(tc, Kind.Packet, this.fromClient(tc, this.clientNext, (end + 1) >>> 0, FIN | ACK, 0, this.windowRaw()));
    this.push(tc + 12, Kind.Packet, this.fromServer(tc + 12, (end + 1) >>> 0, this.clientNext + 1, ACK, 0));
  }

  // ---- receiver --------------------------------------------------------------------------------

  private winSegs(): number {
    if (!this.paused) return this.plan.rcvBufSegs;
    return Math.max(0, this.plan.rcvBufSegs - (this.rcvNext - this.plan.stallAtSeg));
  }

  private windowRaw(): number {
    return Math.min(65535, Math.ceil((this.winSegs() * this.mss) / (1 << WSCALE)));
  }

  private arrive(k: number, t: number): void {
    if (this.dead) return;
    const p = this.plan;
    if (k === this.rcvNext) {
      const hadHoles = this.ooo.length > 0;
      this.rcvNext++;
      if (hadHoles && this.ooo[0] === this.rcvNext) {
        this.rcvNext = this.ooo[1];
        this.ooo.splice(0, 2);
      }
      if (p.scenario === 'zero-window' && !this.paused && !this.resumed && this.rcvNext > p.stallAtSeg) {
        this.paused = true;
        this.push(t + p.stallUs, Kind.AppRead, null);
      }
      if (p.scenario === 'reset' && k >= p.resetAtSeg) {
        this.dead = true;
        const tr = t + p.rttUs;
        this.push(tr, Kind.ClientRst, this.fromClient(tr, this.clientNext, this.seqOf(this.rcvNext), RST | ACK, 0, this.windowRaw()));
        return;
      }
      this.unacked++;
      if (hadHoles || this.unacked >= 2 || this.rcvNext >= this.nSegs || this.paused) this.sendAck(t, k);
      else if (!this.delackArmed) {
        this.delackArmed = true;
        this.push(t + DELACK_US, Kind.DelAck, null);
      }
    } else if (k > this.rcvNext) {
      this.insertOoo(k);
      this.sendAck(t, k);
    } else {
      this.sendAck(t, -1);
    }
  }

  private insertOoo(k: number): void {
    const r = this.ooo;
    let i = 0;
    while (i < r.length && r[i + 1] < k) i += 2;
    if (i < r.length && k >= r[i] && k < r[i + 1]) return;
    if (i < r.length && r[i + 1] === k) {
      r[i + 1] = k + 1;
      if (i + 2 < r.length && r[i + 2] === k + 1) {
        r[i + 1] = r[i + 3];
        r.splice(i + 2, 2);
      }
    } else if (i < r.length && r[i] === k + 1) {
      r[i] = k;
    } else {
      r.splice(i, 0, k, k + 1);
    }
  }

  /** An ACK from the client for what it holds at t, seen in the capture one RTT later. */
  private sendAck(t: number, recent: number): void {
    this.unacked = 0;
    let edges: number[] | null = null;
    let ranges: number[] | null = null;
    if (this.ooo.length > 0) {
      ranges = this.ooo.slice();
      // The block holding the latest arrival goes first, then the highest others (RFC 2018).
      const order: number[] = [];
      for (let i = 0; i < ranges.length; i += 2) if (recent >= ranges[i] && recent < ranges[i + 1]) order.push(i);
      for (let i = ranges.length - 2; i >= 0 && order.length < 3; i -= 2) if (!order.includes(i)) order.push(i);
      edges = [];
      for (const i of order.slice(0, 3)) edges.push(this.seqOf(ranges[i]), this.seqOf(ranges[i + 1]));
    }
    const ta = t + this.plan.rttUs;
    const seg = this.fromClient(ta, this.clientNext, this.seqOf(this.rcvNext), ACK, 0, this.windowRaw(), false, edges);
    this.push(ta, Kind.Ack, seg, this.rcvNext, this.winSegs(), ranges);
  }

  // ---- events ----------------------------------------------------------------------------------

  private handle(ev: Ev, emit: (s: Segment) => void): void {
    const t = ev.t;
    switch (ev.kind) {
      case Kind.Packet:
        if (ev.seg) emit(ev.seg);
        break;
      case Kind.Ack:
        if (ev.seg) emit(ev.seg);
        this.onAck(ev, t);
        break;
      case Kind.ClientRst:
        if (ev.seg) emit(ev.seg);
        // The server's socket is gone: nothing more is sent.
        this.stopped = true;
        this.heap.clear();
        this.nextDataTime = Infinity;
        break;
      case Kind.Retransmit:
        if (!this.stopped && ev.k >= this.ackSeen) this.transmit(ev.k, t, true, emit);
        break;
      case Kind.Rto:
        this.onRto(t, emit);
        break;
      case Kind.DelAck:
        this.delackArmed = false;
        if (this.unacked > 0 && !this.dead) this.sendAck(t, -1);
        break;
      case Kind.Probe:
        this.onProbe(ev, t, emit);
        break;
      case Kind.AppRead:
        this.paused = false;
        this.resumed = true;
        if (!this.dead) this.sendAck(t, -1); // the window update
        break;
    }
  }
}
