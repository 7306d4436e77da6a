/** Words and numbers of a PMTU black-hole finding: the story an engineer would write, and the fix. */
import type { Ctx } from './context';
import type { BlackholeEvidence } from './pmtuBlackhole';
import { encapNames, ends, findingId, frameList, host, secs, tunnelBits } from './text';
import type { Msg, PmtuBlackholeFinding } from './types';

/** MTUs people actually configure, largest first: the fix names one inside the bracket. */
const COMMON_MTUS = [9000, 1500, 1480, 1460, 1450, 1440, 1430, 1420, 1410, 1400, 1380, 1360, 1280];

export function suggestMtu(min: number, max: number): number {
  return COMMON_MTUS.find((x) => x >= min && x <= max) ?? min;
}

export function remedies(ipVersion: number, mtu: number, sender: string, receiver: string, tunnel: string | null, overhead: number): Msg[] {
  const v6 = ipVersion === 6;
  const mss = mtu - (v6 ? 60 : 40);
  const out: Msg[] = [];
  out.push(tunnel
    ? { key: 'pmtu.remedy.mtuTunnel', params: { mtu, tunnel, overhead, underlay: mtu + overhead } }
    : { key: 'pmtu.remedy.mtu', params: { mtu } });
  out.push({ key: 'pmtu.remedy.mss', params: { mss, iptables: v6 ? 'ip6tables' : 'iptables' } });
  out.push({ key: 'pmtu.remedy.probing', params: { host: sender } });
  out.push({ key: v6 ? 'pmtu.remedy.icmp6' : 'pmtu.remedy.icmp4' });
  out.push({ key: 'pmtu.remedy.verify', params: { ping: v6 ? 'ping -6' : 'ping', size: mtu - (v6 ? 48 : 28), mtu, dst: receiver } });
  return out;
}

export function pmtuText(ctx: Ctx, ev: BlackholeEvidence): PmtuBlackholeFinding {
  const { m, d, dd, ok, failed, bracket } = ev;
  const cols = ctx.cols;
  const [src, dst] = ends(cols, m, d);
  const story: Msg[] = [];
  const frames: number[] = [];
  let t0row: number, t1row: number, transmissions: number;
  let recovered = false;

  const txs = dd.txs;
  if (ev.evidence === 'sender') {
    const first = txs.get(failed[0]);
    // Rows of the failed transmissions: those of the first one's bytes, and the others.
    const same: number[] = [], other: number[] = [];
    for (const k of failed) (txs.s[k] === first.s ? same : other).push(txs.row[k]);
    transmissions = failed.length;
    for (const k of failed) frames.push(txs.row[k] + 1); // no spread: lists of 100k+ overflow the stack
    t0row = first.row; t1row = txs.row[failed[failed.length - 1]];
    story.push({ key: 'pmtu.story.sent', params: { frame: first.row + 1, src, len: first.e - first.s, seq: first.s, end: first.e, ipLen: first.ipLen } });
    if (same.length > 1) {
      const offs = same.slice(1).map((r) => `+${secs(ctx.span(first.row, r))}`).join(', ');
      story.push({ key: 'pmtu.story.resent', params: { count: same.length - 1, frames: frameList(same.slice(1).map((r) => r + 1)), offsets: offs } });
    }
    const others = other.length;
    if (others > 0) story.push({ key: 'pmtu.story.otherFailed', params: { count: others, frames: frameList(other.map((r) => r + 1)) } });
    const sackRow = dd.sackRows.find((r) => r > first.row);
    if (sackRow !== undefined) {
      frames.push(sackRow + 1);
      story.push({ key: 'pmtu.story.sack', params: { ack: first.s, frame: sackRow + 1, sack: sackText(ctx, dd.base, sackRow) } });
    } else {
      story.push({ key: 'pmtu.story.noAck', params: { ack: first.s } });
    }
    recovered = dd.cumAck >= first.e;
  } else {
    const h = ev.hole!;
    transmissions = 0;
    t0row = h.gapRow >= 0 ? h.gapRow : h.firstRow; t1row = lastRowOf(ev);
    if (h.gapRow >= 0) frames.push(h.gapRow + 1);
    frames.push(h.firstRow + 1);
    story.push({ key: 'pmtu.story.holeSeen', params: { src, left: h.left, right: h.right, len: h.right - h.left, frame: h.gapRow >= 0 ? h.gapRow + 1 : h.firstRow + 1, sackFrame: h.firstRow + 1, sack: sackText(ctx, dd.base, h.firstRow) } });
    story.push({ key: 'pmtu.story.holeOpen', params: { duration: secs(ctx.span(h.firstRow, t1row)) } });
    story.push({ key: 'pmtu.story.holeSize', params: { len: h.right - h.left, hdr: dd.headerLen, lost: ev.lostSize } });
  }
  frames.push(ok.row + 1);
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
    for (const x of ev.ptb) frames.push(x.row + 1);
    story.push({ key: 'pmtu.story.icmpIgnored', params: { frames: frameList(ev.ptb.map((x) => x.row + 1)), mtu: ev.ptb[0].mtu } });
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

  const suggestedMtu = suggestMtu(bracket.min, bracket.max);
  const suggestedMss = suggestedMtu - (m.ipVersion === 6 ? 60 : 40);
  const senderHost = host(cols, d === 0 ? m.addrA : m.addrB);
  const receiverHost = host(cols, d === 0 ? m.addrB : m.addrA);
  return {
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
      key: ev.evidence === 'sender' ? 'pmtu.summary.sender' : 'pmtu.summary.receiver',
      params: { bad: ev.lostSize, count: transmissions, ok: ok.ipLen, min: bracket.min, max: bracket.max },
    },
    story,
    remedy: remedies(m.ipVersion, suggestedMtu, senderHost, receiverHost, tunnel, overhead),
    pathMtu: bracket,
    outerPathMtu: ev.outer,
    evidence: ev.evidence,
    mss: [mssA, mssB],
    icmpFrames: ev.ptb.map((x) => x.row + 1),
    encapsulation: tunnel ? { kinds: encapNames(tunnelBitsSeen), overhead } : null,
    suggestedMtu,
    suggestedMss,
    lostSize: ev.lostSize,
    transmissions,
  };
}

function lastRowOf(ev: BlackholeEvidence): number {
  const r = ev.m.rows;
  return r[r.length - 1];
}

/** "1744-3051" for each SACK block of a row, relative to the data sender's ISN. */
export function sackText(ctx: Ctx, base: number, row: number): string {
  const cols = ctx.cols;
  const parts: string[] = [];
  const at = cols.sackIndex[row];
  for (let b = 0; b < cols.sackCount[row]; b++) {
    parts.push(`${(cols.sackEdges[at + 2 * b] - base) >>> 0}-${(cols.sackEdges[at + 2 * b + 1] - base) >>> 0}`);
  }
  return parts.join(', ');
}
