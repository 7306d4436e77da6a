/** Shared inputs of the share tests: a full state and the black-hole evidence snapshot. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeriesSnapshot } from '../../src/share/snapshot.js';
import type { ShareState } from '../../src/share/state.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function blackholeSnapshot(): SeriesSnapshot {
  return JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/share/pmtu-blackhole.snapshot.json'), 'utf8')) as SeriesSnapshot;
}

export function fullState(): ShareState {
  return {
    capture: { fingerprint: '0123456789abcdef0123456789abcdef', name: 'pmtu-blackhole.pcap', size: 15665 },
    stream: { index: 0, a: { addr: '198.18.1.2', port: 39144 }, b: { addr: '198.18.3.2', port: 9090 }, isn: [3735928559, 12345] },
    direction: 'a',
    window: { t0: 0.5, t1: 2.25 },
    frame: 21,
    finding: 'pmtu-blackhole.0',
    mtu: 1440,
    lang: 'zh-CN',
  };
}
