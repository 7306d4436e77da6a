import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Encap, type PacketColumns, type RowProcessor } from '../../src/decode/columns';
import { CaptureSession } from '../../src/pipeline';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'decode');
const load = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));

function feed(bytes: Uint8Array, chunk: number, processors: RowProcessor[] = []): CaptureSession {
  const s = new CaptureSession({ processors });
  for (let o = 0; o < bytes.length; o += chunk) s.push(bytes.subarray(o, o + chunk));
  s.end();
  return s;
}

describe('CaptureSession', () => {
  it('hands every row to every processor in capture order, then finishes once', () => {
    const seen: number[] = [];
    const log: string[] = [];
    const p: RowProcessor = {
      process: (cols, row) => { seen.push(row); expect(cols.length).toBe(row + 1); },
      finish: (cols: PacketColumns) => log.push(`finish ${cols.length}`),
    };
    const late: RowProcessor & { n: number } = { n: 0, process() { this.n++; } };
    const s = new CaptureSession({ processors: [p] });
    s.addProcessor(late);
    const bytes = load('pmtu-blackhole.node-eth0.pcap');
    s.push(bytes);
    s.end();
    s.end();
    expect(seen).toEqual([...Array(32).keys()]);
    expect(late.n).toBe(32);
    expect(log).toEqual(['finish 32']);
    expect([s.packets, s.format, s.bytesRead, s.interfaces.length, [...s.linkTypes]]).toEqual([32, 'pcap', bytes.length, 1, [[1, 32]]]);
    expect(() => s.addProcessor(late)).toThrow();
  });

  it('gives the same table whatever the chunk size', () => {
    const bytes = load('pmtu-blackhole.node-eth0-tunl0.pcapng');
    const a = feed(bytes, 1 << 20).columns;
    for (const chunk of [1, 7, 4096]) {
      const b = feed(bytes, chunk).columns;
      expect(b.length).toBe(a.length);
      expect([...b.seqRaw.subarray(0, b.length)]).toEqual([...a.seqRaw.subarray(0, a.length)]);
      expect([...b.iface.subarray(0, b.length)]).toEqual([...a.iface.subarray(0, a.length)]);
      expect([...b.fileOffset.subarray(0, b.length)]).toEqual([...a.fileOffset.subarray(0, a.length)]);
    }
  });

  it('records the encapsulations seen', () => {
    expect(feed(load('pmtu-blackhole.node-eth0.vxlan.pcap'), 1000).encapsSeen).toBe(Encap.Vxlan);
    expect(feed(load('pmtu-blackhole.node-eth0.ipip.pcap'), 1000).encapsSeen).toBe(Encap.Ipip);
    const sll = feed(load('pmtu-blackhole.node-any.sll2.pcap'), 1000);
    expect([sll.encapsSeen, [...sll.linkTypes]]).toEqual([0, [[276, 56]]]);
  });

  it('keeps the warnings of a damaged file and what came before the damage', () => {
    const bytes = load('pmtu-blackhole.node-eth0.pcap');
    const s = feed(bytes.subarray(0, 5000), 333);
    expect(s.packets).toBeGreaterThan(0);
    expect(s.packets).toBeLessThan(32);
    expect(s.warnings.length).toBeGreaterThan(0);
  });

  it('warns once about a link type it cannot decode', () => {
    const bytes = load('pmtu-blackhole.node-eth0.pcap').slice();
    bytes[20] = 147; // the file header's link type → a user-reserved one
    const s = feed(bytes, 1 << 16);
    expect(s.warnings.filter((w) => w.kind === 'unsupported-link-type')).toHaveLength(1);
    expect(s.packets).toBe(32);
  });
});
