/**
 * One hand-built frame per encapsulation the decoders peel on the way to IP (PPPoE, MPLS, GTP-U,
 * ERSPAN, PBB, FabricPath, E-Tag, VN-Tag, Aruba's 802.11 in GRE, AYIYA, Teredo, and the link types
 * FDDI, Cisco HDLC, NFLOG, 802.11, radiotap), for decode.test.ts and decodeDetail.test.ts. Each
 * carries INNER (or INNER6) unless its name says otherwise.
 */
import { be16, be32, bytes, cat, eth, ipv4, ipv6, tcp, udp } from './decodeBuilders';

/** TCP seq 5, 100 bytes of payload, in an IPv4 packet of 140 bytes (id 7, DF). */
export const INNER = ipv4({ src: '192.168.0.1', dst: '192.168.0.2', df: true, id: 7 }, tcp({ seq: 5 }, bytes(100)));
export const INNER6 = ipv6({ src: 'fd00::1', dst: 'fd00::2' }, tcp({ seq: 6 }, bytes(100)));

const snap = (type: number, payload: Uint8Array) => cat([0xaa, 0xaa, 0x03, 0, 0, 0, ...be16(type)], payload);
const macs = [2, 0, 0, 0, 0, 0xc1, 2, 0, 0, 0, 0, 0xc2];
const mac3 = [2, 0, 0, 0, 0, 0xc3];

export const pppoe = (proto: number, payload: Uint8Array, len = payload.length + 2) =>
  cat([0x11, 0x00, ...be16(0x0f07), ...be16(len), ...be16(proto)], payload);

/** MPLS label stack entries; the last one has the bottom-of-stack bit. */
export const labels = (...ls: number[]) => ls.flatMap((l, k) => be32((l << 12) | (k === ls.length - 1 ? 0x100 : 0) | 64));

/** An outer IPv4 + UDP packet from port `sport` to `dport`. */
export const overUdp = (sport: number, dport: number, payload: Uint8Array) =>
  eth(0x0800, ipv4({ src: '10.9.0.1', dst: '10.9.0.2', proto: 17 }, udp(sport, dport, payload)));

/** An outer IPv4 + GRE packet (flags byte `flags`, protocol `proto`, then `rest` and the payload). */
export const overGre = (flags: number, proto: number, rest: number[], payload: Uint8Array) =>
  eth(0x0800, ipv4({ src: '10.9.0.1', dst: '10.9.0.2', proto: 47 }, cat([flags, 0, ...be16(proto), ...rest], payload)));

/** GTPv1-U G-PDU, flags `flags` (0x30 plain; 0x32 with a sequence number; 0x34 with extension headers). */
export function gtp(flags: number, payload: Uint8Array, ext: number[] = []): Uint8Array {
  const opt = (flags & 7) !== 0 ? [0, 9, 0, ext.length ? 0x85 : 0, ...ext] : [];
  return cat([flags, 0xff, ...be16(opt.length + payload.length), ...be32(0x1234)], opt, payload);
}

/** An 802.11 QoS data frame to the DS (`flags` the second frame-control byte), `qos` its QoS control. */
export const wlanQos = (flags: number, payload: Uint8Array, qos = [0, 0]) =>
  cat([0x88, flags, 0, 0, ...macs, ...mac3, 0x10, 0x00, ...qos], payload);

/** An 802.11 data frame (not QoS) from the DS. */
export const wlanData = (payload: Uint8Array) => cat([0x08, 0x02, 0, 0, ...macs, ...mac3, 0x20, 0x00], payload);

/** Frames with their link type, by name. */
export function encapFrames(): Record<string, [frame: Uint8Array, linkType: number]> {
  const e = (f: Uint8Array): [Uint8Array, number] => [f, 1];
  // NFLOG TLV headers are in the logging host's order: little-endian.
  const tlv = (len: number, type: number) => [len & 255, len >> 8, type, 0];
  const nflog = cat([2, 0, 0, 1], tlv(8, 1), [0x08, 0x00, 3, 0], tlv(5, 10), [0, 0, 0, 0], tlv(INNER.length + 4, 9), INNER);
  return {
    pppoeQinq: e(eth(0x8864, pppoe(0x0021, INNER), [[0x88a8, 10], [0x8100, 20]])),
    pppoe6: e(eth(0x8864, pppoe(0x0057, INNER6))),
    mpls: e(eth(0x8847, cat(labels(100, 200), INNER))),
    mplsMulticast6: e(eth(0x8848, cat(labels(300), INNER6))),
    // A control word, then real-looking MACs (tshark tells a control word by the MACs' vendors).
    mplsPseudowire: e(eth(0x8847, cat(labels(16), be32(0), [0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0, 0x1b, 0x21, 0xdd, 0xee, 0xff], be16(0x0800), INNER))),
    mplsPseudowireNoCw: e(eth(0x8847, cat(labels(16), [0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0, 0x1b, 0x21, 0xdd, 0xee, 0xff], be16(0x0800), INNER))),
    gtp: e(overUdp(2152, 2152, gtp(0x30, INNER))),
    gtpSeq6: e(overUdp(5906, 2152, gtp(0x32, INNER6))),
    gtpExt: e(overUdp(2152, 2152, gtp(0x34, INNER, [1, 0x10, 0x00, 0xc0, 2, 1, 2, 3, 4, 5, 6, 0]))),
    greInUdp: e(overUdp(40987, 4754, cat([0, 0, ...be16(0x0800)], INNER))),
    erspan1: e(overGre(0x00, 0x88be, [], eth(0x0800, INNER))),
    erspan2: e(overGre(0x10, 0x88be, be32(9), cat([0x10, 0x14, 0, 1, 0, 0, 0, 0], eth(0x0800, INNER)))),
    erspan3: e(overGre(0x10, 0x22eb, be32(9), cat([0x20, 0x14, 0, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x01], bytes(8, 0), eth(0x0800, INNER, [[0x8100, 30]])))),
    pbb: e(eth(0x88e7, cat([0, 0, 0x01, 0x00], macs, be16(0x8100), be16(40), be16(0x0800), INNER), [[0x88a8, 5]])),
    fabricPath: e(cat(eth(0x8903, cat([0x00, 0x3f], macs, be16(0x0800), INNER)), be32(0xdeadbeef))),
    eTag: e(eth(0x893f, cat([0, 0, 0x10, 0x01, 0, 0], be16(0x0800), INNER))),
    vnTag: e(eth(0x8926, cat([0x80, 0x01, 0x00, 0x02], be16(0x8100), be16(7), be16(0x0800), INNER))),
    aruba: e(overGre(0x00, 0x8200, [], wlanQos(0x01, snap(0x0800, INNER)))),
    arubaAmsdu: e(overGre(0x00, 0x8240, [], wlanQos(0x02, cat(macs, be16(INNER.length + 8), snap(0x0800, INNER)), [0x80, 0]))),
    ayiya: e(overUdp(40000, 5072, cat([0x41, 0x52, 0x11, 41], be32(0), bytes(16, 0), bytes(20, 0), INNER6))),
    teredo: e(overUdp(3544, 40000, cat([0, 1, 2, 3, 9, 9, 8, 8, 8], bytes(8, 0), [0], [0, 0, ...be16(0xffff ^ 3797), 0xff ^ 10, 0xff, 0xff, 0xfe], INNER6))),
    fddi: [cat([0x50], macs, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], INNER), 10],
    ciscoHdlc: [cat([0x0f, 0x00, 0x08, 0x00], INNER), 104],
    nflog: [nflog, 239],
    wlan: [wlanData(snap(0x0800, INNER)), 105],
    wlan4Addr: [cat([0x08, 0x03, 0, 0, ...macs, ...mac3, 0x20, 0x00, ...mac3], snap(0x86dd, INNER6)), 105],
    // Radiotap with TSFT (8 bytes, 8-aligned) and flags (FCS at end), then a frame and its FCS.
    radiotapFcs: [cat([0, 0, 18, 0, 0x03, 0, 0, 0], bytes(8, 0), [0x10, 0], wlanData(snap(0x0800, INNER)), be32(0x01020304)), 127],
  };
}
