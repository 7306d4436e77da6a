import { describe, expect, it } from 'vitest';
import { DETECTORS, detectorOf } from '../../src/diagnose/detectors';
import { diagnose, type FindingKind } from '../../src/diagnose/index';
import { en } from '../../src/i18n/messages.en';
import { ACK, Conv, PSH, RST } from './diagnoseSynth';

/** Every kind of FindingKind; 'lost-between-points' is made by src/points, not by a detector. */
const KINDS: Record<FindingKind, true> = {
  'pmtu-blackhole': true, 'oversized-df': true, 'icmp-ptb': true, 'retransmission-timeout': true, reset: true,
  'handshake-failure': true, 'zero-window-stall': true, 'high-loss': true, 'lost-between-points': true,
};

describe('the detectors list (src/diagnose/detectors.ts)', () => {
  it('names each finding kind of the diagnoses once', () => {
    const listed = DETECTORS.flatMap((d) => d.kinds);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual(Object.keys(KINDS).filter((k) => k !== 'lost-between-points').sort());
    expect(detectorOf('lost-between-points')).toBeUndefined();
  });

  it("each detector's message prefixes have messages, and no two detectors share one", () => {
    const keys = Object.keys(en);
    const prefixes = DETECTORS.flatMap((d) => d.messages);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) {
      expect(p.endsWith('.'), p).toBe(true);
      expect(keys.some((k) => k.startsWith(p)), p).toBe(true);
    }
  });

  it("a finding's title and summary use its detector's messages", () => {
    const c = new Conv();
    c.handshake();
    c.seg(0, { seq: 1, len: 100, flags: ACK | PSH });
    c.seg(1, { seq: 1, ack: 101, dt: 0.002 });
    c.seg(0, { seq: 101, len: 100, flags: ACK | PSH, dt: 0.2 });
    c.seg(1, { seq: 1, ack: 101, flags: RST | ACK, dt: 0.001 });
    const found = diagnose({ cols: c.cols });
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      const d = detectorOf(f.kind)!;
      for (const m of [f.title, f.summary]) expect(d.messages.some((p) => m.key.startsWith(p)), `${f.kind}: ${m.key}`).toBe(true);
    }
  });
});
