/**
 * ICMP "fragmentation needed" / "packet too big" captured for a stream: did the sender adapt (re-send
 * the quoted bytes in packets that fit, and get them delivered) — PMTU discovery working — or did it
 * keep sending packets too big for the MTU the ICMP announced?
 */
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import type { PtbMessage } from './icmp';
import { ends, findingId, host } from './text';
import type { IcmpPtbFinding, Msg } from './types';
import { frameAt } from '../types';

/** Kind 'icmp-ptb'; messages `ptb.*`. Not where a black-hole finding (listed before it) tells about the ICMP. Never grouped. */
export const ptbDetector: Detector<IcmpPtbFinding> = {
  kinds: ['icmp-ptb'],
  messages: ['ptb.'],
  walk: 'streams',
  find: (ctx, found) => {
    const told = new Set<number>();
    for (const f of found.batch) if (f.kind === 'pmtu-blackhole') told.add(f.stream * 2 + (f.direction ?? 0));
    return findPtbFindings(ctx, ctx.ptb, told);
  },
};

export function findPtbFindings(ctx: DiagnoseContext, ptb: PtbMessage[], blackholes: Set<number>): IcmpPtbFinding[] {
  const out: IcmpPtbFinding[] = [];
  const seen = new Set<number>();
  for (const x of ptb) {
    if (!ctx.isActive(x.stream)) continue;
    const key = x.stream * 2 + x.dir;
    if (seen.has(key) || blackholes.has(key)) continue; // the black-hole finding tells about its ICMP
    seen.add(key);
    const m = ctx.streams[x.stream];
    const dd = ctx.delivery(m, x.dir);
    const quoted = (x.quotedSeqRaw - dd.base) >>> 0;
    // Transmissions after the ICMP: how many were still too big, and the first that fit.
    const txs = dd.txs;
    let tooBig = 0, fitK = -1;
    for (let k = 0; k < txs.length; k++) {
      if (txs.row[k] <= x.row) continue;
      if (txs.ipLen(k) > x.mtu) tooBig++;
      else if (fitK < 0 && txs.s[k] <= quoted && txs.e[k] > quoted) fitK = k;
    }
    const fit = fitK >= 0 ? txs.get(fitK) : undefined;
    const adapted = tooBig === 0 && fit !== undefined && (fit.delivered || dd.cumAck >= fit.e);
    const [src, dst] = ends(ctx.cols, m, x.dir);
    const router = host(ctx.cols, ctx.cols.src[x.row]);
    const params = {
      src, dst, router, frame: x.row + 1, mtu: x.mtu, quoted: x.quotedIpLen, seq: quoted,
      fitFrame: fit ? fit.row + 1 : 0, fitLen: fit ? fit.ipLen : 0, bigCount: tooBig,
    };
    const story: Msg[] = [{ key: 'ptb.story.icmp', params }];
    story.push({ key: adapted ? 'ptb.story.adapted' : 'ptb.story.notAdapted', params });
    const frames = [frameAt(x.row)];
    if (fit) frames.push(frameAt(fit.row));
    out.push({
      id: findingId('icmp-ptb', m.index, x.dir, x.row + 1), kind: 'icmp-ptb', severity: adapted ? 'info' : 'warning',
      stream: m.index, direction: x.dir, frames, t0: ctx.at(x.row), t1: ctx.at(fit ? fit.row : x.row),
      title: { key: adapted ? 'ptb.title.adapted' : 'ptb.title.notAdapted', params },
      summary: { key: adapted ? 'ptb.summary.adapted' : 'ptb.summary.notAdapted', params },
      story, remedy: adapted ? [] : [{ key: 'ptb.remedy', params }], mtu: x.mtu, adapted,
    });
  }
  return out;
}
