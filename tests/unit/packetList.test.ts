/**
 * The list of every packet: Protocol and Info per row (TCP from the columns and the analysis, ICMP,
 * ARP, DNS, UDP from the bytes), the sort orders, the time formats, and the worker engine's pages
 * (bytes re-read from the File, Go to packet, a display filter).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { arpInfo, decodeDetail, dnsInfo, parseArp, parseDns } from '../../src/decode/index';
import {
  icmpTypeText, needsFrame, packetListRow, rowText, sortPacketList, tcpAnalysisPrefix, tcpFlagWords, type FrameView, type ListSource,
} from '../../src/view/index';
import { asFrame } from '../../src/index';
import { AnalysisEngine } from '../../web/worker/engine';
import { loadCore } from '../../web/worker/core';
import type { PacketListQuery } from '../../web/worker/protocol';
import { be16, be32 } from './decodeBuilders';
import { MAC1, aRecord, arp, dnsMsg, mixedCapture } from './packetListCapture';

const SAMPLE = path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap');

function analyse(bytes: Uint8Array): Analysis {
  const run = openAnalysis({});
  run.push(bytes);
  return run.finish();
}

/** Row texts with the bytes read where the list would read them (as the engine does). */
function texts(a: Analysis, file: Uint8Array): { protocol: string; info: string; src: string; dst: string }[] {
  const src: ListSource = { cols: a.columns, tcp: a.tcp };
  const out = [];
  for (let r = 0; r < a.columns.length; r++) {
    let frame: FrameView | null = null;
    if (needsFrame(a.columns, r)) {
      const { offset, length } = a.frameRange(r as never);
      const bytes = file.subarray(offset, offset + length);
      frame = { bytes, layers: decodeDetail(bytes, 1) };
    }
    out.push(rowText(src, r, frame));
  }
  return out;
}

describe('packet list: Protocol and Info', () => {
  it('TCP rows in tshark\'s words, from the columns and the analysis', () => {
    const data = new Uint8Array(readFileSync(SAMPLE));
    const a = analyse(data);
    const t = texts(a, data);
    expect(t[0]).toEqual({ protocol: 'TCP', info: '39144 → 9090 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3801063695 TSecr=0 WS=128', src: '198.18.1.2', dst: '198.18.3.2' });
    expect(t[1].info).toBe('9090 → 39144 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=2858264550 TSecr=3801063695 WS=128');
    expect(t[23].info).toBe('[TCP Retransmission] 39144 → 9090 [PSH, ACK] Seq=346 Ack=154 Win=64256 Len=1398 TSval=3801064617 TSecr=2858265464');
    expect(t[31].info).toBe('39144 → 9090 [RST] Seq=346 Win=0 Len=0');
    // Without the bytes, a SYN's options come from the columns in Linux's order: the same here.
    expect(rowText({ cols: a.columns, tcp: a.tcp }, 0, null).info).toBe(t[0].info);
  });

  it('ARP, DNS, ICMP, ICMPv6, UDP and a non-IP frame, from their bytes', () => {
    const file = mixedCapture();
    const a = analyse(file);
    const t = texts(a, file);
    expect(t.map((x) => x.protocol)).toEqual(['ARP', 'ARP', 'DNS', 'DNS', 'DNS', 'ICMP', 'ICMP', 'ICMP', 'UDP', 'ICMPv6', 'TCP', 'LLDP']);
    expect(t[0].info).toBe('Who has 10.0.0.1? Tell 10.0.0.2');
    expect(t[0].src).toBe('02:00:00:00:00:01');
    expect(t[1].info).toBe('10.0.0.1 is at f8:ed:a5:c0:a4:f1');
    expect(t[2].info).toBe('Standard query 0x1a2b A example.com');
    expect(t[3].info).toBe('Standard query response 0x1a2b A example.com A 93.184.216.34');
    expect(t[4].info).toBe('Standard query response 0x1a2c No such name A nope.example');
    expect(t[5].info).toBe('Destination unreachable (Fragmentation needed)');
    expect(t[6].info).toBe('Echo (ping) request  id=0x04ca, seq=1/256, ttl=64');
    expect(t[7].info).toBe('Echo (ping) reply    id=0x04ca, seq=1/256, ttl=113');
    expect(t[8].info).toBe('5000 → 6000 Len=12');
    expect(t[9].info).toBe('Packet Too Big');
    expect(t[10].info).toBe('49152 → 443 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128');
  });

  it('flag words, analysis prefixes and ICMP names', () => {
    expect(tcpFlagWords(0x12)).toBe('SYN, ACK');
    expect(tcpFlagWords(0x19)).toBe('FIN, PSH, ACK');
    expect(tcpFlagWords(0)).toBe('<None>');
    expect(tcpAnalysisPrefix(1)).toBe('[TCP Retransmission] ');
    expect(tcpAnalysisPrefix(1 | 2)).toBe('[TCP Fast Retransmission] ');
    expect(tcpAnalysisPrefix(1 << 6, { num: 1, frame: 12 })).toBe('[TCP Dup ACK 12#1] ');
    expect(tcpAnalysisPrefix((1 << 10) | (1 << 4))).toBe('[TCP Window Full] [TCP Previous segment not captured] ');
    expect(icmpTypeText(false, 3, 4)).toBe('Destination unreachable (Fragmentation needed)');
    expect(icmpTypeText(false, 11, 0)).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    expect(icmpTypeText(true, 1, 4)).toBe('Destination Unreachable (port unreachable)');
  });

  it('ARP announcements, probes and gratuitous replies', () => {
    const z = [0, 0, 0, 0, 0, 0];
    expect(arpInfo(parseArp(arp(1, MAC1, [10, 0, 0, 5], z, [10, 0, 0, 5]), 0, 28)!)).toBe('ARP Announcement for 10.0.0.5');
    expect(arpInfo(parseArp(arp(1, MAC1, [0, 0, 0, 0], z, [10, 0, 0, 5]), 0, 28)!)).toBe('Who has 10.0.0.5? (ARP Probe)');
    expect(arpInfo(parseArp(arp(2, MAC1, [10, 0, 0, 5], MAC1, [10, 0, 0, 5]), 0, 28)!)).toBe('Gratuitous ARP for 10.0.0.5 (Reply)');
    expect(parseArp(arp(1, MAC1, [10, 0, 0, 5], z, [10, 0, 0, 5]).subarray(0, 20), 0, 20)).toBeNull();
  });
});

describe('DNS reader', () => {
  it('follows compression pointers and stops a loop', () => {
    const m = dnsMsg({ id: 1, flags: 0x8180, q: 'a.example', qtype: 28, answers: [[0xc0, 12, ...be16(28), ...be16(1), ...be32(60), ...be16(16), ...Array(15).fill(0), 1]] });
    expect(dnsInfo(parseDns(m, 0, m.length)!)).toBe('Standard query response 0x0001 AAAA a.example AAAA ::1');
    const loop = new Uint8Array([0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(dnsInfo(parseDns(loop, 0, loop.length)!)).toBe('Standard query 0x0002 A <Name contains a pointer that loops>');
    const short = dnsMsg({ id: 3, flags: 0x0100, q: 'x.y', qtype: 1 }).subarray(0, 16);
    expect(dnsInfo(parseDns(short, 0, short.length)!)).toBe('Standard query 0x0003[Malformed Packet]');
    expect(parseDns(new Uint8Array(11), 0, 11)).toBeNull();
  });

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(20), (b, off) => {
      const m = parseDns(b, Math.min(off, b.length), b.length);
      if (m) dnsInfo(m, true);
      const a = parseArp(b, 0, b.length);
      if (a) arpInfo(a);
    }), { numRuns: 3000 });
  });

  it('never throws on mutated messages (pointers, counts, lengths)', () => {
    const base = dnsMsg({ id: 9, flags: 0x8180, q: 'www.example.com', qtype: 1, answers: [aRecord([1, 2, 3, 4]), aRecord([5, 6, 7, 8])] });
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (muts) => {
      const b = Uint8Array.from(base);
      for (const [i, v] of muts) b[i] = v;
      const m = parseDns(b, 0, b.length);
      expect(m).not.toBeNull();
      dnsInfo(m!);
    }), { numRuns: 3000 });
  });
});

describe('packet list: Info from damaged bytes', () => {
  it('never throws whatever the re-read bytes hold', () => {
    const file = mixedCapture();
    const a = analyse(file);
    const src: ListSource = { cols: a.columns, tcp: a.tcp };
    fc.assert(fc.property(fc.nat(a.columns.length - 1), fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), fc.nat(120), (row, muts, cut) => {
      const { offset, length } = a.frameRange(row as never);
      const bytes = Uint8Array.from(file.subarray(offset, offset + length));
      for (const [i, v] of muts) if (i < bytes.length) bytes[i] = v;
      const b = bytes.subarray(0, Math.max(0, bytes.length - cut));
      const t = rowText(src, row, { bytes: b, layers: decodeDetail(b, 1) });
      expect(typeof t.info).toBe('string');
    }), { numRuns: 3000 });
  });
});

describe('packet list: sorting and times', () => {
  const file = mixedCapture();
  const a = analyse(file);
  const src: ListSource = { cols: a.columns, tcp: a.tcp };
  const n = a.columns.length;

  it('every order is a permutation of the displayed rows; descending reverses it', () => {
    for (const key of ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'] as const) {
      const asc = sortPacketList(src, null, key, false);
      expect([...asc].sort((x, y) => x - y)).toEqual([...Array(n).keys()]);
      expect([...sortPacketList(src, null, key, true)]).toEqual([...asc].reverse());
    }
    const shown = Uint32Array.from([1, 3, 5, 7]);
    expect([...sortPacketList(src, shown, 'length', false)].sort()).toEqual([1, 3, 5, 7]);
  });

  it('length, source and protocol orders', () => {
    const byLen = sortPacketList(src, null, 'length', false);
    for (let i = 1; i < n; i++) expect(a.columns.origLen[byLen[i - 1]]).toBeLessThanOrEqual(a.columns.origLen[byLen[i]]);
    const bySrc = [...sortPacketList(src, null, 'source', false)];
    // Frames without IP first (ARP, LLDP), then 10.0.0.1 < 10.0.0.2 < 10.0.0.53 < 10.9.9.9 < 2001:db8::1.
    expect(bySrc.slice(0, 3)).toEqual([0, 1, 11]);
    const texts = bySrc.slice(3).map((r) => a.columns.addresses.text[a.columns.src[r]]);
    expect(texts).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.2', '10.0.0.2', '10.0.0.2', '10.0.0.53', '10.0.0.53', '10.9.9.9', '2001:db8::1']);
    const byProto = [...sortPacketList(src, null, 'protocol', false)];
    expect(byProto.slice(0, 3)).toEqual([0, 1, 11]);
  });

  it('relative, delta, stream times and time references', () => {
    const refs = Uint32Array.from([4]);
    const row = (r: number, displayed: Uint32Array | null = null) => packetListRow(src, r, null, { displayed, refs });
    expect(row(6).rel).toBeCloseTo(2.002, 9);
    expect(row(4).ref).toBe(true);
    expect(row(4).rel).toBe(0);
    expect(row(3).rel).toBeCloseTo(3.003, 9);
    expect(row(6).delta).toBeCloseTo(1.001, 9);
    expect(row(6, Uint32Array.from([0, 2, 6])).delta).toBeCloseTo(4.004, 9);
    expect(row(10).streamRel).toBe(0);
    expect(row(6).streamRel).toBeNull();
    expect(row(5).mtu).toBe(1380);
  });
});

describe('engine: pages of the list of every packet', () => {
  const q = (o: Partial<PacketListQuery> = {}): PacketListQuery => ({ sort: { key: 'number', desc: false }, filter: '', refs: [], ...o });

  it('pages with bytes re-read, sorted, located, filtered', async () => {
    const bytes = mixedCapture();
    const engine = new AnalysisEngine(loadCore());
    await engine.open(new File([bytes as BlobPart], 'mixed.pcap'), 0, 'en', () => undefined);
    const page = await engine.packetList({ type: 'packetList', query: q(), from: 0, count: 50 });
    expect(page.total).toBe(12);
    expect(page.rows[0].info).toBe('Who has 10.0.0.1? Tell 10.0.0.2');
    expect(page.rows[3].info).toBe('Standard query response 0x1a2b A example.com A 93.184.216.34');
    // The reply names its request, found among the rows before it.
    expect(page.rows[7].info).toBe('Echo (ping) reply    id=0x04ca, seq=1/256, ttl=113 (request in 7)');
    const byLen = await engine.packetList({ type: 'packetList', query: q({ sort: { key: 'length', desc: true } }), from: 0, count: 3 });
    expect(byLen.rows.map((r) => r.length)).toEqual([...byLen.rows.map((r) => r.length)].sort((x, y) => y - x));
    const at = await engine.packetListLocate({ type: 'packetListLocate', query: q({ sort: { key: 'length', desc: true } }), frame: asFrame(byLen.rows[1].frame) });
    expect(at).toEqual({ position: 1 });
    expect(await engine.packetListLocate({ type: 'packetListLocate', query: q(), frame: asFrame(99) })).toBeNull();
    const icmpOnly = await engine.packetList({ type: 'packetList', query: q({ filter: 'icmp' }), from: 0, count: 50 });
    expect(icmpOnly.filterError).toBeUndefined();
    expect(icmpOnly.rows.map((r) => r.frame)).toEqual([6, 7, 8]);
    // The detail tree reads ARP and DNS as layers, each field with its bytes.
    const arpDetail = (await engine.packetDetail(1)).detail;
    const arpLayer = arpDetail.layers.find((l) => l.name === 'ARP')!;
    const tpa = arpLayer.fields.find((f) => f.key === 'arp.dst.proto_ipv4')!;
    expect(tpa.value).toBe('10.0.0.1');
    expect([...arpDetail.bytes.subarray(tpa.start!, tpa.end!)]).toEqual([10, 0, 0, 1]);
    const dnsDetail = (await engine.packetDetail(4)).detail;
    // One DNS layer (the detail decoder's, tshark's field names), each part of the answer with its bytes.
    const dnsLayers = dnsDetail.layers.filter((l) => /DNS/.test(l.name));
    expect(dnsLayers.map((l) => l.name)).toEqual(['DNS']);
    const dnsFields = dnsLayers[0].fields;
    const answerName = dnsFields.find((f) => f.key === 'dns.resp.name')!;
    const address = dnsFields.find((f) => f.key === 'dns.a')!;
    expect(answerName.value).toBe('example.com');
    expect(dnsFields.find((f) => f.key === 'dns.resp.ttl')!.value).toBe('300');
    expect(address.value).toBe('93.184.216.34');
    expect([...dnsDetail.bytes.subarray(address.start!, address.end!)]).toEqual([93, 184, 216, 34]);
    // The record: name, type, class, TTL, length, address (16 bytes with a compressed name).
    expect(address.end! - answerName.start!).toBe(16);
    const bad = await engine.packetList({ type: 'packetList', query: q({ filter: 'tcp.nosuchfield == 1' }), from: 0, count: 5 });
    expect(bad.filterError).toBeTruthy();
    expect(bad.total).toBe(12);
  });
});
