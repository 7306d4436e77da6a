/** The rate verdict (src/diagnose/rate.ts) and its findings on synthetic conversations. */
import { describe, expect, it } from 'vitest';
import { diagnose, diagnoseCapture, type NagleFinding, type SlowStartIdleFinding, type SlowTransferFinding, type SmallReceiveBufferFinding } from '../../src/diagnose/index';
import { renderFinding } from '../../src/diagnose/render';
import { RATE_LIMITS } from '../../src/diagnose/rate';
import { idleBurstConv, nagleConv, nagleOffConv, pacedConv, senderBufferConv, windowLimitedConv } from './rateSynth';

describe('rate verdicts', () => {
  it('a transfer held to the receiver\'s window: receiver-window, a slow-transfer and a small-receive-buffer finding', () => {
    const c = windowLimitedConv();
    const { findings, streams } = diagnoseCapture({ cols: c.cols });
    const [ab, ba] = streams[0].rate;
    expect(ba).toBeNull();
    expect(ab).not.toBeNull();
    expect(ab!.dominant).toBe('receiver-window');
    expect(ab!.shares['receiver-window']).toBeGreaterThan(0.9);
    expect(ab!.bytes).toBe(400000);
    const sum = RATE_LIMITS.reduce((s, l) => s + ab!.shares[l], 0);
    expect(sum).toBeLessThanOrEqual(1);
    expect(sum).toBeGreaterThan(0.99);
    const slow = findings.find((f): f is SlowTransferFinding => f.kind === 'slow-transfer')!;
    expect(slow.severity).toBe('info');
    expect(slow.dominant).toBe('receiver-window');
    const rb = findings.find((f): f is SmallReceiveBufferFinding => f.kind === 'small-receive-buffer')!;
    expect(rb.severity).toBe('warning');
    expect(rb.window).toBe(4000);
    expect(rb.scaled).toBe(true); // both SYNs offer scaling (shift 0)
    // The advice follows from the numbers: each Mbit/s needs rtt × 125000 bytes; the window allows window × 8 / rtt.
    expect(rb.bytesPerMbit).toBe(Math.round(rb.rtt * 125000));
    expect(rb.maxMbps).toBeCloseTo((4000 * 8) / rb.rtt / 1e6, 2);
    for (const lang of ['en', 'zh-CN'] as const) {
      const r = renderFinding(rb, lang);
      expect(r.summary).toContain('4000');
      expect(renderFinding(slow, lang).summary).not.toContain('{{');
    }
  });

  it('a sender holding its flight at one level, each burst right after the ACK: sender-buffer, named with its remedy', () => {
    const { findings, streams } = diagnoseCapture({ cols: senderBufferConv().cols });
    const ab = streams[0].rate[0]!;
    expect(ab.dominant).toBe('sender-buffer');
    expect(ab.shares['sender-buffer']).toBeGreaterThan(0.7);
    expect(ab.shares['receiver-window']).toBeLessThan(0.05); // the first burst, against the SYN/ACK's window
    const slow = findings.find((f): f is SlowTransferFinding => f.kind === 'slow-transfer')!;
    expect(slow.dominant).toBe('sender-buffer');
    expect(slow.remedy.map((m) => m.key)).toEqual(['slow.remedy.senderBuffer']);
    for (const lang of ['en', 'zh-CN'] as const) {
      const r = renderFinding(slow, lang);
      expect(r.summary).toContain('20000');
      expect([r.summary, ...r.story, ...r.remedy].join(' ')).not.toContain('{{');
    }
  });

  it('a paced sender (level flight, segments on its own clock): bandwidth, no sender-buffer', () => {
    const { findings, streams } = diagnoseCapture({ cols: pacedConv().cols });
    const ab = streams[0].rate[0]!;
    expect(ab.dominant).toBe('bandwidth');
    expect(ab.shares['sender-buffer']).toBe(0);
    const slow = findings.find((f): f is SlowTransferFinding => f.kind === 'slow-transfer')!;
    for (const lang of ['en', 'zh-CN'] as const) expect(renderFinding(slow, lang).story.join(' ')).not.toContain('{{');
  });

  it('Nagle against delayed ACKs: each header waits 40 ms for its ACK before the body goes', () => {
    const found = diagnose({ cols: nagleConv().cols });
    const n = found.find((f): f is NagleFinding => f.kind === 'nagle-delayed-ack')!;
    expect(n).toBeDefined();
    expect(n.direction).toBe(0);
    expect(n.holds).toBe(6);
    expect(n.medianHold).toBeCloseTo(0.04, 3);
    expect(n.severity).toBe('warning');
    expect(renderFinding(n, 'en').summary).toContain('6 times');
    expect(renderFinding(n, 'zh-CN').title).toContain('Nagle');
  });

  it('the same requests in one piece: no Nagle finding', () => {
    expect(diagnose({ cols: nagleOffConv().cols }).filter((f) => f.kind === 'nagle-delayed-ack')).toEqual([]);
  });

  it('bursts after pauses longer than the RTO, each from 10 segments again: slow start after idle', () => {
    const f = diagnose({ cols: idleBurstConv().cols }).find((x): x is SlowStartIdleFinding => x.kind === 'slow-start-after-idle')!;
    expect(f).toBeDefined();
    expect(f.restarts).toBe(2);
    expect(f.firstRound).toBe(10000);
    expect(f.flightBefore).toBe(30000);
    expect(f.severity).toBe('info');
    expect(renderFinding(f, 'en').remedy[0]).toContain('tcp_slow_start_after_idle=0');
    expect(renderFinding(f, 'zh-CN').summary).toContain('10000');
  });

  it('a direction without data has no verdict', () => {
    const { streams } = diagnoseCapture({ cols: nagleOffConv().cols });
    expect(streams[0].rate[0]!.bytes).toBe(6 * 204);
    expect(streams[0].rate[1]!.bytes).toBe(6 * 300);
  });
});
