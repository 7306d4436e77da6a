/**
 * The DNS side table counts in the packet table's memory budget (maxTableBytes): a capture of DNS
 * only stops sooner than one without, and never holds more than the budget.
 */
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { PacketColumns } from '../../src/decode/columns';
import { pcapFile, type PcapRecordSpec } from './captureBuilders';
import { eth, ipv4, udp } from './decodeBuilders';
import { dnsMsg } from './packetListCapture';

function capture(n: number, dnsPort: number): Uint8Array {
  const records: PcapRecordSpec[] = [];
  for (let i = 0; i < n; i++) {
    const payload = dnsMsg({ id: i, flags: 0x0100, q: `host-${i}.some-long-search-domain.example.internal`, qtype: 1 });
    records.push({ sec: 1700000000 + i, frac: 0, data: eth(0x0800, ipv4({ proto: 17, src: '10.0.0.2', dst: '10.0.0.53' }, udp(40000 + (i % 1000), dnsPort, payload))) });
  }
  return pcapFile({ records });
}

describe('DNS table in the memory budget', () => {
  it('a DNS-only capture holds fewer rows, within the budget', () => {
    const rows = 600;
    const budget = rows * PacketColumns.bytesPerRow();
    const read = (bytes: Uint8Array) => {
      const run = openAnalysis({ maxTableBytes: budget, expectedBytes: bytes.length });
      run.push(bytes);
      return run.finish();
    };
    const other = read(capture(1000, 9999));
    expect(other.columns.length).toBe(rows);
    expect(other.columns.dns.length).toBe(0);
    const dns = read(capture(1000, 53));
    const cols = dns.columns;
    expect(cols.dns.length).toBe(cols.length);
    expect(cols.length).toBeLessThan(rows);
    expect(cols.length).toBeGreaterThan(rows / 4);
    // Within the budget, give or take the last message's name (at most 255 characters).
    expect(cols.length * PacketColumns.bytesPerRow() + cols.dns.bytes()).toBeLessThanOrEqual(budget + 2 * 255 + 40);
    expect(dns.warnings.at(-1)).toMatchObject({ kind: 'memory-limit', key: 'capture.memoryLimit', fatal: true, frame: cols.length + 1 });
  });
});
