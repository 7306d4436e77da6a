/**
 * Ground truth of the real captures (../shared/captures/README.md): the black hole is found in every
 * pmtu-blackhole variant with a path-MTU bracket containing 1440 and nowhere else; refusals, resets
 * and zero-window stalls are reported exactly where the README says; clean captures have nothing
 * above 'info'. Runs over ../shared when present, and always over the copies in tests/fixtures.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport, loadCapture } from '../../src/cli/analyze';
import type { Finding } from '../../src/diagnose/index';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(repoRoot, '..', 'shared', 'captures');
const fixtures = path.resolve(repoRoot, 'tests', 'fixtures', 'diagnose');
const haveShared = existsSync(shared);

async function findingsOf(file: string): Promise<Finding[]> {
  return buildReport(await loadCapture(file), path.basename(file), { lang: 'en' }).findings;
}

function check(name: string, f: Finding[]): void {
  const kinds = (k: string) => f.filter((x) => x.kind === k);
  const blackholes = kinds('pmtu-blackhole');
  if (name.startsWith('pmtu-blackhole.')) {
    expect(blackholes.length, name).toBe(1);
    const b = blackholes[0];
    if (b.kind !== 'pmtu-blackhole') throw new Error('unreachable');
    expect(b.stream).toBe(0);
    expect(b.direction).toBe(0);
    expect(b.severity).toBe('critical');
    expect(b.pathMtu.min).toBeLessThanOrEqual(1440);
    expect(b.pathMtu.max).toBeGreaterThanOrEqual(1440);
    // The recommended MTU is one the capture guarantees (at most the true 1440); 1440 itself is a
    // candidate to probe.
    expect(b.suggestedMtu).toBe(b.pathMtu.min);
    expect(b.suggestedMtu).toBeLessThanOrEqual(1440);
    expect(b.suggestedMss).toBe(b.suggestedMtu - 40);
    expect(b.candidateMtus.map((x) => x.mtu)).toContain(1440);
    expect(b.icmpFrames).toEqual([]);
    if (name.includes('.ipip.')) expect(b.encapsulation).toEqual({ kinds: ['IPIP'], overhead: 20 });
    if (name.includes('.vxlan.')) expect(b.encapsulation?.kinds).toEqual(['VXLAN']);
    if (name.includes('.ipip.') || name.includes('.vxlan.')) {
      expect(b.outerPathMtu!.min).toBeGreaterThan(b.pathMtu.min);
      expect(b.outerPathMtu!.max - b.pathMtu.max).toBe(b.encapsulation!.overhead);
    }
    if (name.includes('server-eth0')) expect(b.evidence).toBe('receiver');
    else {
      expect(b.evidence).toBe('sender');
      expect(b.transmissions).toBe(8);
      const rto = kinds('retransmission-timeout');
      expect(rto.length).toBe(1);
      if (rto[0].kind === 'retransmission-timeout') expect(rto[0].retransmissions).toBe(7);
    }
    const expectFrames: Record<string, number[]> = {
      'pmtu-blackhole.node-any.sll2.pcap': [41, 46, 47, 48, 49, 50, 51, 52],
      'pmtu-blackhole.node-eth0-tunl0.pcapng': [40, 43, 47, 48, 49, 50, 51, 52],
    };
    const oversized = expectFrames[name] ?? (name.includes('server') ? null : [21, 24, 25, 26, 27, 28, 29, 30]);
    if (oversized) expect(b.frames.slice(0, 8)).toEqual(oversized);
  } else {
    expect(blackholes, name).toEqual([]);
  }
  if (name.startsWith('pmtu-ok.node-eth0')) {
    const ptb = kinds('icmp-ptb');
    expect(ptb.length).toBe(1);
    expect(ptb[0].severity).toBe('info');
    expect(ptb[0].frames[0]).toBe(22);
  }
  if (name.startsWith('clean-bulk') || name.startsWith('many-streams') || name.startsWith('pmtu-ok')) {
    expect(f.filter((x) => x.severity !== 'info').map((x) => x.id), name).toEqual([]);
  }
  if (name.startsWith('rst-and-refused')) {
    const summary = [...f].sort((a, b) => a.stream - b.stream).map((x) => [x.kind, x.stream, x.frames[0], x.kind === 'reset' ? x.by : x.kind === 'handshake-failure' ? x.reason : ''] as const);
    // Two refusals of the same closed port: an error; the two aborts cut a transfer and a request off.
    expect(f.map((x) => `${x.stream}:${x.severity}`).sort()).toEqual(['0:error', '1:error', '2:warning', '3:warning']);
    expect(summary).toEqual([
      ['handshake-failure', 0, 2, 'refused'],
      ['handshake-failure', 1, 4, 'refused'],
      ['reset', 2, 50, 'client'],
      ['reset', 3, 58, 'server'],
    ]);
    const mid = f.find((x) => x.stream === 2);
    if (mid?.kind === 'reset') expect(mid.context).toBe('mid-stream');
  }
  if (name.startsWith('zero-window')) {
    const z = kinds('zero-window-stall');
    expect(z.map((x) => x.frames[0])).toEqual([37, 223]);
    for (const x of z) {
      if (x.kind !== 'zero-window-stall') continue;
      expect(x.duration).toBeGreaterThan(2.8);
      expect(x.duration).toBeLessThan(3.0);
      expect(x.probes).toBe(3);
      expect(x.frames[x.frames.length - 1]).toBe(x.frames[0] === 37 ? 43 : 229);
    }
    expect(f.filter((x) => x.kind !== 'zero-window-stall')).toEqual([]);
  }
  if (name.startsWith('random-loss-sack')) {
    expect(kinds('retransmission-timeout')).toEqual([]);
    const loss = kinds('high-loss');
    expect(loss.length).toBe(1);
    if (loss[0].kind === 'high-loss') expect(loss[0].recovered).toBe(true);
  }
}

// The kinds users send (stall at capture end, spurious RTO, wide black hole, capture gaps, offload
// copies) have their own ground truth and test: diagnoseKinds.test.ts.
const OWN_TEST = /^(stall-at-end|spurious-rto|blackhole-wide|capture-gaps|offload-copies)\./;

function captures(dir: string): string[] {
  return readdirSync(dir).filter((x) => /\.(pcap|pcapng|gz)$/.test(x) && !OWN_TEST.test(x)).sort();
}

describe.skipIf(!haveShared)('diagnoses over ../shared/captures (skipped when ../shared is absent)', () => {
  for (const name of haveShared ? captures(shared) : []) {
    it(name, async () => check(name, await findingsOf(path.join(shared, name))));
  }
});

describe('diagnoses over tests/fixtures/diagnose', () => {
  for (const name of captures(fixtures)) {
    it(name, async () => check(name, await findingsOf(path.join(fixtures, name))));
  }
});
