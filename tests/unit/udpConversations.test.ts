/**
 * UDP conversations (src/view/udp.ts) on a small synthetic capture: numbered in the order of their
 * first packet (tshark's udp.stream), an ICMP error quoting a UDP header in the quoted conversation,
 * packets and bytes per direction, the application, DNS queries matched to their responses (a
 * retry leaves the earlier copy unanswered), the udp.stream filter field, the list's sort and filter,
 * the timeline (merged per pixel column past 4,000 packets, DNS never merged) and the CLI's JSON.
 */
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { buildReport } from '../../src/cli/analyze';
import { selectUdpConversations, topUdpConversations, udpConversationRow, udpTimeline, UdpMark } from '../../src/view/udp';
import { pcapFile, type PcapRecordSpec } from './captureBuilders';
import { eth, icmp, ipv4, udp } from './decodeBuilders';
import { dnsMsg } from './packetListCapture';

const Q = 0x0100, OK = 0x8180, NX = 0x8183;
const C = '10.0.0.2', S = '10.0.0.53', NTP = '10.0.0.123';

function dns(t: number, up: boolean, port: number, id: number, flags: number, q = 'a.example'): PcapRecordSpec {
  const [src, dst, sp, dp] = up ? [C, S, port, 53] : [S, C, 53, port];
  return { sec: 1700000000 + Math.floor(t), frac: Math.round((t % 1) * 1e6), data: eth(0x0800, ipv4({ proto: 17, src, dst }, udp(sp, dp, dnsMsg({ id, flags, q, qtype: 1 })))) };
}

function plain(t: number, src: string, dst: string, sp: number, dp: number, len: number): PcapRecordSpec {
  return { sec: 1700000000 + Math.floor(t), frac: Math.round((t % 1) * 1e6), data: eth(0x0800, ipv4({ proto: 17, src, dst }, udp(sp, dp, new Uint8Array(len)))) };
}

function open(records: PcapRecordSpec[]): Analysis {
  const bytes = pcapFile({ records });
  const run = openAnalysis({ expectedBytes: bytes.length });
  run.push(bytes);
  return run.finish();
}

function sample(): Analysis {
  return open([
    dns(0, true, 40000, 1, Q), // 1: conv 0
    dns(0.001, true, 40000, 2, Q, 'b.example'), // 2
    plain(0.002, C, NTP, 123, 123, 48), // 3: conv 1
    dns(0.01, false, 40000, 1, OK), // 4: answers 1
    dns(5, true, 40000, 2, Q, 'b.example'), // 5: retry of 2
    dns(5.01, false, 40000, 2, NX, 'b.example'), // 6: answers 5, an error
    plain(6, NTP, C, 123, 123, 48), // 7: conv 1, B→A
    // 8: port unreachable quoting a query from port 41000: a conversation of its own (2), as tshark numbers it
    { sec: 1700000007, frac: 0, data: eth(0x0800, ipv4({ proto: 1, src: S, dst: C }, icmp(3, 3, [0, 0, 0, 0], ipv4({ proto: 17, src: C, dst: S }, udp(41000, 53, new Uint8Array(0)))))) },
    dns(8, true, 41000, 9, Q), // 9: conv 2, never answered
  ]);
}

describe('UDP conversations', () => {
  it('numbers, counts, DNS matching and the application', () => {
    const a = sample();
    const u = a.udp();
    expect(u.count).toBe(3);
    expect(Array.from(u.stream)).toEqual([0, 0, 1, 0, 0, 0, 1, 2, 2]);
    const r0 = udpConversationRow(a.columns, u, 0);
    expect(r0).toMatchObject({ a: '10.0.0.2:40000', b: '10.0.0.53:53', app: 'DNS', packets: 5, packetsDir: [3, 2], icmp: 0, startTime: 0, duration: 5.01 });
    expect(r0.dns).toEqual({ queries: 3, responses: 2, answered: 2, unanswered: 1, errors: 1 });
    const r1 = udpConversationRow(a.columns, u, 1);
    expect(r1).toMatchObject({ app: 'NTP', packetsDir: [1, 1], dns: null });
    expect(r1.bytesDir[0]).toBe(14 + 20 + 8 + 48);
    const r2 = udpConversationRow(a.columns, u, 2);
    expect(r2).toMatchObject({ a: '10.0.0.2:41000', packets: 1, icmp: 1 });
    expect(r2.dns?.unanswered).toBe(1);
  });

  it('udp.stream is a filter field', () => {
    const a = sample();
    expect(Array.from(a.filter('udp.stream == 0').rows(), (r) => r + 1)).toEqual([1, 2, 4, 5, 6]);
    expect(Array.from(a.filter('udp.stream == 2').rows(), (r) => r + 1)).toEqual([8, 9]);
    expect(a.filter('udp.stream > 5').count).toBe(0);
  });

  it('the timeline: DNS marks, links, the unanswered query, the ICMP error in the lane back', () => {
    const a = sample();
    const u = a.udp();
    const tl = udpTimeline(a.columns, u, 0, 800)!;
    expect(Array.from(tl.frame)).toEqual([1, 2, 4, 5, 6]);
    expect(Array.from(tl.dir)).toEqual([0, 0, 1, 0, 1]);
    expect(tl.flags[1] & UdpMark.Unanswered).toBeTruthy();
    expect(tl.flags[4] & UdpMark.DnsError).toBeTruthy();
    expect(Array.from(tl.linkQFrame)).toEqual([1, 5]);
    expect(Array.from(tl.linkRFrame)).toEqual([4, 6]);
    const t2 = udpTimeline(a.columns, u, 2, 800)!;
    expect(Array.from(t2.flags)).toEqual([UdpMark.Icmp, UdpMark.DnsQuery | UdpMark.Unanswered]);
    expect(Array.from(t2.dir)).toEqual([1, 0]);
    expect(udpTimeline(a.columns, u, 3, 800)).toBeNull();
  });

  it('merges packets per pixel column past 4,000, never an unanswered query', () => {
    const recs: PcapRecordSpec[] = [];
    for (let i = 0; i < 5000; i++) recs.push(plain(i / 1000, C, S, 5000, 6000, 10 + (i % 7)));
    let a = open(recs);
    let tl = udpTimeline(a.columns, a.udp(), 0, 100)!;
    expect(tl.decimated).toBe(true);
    expect(tl.time.length).toBeLessThanOrEqual(100);
    expect(Array.from(tl.count).reduce((x, y) => x + y, 0)).toBe(5000);
    expect(Math.max(...tl.len)).toBe(14 + 20 + 8 + 16);
    // 2,500 answered queries and one left unanswered: the unanswered one keeps a mark of its own.
    const q: PcapRecordSpec[] = [];
    for (let i = 0; i < 2500; i++) q.push(dns(i / 100, true, 40000, i, Q), dns(i / 100 + 0.001, false, 40000, i, OK));
    q.push(dns(30, true, 40000, 9999, Q));
    a = open(q);
    tl = udpTimeline(a.columns, a.udp(), 0, 200)!;
    expect(tl.decimated).toBe(true);
    expect(tl.time.length).toBeLessThanOrEqual(401);
    const lone = Array.from(tl.flags).findIndex((f) => (f & UdpMark.Unanswered) !== 0);
    expect(tl.frame[lone]).toBe(5001);
    expect(tl.linkQ.length).toBe(2000);
  });

  it('sorts and filters the list; the JSON keeps the largest conversations', () => {
    const a = sample();
    const u = a.udp();
    const list = (key: 'index' | 'bytes' | 'unanswered' | 'app', desc: boolean, filter = '') => Array.from(selectUdpConversations(a.columns, u, { sort: { key, desc }, filter }));
    expect(list('index', false)).toEqual([0, 1, 2]);
    expect(list('bytes', true)).toEqual([0, 1, 2]);
    expect(list('app', false)).toEqual([0, 2, 1]);
    expect(list('index', false, 'ntp')).toEqual([1]);
    expect(list('index', false, '41000')).toEqual([2]);
    expect(list('index', false, '#2')).toEqual([2]);
    expect(topUdpConversations(u, 1)).toEqual([0]);
    const { json } = buildReport(a, 'x.pcap', { lang: 'en' });
    expect(json.udp.count).toBe(3);
    expect(json.udp.conversations.map((c) => [c.index, c.app, c.packets.aToB, c.packets.bToA])).toEqual([[0, 'DNS', 3, 2], [1, 'NTP', 1, 1], [2, 'DNS', 1, 0]]);
    expect(json.udp.conversations[0].findings.every((id) => id.startsWith('dns-'))).toBe(true);
  });
});
