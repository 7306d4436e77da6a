/**
 * The TCP analysis fields of the `fields` command, named and printed like tshark's: relative
 * numbers, scaled window, every tcp.analysis flag as `1` or empty, duplicate-ACK numbering, ACK
 * matching, RTT, bytes in flight; plus `why`, ours: the rule ids that raised the frame's flags.
 */
import { TcpAnalyzer } from '../tcp/analyzer';
import { relativeSack } from '../tcp/sack';
import { tsharkAckRtt } from '../tcp/tshark';
import { TCP_FLAG_NAMES } from '../tcp/types';
import type { FieldContext, FieldDef, FieldGroup } from './fields';

const tcpOf = (ctx: FieldContext) => ctx.ext.get('tcp') as TcpAnalyzer;

/** A field defined on TCP rows; ICMP errors quoting a known stream get `icmp(ctx)` instead. */
function tcpField(name: string, get: (a: TcpAnalyzer, row: number, ctx: FieldContext) => string, icmp?: (ctx: FieldContext, a: TcpAnalyzer, row: number) => string): FieldDef {
  return {
    name,
    get(ctx, row) {
      const a = tcpOf(ctx);
      if (a.out.stream[row] >= 0) return get(a, row, ctx);
      if (icmp && a.out.icmpStream[row] >= 0) return icmp(ctx, a, row);
      return '';
    },
  };
}

/** tshark prints times with nanosecond digits. */
const seconds = (s: number) => s.toFixed(9);

function sackEdges(a: TcpAnalyzer, row: number, ctx: FieldContext, pick: 0 | 1): string {
  return relativeSack(ctx.cols, a, row).filter((_, k) => k % 2 === pick).join(',');
}

const fields: FieldDef[] = [
  // Inside an ICMP error tshark shows the quoted header's numbers unconverted.
  tcpField('tcp.stream', (a, r) => String(a.out.stream[r]), (_c, a, r) => String(a.out.icmpStream[r])),
  tcpField('tcp.seq', (a, r) => String(a.out.seq[r]), (c, _a, r) => String(c.cols.qSeqRaw[r])),
  tcpField('tcp.nxtseq', (a, r) => String(a.out.nxtseq[r])),
  tcpField('tcp.ack', (a, r) => String(a.out.ack[r]), (c) => c.values('tcp.ack_raw').join(',')),
  tcpField('tcp.window_size', (a, r) => String(a.out.window[r]), (c) => c.values('tcp.window_size_value').join(',')),
  tcpField('tcp.options.sack_le', (a, r, c) => sackEdges(a, r, c, 0)),
  tcpField('tcp.options.sack_re', (a, r, c) => sackEdges(a, r, c, 1)),
  // tshark's tree holds tcp.analysis.duplicate_ack twice on a duplicate ACK, so it prints "1,1".
  ...TCP_FLAG_NAMES.map((f, bit) =>
    tcpField(`tcp.analysis.${f}`, (a, r) => ((a.out.flags[r] >> bit) & 1 ? (f === 'duplicate_ack' ? '1,1' : '1') : ''))),
  tcpField('tcp.analysis.duplicate_ack_num', (a, r) => (a.out.dupAckNum[r] > 0 ? String(a.out.dupAckNum[r]) : '')),
  tcpField('tcp.analysis.duplicate_ack_frame', (a, r) => (a.out.dupAckNum[r] > 0 ? String(a.out.dupAckFrame[r] + 1) : '')),
  tcpField('tcp.analysis.acks_frame', (a, r) => (a.out.acksFrame[r] >= 0 ? String(a.out.acksFrame[r] + 1) : '')),
  // tshark's reading (tshark.ts): no RTT of exactly 0, negative ones printed; ours is out.ackRtt.
  tcpField('tcp.analysis.ack_rtt', (a, r, c) => {
    const rtt = tsharkAckRtt(c.cols, a.out, r);
    return Number.isNaN(rtt) ? '' : seconds(rtt);
  }),
  tcpField('tcp.analysis.bytes_in_flight', (a, r) => (a.out.bytesInFlight[r] >= 0 ? String(a.out.bytesInFlight[r]) : '')),
  tcpField('tcp.analysis.initial_rtt', (a, r) => {
    const irtt = a.streams[a.out.stream[r]].irtt;
    return irtt >= 0 ? seconds(irtt) : '';
  }),
  tcpField('why', (a, r) => a.explain(r).map((e) => e.rule).join(',')),
];

export const TCP_FIELDS: FieldGroup = {
  name: 'tcp-analysis',
  setup(session, ext) {
    const a = new TcpAnalyzer();
    session.addProcessor(a);
    ext.set('tcp', a);
  },
  fields,
};
