import { describe, expect, it } from 'vitest';
import { DETECTORS, detectorOf } from '../../src/diagnose/detectors';
import { diagnose, type FindingKind } from '../../src/diagnose/index';
import { en } from '../../src/i18n/messages.en';
import { asymmetricNet, pawsNet, synDroppedNet } from './connFailSynth';
import { ACK, Conv, PSH, RST, SYN } from './diagnoseSynth';
import { nagleConv, windowLimitedConv } from './rateSynth';

/** Every kind of FindingKind; 'lost-between-points' is made by src/points, not by a detector. */
const KINDS: Record<FindingKind, true> = {
  'pmtu-blackhole': true, 'oversized-df': true, 'icmp-ptb': true, 'retransmission-timeout': true, reset: true,
  'handshake-failure': true, 'zero-window-stall': true, 'high-loss': true, 'lost-between-points': true,
  'dns-timeout': true, 'dns-search-expansion': true, 'dns-error': true,
  'slow-transfer': true, 'small-receive-buffer': true, 'nagle-delayed-ack': true, 'slow-start-after-idle': true,
  'idle-timeout': true, 'foreign-reset': true, 'untranslated-reply': true,
  'syn-dropped': true, 'paws-drop': true, 'asymmetric-path': true,
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

  /** Small conversations that make findings of most kinds (the cases of diagnose.test.ts). */
  const cases: Record<string, () => Pick<Conv, 'cols'>> = {
    'syn dropped': () => ({ cols: synDroppedNet().columns() }),
    paws: () => ({ cols: pawsNet().columns() }),
    'asymmetric path': () => ({ cols: asymmetricNet('unseen').columns() }),
    'black hole': () => {
      const c = new Conv();
      c.handshake();
      c.seg(0, { seq: 1, len: 100, flags: ACK | PSH });
      c.seg(1, { seq: 1, ack: 101, dt: 0.002 });
      c.seg(0, { seq: 101, len: 1398, flags: ACK | PSH, dt: 0.3 });
      c.seg(0, { seq: 1499, len: 1307, flags: ACK | PSH });
      c.seg(1, { seq: 1, ack: 101, sack: [[1499, 2806]], dt: 0.002 });
      let rto = 0.2;
      for (let k = 0; k < 5; k++) { c.seg(0, { seq: 101, len: 1398, flags: ACK | PSH, dt: rto }); rto *= 2; }
      return c;
    },
    'ICMP too big': () => {
      const c = new Conv();
      c.handshake();
      c.seg(0, { seq: 1, len: 100, flags: ACK | PSH });
      c.seg(1, { seq: 1, ack: 101, dt: 0.002 });
      c.seg(0, { seq: 101, len: 1398, flags: ACK | PSH, dt: 0.3 });
      c.icmpPtb(1440, 101, 1450);
      c.seg(0, { seq: 101, len: 1388 });
      c.seg(0, { seq: 1489, len: 10 });
      c.seg(1, { ack: 1499, dt: 0.002 });
      return c;
    },
    oversized: () => {
      const c = new Conv();
      c.handshake();
      c.seg(0, { seq: 1, len: 2896, ipLen: 2948 });
      c.seg(1, { ack: 2897, dt: 0.002 });
      return c;
    },
    refused: () => {
      const c = new Conv();
      c.seg(0, { seq: 0, flags: SYN, ack: 0 });
      c.seg(1, { seq: 0, ack: 1, flags: RST | ACK, win: 0 });
      return c;
    },
    reset: () => {
      const c = new Conv();
      c.handshake();
      c.seg(0, { seq: 1, len: 4, flags: ACK | PSH });
      c.seg(1, { seq: 1, ack: 5, len: 1000 });
      c.seg(1, { seq: 1001, ack: 5, len: 1000 });
      c.seg(0, { seq: 5, ack: 1001, flags: RST | ACK });
      return c;
    },
    'zero window': () => {
      const c = new Conv();
      c.handshake();
      c.seg(0, { seq: 1, len: 1000 });
      c.seg(1, { ack: 1001, win: 0 });
      c.seg(0, { seq: 1000, dt: 0.2 });
      c.seg(1, { ack: 1001, win: 0 });
      c.seg(1, { ack: 1001, win: 500, dt: 1.4 });
      return c;
    },
    'high loss': () => {
      const c = new Conv();
      c.handshake();
      let seq = 1;
      for (let k = 0; k < 40; k++) {
        c.seg(0, { seq, len: 1000 });
        if (k % 10 === 3) c.seg(0, { seq, len: 1000, dt: 0.01 });
        seq += 1000;
        c.seg(1, { ack: seq });
      }
      return c;
    },
    'idle timeout': () => {
      const c = new Conv();
      c.handshake();
      c.seg(0, { seq: 1, len: 4, flags: ACK | PSH });
      c.seg(1, { seq: 1, ack: 5, len: 10, flags: ACK | PSH });
      c.seg(0, { seq: 5, ack: 11 });
      c.seg(0, { seq: 5, ack: 11, len: 4, flags: ACK | PSH, dt: 400 });
      c.seg(1, { seq: 11, flags: RST, dt: 0.001 });
      return c;
    },
    'window-limited transfer': windowLimitedConv,
    'Nagle and delayed ACK': nagleConv,
  };

  it("a finding's title and summary use its detector's messages", () => {
    const seen = new Set<string>();
    for (const [name, make] of Object.entries(cases)) {
      const found = diagnose({ cols: make().cols });
      expect(found.length, name).toBeGreaterThan(0);
      for (const f of found) {
        seen.add(f.kind);
        const d = detectorOf(f.kind)!;
        for (const m of [f.title, f.summary]) expect(d.messages.some((p) => m.key.startsWith(p)), `${name}: ${f.kind}: ${m.key}`).toBe(true);
      }
    }
    // Every detector's kinds but the RTO one's (its death needs a longer conversation) are covered.
    expect(seen.size).toBeGreaterThanOrEqual(7);
  });
});
