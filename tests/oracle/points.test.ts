/**
 * Capture points against the ground truth of the real captures in ../shared/captures: every
 * scenario was captured at node eth0 (point A) and at the server (point B) at the same time, and
 * ground-truth.json lists the client packets the node dropped.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lostBetweenPoints, matchPoints } from '../../src/points/index';
import { loadPoint, natAndShift } from '../unit/pointsLoad';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = path.resolve(repoRoot, '..', 'shared', 'captures');
const exists = existsSync(path.join(dir, 'ground-truth.json'));
const truth = exists ? (JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { client_frames_seen_A_not_B?: number[] }>) : {};

async function pair(scenario: string) {
  const a = await loadPoint(path.join(dir, `${scenario}.node-eth0.pcap`), 'node eth0');
  const b = await loadPoint(path.join(dir, `${scenario}.server-eth0.pcap`), 'server eth0');
  return { a, b, r: matchPoints([a, b]) };
}

const lostAt = (r: ReturnType<typeof matchPoints>, from: number) =>
  r.pairs[0].flows.filter((x) => x.from === from).flatMap((x) => x.lost.map((i) => i + 1)).sort((x, y) => x - y);

describe.skipIf(!exists)('capture points on ../shared/captures (skipped when ../shared/captures is absent)', () => {
  for (const scenario of ['pmtu-blackhole', 'pmtu-ok', 'random-loss-sack', 'random-loss-sack-v6', 'clean-bulk', 'clean-bulk-v6', 'zero-window', 'rst-and-refused']) {
    it(`${scenario}: exactly the packets seen at A and never at B`, async () => {
      const { a, b, r } = await pair(scenario);
      const expected = truth[scenario]?.client_frames_seen_A_not_B ?? [];
      expect(lostAt(r, 0)).toEqual(expected);
      expect(lostAt(r, 1)).toEqual([]);
      expect(Math.abs(r.pairs[0].offset)).toBeLessThan(1e-3); // one clock
      for (const f of r.pairs[0].flows) expect([f.duplicated, f.unexplained, f.reordered]).toEqual([0, 0, 0]);
      const cross = lostBetweenPoints(r, [a, b]);
      expect(cross.flatMap((x) => x.frames).sort((x, y) => x - y)).toEqual(expected);
    });
  }

  it('ground truth: 19 lost (IPv4) and 11 lost (IPv6) in the random-loss captures', () => {
    expect(truth['random-loss-sack'].client_frames_seen_A_not_B).toHaveLength(19);
    expect(truth['random-loss-sack-v6'].client_frames_seen_A_not_B).toHaveLength(11);
  });

  it('random loss behind NAT with a clock 42 s off: the same 19 packets, offset within a millisecond', async () => {
    const a = await loadPoint(path.join(dir, 'random-loss-sack.node-eth0.pcap'), 'A');
    const b = await loadPoint(path.join(dir, 'random-loss-sack.server-eth0.pcap'), 'B', natAndShift('198.18.3.2', -42));
    const r = matchPoints([a, b]);
    expect(lostAt(r, 0)).toEqual(truth['random-loss-sack'].client_frames_seen_A_not_B);
    expect(Math.abs(r.pairs[0].offset + 42)).toBeLessThan(1e-3);
    const down = r.pairs[0].flows.find((x) => x.from === 0)!;
    // 5 ms of one-way delay on the wire between the points.
    expect(down.delayMin).toBeGreaterThan(0.004);
    expect(down.delayMin).toBeLessThan(0.006);
  });

  it('the nanosecond second capture of node eth0 against the server: same loss', async () => {
    const a = await loadPoint(path.join(dir, 'random-loss-sack.node-eth0.nsec.pcap'), 'A');
    const b = await loadPoint(path.join(dir, 'random-loss-sack.server-eth0.pcap'), 'B');
    expect(lostAt(matchPoints([a, b]), 0)).toEqual(truth['random-loss-sack'].client_frames_seen_A_not_B);
  });
});
