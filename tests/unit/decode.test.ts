import { describe, expect, it } from 'vitest';
import { Anomaly, Encap, L4, NotDecoded, NotDecodedTally, PacketColumns, notDecodedCode } from '../../src/decode/columns';
import { PacketDecoder } from '../../src/decode/decoder';
import { decodeDetail, detailValues } from '../../src/decode/detail';
import { Framing, isSupportedLinkType, LINK_TYPE_NAMES, LINK_TYPES, LinkType } from '../../src/decode/linkTypes';
import { be16, be32, bytes, cat, eth, icmp, ipv4, ipv6, rec, tcp, udp } from './decodeBuilders';
import { INNER, encapFrames, gtp, labels, overGre, overUdp, pppoe, wlanData, wlanQos } from './encapBuilders';

function setup(fcsLen = 0) {
  const cols = new PacketColumns(4);
  const dec = new PacketDecoder(cols);
  dec.addInterface({ id: 0, linkType: 1, snapLen: 65535, name: null, description: null, tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0, fcsLen, section: 0 });
  const addr = (id: number) => cols.addresses.text[id];
  return { cols, dec, addr };
}

// MSS 1460, SACK permitted, timestamps 7/9, NOP, window scale 7 (a Linux SYN's options).
const SYN_OPTS = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, ...be32(7), ...be32(9), 1, 3, 3, 7];

describe('link layers', () => {
  const ip = ipv4({ df: true }, tcp({ flags: 0x02, options: SYN_OPTS }));

  it('Ethernet → IPv4 → TCP with all SYN options', () => {
    const { cols, dec, addr } = setup();
    const i = dec.decode(rec(eth(0x0800, ip)));
    expect(addr(cols.src[i])).toBe('10.0.0.1');
    expect(addr(cols.dst[i])).toBe('10.0.0.2');
    expect([cols.ipVersion[i], cols.ipLen[i], cols.ipId[i], cols.ipDf[i], cols.ipTtl[i]]).toEqual([4, 60, 0x1234, 1, 64]);
    expect([cols.l4[i], cols.srcPort[i], cols.dstPort[i], cols.seqRaw[i], cols.ackRaw[i]]).toEqual([L4.Tcp, 40000, 80, 1000, 2000]);
    expect([cols.tcpFlags[i], cols.tcpHdrLen[i], cols.tcpLen[i], cols.winRaw[i]]).toEqual([0x02, 40, 0, 512]);
    expect([cols.mss[i], cols.wscale[i], cols.sackPerm[i], cols.hasTs[i], cols.tsval[i], cols.tsecr[i]]).toEqual([1460, 7, 1, 1, 7, 9]);
    expect([cols.outerIpLen[i], cols.outerDf[i], cols.encap[i], cols.encapOverhead[i], cols.anomalies[i]]).toEqual([60, 1, 0, 0, 0]);
    expect([cols.tsSec[i], cols.tsNsec[i], cols.fileOffset[i], cols.dataDelta[i]]).toEqual([1700000000, 5, 24, 16]);
  });

  it('stacked 802.1ad / 802.1Q / 0x9100 tags', () => {
    const { cols, dec } = setup();
    const i = dec.decode(rec(eth(0x0800, ip, [[0x88a8, 100], [0x8100, 200]])));
    const j = dec.decode(rec(eth(0x0800, ip, [[0x9100, 5], [0x8100, 6], [0x8100, 7]])));
    for (const r of [i, j]) {
      expect(cols.encap[r]).toBe(Encap.Vlan);
      expect([cols.l4[r], cols.mss[r]]).toEqual([L4.Tcp, 1460]);
    }
  });

  it('Linux cooked SLL and SLL2 keep packet type and interface index', () => {
    const { cols, dec } = setup();
    const sll = cat([...be16(4), ...be16(1), ...be16(6), 2, 0, 0, 0, 0, 1, 0, 0, ...be16(0x0800)], ip);
    const sll2 = cat([...be16(0x0800), 0, 0, ...be32(3), ...be16(1), 0, 6, 2, 0, 0, 0, 0, 1, 0, 0], ip);
    const a = dec.decode(rec(sll, 113));
    const b = dec.decode(rec(sll2, 276));
    expect([cols.sllPktType[a], cols.sllIfIndex[a], cols.l4[a], cols.ipLen[a]]).toEqual([4, -1, L4.Tcp, 60]);
    expect([cols.sllPktType[b], cols.sllIfIndex[b], cols.l4[b], cols.ipLen[b]]).toEqual([0, 3, L4.Tcp, 60]);
    const e = dec.decode(rec(eth(0x0800, ip)));
    expect([cols.sllPktType[e], cols.sllIfIndex[e]]).toEqual([255, -1]);
  });

  it('raw IP under every number it is written with', () => {
    const { cols, dec } = setup();
    const ip6 = ipv6({}, tcp({}));
    for (const [lt, pkt, ver] of [[101, ip, 4], [101, ip6, 6], [12, ip, 4], [14, ip6, 6], [228, ip, 4], [229, ip6, 6]] as const) {
      const i = dec.decode(rec(pkt, lt));
      expect([cols.ipVersion[i], cols.l4[i]], `link type ${lt}`).toEqual([ver, L4.Tcp]);
    }
  });

  it('BSD NULL in either host byte order, and LOOP in network order', () => {
    const { cols, dec, addr } = setup();
    const ip6 = ipv6({ src: '2001:db8::a' }, tcp({}));
    const cases: [number, number[], Uint8Array, number][] = [
      [0, [2, 0, 0, 0], ip, 4], [0, [0, 0, 0, 2], ip, 4], [0, [30, 0, 0, 0], ip6, 6], [0, [0, 0, 0, 28], ip6, 6],
      [0, [24, 0, 0, 0], ip6, 6], [108, [0, 0, 0, 2], ip, 4], [108, [0, 0, 0, 24], ip6, 6],
    ];
    for (const [lt, af, pkt, ver] of cases) {
      const i = dec.decode(rec(cat(af, pkt), lt));
      expect([cols.ipVersion[i], cols.l4[i]], `${lt} ${af}`).toEqual([ver, L4.Tcp]);
      if (ver === 6) expect(addr(cols.src[i])).toBe('2001:db8::a');
    }
  });

  it('an unknown link type is an anomaly, not an error, and is counted by link type', () => {
    const { cols, dec } = setup();
    const i = dec.decode(rec(bytes(40), 147));
    expect(cols.anomalies[i]).toBe(Anomaly.NotDecoded);
    expect(cols.l4[i]).toBe(L4.None);
    expect([...cols.notDecoded.counts]).toEqual([[notDecodedCode(NotDecoded.LinkType, 147), 1]]);
  });
});

describe('lengths, padding, FCS, truncation', () => {
  it('TCP length comes from the IP header, not from Ethernet padding', () => {
    const { cols, dec } = setup();
    const frame = cat(eth(0x0800, ipv4({}, tcp({}, bytes(2)))), [0, 0, 0, 0]); // padded to 60 by the NIC
    const i = dec.decode(rec(frame));
    expect([cols.ipLen[i], cols.tcpLen[i], cols.payloadHead[i]]).toEqual([42, 2, 0]);
  });

  it('excludes the FCS (only where it was captured)', () => {
    const { cols, dec } = setup(4);
    // Total length 0 (written by a host doing segmentation offload): the captured bytes are the packet.
    const frame = cat(eth(0x0800, ipv4({ totalLen: 0 }, tcp({}, bytes(100)))), [1, 2, 3, 4]);
    const i = dec.decode(rec(frame));
    expect([cols.ipLen[i], cols.tcpLen[i]]).toEqual([140, 100]);
    // Snaplen cut the frame before its FCS: nothing to remove.
    const cut = frame.subarray(0, 80);
    const j = dec.decode(rec(cut, 1, frame.length));
    expect(cols.ipLen[j]).toBe(80 - 14);
  });

  it('a frame cut by snaplen keeps every field inside the captured bytes', () => {
    const { cols, dec, addr } = setup();
    const full = eth(0x0800, ipv4({ df: true }, tcp({ seq: 77, options: SYN_OPTS }, bytes(1400))));
    const i = dec.decode(rec(full.subarray(0, 14 + 20 + 26), 1, full.length)); // options cut after MSS, SACK-perm
    expect([cols.ipLen[i], cols.tcpLen[i], cols.seqRaw[i], cols.mss[i], cols.sackPerm[i], cols.hasTs[i]]).toEqual([1460, 1400, 77, 1460, 1, 0]);
    expect(cols.anomalies[i] & Anomaly.IpLenBeyondCaptured).toBeTruthy();
    expect(cols.anomalies[i] & Anomaly.BadTcpOptions).toBe(0);
    const j = dec.decode(rec(full.subarray(0, 14 + 20 + 6), 1, full.length));
    expect([cols.srcPort[j], cols.dstPort[j], cols.tcpHdrLen[j], addr(cols.dst[j])]).toEqual([40000, 80, 0, '10.0.0.2']);
    expect(cols.anomalies[j] & Anomaly.Truncated).toBeTruthy();
    const k = dec.decode(rec(full.subarray(0, 20), 1, full.length));
    expect([cols.ipVersion[k], cols.anomalies[k]]).toEqual([0, Anomaly.Truncated]);
  });

  it('IPv4 header options move the TCP header', () => {
    const { cols, dec } = setup();
    const i = dec.decode(rec(eth(0x0800, ipv4({ options: [0x94, 4, 0, 0, 1, 1, 1, 0] }, tcp({ sport: 1234 }, bytes(10))))));
    expect([cols.srcPort[i], cols.tcpLen[i], cols.ipLen[i]]).toEqual([1234, 10, 58]);
  });

  it('IPv4 and IPv6 fragments are marked and not taken for TCP', () => {
    const { cols, dec } = setup();
    const a = dec.decode(rec(eth(0x0800, ipv4({ mf: true }, tcp({}, bytes(8))))));
    const b = dec.decode(rec(eth(0x0800, ipv4({ fragOff: 1480 }, bytes(8)))));
    const frag6 = [6, 0, ...be16((1480 << 3) | 1), ...be32(99)];
    const c = dec.decode(rec(eth(0x86dd, ipv6({ nxt: 44, ext: frag6 }, bytes(16)))));
    const atomic = [6, 0, 0, 0, ...be32(99)];
    const d = dec.decode(rec(eth(0x86dd, ipv6({ nxt: 44, ext: atomic }, tcp({})))));
    for (const r of [a, b, c]) expect([cols.anomalies[r], cols.l4[r]]).toEqual([Anomaly.Fragment, L4.None]);
    expect([cols.anomalies[d], cols.l4[d]]).toEqual([0, L4.Tcp]);
  });

  it('IPv6 extension headers are walked to the TCP header', () => {
    const { cols, dec } = setup();
    const hop = [43, 0, 1, 4, 0, 0, 0, 0]; // → routing, PadN
    const routing = [60, 0, 0, 0, 0, 0, 0, 0]; // → destination options
    const dest = [6, 1, ...Array(14).fill(0)]; // 16 bytes → TCP
    const i = dec.decode(rec(eth(0x86dd, ipv6({ nxt: 0, hlim: 9, ext: [...hop, ...routing, ...dest] }, tcp({ dport: 443 }, bytes(5))))));
    expect([cols.l4[i], cols.dstPort[i], cols.tcpLen[i], cols.ipLen[i], cols.ipTtl[i], cols.ipDf[i]]).toEqual([L4.Tcp, 443, 5, 40 + 32 + 25, 9, 1]);
  });
});

describe('tunnels', () => {
  const inner = ipv4({ src: '192.168.0.1', dst: '192.168.0.2', df: true, id: 7 }, tcp({ seq: 5 }, bytes(100)));
  const inner6 = ipv6({ src: 'fd00::1', dst: 'fd00::2' }, tcp({ seq: 6 }, bytes(100)));

  function expectInner(cols: PacketColumns, i: number, addr: (id: number) => string, outerLen: number, overhead: number, encap: number) {
    expect([addr(cols.src[i]), addr(cols.dst[i]), cols.l4[i], cols.seqRaw[i], cols.tcpLen[i]]).toEqual(['192.168.0.1', '192.168.0.2', L4.Tcp, 5, 100]);
    expect([cols.ipLen[i], cols.ipId[i], cols.outerIpLen[i], cols.encapOverhead[i], cols.encap[i]]).toEqual([140, 7, outerLen, overhead, encap]);
  }

  it('IPIP keeps the outer length and DF', () => {
    const { cols, dec, addr } = setup();
    const i = dec.decode(rec(eth(0x0800, ipv4({ proto: 4, df: false }, inner))));
    expectInner(cols, i, addr, 160, 20, Encap.Ipip);
    expect([cols.outerDf[i], cols.ipDf[i]]).toEqual([0, 1]);
  });

  it('IPv6 in IPv4 and IPv4/IPv6 in IPv6', () => {
    const { cols, dec, addr } = setup();
    const a = dec.decode(rec(eth(0x0800, ipv4({ proto: 41 }, inner6))));
    expect([addr(cols.src[a]), cols.ipVersion[a], cols.outerIpLen[a], cols.encap[a], cols.encapOverhead[a]]).toEqual(['fd00::1', 6, 180, Encap.SixInFour, 20]);
    const b = dec.decode(rec(eth(0x86dd, ipv6({ nxt: 4 }, inner))));
    expectInner(cols, b, addr, 180, 40, Encap.Ipip);
    const c = dec.decode(rec(eth(0x86dd, ipv6({ nxt: 41 }, inner6))));
    expect([addr(cols.src[c]), cols.outerIpLen[c], cols.encapOverhead[c]]).toEqual(['fd00::1', 200, 40]);
  });

  it('GRE with checksum, key and sequence; GRE carrying Ethernet', () => {
    const { cols, dec, addr } = setup();
    const gre = cat([0xb0, 0, ...be16(0x0800), 0, 0, 0, 0, ...be32(42), ...be32(1)], inner);
    const a = dec.decode(rec(eth(0x0800, ipv4({ proto: 47 }, gre))));
    expectInner(cols, a, addr, 20 + 16 + 140, 36, Encap.Gre);
    const teb = cat([0, 0, ...be16(0x6558)], eth(0x0800, inner));
    const b = dec.decode(rec(eth(0x0800, ipv4({ proto: 47 }, teb))));
    expectInner(cols, b, addr, 20 + 4 + 14 + 140, 38, Encap.Gre);
  });

  it('VXLAN on 4789 and on the Linux port 8472', () => {
    const { cols, dec, addr } = setup();
    for (const port of [4789, 8472]) {
      const vx = udp(55555, port, cat([8, 0, 0, 0, 0, 0x10, 0, 0], eth(0x0800, inner)));
      const i = dec.decode(rec(eth(0x0800, ipv4({ proto: 17, df: true }, vx))));
      expectInner(cols, i, addr, 20 + 8 + 8 + 14 + 140, 50, Encap.Vxlan);
      expect(cols.outerDf[i]).toBe(1);
    }
  });

  it('Geneve with options, carrying Ethernet or IP', () => {
    const { cols, dec, addr } = setup();
    const opt = [0x01, 0x02, 0x80, 0x01, 1, 2, 3, 4]; // one 8-byte option → option length 2 words
    const gEth = udp(1, 6081, cat([0x02, 0, ...be16(0x6558), 0, 0, 1, 0, ...opt], eth(0x0800, inner)));
    const a = dec.decode(rec(eth(0x0800, ipv4({ proto: 17 }, gEth))));
    expectInner(cols, a, addr, 20 + 8 + 16 + 14 + 140, 58, Encap.Geneve);
    const gIp = udp(1, 6081, cat([0x00, 0, ...be16(0x0800), 0, 0, 1, 0], inner));
    const b = dec.decode(rec(eth(0x0800, ipv4({ proto: 17 }, gIp))));
    expectInner(cols, b, addr, 20 + 8 + 8 + 140, 36, Encap.Geneve);
  });

  it('nesting deeper than the bound is an anomaly', () => {
    const { cols, dec } = setup();
    let pkt = inner;
    for (let k = 0; k < 12; k++) pkt = ipv4({ proto: 4 }, pkt);
    const i = dec.decode(rec(eth(0x0800, pkt)));
    expect(cols.anomalies[i] & Anomaly.TunnelTooDeep).toBeTruthy();
    expect(cols.l4[i]).toBe(L4.None);
  });

  it('a non-TCP inner packet does not inherit the outer UDP ports', () => {
    const { cols, dec } = setup();
    const vx = udp(55555, 4789, cat([8, 0, 0, 0, 0, 0x10, 0, 0], eth(0x0800, ipv4({ proto: 1 }, icmp(8, 0, [0, 1, 0, 1], bytes(8))))));
    const i = dec.decode(rec(eth(0x0800, ipv4({ proto: 17 }, vx))));
    expect([cols.l4[i], cols.srcPort[i], cols.dstPort[i], cols.icmpType[i]]).toEqual([L4.Icmp, 0, 0, 8]);
  });
});

describe('what is not decoded', () => {
  const inner = ipv4({}, tcp({}, bytes(10)));
  const code = notDecodedCode;
  /** Decode each frame; the codes of the tally, and the rows marked NotDecoded. */
  function run(frames: [Uint8Array, number?][]) {
    const { cols, dec } = setup();
    const rows = frames.map(([f, lt]) => dec.decode(rec(f, lt ?? 1)));
    const marked = rows.filter((i) => cols.anomalies[i] & Anomaly.NotDecoded);
    return { cols, rows, marked, counts: [...cols.notDecoded.counts].sort((a, b) => a[0] - b[0]) };
  }
  const snap = (oui: number[], pid: number, payload: Uint8Array) => cat([0xaa, 0xaa, 0x03, ...oui, ...be16(pid)], payload);
  const llcFrame = (llc: Uint8Array) => eth(llc.length, llc);

  it('names the EtherType after any VLAN tags: PPPoE session over QinQ, MPLS, PBB, an unknown one', () => {
    // PPPoE carrying bridged Ethernet (PPP 0x0031); MPLS with a payload starting 0x5 (neither IP nor a
    // pseudowire); PBB carrying MACsec; an unknown EtherType.
    const pppoe = cat([0x11, 0, 0, 1, ...be16(inner.length + 2), 0, 0x31], inner);
    const { cols, rows, counts } = run([
      [eth(0x8864, pppoe, [[0x88a8, 10], [0x8100, 20]])], [eth(0x8864, pppoe)], [eth(0x8847, cat([0, 0, 0x11, 64], bytes(40, 0x51)))],
      [eth(0x88e7, cat(bytes(16), be16(0x88e5), bytes(40)))], [eth(0x1234, bytes(40))],
    ]);
    expect(rows.map((i) => cols.anomalies[i])).toEqual(rows.map(() => Anomaly.NotDecoded));
    expect(cols.encap[rows[0]]).toBe(Encap.Vlan);
    expect(counts).toEqual([
      [code(NotDecoded.EtherType, 0x1234), 1], [code(NotDecoded.EtherType, 0x8847), 1],
      [code(NotDecoded.EtherType, 0x8864), 2], [code(NotDecoded.EtherType, 0x88e5), 1],
    ]);
    expect(cols.notDecoded.rows.get(code(NotDecoded.EtherType, 0x8864))).toEqual([0, 1]);
    expect(cols.notDecoded.total).toBe(5);
  });

  it('ordinary traffic without IP is not counted: ARP, LLDP, PPPoE discovery, LACP, spanning tree, CDP', () => {
    const { cols, rows, marked } = run([
      [eth(0x0806, bytes(28))], [eth(0x88cc, bytes(40))], [eth(0x8863, bytes(20))], [eth(0x8809, bytes(40))],
      [llcFrame(cat([0x42, 0x42, 0x03], bytes(35)))], // STP BPDU
      [llcFrame(snap([0x00, 0x00, 0x0c], 0x2000, bytes(40)))], // CDP
      [llcFrame(snap([0, 0, 0], 0x0806, bytes(28)))], // ARP in SNAP
      [eth(0x0800, inner)],
    ]);
    expect(marked).toEqual([]);
    expect(rows.map((i) => cols.anomalies[i])).toEqual(rows.map(() => 0));
    expect(cols.notDecoded.total).toBe(0);
  });

  it('IP in an LLC/SNAP header is decoded (802.3 with a length, after a VLAN tag, Linux cooked protocol 4); other SNAP types are named', () => {
    const llc = snap([0, 0, 0], 0x0800, inner);
    const sll = cat([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...be16(4)], llc);
    const { cols, rows, marked, counts } = run([
      [llcFrame(llc)], [eth(llc.length, llc, [[0x8100, 5]])], [sll, 113], [llcFrame(snap([0, 0, 0xf8], 0x86dd, ipv6({}, tcp({}))))],
      [llcFrame(snap([0, 0, 0], 0x88e5, bytes(40)))],
    ]);
    expect(rows.slice(0, 4).map((i) => [cols.l4[i], cols.seqRaw[i], cols.anomalies[i]])).toEqual(rows.slice(0, 4).map(() => [L4.Tcp, 1000, 0]));
    expect(cols.ipVersion[rows[3]]).toBe(6);
    expect(marked).toEqual([4]);
    expect(counts).toEqual([[code(NotDecoded.LlcSnap, 0x88e5), 1]]);
  });

  it('a link type, a loopback address family, a GRE protocol, an IP protocol', () => {
    const gre = (flags: number, proto: number, payload: Uint8Array) => eth(0x0800, ipv4({ proto: 47 }, cat([flags, 0, ...be16(proto)], payload)));
    const { cols, marked, counts } = run([
      [bytes(40), 9], // PPP
      [cat([7, 0, 0, 0], inner), 0], // BSD loopback, AF 7
      [gre(0, 0x6559, bytes(60))], // Frame Relay in GRE
      [gre(0x30, 0x880b, cat(be32(0x00400001), be32(1), bytes(20))).map((x, k) => (k === 14 + 20 + 1 ? 1 : x))], // PPTP: GRE version 1
      [gre(0, 0x0806, bytes(28))], // ARP in GRE: ordinary
      [eth(0x0800, ipv4({ proto: 50 }, bytes(60)))], // ESP
      [eth(0x0800, ipv4({ proto: 89 }, bytes(60)))], // OSPF: ordinary
    ]);
    expect(marked).toEqual([0, 1, 2, 3, 5]);
    expect(counts).toEqual([
      [code(NotDecoded.LinkType, 9), 1], [code(NotDecoded.GreProto, 0x6559), 1], [code(NotDecoded.GreProto, 0x880b), 1],
      [code(NotDecoded.IpProto, 50), 1], [code(NotDecoded.LoopbackFamily, 7), 1],
    ]);
    expect(cols.l4[5]).toBe(L4.Other);
  });

  it('a UDP tunnel not peeled only when it carries traffic: GTP-U user data that is not IP, not its echo; L2TP data, not control', () => {
    const gtp = (type: number, payload: Uint8Array) => cat([0x30, type, ...be16(payload.length), ...be32(7)], payload);
    const u = (sport: number, dport: number, payload: Uint8Array) => eth(0x0800, ipv4({ proto: 17 }, udp(sport, dport, payload)));
    const { cols, marked, counts } = run([
      [u(2152, 2152, gtp(0xff, bytes(30, 0x71)))], [u(2152, 2152, gtp(1, bytes(4)))],
      [u(40000, 1701, cat([0x02, 0x02, 0, 1, 0, 1], bytes(30)))], [u(1701, 1701, cat([0xc8, 0x02], bytes(30)))],
      [u(5353, 2152, bytes(30))], // not GTP at all
      [u(40000, 53, bytes(30))],
    ]);
    expect(marked).toEqual([0, 2]);
    expect(counts).toEqual([[code(NotDecoded.UdpTunnel, 1701), 1], [code(NotDecoded.UdpTunnel, 2152), 1]]);
    // The carrier stays UDP with its ports.
    expect([cols.l4[0], cols.srcPort[0], cols.dstPort[0]]).toEqual([L4.Udp, 2152, 2152]);
  });

  it('inside a peeled tunnel: VXLAN carrying MACsec', () => {
    const vx = udp(55555, 4789, cat([8, 0, 0, 0, 0, 0x10, 0, 0], eth(0x88e5, bytes(40))));
    const { cols, marked, counts } = run([[eth(0x0800, ipv4({ proto: 17 }, vx))]]);
    expect(marked).toEqual([0]);
    expect(counts).toEqual([[code(NotDecoded.EtherType, 0x88e5), 1]]);
    expect(cols.encap[0]).toBe(Encap.Vxlan);
  });

  it('the tally keeps five first rows per kind, a bounded number of kinds, and forgets a dropped last row', () => {
    const { cols, dec } = setup();
    for (let k = 0; k < 7; k++) dec.decode(rec(eth(0x88e5, bytes(40))));
    const mpls = code(NotDecoded.EtherType, 0x88e5);
    expect([cols.notDecoded.counts.get(mpls), cols.notDecoded.rows.get(mpls)]).toEqual([7, [0, 1, 2, 3, 4]]);
    cols.notDecoded.drop(5); // not the last one: nothing happens
    cols.notDecoded.drop(6);
    expect([cols.notDecoded.counts.get(mpls), cols.notDecoded.total]).toEqual([6, 6]);
    const t = new NotDecodedTally();
    for (let v = 0; v < NotDecodedTally.MAX_CODES + 10; v++) t.add(code(NotDecoded.EtherType, 0x1000 + v), v);
    expect([t.counts.size, t.counts.get(0), t.total]).toEqual([NotDecodedTally.MAX_CODES + 1, 10, NotDecodedTally.MAX_CODES + 10]);
  });
});

describe('TCP options', () => {
  it('SACK blocks go to the SACK edge table', () => {
    const { cols, dec } = setup();
    const sack = [1, 1, 5, 26, ...be32(100), ...be32(200), ...be32(300), ...be32(400), ...be32(0xfffffff0), ...be32(5), 0, 0];
    const a = dec.decode(rec(eth(0x0800, ipv4({}, tcp({ options: sack })))));
    const b = dec.decode(rec(eth(0x0800, ipv4({}, tcp({})))));
    expect(cols.sackCount[a]).toBe(3);
    expect([...cols.sackEdges.subarray(cols.sackIndex[a], cols.sackIndex[a] + 6)]).toEqual([100, 200, 300, 400, 0xfffffff0, 5]);
    expect(cols.sackCount[b]).toBe(0);
  });

  it('malformed options are flagged, not fatal', () => {
    const { cols, dec } = setup();
    const zeroLen = dec.decode(rec(eth(0x0800, ipv4({}, tcp({ options: [2, 4, 5, 0xb4, 8, 0, 0, 0] }, bytes(3))))));
    expect([cols.mss[zeroLen], cols.tcpLen[zeroLen], cols.anomalies[zeroLen]]).toEqual([1460, 3, Anomaly.BadTcpOptions]);
    const wrongLen = dec.decode(rec(eth(0x0800, ipv4({}, tcp({ options: [2, 3, 5, 1, 3, 3, 9, 0] })))));
    expect([cols.mss[wrongLen], cols.wscale[wrongLen], cols.anomalies[wrongLen]]).toEqual([0, 9, Anomaly.BadTcpOptions]);
    const beyond = dec.decode(rec(eth(0x0800, ipv4({}, tcp({ options: [1, 1, 8, 10, 0] })))));
    expect(cols.anomalies[beyond]).toBe(Anomaly.BadTcpOptions);
  });

  it('a data offset below 5 words is a bad header', () => {
    const { cols, dec } = setup();
    const seg = tcp({});
    seg[12] = 0x30;
    const i = dec.decode(rec(eth(0x0800, ipv4({}, seg))));
    expect([cols.anomalies[i], cols.srcPort[i], cols.tcpLen[i]]).toEqual([Anomaly.BadTcpHeader, 40000, 0]);
  });
});

describe('ICMP errors', () => {
  it('fragmentation needed: next-hop MTU and the quoted TCP packet', () => {
    const { cols, dec, addr } = setup();
    const original = ipv4({ src: '198.18.1.2', dst: '198.18.3.2', df: true, totalLen: 1450 }, tcp({ sport: 47632, dport: 9090, seq: 0xa0000001 }));
    const i = dec.decode(rec(eth(0x0800, ipv4({ src: '198.18.1.1', dst: '198.18.1.2', proto: 1 }, icmp(3, 4, [0, 0, ...be16(1440)], original.subarray(0, 28))))));
    expect([cols.l4[i], cols.icmpType[i], cols.icmpCode[i], cols.icmpMtu[i], addr(cols.src[i])]).toEqual([L4.Icmp, 3, 4, 1440, '198.18.1.1']);
    expect([addr(cols.qSrc[i]), addr(cols.qDst[i]), cols.qSrcPort[i], cols.qDstPort[i], cols.qSeqRaw[i], cols.qIpLen[i]])
      .toEqual(['198.18.1.2', '198.18.3.2', 47632, 9090, 0xa0000001, 1450]);
    expect([cols.srcPort[i], cols.dstPort[i]]).toEqual([0, 0]);
  });

  it('ICMPv6 packet too big', () => {
    const { cols, dec, addr } = setup();
    const original = ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, tcp({ sport: 5, dport: 6, seq: 77 }, bytes(1400)));
    const i = dec.decode(rec(eth(0x86dd, ipv6({ src: '2001:db8::ff', dst: '2001:db8::1', nxt: 58 }, icmp(2, 0, be32(1280), original.subarray(0, 1232))))));
    expect([cols.l4[i], cols.icmpType[i], cols.icmpMtu[i]]).toEqual([L4.Icmpv6, 2, 1280]);
    expect([addr(cols.qSrc[i]), addr(cols.qDst[i]), cols.qSrcPort[i], cols.qDstPort[i], cols.qSeqRaw[i], cols.qIpLen[i]])
      .toEqual(['2001:db8::1', '2001:db8::2', 5, 6, 77, 1460]);
  });

  it('echo is ICMP without quoted packet or MTU', () => {
    const { cols, dec } = setup();
    const i = dec.decode(rec(eth(0x0800, ipv4({ proto: 1 }, icmp(8, 0, [0, 1, 0, 2], bytes(56))))));
    expect([cols.icmpType[i], cols.icmpMtu[i], cols.qSrc[i]]).toEqual([8, 0, 0]);
  });
});

describe('allocation', () => {
  it('repeated IPv4 addresses are interned once', () => {
    const { cols, dec } = setup();
    const frame = rec(eth(0x0800, ipv4({}, tcp({}))));
    for (let k = 0; k < 10000; k++) dec.decode(frame);
    expect(cols.length).toBe(10000);
    expect(cols.addresses.text.length).toBe(3);
  });
});

describe('robustness', () => {
  it('never throws on arbitrary bytes, truncated or not', () => {
    const { cols, dec } = setup();
    const good = eth(0x0800, ipv4({ proto: 17 }, udp(1, 4789, cat([8, 0, 0, 0, 0, 0, 1, 0], eth(0x86dd, ipv6({ nxt: 0, ext: [6, 0, 1, 4, 0, 0, 0, 0] }, tcp({ options: [5, 10, ...be32(1), ...be32(2)] })))))));
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 0; n < 3000; n++) {
      const pkt = good.slice(0, Math.floor(rnd() * (good.length + 1)));
      for (let k = 0; k < 3; k++) if (pkt.length) pkt[Math.floor(rnd() * pkt.length)] = Math.floor(rnd() * 256);
      for (const lt of [1, 101, 0, 276, 10, 104, 105, 127, 239]) expect(() => dec.decode(rec(pkt, lt))).not.toThrow();
    }
    expect(cols.length).toBe(27000);
  });
});

describe('link types in one registry (src/decode/linkTypes.ts)', () => {
  it('every LinkType constant is registered, with a name and a framing the decoders read', () => {
    for (const [key, lt] of Object.entries(LinkType)) {
      const info = LINK_TYPES[lt];
      expect(info, key).toBeDefined();
      expect(info.name.length, key).toBeGreaterThan(0);
      expect(Object.values(Framing), key).toContain(info.framing);
      expect(isSupportedLinkType(lt), key).toBe(true);
      expect(LINK_TYPE_NAMES[lt], key).toBe(info.name);
    }
    expect(isSupportedLinkType(147)).toBe(false);
  });
});

describe('encapsulations peeled to the inner IP packet', () => {
  const frames = encapFrames();
  /** name → [outer IP length, bytes from the outer IP header to the inner one, Encap bits] */
  const expected: Record<string, [number, number, number]> = {
    pppoeQinq: [140, 0, Encap.Vlan], pppoe6: [160, 0, 0], mpls: [140, 0, 0], mplsMulticast6: [160, 0, 0], mplsPseudowire: [140, 0, 0], mplsPseudowireNoCw: [140, 0, 0],
    gtp: [176, 36, Encap.Gtp], gtpSeq6: [200, 40, Encap.Gtp], gtpExt: [192, 52, Encap.Gtp], greInUdp: [172, 32, Encap.Gre],
    erspan1: [178, 38, Encap.Gre], erspan2: [190, 50, Encap.Gre], erspan3: [206, 66, Encap.Gre | Encap.Vlan],
    pbb: [140, 0, Encap.Vlan], fabricPath: [140, 0, 0], eTag: [140, 0, 0], vnTag: [140, 0, Encap.Vlan],
    aruba: [198, 58, Encap.Gre], arubaAmsdu: [212, 72, Encap.Gre],
    ayiya: [232, 72, Encap.UdpIp], teredo: [214, 54, Encap.UdpIp],
    fddi: [140, 0, 0], ciscoHdlc: [140, 0, 0], nflog: [140, 0, 0], wlan: [140, 0, 0], wlan4Addr: [160, 0, 0],
    radiotapFcs: [140, 0, 0],
  };

  it('has an expectation for every frame built', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(frames).sort());
  });

  for (const [name, [frame, lt]] of Object.entries(frames)) {
    it(`${name}: the inner TCP segment, outer length and encapsulation`, () => {
      const { cols, dec, addr } = setup();
      const i = dec.decode(rec(frame, lt));
      const v6 = cols.ipVersion[i] === 6;
      expect([cols.anomalies[i], cols.l4[i], cols.seqRaw[i], cols.tcpLen[i], cols.ipLen[i]]).toEqual([0, L4.Tcp, v6 ? 6 : 5, 100, v6 ? 160 : 140]);
      expect(addr(cols.src[i])).toBe(v6 ? 'fd00::1' : '192.168.0.1');
      const [outer, overhead, encap] = expected[name];
      expect([cols.outerIpLen[i], cols.encapOverhead[i], cols.encap[i]]).toEqual([outer, overhead, encap]);
    });
  }

  it('an A-MSDU with two subframes: the row is the last packet (the detail lists both)', () => {
    const { cols, dec } = setup();
    const second = ipv4({ src: '192.168.0.1', dst: '192.168.0.2' }, tcp({ seq: 105 }, bytes(23)));
    const sub = (p: Uint8Array) => cat(macs12(), be16(p.length + 8), [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], p);
    const first = sub(INNER);
    const frame = overGre(0x00, 0x8240, [], wlanQos(0x02, cat(first, bytes((4 - (first.length % 4)) % 4, 0), sub(second)), [0x80, 0]));
    const i = dec.decode(rec(frame));
    expect([cols.anomalies[i], cols.seqRaw[i], cols.tcpLen[i]]).toEqual([0, 105, 23]);
    expect(detailValues(decodeDetail(frame, 1), 'tcp.seq_raw')).toEqual(['5', '105']);
  });

  it('ordinary traffic inside them is not counted: PPP control, MPLS OAM and associated channel, 802.11 management and null data, SLARP', () => {
    const { cols, dec } = setup();
    const rows = [
      dec.decode(rec(eth(0x8864, pppoe(0xc021, bytes(10))))),
      dec.decode(rec(eth(0x8847, cat(labels(14), bytes(40, 0x51))))),
      dec.decode(rec(eth(0x8847, cat(labels(13), [0x10, 0, 0, 7], bytes(40))))),
      dec.decode(rec(cat([0x80, 0, 0, 0], bytes(20, 0), bytes(40)), 105)), // beacon
      dec.decode(rec(cat([0x48, 0x01, 0, 0], bytes(20, 0)), 105)), // null function
      dec.decode(rec(cat([0x8f, 0x00, 0x80, 0x35], bytes(20)), 104)), // SLARP
    ];
    expect(rows.map((i) => cols.anomalies[i])).toEqual(rows.map(() => 0));
    expect(cols.notDecoded.total).toBe(0);
  });

  it('what they carry that is not decoded is counted: encrypted 802.11, non-IP in GTP-U, an NFLOG family', () => {
    const { cols, dec } = setup();
    const rows = [
      dec.decode(rec(overGre(0x00, 0x8300, [], wlanQos(0x41, bytes(60))))),
      dec.decode(rec(wlanData(bytes(60)).map((x, k) => (k === 1 ? 0x42 : x)), 105)),
      dec.decode(rec(overUdp(2152, 2152, gtp(0x30, bytes(40, 0x71))))),
      dec.decode(rec(cat([7, 0, 0, 0], [INNER.length + 4, 0, 9, 0], INNER), 239)),
    ];
    expect(rows.map((i) => cols.anomalies[i] & Anomaly.NotDecoded)).toEqual(rows.map(() => Anomaly.NotDecoded));
    expect([...cols.notDecoded.counts.keys()].sort((a, b) => a - b)).toEqual([
      notDecodedCode(NotDecoded.LinkType, 105), notDecodedCode(NotDecoded.LinkType, 239),
      notDecodedCode(NotDecoded.GreProto, 0x8300), notDecodedCode(NotDecoded.UdpTunnel, 2152),
    ]);
  });

  it('an NFLOG record without its payload TLV is truncated, not silently empty', () => {
    const { cols, dec } = setup();
    const i = dec.decode(rec(new Uint8Array([2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]), 239));
    expect(cols.anomalies[i]).toBe(Anomaly.Truncated);
  });

  it('PBB nested deep is peeled in a loop (no recursion, no tunnel depth)', () => {
    const { cols, dec } = setup();
    let f: Uint8Array = cat([0, 0, 0, 1], macs12(), be16(0x0800), INNER);
    for (let k = 0; k < 60; k++) f = cat([0, 0, 0, 1], macs12(), be16(0x88e7), f);
    const i = dec.decode(rec(cat(macs12(), be16(0x88e7), f)));
    expect([cols.anomalies[i], cols.l4[i], cols.tcpLen[i]]).toEqual([0, L4.Tcp, 100]);
  });

  it('never throws on damaged frames of each encapsulation', () => {
    const { cols, dec } = setup();
    let seed = 777;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let n = 0;
    for (const [frame, lt] of Object.values(frames)) {
      for (let k = 0; k < 300; k++, n++) {
        const pkt = frame.slice(0, Math.floor(rnd() * (frame.length + 1)));
        for (let j = 0; j < 3; j++) if (pkt.length) pkt[Math.floor(rnd() * pkt.length)] = Math.floor(rnd() * 256);
        expect(() => dec.decode(rec(pkt, lt))).not.toThrow();
      }
    }
    expect(cols.length).toBe(n);
  });
});

function macs12(): number[] {
  return [2, 0, 0, 0, 0, 0xc1, 2, 0, 0, 0, 0, 0xc2];
}
