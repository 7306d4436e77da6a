import { describe, expect, it } from 'vitest';
import { decodeDetail, detailValues, tcpFlagsText } from '../../src/decode/detail';
import { be16, be32, bytes, cat, eth, icmp, ipv4, tcp, udp } from './decodeBuilders';

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
