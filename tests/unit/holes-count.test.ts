/** Distinct holes (the stream table's count): a hole that shrinks or splits is still one hole. */
import { describe, expect, it } from 'vitest';
import { HoleTracker } from '../../src/view/holes';

describe('HoleTracker.holes', () => {
  it('counts a SACK hole once while it shrinks, splits and is finally filled', () => {
    const h = new HoleTracker();
    h.onAck(0, 1, 100, []);
    h.onAck(1, 2, 100, [200, 300]); // hole [100, 200)
    expect(h.holes).toBe(1);
    h.onAck(2, 3, 100, [150, 160, 200, 300]); // split into [100,150) and [160,200)
    h.onAck(3, 4, 150, [160, 300]); // ACK advances: [150,160) remains
    expect(h.holes).toBe(1);
    h.onAck(4, 5, 300, []);
    h.onAck(5, 6, 300, [400, 500]); // a new hole [300, 400)
    expect(h.holes).toBe(2);
    expect(h.finish(6).count).toBeGreaterThan(2); // more bands drawn than holes counted
  });

  it('counts a "previous segment not captured" gap, and not again when SACK reports the same gap', () => {
    const h = new HoleTracker();
    h.onData(0, 1, 0, 100, false, -Infinity);
    h.onData(1, 2, 200, 300, true, 100); // gap [100, 200)
    expect(h.holes).toBe(1);
    h.onAck(2, 3, 100, [200, 300]);
    expect(h.holes).toBe(1);
    h.onAck(3, 4, 100, [150, 300]); // part of it filled: [100, 150) left, same hole
    expect(h.holes).toBe(1);
  });
});
