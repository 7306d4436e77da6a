import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture, CaptureSession, diagnose, TcpAnalyzer, tcp } from '../../src/index';

const sample = path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap');

describe("the core's public face (src/index.ts)", () => {
  it('reads, analyses and diagnoses the sample as its comment shows', () => {
    const analyzer = new TcpAnalyzer();
    const session = new CaptureSession({ processors: [analyzer], createReader: capture.createCaptureReader });
    const bytes = new Uint8Array(readFileSync(sample));
    for (let at = 0; at < bytes.length; at += 4096) session.push(bytes.subarray(at, at + 4096));
    session.end();
    const out = analyzer.out;
    const findings = diagnose.diagnose({ cols: session.columns, tcp: { stream: out.stream, dir: out.dir, flags: out.flags, streams: analyzer.streams } });
    expect(session.packets).toBe(32);
    expect(tcp.TCP_FLAG_NAMES).toContain('retransmission');
    expect(findings[0]).toMatchObject({ kind: 'pmtu-blackhole', stream: 0, pathMtu: { min: 1359, max: 1449 } });
    expect(diagnose.renderFinding(findings[0], 'zh-CN').title).toMatch(/[\u4e00-\u9fff]/);
  });
});
