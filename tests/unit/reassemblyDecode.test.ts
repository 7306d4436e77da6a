/**
 * IP reassembly through the decoder and the analysis: the frame that completes a datagram carries its
 * TCP/UDP (as tshark shows it), the other fragments stay fragments; datagrams never completed are
 * counted for the caveat. Also the IPv4 source route: the conversation is keyed by the route's final
 * destination, as tshark does. Real captures from ../shared (skipped, saying so, when absent).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { loadCapture } from '../../src/cli/analyze';
import { Anomaly, Encap, L4, PacketColumns } from '../../src/decode/columns';
import { PacketDecoder } from '../../src/decode/decoder';
import { caveats, renderCaveat } from '../../src/diagnose/caveats';
import { pcapFile } from './captureBuilders';
import { be16, be32, bytes, eth, icmp, ipv4, ipv6, rec, tcp, udp } from './decodeBuilders';

function setup() {
  const cols = new PacketColumns(4);
  const dec = new PacketDecoder(cols);
  dec.addInterface({ id: 0, linkType: 1, snapLen: 65535, name: null, description: null, tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0, fcsLen: 0, section: 0 });
  const addr = (id: number) => cols.addresses.text[id];
  return { cols, dec, addr };
}

/** IPv4 fragments of `l4` (the IP payload), cut at the given byte offsets (multiples of 8). */
function frags4(l4: Uint8Array, cuts: number[], o: { id?: number; proto?: number; src?: string; dst?: string } = {}): Uint8Array[] {
  const bounds = [0, ...cuts, l4.length];
  return bounds.slice(0, -1).map((s, i) =>
    ipv4({ ...o, fragOff: s, mf: i < bounds.length - 2 }, l4.subarray(s, bounds[i + 1])));
}

/** IPv6 fragments of `l4` (nxt: its protocol), cut at the given offsets. */
function frags6(l4: Uint8Array, cuts: number[], nxt: number, ident = 7): Uint8Array[] {
  const bounds = [0, ...cuts, l4.length];
  return bounds.slice(0, -1).map((s, i) => {
    const fh = [nxt, 0, ...be16(s | (i < bounds.length - 2 ? 1 : 0)), ...be32(ident)];
    return ipv6({ nxt: 44, ext: fh }, l4.subarray(s, bounds[i + 1]));
  });
}

const SEG = tcp({ sport: 1234, dport: 80, seq: 5000, ack: 7000, flags: 0x18 }, bytes(3000, 0x41));

describe('the decoder reassembles IP fragments', () => {
  it('IPv4, out of order: the completing frame carries the TCP of the whole datagram, its own IP length', () => {
    const { cols, dec, addr } = setup();
    const [a, b, c] = frags4(SEG, [1480, 2960]).map((p) => eth(0x0800, p));
    const rows = [dec.decode(rec(c)), dec.decode(rec(a)), dec.decode(rec(b))];
    for (const r of rows.slice(0, 2)) expect([cols.anomalies[r], cols.l4[r]]).toEqual([Anomaly.Fragment, L4.None]);
    const r = rows[2];
    expect([cols.anomalies[r], cols.l4[r], cols.srcPort[r], cols.dstPort[r], cols.seqRaw[r], cols.ackRaw[r]]).toEqual([0, L4.Tcp, 1234, 80, 5000, 7000]);
    expect([cols.tcpHdrLen[r], cols.tcpLen[r], cols.payloadHead[r]]).toEqual([20, 3000, 0x41414141]);
    // The frame on the wire is the middle fragment: 20 + 1,480 bytes of IP.
    expect([cols.ipLen[r], cols.outerIpLen[r], cols.encapOverhead[r]]).toEqual([1500, 1500, 0]);
    expect([addr(cols.src[r]), addr(cols.dst[r])]).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(cols.fragments).toMatchObject({ fragments: 3, reassembled: 1, reassembledFragments: 3, incomplete: 0 });
  });

  it('IPv6: UDP reassembled across a fragment header, addresses the packet\'s own', () => {
    const { cols, dec, addr } = setup();
    const dgram = udp(53, 40000, bytes(2000, 0x20));
    const [a, b] = frags6(dgram, [1232], 17).map((p) => eth(0x86dd, p));
    const ra = dec.decode(rec(a));
    const rb = dec.decode(rec(b));
    expect([cols.anomalies[ra], cols.l4[ra]]).toEqual([Anomaly.Fragment, L4.None]);
    expect([cols.anomalies[rb], cols.l4[rb], cols.srcPort[rb], cols.dstPort[rb], cols.ipVersion[rb]]).toEqual([0, L4.Udp, 53, 40000, 6]);
    expect(cols.ipLen[rb]).toBe(40 + 8 + 2008 - 1232);
    expect([addr(cols.src[rb]), addr(cols.dst[rb])]).toEqual(['2001:db8::1', '2001:db8::2']);
  });

  it('a fragmented packet inside a tunnel: the inner datagram reassembled, the tunnel overhead kept', () => {
    const { cols, dec, addr } = setup();
    const inner = frags4(SEG, [1400], { src: '192.168.0.1', dst: '192.168.0.2' });
    const rows = inner.map((p) => dec.decode(rec(eth(0x0800, ipv4({ proto: 4, src: '1.1.1.1', dst: '2.2.2.2' }, p)))));
    const r = rows[1];
    expect([cols.l4[r], cols.tcpLen[r], cols.encap[r] & Encap.Ipip, cols.encapOverhead[r]]).toEqual([L4.Tcp, 3000, Encap.Ipip, 20]);
    expect([addr(cols.src[r]), addr(cols.dst[r])]).toEqual(['192.168.0.1', '192.168.0.2']);
    expect(cols.outerIpLen[r]).toBe(20 + 20 + SEG.length - 1400);
  });

  it('the next ordinary frame is read from its own bytes again', () => {
    const { cols, dec, addr } = setup();
    for (const p of frags4(SEG, [1480])) dec.decode(rec(eth(0x0800, p)));
    const r = dec.decode(rec(eth(0x0800, ipv4({ src: '10.1.1.1', dst: '10.1.1.2' }, tcp({ sport: 9 }, bytes(5))))));
    expect([cols.l4[r], cols.srcPort[r], cols.tcpLen[r], addr(cols.src[r])]).toEqual([L4.Tcp, 9, 5, '10.1.1.1']);
  });

  it('a fragment quoted in an ICMP error is not reassembled', () => {
    const { cols, dec } = setup();
    const [first] = frags6(udp(1, 2, bytes(100)), [48], 17);
    const err = icmp(1, 4, [0, 0, 0, 0], first);
    const r = dec.decode(rec(eth(0x86dd, ipv6({ nxt: 58, src: '2001:db8::9' }, err))));
    expect([cols.anomalies[r], cols.l4[r]]).toEqual([0, L4.Icmpv6]);
    expect(cols.fragments.fragments).toBe(0);
  });

  it('datagrams never completed are counted when the capture ends, for the caveat', () => {
    const { cols, dec } = setup();
    dec.decode(rec(eth(0x0800, ipv4({}, tcp({ flags: 0x02 })))));
    const [a, , c] = frags4(SEG, [1480, 2960]);
    dec.decode(rec(eth(0x0800, a)));
    dec.decode(rec(eth(0x0800, c)));
    expect(cols.fragments.incomplete).toBe(0);
    dec.finish();
    expect(cols.fragments).toMatchObject({ incomplete: 1, incompleteRows: [1, 2] });
    const cav = caveats({ cols }).find((x) => x.kind === 'decode-anomalies')!;
    expect(cav).toMatchObject({ count: 2, frames: [2, 3] });
    expect(renderCaveat(cav, 'en').text).toBe('IP datagrams that could not be reassembled, a fragment missing: 1, in 2 fragments. Their fragments are listed, but what the datagrams carry, TCP included, is not analysed.');
    expect(renderCaveat(cav, 'en').details).toEqual([
      'IP datagrams that could not be reassembled, a fragment missing, so what they carry is not analysed: 1, in 2 fragments (frames 2-3)',
    ]);
    expect(renderCaveat(cav, 'zh-CN').details[0]).toContain('1 个 IP 数据报因缺少分片无法重组，共 2 个分片');
  });

  it('reassembled fragments are no caveat; overlapping ones are, as information', () => {
    const { cols, dec } = setup();
    dec.decode(rec(eth(0x0800, ipv4({}, tcp({ flags: 0x02 })))));
    const [a, b] = frags4(SEG, [1480]);
    // Bytes 1,472 to 1,488, other than the first fragment's end and the last one's start.
    const overlap = ipv4({ fragOff: 1472, mf: true }, bytes(16, 0x55));
    for (const p of [a, overlap, b]) dec.decode(rec(eth(0x0800, p)));
    dec.finish();
    expect(cols.fragments).toMatchObject({ reassembled: 1, overlaps: 2, incomplete: 0 });
    const list = caveats({ cols }).filter((x) => x.kind === 'decode-anomalies');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ severity: 'info', count: 2, frames: [3, 4] });
    expect(renderCaveat(list[0], 'en').text).toMatch(/^IP fragments that overlap others: 2\./);
    expect(renderCaveat(list[0], 'zh-CN').details).toEqual(['2 个 IP 分片与其他分片重叠（帧 3-4）：重组时采用先到的字节']);
  });
});

describe('the decoder on arbitrary fragments', () => {
  it('never throws, and every fragment ends in a datagram reassembled or in one counted as never completed', () => {
    const frag = fc.record({
      v6: fc.boolean(), id: fc.integer({ min: 0, max: 2 }), off: fc.integer({ min: 0, max: 400 }), len: fc.integer({ min: 0, max: 300 }),
      more: fc.boolean(), cut: fc.integer({ min: 0, max: 400 }), t: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(fc.property(fc.array(frag, { maxLength: 30 }), (list) => {
      const { cols, dec } = setup();
      for (const f of list) {
        const body = bytes(f.len, 0x30 + f.id);
        const pkt = f.v6
          ? ipv6({ nxt: 44, ext: [17, 0, ...be16((f.off * 8) | (f.more ? 1 : 0)), ...be32(f.id)] }, body)
          : ipv4({ id: f.id, proto: 17, fragOff: f.off * 8, mf: f.more }, body);
        const frame = eth(f.v6 ? 0x86dd : 0x0800, pkt);
        // Some frames cut by a snap length.
        const data = f.cut < frame.length ? frame.subarray(0, Math.max(14, f.cut)) : frame;
        const r = rec(data, 1, frame.length);
        r.tsSec = 1700000000 + f.t;
        dec.decode(r);
      }
      dec.finish();
      const t = cols.fragments;
      expect(t.reassembledFragments + t.incompleteRows.length).toBe(t.fragments);
      expect(t.fragments).toBeLessThanOrEqual(list.length);
    }));
  });
});

describe('IPv4 source route', () => {
  // A → B by way of 10.9.9.9: the header names the next hop, the route's last address is B.
  const route = (type: number, ptr = 4) => [1, type, 11, ptr, 10, 9, 9, 9, 10, 0, 0, 2];

  it('the row\'s destination is the route\'s final one while the route is under way', () => {
    const { cols, dec, addr } = setup();
    const via = (type: number, ptr?: number) => dec.decode(rec(eth(0x0800, ipv4({ dst: '10.9.9.9', options: route(type, ptr) }, tcp({})))));
    expect(addr(cols.dst[via(131)])).toBe('10.0.0.2');
    expect(addr(cols.dst[via(137, 8)])).toBe('10.0.0.2');
    // Done (pointer past the addresses) or damaged (pointer inside an address): the header's.
    expect(addr(cols.dst[via(131, 12)])).toBe('10.9.9.9');
    expect(addr(cols.dst[via(131, 5)])).toBe('10.9.9.9');
    // Other options are no route.
    expect(addr(cols.dst[via(7)])).toBe('10.9.9.9');
  });

  it('the TCP conversation is one stream with the replies that come straight back', () => {
    const frames = [
      eth(0x0800, ipv4({ dst: '10.9.9.9', options: route(131) }, tcp({ sport: 1111, dport: 80, flags: 0x02, seq: 100, ack: 0 }))),
      eth(0x0800, ipv4({ src: '10.0.0.2', dst: '10.0.0.1' }, tcp({ sport: 80, dport: 1111, flags: 0x12, seq: 500, ack: 101 }))),
      eth(0x0800, ipv4({ dst: '10.9.9.9', options: route(131) }, tcp({ sport: 1111, dport: 80, flags: 0x10, seq: 101, ack: 501 }))),
    ];
    const run = openAnalysis();
    run.push(pcapFile({ records: frames.map((data, i) => ({ sec: 1700000000 + i, data })) }));
    const a = run.finish();
    // tshark 4.0 on these frames: tcp.stream 0, 0, 0; tcp.seq 0, 0, 1; tcp.ack 0, 1, 1.
    const first3 = (x: ArrayLike<number>) => Array.from(x).slice(0, 3);
    expect(first3(a.tcp.stream)).toEqual([0, 0, 0]);
    expect(first3(a.tcp.seq)).toEqual([0, 0, 1]);
    expect(first3(a.tcp.ack)).toEqual([0, 1, 1]);
  });
});

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const zeek = path.resolve(repoRoot, '..', 'shared', 'realworld', 'zeek');
const have = existsSync(zeek);
if (!have) console.warn('reassemblyDecode.test.ts: ../shared/realworld/zeek is absent, reassembly is not checked on real captures');

/** Per frame: tcp.stream, tcp.seq, tcp.len (our columns) or '' when not TCP. */
async function tcpFrames(rel: string): Promise<string[]> {
  const a = await loadCapture(path.join(zeek, rel));
  const out: string[] = [];
  for (let i = 0; i < a.columns.length; i++) {
    out.push(a.tcp.stream[i] >= 0 ? `${a.tcp.stream[i]} ${a.tcp.seq[i]} ${a.columns.tcpLen[i]}` : '');
  }
  return out;
}

describe.skipIf(!have)('real fragmented captures (../shared/realworld/zeek), against tshark 4.0', () => {
  // Expected values: `tshark -r FILE -T fields -e tcp.stream -e tcp.seq -e tcp.len`, per frame.
  it('ipv4/fragmented-4.pcap: overlapping fragments, the TCP segment on frame 5', async () => {
    expect(await tcpFrames('ipv4/fragmented-4.pcap')).toEqual(['0 0 0', '', '', '', '1 1 69', '1 70 0']);
    const a = await loadCapture(path.join(zeek, 'ipv4/fragmented-4.pcap'));
    expect(a.columns.fragments).toMatchObject({ reassembled: 1, overlaps: 1, incomplete: 0 });
  });

  it('ipv4/fragmented-syn.pcap: a SYN in two fragments', async () => {
    expect(await tcpFrames('ipv4/fragmented-syn.pcap')).toEqual(['', '0 0 0']);
  });

  it('ipv4/fragmented-3.pcap: a datagram never completed, in the caveat', async () => {
    const a = await loadCapture(path.join(zeek, 'ipv4/fragmented-3.pcap'));
    expect(a.columns.fragments).toMatchObject({ reassembled: 0, incomplete: 1 });
    const c = a.caveats().find((x) => x.kind === 'decode-anomalies')!;
    expect(renderCaveat(c, 'en').details.join('\n')).toContain('could not be reassembled, a fragment missing, so what they carry is not analysed: 1, in 5 fragments');
  });

  it('ipv6-fragmented-dns.pcap: UDP on frame 8; frame 4, a tail alone, never completed', async () => {
    const a = await loadCapture(path.join(zeek, 'ipv6-fragmented-dns.pcap'));
    const c = a.columns;
    expect([c.l4[7], c.srcPort[7], c.anomalies[7]]).toEqual([L4.Udp, 53, 0]);
    for (const r of [3, 5, 6]) expect([c.l4[r], c.anomalies[r]]).toEqual([L4.None, Anomaly.Fragment]);
    expect(c.fragments).toMatchObject({ reassembled: 1, incomplete: 1, incompleteRows: [3] });
  });

  it('ipv6-reassembly-state-leak.pcap: 46 fragments a second apart, two 64 KiB datagrams', async () => {
    const a = await loadCapture(path.join(zeek, 'ipv6-reassembly-state-leak.pcap'));
    const c = a.columns;
    expect([c.l4[45], c.l4[91], c.srcPort[91]]).toEqual([L4.Udp, L4.Udp, 257]);
    expect(c.fragments).toMatchObject({ reassembled: 2, incomplete: 0 });
  });
});
