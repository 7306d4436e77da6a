import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '../../src/capture/index';
import { CaptureSession } from '../../src/pipeline';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { bytes, pcapFile, type PcapRecordSpec } from './captureBuilders';

/** A pcap of `n` raw frames whose sizes follow `size(i)`. */
function capture(n: number, size: (i: number) => number): Uint8Array {
  const records: PcapRecordSpec[] = [];
  for (let i = 0; i < n; i++) records.push({ sec: i, data: bytes(size(i), i) });
  return pcapFile({ records });
}

function read(file: Uint8Array, expectedBytes?: number, chunk = 64 << 10) {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({ processors: [analyzer], createReader: (s) => createCaptureReader(s), expectedBytes });
  for (let off = 0; off < file.length; off += chunk) session.push(file.subarray(off, off + chunk));
  session.end();
  return { session, analyzer };
}

describe('packet table growth planned from the file size', () => {
  it('grows to about the final row count instead of doubling past it', () => {
    const n = 100_000;
    const file = capture(n, () => 60);
    const doubled = read(file);
    const planned = read(file, file.length);
    expect(doubled.session.packets).toBe(n);
    expect(planned.session.packets).toBe(n);
    expect(doubled.session.columns.capacity).toBe(131072);
    expect(planned.session.columns.capacity).toBeGreaterThanOrEqual(n);
    expect(planned.session.columns.capacity).toBeLessThanOrEqual(n * 1.1);
    // The analyzer's per-row results follow the table's capacity, not a doubling of their own.
    expect(planned.analyzer.out.stream.length).toBe(planned.session.columns.capacity);
  });

  it('keeps every row when the first part of the file misleads the estimate (big packets, then small ones)', () => {
    const n = 60_000;
    const file = capture(n, (i) => (i < 4_000 ? 1500 : 60));
    const planned = read(file, file.length);
    expect(planned.session.packets).toBe(n);
    expect(planned.session.columns.origLen[n - 1]).toBe(60);
    expect(planned.session.columns.origLen[0]).toBe(1500);
  });

  it('ignores a wrong size hint without losing rows', () => {
    const file = capture(20_000, () => 80);
    expect(read(file, 10).session.packets).toBe(20_000);
    expect(read(file, file.length * 100).session.packets).toBe(20_000);
  });
});
