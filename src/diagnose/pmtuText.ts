/** Words and numbers of a PMTU black-hole finding: the story an engineer would write, and the fix. */
import type { DiagnoseContext } from './context';
import type { BlackholeEvidence } from './pmtuBlackhole';
import { encapNames, ends, findingId, host, listParams, secondsParams, secs, tunnelBits } from './text';
import type { Msg, PmtuBlackholeFinding } from './types';
import { frameAt, type Frame } from '../types';

/** MTUs people actually configure, largest first: candidates inside the bracket. */
const COMMON_MTUS = [9000, 1500, 1480, 1460, 1450, 1440, 1430, 1420, 1410, 1400, 1380, 1360, 1280];

/** A common MTU inside the bracket (a candidate, not a proof), else its lower end. */
export function suggestMtu(min: number, max: number): number {
  return COMMON_MTUS.find((x) => x >= min && x <= max) ?? min;
}

/** An MTU the capture does not prove, with what makes it likely and the probe that settles it. */
export interface MtuCandidate {
  mtu: number;
  basis: 'common' | 'tunnel' | 'icmp';
  /** A command run on the sender: it must succeed for this MTU to hold. */
  probe: string;
}

/** What the advice is made from: fixed when the finding is made; the bracket may narrow later. */
interface AdviceContext {
  ipVersion: number;
  senderHost: string;
  receiverHost: string;
  tunnel: string | null;
  overhead: number;
  /** MTUs reported by ICMP "too big" for this direction. */
  icmpMtus: number[];
}

const ADVICE = new WeakMap<PmtuBlackholeFinding, AdviceContext>();

function pingOf(v6: boolean, mtu: number, dst: string): string {
  return `${v6 ? 'ping -6' : 'ping'} -M do -s ${mtu - (v6 ? 48 : 28)} ${dst}`;
}

/**
 * The numbers to recommend for a bracket, and the words. Only a guaranteed value is recommended: the
 * largest size seen delivered (or exactly what an ICMP message reports, inside the bracket); a common
 * setting or a tunnel's usual size inside the bracket is a candidate, with the probe that settles it.
 */
export function advise(f: PmtuBlackholeFinding): void {
  const c = ADVICE.get(f);
  if (!c) return;
  const { min, max } = f.pathMtu;
  const v6 = c.ipVersion === 6;
  const hdr = v6 ? 60 : 40;
  const icmp = c.icmpMtus.find((x) => x >= min && x <= max);
  // Every IPv6 path carries 1280 bytes (RFC 8200): that much is guaranteed without being seen.
  const sure = icmp ?? (v6 && min < 1280 && max >= 1280 ? 1280 : min);
  const seen = new Set<number>([sure]);
  const candidates: MtuCandidate[] = [];
  const add = (mtu: number, basis: MtuCandidate['basis']) => {
    if (mtu <= sure || mtu > max || seen.has(mtu)) return;
    seen.add(mtu);
    candidates.push({ mtu, basis, probe: pingOf(v6, mtu, c.receiverHost) });
  };
  if (c.tunnel && c.overhead > 0) add(1500 - c.overhead, 'tunnel');
  for (const x of COMMON_MTUS) add(x, 'common');
  candidates.sort((a, b) => b.mtu - a.mtu);
  candidates.length = Math.min(candidates.length, 3);
  f.suggestedMtu = sure;
  f.suggestedMss = sure - hdr;
  f.candidateMtus = candidates;
  const remedy: Msg[] = [];
  // A wide bracket: measure first (the proven size wastes much of what the path may carry).
  const wide = max - sure > 100;
  const measure: Msg[] = [];
  remedy.push(c.tunnel
    ? { key: 'pmtu.remedy.mtuTunnel', params: { mtu: sure, tunnel: c.tunnel, overhead: c.overhead, underlay: sure + c.overhead, basis: icmp ? '@pmtu.basis.icmp' : '@pmtu.basis.delivered' } }
    : { key: 'pmtu.remedy.mtu', params: { mtu: sure, basis: icmp ? '@pmtu.basis.icmp' : '@pmtu.basis.delivered' } });
  if (!v6 && sure < 1280) remedy.push({ key: 'pmtu.remedy.v6floor', params: { mtu: sure } });
  remedy.push({ key: 'pmtu.remedy.mss', params: { mss: sure - hdr, iptables: v6 ? 'ip6tables' : 'iptables' } });
  // The likeliest candidate in words (a tunnel's usual size first, else the largest common setting); all of them in candidateMtus.
  const best = candidates.find((x) => x.basis === 'tunnel') ?? candidates[0];
  for (const x of best ? [best] : []) {
    measure.push({
      key: 'pmtu.remedy.candidate',
      params: {
        mtu: x.mtu, mss: x.mtu - hdr, host: c.senderHost, probe: x.probe, above: pingOf(v6, x.mtu + 1, c.receiverHost),
        basis: `@pmtu.basis.${x.basis}`, 'basis.tunnel': c.tunnel ?? '', 'basis.overhead': c.overhead,
      },
    });
  }
  if (max - sure > 8) {
    const mid = Math.floor((sure + max + 1) / 2);
    measure.push({ key: 'pmtu.remedy.bisect', params: { min: sure, max, host: c.senderHost, dst: c.receiverHost, probe: pingOf(v6, mid, c.receiverHost), midIp: mid } });
  }
  if (wide) remedy.unshift(...measure);
  else remedy.push(...measure);
  remedy.push({ key: 'pmtu.remedy.probing', params: { host: c.senderHost } });
  remedy.push({ key: v6 ? 'pmtu.remedy.icmp6' : 'pmtu.remedy.icmp4' });
  remedy.push({ key: 'pmtu.remedy.verify', params: { probe: pingOf(v6, sure, c.receiverHost), mtu: sure } });
  f.remedy = remedy;
}

export function pmtuText(ctx: DiagnoseContext, ev: BlackholeEvidence): PmtuBlackholeFinding {
  const { m, d, dd, ok, failed, bracket } = ev;
  const cols = ctx.cols;
  const [src, dst] = ends(cols, m, d);
  const story: Msg[] = [];
  const frames: Frame[] = [];
  let t0row: number, t1row: number, transmissions: number;
  let recovered = false;

  const txs = dd.txs;
  if (ev.evidence === 'sender') {
    const first = txs.get(failed[0]);
    // Rows of the failed transmissions: those of the first one's bytes, and the others.
    const same: number[] = [], other: number[] = [];
    for (const k of failed) (txs.s[k] === first.s ? same : other).push(txs.row[k]);
    transmissions = failed.length;
    for (const k of failed) frames.push(frameAt(txs.row[k])); // no spread: lists of 100k+ overflow the stack
    t0row = first.row; t1row = txs.row[failed[failed.length - 1]];
    story.push({ key: 'pmtu.story.sent', params: { frame: first.row + 1, src, len: first.e - first.s, seq: first.s, end: first.e, ipLen: first.ipLen } });
    if (same.length > 1) {
      const offs = same.slice(1).map((r) => ctx.span(first.row, r));
      story.push({ key: 'pmtu.story.resent', params: { count: same.length - 1, ...listParams('frames', same.slice(1).map((r) => r + 1)), ...secondsParams('offsets', offs) } });
    }
    const others = other.length;
    if (others > 0) story.push({ key: 'pmtu.story.otherFailed', params: { count: others, ...listParams('frames', other.map((r) => r + 1)) } });
    const sackRow = dd.sackRows.find((r) => r > first.row);
    if (sackRow !== undefined) {
      frames.push(frameAt(sackRow));
      story.push({ key: 'pmtu.story.sack', params: { ack: first.s, frame: sackRow + 1, sack: sackText(ctx, dd.base, sackRow) } });
    } else {
      story.push({ key: 'pmtu.story.noAck', params: { ack: first.s } });
    }
    recovered = dd.cumAck >= first.e;
  } else {
    const h = ev.hole!;
    transmissions = 0;
    t0row = h.gapRow >= 0 ? h.gapRow : h.firstRow; t1row = lastRowOf(ev);
    if (h.gapRow >= 0) frames.push(frameAt(h.gapRow));
    frames.push(frameAt(h.firstRow));
    story.push({ key: 'pmtu.story.holeSeen', params: { src, left: h.left, right: h.right, len: h.right - h.left, frame: h.gapRow >= 0 ? h.gapRow + 1 : h.firstRow + 1, sackFrame: h.firstRow + 1, sack: sackText(ctx, dd.base, h.firstRow) } });
    story.push({ key: 'pmtu.story.holeOpen', params: { duration: secs(ctx.span(h.firstRow, t1row)) } });
    story.push({ key: 'pmtu.story.holeSize', params: { len: h.right - h.left, hdr: dd.headerLen, lost: ev.lostSize } });
  }
  frames.push(frameAt(ok.row));
  let deliveredCount = 0;
  for (let k = 0; k < txs.length; k++) if (txs.delivered(k)) deliveredCount++;
  story.push({ key: 'pmtu.story.okPassed', params: { frame: ok.row + 1, ipLen: ok.ipLen, count: deliveredCount } });
  story.push({ key: 'pmtu.story.bracket', params: { bad: ev.lostSize, ok: ok.ipLen, min: bracket.min, max: bracket.max } });

  const [mssA, mssB] = m.mss;
  if (mssA || mssB) {
    const extra = m.ipVersion === 6 ? 60 : 40;
    const implied = Math.max(mssA, mssB) + extra;
    story.push({ key: implied > bracket.max ? 'pmtu.story.mssTooBig' : 'pmtu.story.mss', params: { a: mssA || '-', b: mssB || '-', implied } });
  }
  if (ev.ptb.length) {
    for (const x of ev.ptb) frames.push(frameAt(x.row));
    story.push({ key: 'pmtu.story.icmpIgnored', params: { count: ev.ptb.length, ...listParams('frames', ev.ptb.map((x) => x.row + 1)), mtu: ev.ptb[0].mtu } });
  } else {
    story.push({ key: m.ipVersion === 6 ? 'pmtu.story.noIcmp6' : 'pmtu.story.noIcmp4' });
  }
  const probeEncap = failed.length > 0 ? ctx.cols.encap[txs.row[failed[0]]] : ok.encap;
  const tunnelBitsSeen = tunnelBits(probeEncap | ok.encap);
  const tunnel = tunnelBitsSeen ? encapNames(tunnelBitsSeen).join('+') : null;
  const overhead = ok.outerLen - ok.ipLen;
  if (tunnel && ev.outer) {
    story.push({ key: 'pmtu.story.tunnel', params: { tunnel, overhead, outerBad: ev.lostSize + overhead, outerOk: ok.outerLen, min: ev.outer.min, max: ev.outer.max } });
  }
  if (recovered) story.push({ key: 'pmtu.story.recovered' });

  const v6 = m.ipVersion === 6;
  let badMax = ev.lostSize;
  for (const k of failed) badMax = Math.max(badMax, txs.ipLen(k));
  const f: PmtuBlackholeFinding = {
    id: findingId('pmtu-blackhole', m.index, d, frames[0]),
    kind: 'pmtu-blackhole',
    severity: recovered ? 'error' : 'critical',
    stream: m.index,
    direction: d,
    frames,
    t0: ctx.at(t0row),
    t1: ctx.at(t1row),
    title: { key: 'pmtu.title', params: { src, dst, max: bracket.max } },
    summary: {
      key: ev.evidence === 'sender' ? (badMax > ev.lostSize ? 'pmtu.summary.senderMixed' : 'pmtu.summary.sender') : 'pmtu.summary.receiver',
      params: { bad: ev.lostSize, badMax, count: transmissions, ok: ok.ipLen, min: bracket.min, max: bracket.max },
    },
    story,
    remedy: [],
    pathMtu: { ...bracket },
    outerPathMtu: ev.outer,
    evidence: ev.evidence,
    mss: [mssA, mssB],
    icmpFrames: ev.ptb.map((x) => x.row + 1),
    encapsulation: tunnel ? { kinds: encapNames(tunnelBitsSeen), overhead } : null,
    suggestedMtu: bracket.min,
    suggestedMss: bracket.min - (v6 ? 60 : 40),
    candidateMtus: [],
    lostSize: ev.lostSize,
    transmissions,
  };
  ADVICE.set(f, {
    ipVersion: m.ipVersion, senderHost: host(cols, d === 0 ? m.addrA : m.addrB), receiverHost: host(cols, d === 0 ? m.addrB : m.addrA),
    tunnel, overhead, icmpMtus: ev.ptb.map((x) => x.mtu),
  });
  advise(f);
  return f;
}

/**
 * Narrow a black hole's bracket with what the rest of the capture shows on the same path: a larger DF
 * packet delivered between the same hosts (either direction, any connection) raises the lower end; a
 * smaller size lost in another black hole lowers the upper end. Returns false when the path delivered a
 * packet as large as the one lost: then size is not what was dropped, and no black hole is claimed.
 */
export function narrowBlackhole(f: PmtuBlackholeFinding, delivered: { ipLen: number; frame: Frame; stream: number } | undefined, lostMin: number): boolean {
  if (delivered && delivered.ipLen >= f.lostSize) return false;
  const story: Msg[] = [];
  if (delivered && delivered.ipLen > f.pathMtu.min) {
    const outerShift = f.outerPathMtu ? f.outerPathMtu.min - f.pathMtu.min : 0;
    f.pathMtu.min = delivered.ipLen;
    if (f.outerPathMtu) f.outerPathMtu = { min: delivered.ipLen + outerShift, max: f.outerPathMtu.max };
    f.frames.push(delivered.frame);
    story.push({ key: 'pmtu.story.pathDelivered', params: { ipLen: delivered.ipLen, frame: delivered.frame, stream: delivered.stream } });
  }
  if (lostMin - 1 < f.pathMtu.max && lostMin - 1 >= f.pathMtu.min) {
    if (f.outerPathMtu) f.outerPathMtu = { min: f.outerPathMtu.min, max: f.outerPathMtu.max - (f.pathMtu.max - (lostMin - 1)) };
    f.pathMtu.max = lostMin - 1;
    story.push({ key: 'pmtu.story.pathLost', params: { lost: lostMin } });
  }
  if (!story.length) return true;
  const { min, max } = f.pathMtu;
  story.push({ key: 'pmtu.story.pathBracket', params: { min, max } });
  f.summary = { ...f.summary, params: { ...f.summary.params, ok: min, min, max } };
  f.title = { ...f.title, params: { ...f.title.params, max } };
  f.story = [...f.story, ...story];
  advise(f);
  return true;
}

function lastRowOf(ev: BlackholeEvidence): number {
  const r = ev.m.rows;
  return r[r.length - 1];
}

/** "1744-3051" for each SACK block of a row, relative to the data sender's ISN. */
export function sackText(ctx: DiagnoseContext, base: number, row: number): string {
  const cols = ctx.cols;
  const parts: string[] = [];
  const at = cols.sackIndex[row];
  for (let b = 0; b < cols.sackCount[row]; b++) {
    parts.push(`${(cols.sackEdges[at + 2 * b] - base) >>> 0}-${(cols.sackEdges[at + 2 * b + 1] - base) >>> 0}`);
  }
  return parts.join(', ');
}
