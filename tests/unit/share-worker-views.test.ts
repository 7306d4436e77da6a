/**
 * What permalinks need from the worker's views: stream rows carry the handshake ISNs (a link's
 * durable stream identity) and findings carry their numbers (a snapshot's "Numbers" section).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingFacts } from '../../src/share/facts';
import { resolveStream } from '../../src/share/resolveStream';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const sample = readFileSync(path.join(repoRoot, 'public', 'samples', 'pmtu-blackhole.pcap'));

async function opened() {
  const engine = new AnalysisEngine(loadCore());
  await engine.open(new File([sample], 'pmtu-blackhole.pcap'), 0, 'en', () => undefined);
  return engine;
}

describe('worker views for permalinks', () => {
  it('stream rows expose the raw ISNs of both directions', async () => {
    const engine = await opened();
    const [row] = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 10 }).rows;
    expect(row.isn[0]).toEqual(expect.any(Number));
    expect(row.isn[1]).toEqual(expect.any(Number));
    // Structured clone (the worker boundary) keeps them.
    expect(structuredClone(row).isn).toEqual(row.isn);
    const id = { index: 0, addrA: '198.18.1.2', portA: 1, addrB: 'x', portB: 2, isn: [row.isn[0] ?? -1, row.isn[1] ?? -1] as [number, number] };
    const ref = { index: 5, a: { addr: id.addrA, port: 1 }, b: { addr: 'x', port: 2 } };
    expect(resolveStream({ ...ref, isn: [row.isn[0], row.isn[1]] }, [id])).toEqual({ ok: true, index: 0, by: 'tuple' });
    expect(resolveStream({ ...ref, isn: [(row.isn[0] ?? 0) + 1, null] }, [id])).toEqual({ ok: false, reason: 'not-found' });
  });

  it('findings carry their numbers, which label into facts', async () => {
    const engine = await opened();
    const item = engine.findings(0, 'en').findings.find((f) => f.kind === 'pmtu-blackhole');
    const hole = engine.finding(item?.id ?? '', 0, 'en').finding;
    expect(hole?.numbers?.pathMtu).toEqual({ min: expect.any(Number), max: expect.any(Number) });
    expect(hole?.numbers).toHaveProperty('mss');
    expect(hole?.numbers).not.toHaveProperty('title');
    const facts = findingFacts(structuredClone(hole?.numbers ?? {}));
    expect(facts.map(([k]) => k)).toEqual(expect.arrayContaining(['path MTU', 'MSS']));
    expect(facts.length).toBeGreaterThan(3);
  });
});
