import { describe, expect, it } from 'vitest';
import { stateFromUrl } from '../../src/share/codec.js';
import { decodeSnapshot } from '../../src/share/snapshotCodec.js';
import { OLDEST_SNAPSHOT_VERSION, upgradeSnapshot, type SnapshotUpgrader } from '../../src/share/snapshotUpgraders.js';
import { SNAPSHOT_WIRE_VERSION } from '../../src/share/snapshotWire.js';
import { HoleKind } from '../../src/view/holes';
import { AckFlag, MarkKind, SegFlag } from '../../src/view/seriesTypes';
import { LINK_V3_WITH_SNAPSHOT_V1, SNAPSHOT_V1 } from '../fixtures/share/snapshotLinks.js';

describe('snapshots made by older code still open', () => {
  it('a version 1 snapshot decodes into the black-hole evidence', () => {
    const r = decodeSnapshot(SNAPSHOT_V1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect(s.finding?.kind).toBe('pmtu-blackhole');
    expect(s.stream.a).toEqual({ addr: '198.18.1.2', port: 39144 });
    expect(s.series.segCount).toBeGreaterThan(0);
    expect(s.series.segFrame.length).toBe(s.series.segCount);
    expect(s.series.ackCount).toBeGreaterThan(0);
    expect(s.series.markCount).toBe(s.series.markKind.length);
    expect(s.finding?.text.en?.title).toMatch(/black hole/i);
  });

  it('a link with a version 1 snapshot opens with its snapshot', () => {
    const r = stateFromUrl(LINK_V3_WITH_SNAPSHOT_V1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.snapshot?.finding?.kind).toBe('pmtu-blackhole');
    expect(r.state.stream?.index).toBe(0);
  });
});

describe('the snapshot upgrader chain', () => {
  const v1 = () => ({ z: 1, g: { t: [1, 2, 3] } });

  it('runs each step from the snapshot version to the current one, setting the version', () => {
    // A made-up version 3 whose segments gained a column `x`, and whose `g.t` was renamed `g.u`.
    const table: Record<number, SnapshotUpgrader> = {
      1: (w) => { const g = w.g as Record<string, unknown[]>; g.x = g.t.map(() => 0); },
      2: (w) => { const g = w.g as Record<string, unknown[]>; g.u = g.t; delete g.t; },
    };
    const r = upgradeSnapshot(v1(), 3, table);
    expect(r).toEqual({ ok: true, value: { z: 3, g: { u: [1, 2, 3], x: [0, 0, 0] } } });
  });

  it('leaves a current snapshot, and anything not versioned, to the schema', () => {
    expect(upgradeSnapshot({ z: SNAPSHOT_WIRE_VERSION, a: 1 })).toEqual({ ok: true, value: { z: SNAPSHOT_WIRE_VERSION, a: 1 } });
    expect(upgradeSnapshot(null)).toEqual({ ok: true, value: null });
    expect(upgradeSnapshot({ z: 'one' })).toEqual({ ok: true, value: { z: 'one' } });
  });

  it('refuses a newer version, one older than the oldest read, and a gap in the chain', () => {
    const newer = upgradeSnapshot({ z: SNAPSHOT_WIRE_VERSION + 1 });
    expect(!newer.ok && newer.reason).toMatch(/newer version/);
    expect(upgradeSnapshot({ z: OLDEST_SNAPSHOT_VERSION - 1 }).ok).toBe(false);
    expect(upgradeSnapshot(v1(), 3, { 1: () => {} }).ok).toBe(false);
  });
});

describe('the mark values a version 1 snapshot carries keep their meaning', () => {
  it('segment flags, ACK flags, connection marks and hole kinds', () => {
    expect([
      SegFlag.Retransmission, SegFlag.FastRetransmission, SegFlag.SpuriousRetransmission, SegFlag.OutOfOrder, SegFlag.LostSegment,
      SegFlag.Oversized, SegFlag.Df, SegFlag.Syn, SegFlag.Fin, SegFlag.Rst, SegFlag.Psh, SegFlag.KeepAlive, SegFlag.ZeroWindowProbe,
      SegFlag.WindowFull, SegFlag.Envelope, SegFlag.Copy, SegFlag.Offload,
    ]).toEqual(Array.from({ length: 17 }, (_, i) => 1 << i));
    expect([AckFlag.DuplicateAck, AckFlag.ZeroWindow, AckFlag.AckLostSegment, AckFlag.WindowUpdate, AckFlag.Sack, AckFlag.Before])
      .toEqual([1, 2, 4, 8, 16, 32]);
    expect([MarkKind.Syn, MarkKind.Fin, MarkKind.Rst]).toEqual([1, 2, 4]);
    expect([HoleKind.Sack, HoleKind.Uncaptured]).toEqual([1, 2]);
  });
});
