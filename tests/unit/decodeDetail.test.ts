import { describe, expect, it } from 'vitest';
import { decodeDetail, detailValues, tcpFlagsText } from '../../src/decode/detail';
import { be16, be32, bytes, cat, eth, icmp, ipv4, ipv6, tcp, udp } from './decodeBuilders';
import { INNER, encapFrames, pppoe } from './encapBuilders';

describe('decodeDetail', () => {
  const inner = ipv4({ src: '192.168.0.1', dst: '192.168.0.2', df: true }, tcp({ flags: 0x12, options: [2, 4, 5, 0xb4] }, bytes(10)));
  const vx = eth(0x0800, ipv4({ src: '10.1.1.1', dst: '10.1.1.2', proto: 17 }, udp(999, 4789, cat([8, 0, 0, 0, 0, 0x10, 0, 0], eth(0x0800, inner)))));

  it('lists the layers of a VXLAN frame in order, with byte ranges', () => {
    const layers = decodeDetail(vx, 1);
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'UDP', 'VXLAN', 'Ethernet', 'IPv4', 'TCP', 'Data']);
    expect(layers.map((l) => [l.start, l.end])).toEqual([[0, 14], [14, 34], [34, 42], [42, 50], [50, 64], [64, 84], [84, 108], [108, 118]]);
    const src = layers[5].fields.find((f) => f.key === 'ip.src')!;
    expect([src.value, src.start, src.end]).toEqual(['192.168.0.1', 76, 80]);
  });

  it('gives every occurrence of a key, outer first', () => {
    const layers = decodeDetail(vx, 1);
    expect(detailValues(layers, 'ip.src')).toEqual(['10.1.1.1', '192.168.0.1']);
    expect(detailValues(layers, 'vxlan.vni')).toEqual(['4096']);
    expect(detailValues(layers, 'tcp.flags')).toEqual(['0x0012']);
    expect(detailValues(layers, 'tcp.options.mss_val')).toEqual(['1460']);
    expect(detailValues(layers, 'tcp.len')).toEqual(['10']);
  });

  it('ICMP errors: carrier then quoted packet, quoted TCP numbers as tshark names them', () => {
    const original = ipv4({ src: '198.18.1.2', dst: '198.18.3.2', totalLen: 1450, df: true }, tcp({ seq: 123, ack: 456 }));
    const frame = eth(0x0800, ipv4({ src: '198.18.1.1', dst: '198.18.1.2', proto: 1 }, icmp(3, 4, [0, 0, ...be16(1440)], original.subarray(0, 28))));
    const layers = decodeDetail(frame, 1);
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'ICMP', 'IPv4 (quoted)', 'TCP (quoted)']);
    expect(detailValues(layers, 'ip.len')).toEqual(['56', '1450']);
    expect(detailValues(layers, 'icmp.mtu')).toEqual(['1440']);
    expect(detailValues(layers, 'tcp.seq')).toEqual(['123']);
    expect(detailValues(layers, 'tcp.seq_raw')).toEqual([]);
    expect(detailValues(layers, 'tcp.len')).toEqual([]);
  });

  it('leaves a captured FCS out of the layers', () => {
    const frame = cat(eth(0x0800, ipv4({ totalLen: 0 }, tcp({}))), be32(0xdeadbeef));
    const layers = decodeDetail(frame, 1, 4);
    expect(layers.at(-1)).toMatchObject({ name: 'Frame check sequence', start: 54, end: 58 });
    expect(detailValues(layers, 'ip.len')).toEqual(['40']);
  });

  it('marks truncation and does not throw on garbage', () => {
    const frame = eth(0x0800, ipv4({}, tcp({}, bytes(100))));
    expect(decodeDetail(frame.subarray(0, 30), 1).at(-1)!.name).toBe('Truncated');
    for (let n = 0; n < 200; n++) {
      const junk = new Uint8Array(n).map((_, k) => (k * 73 + n) & 255);
      for (const lt of [0, 1, 101, 108, 113, 228, 229, 276, 9999]) expect(() => decodeDetail(junk, lt)).not.toThrow();
    }
  });

  it('spells the TCP flags like tshark', () => {
    expect(tcpFlagsText(0x012)).toBe('·······A··S·');
    expect(tcpFlagsText(0x019)).toBe('·······AP··F');
  });
});

describe('decodeDetail: encapsulations peeled (field values as tshark prints them)', () => {
  const frames = encapFrames();
  const layersOf: Record<string, string> = {
    pppoeQinq: 'Ethernet / 802.1ad service tag / 802.1Q VLAN / PPPoE session / PPP / IPv4 / TCP / Data',
    pppoe6: 'Ethernet / PPPoE session / PPP / IPv6 / TCP / Data',
    mpls: 'Ethernet / MPLS / MPLS / IPv4 / TCP / Data',
    mplsMulticast6: 'Ethernet / MPLS / IPv6 / TCP / Data',
    mplsPseudowire: 'Ethernet / MPLS / PW Ethernet control word / Ethernet / IPv4 / TCP / Data',
    mplsPseudowireNoCw: 'Ethernet / MPLS / Ethernet / IPv4 / TCP / Data',
    gtp: 'Ethernet / IPv4 / UDP / GTP / IPv4 / TCP / Data',
    gtpSeq6: 'Ethernet / IPv4 / UDP / GTP / IPv6 / TCP / Data',
    gtpExt: 'Ethernet / IPv4 / UDP / GTP / GTP extension header / GTP extension header / IPv4 / TCP / Data',
    greInUdp: 'Ethernet / IPv4 / UDP / GRE / IPv4 / TCP / Data',
    erspan1: 'Ethernet / IPv4 / GRE / ERSPAN type I / Ethernet / IPv4 / TCP / Data',
    erspan2: 'Ethernet / IPv4 / GRE / ERSPAN type II / Ethernet / IPv4 / TCP / Data',
    erspan3: 'Ethernet / IPv4 / GRE / ERSPAN type III / Ethernet / 802.1Q VLAN / IPv4 / TCP / Data',
    pbb: 'Ethernet / 802.1ad service tag / 802.1ah provider backbone bridge / 802.1Q VLAN / IPv4 / TCP / Data',
    fabricPath: 'Cisco FabricPath / Ethernet / IPv4 / TCP / Data',
    eTag: 'Ethernet / 802.1BR E-Tag / IPv4 / TCP / Data',
    vnTag: 'Ethernet / VN-Tag / 802.1Q VLAN / IPv4 / TCP / Data',
    aruba: 'Ethernet / IPv4 / GRE / IEEE 802.11 / Logical-Link Control / IPv4 / TCP / Data',
    arubaAmsdu: 'Ethernet / IPv4 / GRE / IEEE 802.11 / A-MSDU subframe / Logical-Link Control / IPv4 / TCP / Data',
    ayiya: 'Ethernet / IPv4 / UDP / AYIYA / IPv6 / TCP / Data',
    teredo: 'Ethernet / IPv4 / UDP / Teredo authentication / Teredo origin indication / IPv6 / TCP / Data',
    fddi: 'FDDI / Logical-Link Control / IPv4 / TCP / Data',
    ciscoHdlc: 'Cisco HDLC / IPv4 / TCP / Data',
    nflog: 'Linux NFLOG / IPv4 / TCP / Data',
    wlan: 'IEEE 802.11 / Logical-Link Control / IPv4 / TCP / Data',
    wlan4Addr: 'IEEE 802.11 / Logical-Link Control / IPv6 / TCP / Data',
    radiotapFcs: 'Radiotap / IEEE 802.11 / Logical-Link Control / IPv4 / TCP / Data / Frame check sequence',
  };

  for (const [name, [frame, lt]] of Object.entries(frames)) {
    it(`${name}: layers down to the inner TCP segment`, () => {
      const layers = decodeDetail(frame, lt);
      expect(layers.map((l) => l.name).join(' / ')).toBe(layersOf[name]);
      const v6 = detailValues(layers, 'ipv6.src').includes('fd00::1');
      expect([detailValues(layers, 'tcp.seq_raw'), detailValues(layers, 'tcp.len')]).toEqual([[v6 ? '6' : '5'], ['100']]);
    });
  }

  // Values checked against tshark 4.0's -T fields on the same frames written to a file.
  it('header fields under tshark names', () => {
    const v = (name: string, key: string) => detailValues(decodeDetail(...frames[name]), key);
    expect([v('pppoeQinq', 'pppoe.session_id'), v('pppoeQinq', 'pppoe.payload_length'), v('pppoeQinq', 'ppp.protocol'), v('pppoeQinq', 'ieee8021ah.etype')])
      .toEqual([['0x0f07'], ['142'], ['0x0021'], ['0x8100']]);
    expect([v('mpls', 'mpls.label'), v('mpls', 'mpls.bottom'), v('mpls', 'mpls.ttl')]).toEqual([['100', '200'], ['0', '1'], ['64', '64']]);
    expect([v('gtpExt', 'gtp.flags'), v('gtpExt', 'gtp.teid'), v('gtpExt', 'gtp.seq_number'), v('gtpExt', 'gtp.ext_hdr.next'), v('gtpExt', 'gtp.ext_hdr.length')])
      .toEqual([['0x34'], ['0x00001234'], [], ['0x85', '0xc0', '0x00'], ['1', '2']]);
    expect([v('erspan3', 'erspan.version'), v('erspan3', 'erspan.vlan'), v('erspan3', 'erspan.spanid')]).toEqual([['2'], ['20'], ['1']]);
    expect([v('pbb', 'ieee8021ah.isid'), v('pbb', 'ieee8021ah.etype')]).toEqual([['256'], ['0x8100']]);
    expect([v('fabricPath', 'eth.dst'), v('fabricPath', 'cfp.ttl'), v('fabricPath', 'cfp.fcs')]).toEqual([['02:00:00:00:00:c1'], ['63'], ['0xdeadbeef']]);
    expect([v('eTag', 'etag.ecid_base'), v('vnTag', 'vntag.dst'), v('vnTag', 'vntag.src')]).toEqual([['0x0001'], ['1'], ['2']]);
    expect([v('aruba', 'wlan.fc'), v('aruba', 'wlan.sa'), v('arubaAmsdu', 'wlan.da'), v('arubaAmsdu', 'wlan.sa')])
      .toEqual([['0x8801'], ['02:00:00:00:00:c2'], ['02:00:00:00:00:c1', '02:00:00:00:00:c1'], ['02:00:00:00:00:c2']]);
    expect([v('ayiya', 'ayiya.idlen'), v('ayiya', 'ayiya.nextheader'), v('teredo', 'teredo.orig.port'), v('teredo', 'teredo.orig.addr')])
      .toEqual([['0x04'], ['0x29'], ['3797'], ['10.0.0.1']]);
    expect([v('fddi', 'fddi.fc'), v('fddi', 'llc.type'), v('ciscoHdlc', 'chdlc.protocol')]).toEqual([['0x50'], ['0x0800'], ['0x0800']]);
    expect([v('nflog', 'nflog.family'), v('nflog', 'nflog.tlv_type')]).toEqual([['2'], ['1', '10', '9']]);
    expect([v('radiotapFcs', 'radiotap.length'), v('radiotapFcs', 'radiotap.flags.fcs'), v('radiotapFcs', 'wlan.fcs')]).toEqual([['18'], ['1'], ['0x04030201']]);
  });

  it('PPPoE ends the packet where its payload length says (padding is not TCP payload)', () => {
    const padded = cat(eth(0x8864, pppoe(0x0021, INNER, INNER.length + 2 - 10)), bytes(6, 0));
    expect(detailValues(decodeDetail(padded, 1), 'tcp.len')).toEqual(['90']);
  });

  it('an ICMPv6 error quoting TCP gives the raw sequence number too (tshark does; for ICMPv4 it does not)', () => {
    const original = ipv6({}, tcp({ seq: 0x11223344 }, bytes(20)));
    const frame = eth(0x86dd, ipv6({ nxt: 58 }, icmp(2, 0, be32(1280), original)));
    const layers = decodeDetail(frame, 1);
    expect([detailValues(layers, 'tcp.seq'), detailValues(layers, 'tcp.seq_raw')]).toEqual([['287454020'], ['287454020']]);
  });

  it('never throws on damaged frames of each encapsulation', () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const [frame, lt] of Object.values(frames)) {
      for (let k = 0; k < 200; k++) {
        const pkt = frame.slice(0, Math.floor(rnd() * (frame.length + 1)));
        for (let j = 0; j < 3; j++) if (pkt.length) pkt[Math.floor(rnd() * pkt.length)] = Math.floor(rnd() * 256);
        expect(() => decodeDetail(pkt, lt)).not.toThrow();
      }
    }
  });
});
