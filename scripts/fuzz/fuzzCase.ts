/**
 * One fuzz case, fully determined by (seed, case number): pick a seed capture, mutate it, feed it
 * through the whole core in random chunk sizes, and check the invariants. No node: imports, so the
 * unit test runs the same code.
 */
import { createCaptureReader } from '../../src/capture/index';
import { stateFromUrl, urlFromState } from '../../src/share/index';
import type { ShareState } from '../../src/share/state';
import { analyzeBytes } from '../harness/fullAnalysis';
import { Prng } from '../gen/prng';
import { mutate } from './mutate';

export interface SeedInput {
  name: string;
  bytes: Uint8Array;
  /** Records as read from the unmutated input (for the prefix invariant); null when not clean. */
  records: RecordKey[] | null;
}

export interface RecordKey {
  fileOffset: number;
  capLen: number;
  tsSec: number;
  tsNsec: number;
}

export interface CaseResult {
  ok: boolean;
  /** exception | slow | too-many-rows | prefix | bad-evidence (failures), or 'ok'. */
  verdict: string;
  message: string;
  description: string;
  input: Uint8Array | string;
  ms: number;
}

/** Generous: a case must finish within 1 s plus 1 µs per input byte (≥ 1 MB/s even on a busy box). */
export function timeBoundMs(bytes: number): number {
  return 1000 + bytes / 1000;
}

export function caseRng(seed: number, caseNo: number): Prng {
  return new Prng((Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(caseNo, 0x165667b1)) >>> 0);
}

/** The records a clean input yields, through the reader alone. */
export function readRecords(bytes: Uint8Array): RecordKey[] | null {
  const out: RecordKey[] = [];
  let clean = true;
  const reader = createCaptureReader({
    onRecord(r) { out.push({ fileOffset: r.fileOffset, capLen: r.capturedLength, tsSec: r.tsSec, tsNsec: r.tsNsec }); },
    onWarning() { clean = false; },
  });
  reader.push(bytes);
  reader.end();
  return clean && !(bytes[0] === 0x1f && bytes[1] === 0x8b) ? out : null;
}

export const WHOLE = { next: () => 1 << 30, text: 'whole' };

function chunker(rng: Prng): { next: () => number; text: string } {
  const mode = rng.int(0, 4);
  switch (mode) {
    case 0: return WHOLE;
    case 1: { const n = rng.int(1, 16); return { next: () => n, text: `chunks of ${n}` }; }
    case 2: return { next: () => rng.int(1, 64), text: 'random chunks 1..64' };
    case 3: return { next: () => rng.int(1, 4096), text: 'random chunks 1..4096' };
    default: return { next: () => (rng.chance(0.5) ? 1 : rng.int(1, 65536)), text: 'mixed 1-byte and large chunks' };
  }
}

function fail(verdict: string, message: string, description: string, input: Uint8Array | string, ms: number): CaseResult {
  return { ok: false, verdict, message, description, input, ms };
}

/** Check a mutated capture against every invariant. */
export function checkCapture(bytes: Uint8Array, description: string, rng: Prng, original: SeedInput | null, cutAt: number | null,
  chunks: { next: () => number; text: string } = chunker(rng)): CaseResult {
  const desc = `${description}; ${chunks.text}`;
  const t0 = performance.now();
  let outcome;
  try {
    outcome = analyzeBytes(bytes, 'analyze', chunks.next);
  } catch (e) {
    return fail('exception', (e as Error).stack ?? String(e), desc, bytes, performance.now() - t0);
  }
  const ms = performance.now() - t0;
  if (ms > timeBoundMs(bytes.length)) {
    return fail('slow', `${ms.toFixed(0)} ms for ${bytes.length} bytes (bound ${timeBoundMs(bytes.length).toFixed(0)} ms)`, desc, bytes, ms);
  }
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  // Memory stays proportional to the input: no record is smaller than a 16-byte pcap record header.
  if (!gz && outcome.packets > bytes.length / 16 + 1) {
    return fail('too-many-rows', `${outcome.packets} rows from ${bytes.length} bytes`, desc, bytes, ms);
  }
  for (const f of outcome.findings) {
    if (f.frames.some((x) => !Number.isInteger(x) || x < 0 || x > outcome.packets)) {
      return fail('bad-evidence', `finding ${f.id} cites frames ${f.frames.slice(0, 8).join(',')} of ${outcome.packets}`, desc, bytes, ms);
    }
  }
  if (original?.records && cutAt !== null && outcome.columns) {
    // Every record that ended before the cut must be there, unchanged, in order.
    const recs = original.records;
    const cols = outcome.columns;
    for (let i = 0; i < recs.length; i++) {
      const end = i + 1 < recs.length ? recs[i + 1].fileOffset : original.bytes.length;
      if (end > cutAt) break;
      const r = recs[i];
      if (i >= cols.length || cols.fileOffset[i] !== r.fileOffset || cols.capLen[i] !== r.capLen || cols.tsSec[i] !== r.tsSec || cols.tsNsec[i] !== r.tsNsec) {
        return fail('prefix', `record ${i + 1} (ends at ${end}, before the cut at ${cutAt}) is missing or changed; ${cols.length} rows read`, desc, bytes, ms);
      }
    }
  }
  return { ok: true, verdict: 'ok', message: '', description: desc, input: bytes, ms };
}

const SAMPLE_STATE: ShareState = {
  capture: { fingerprint: '0123456789abcdef0123456789abcdef', name: 'capture.pcap', size: 15665 },
  stream: { index: 3, a: { addr: '198.18.1.2', port: 39144 }, b: { addr: '2001:2::2', port: 443 }, isn: [3735928559, 12345] },
  direction: 'a', window: { t0: 0.5, t1: 2.25 }, frame: 21, finding: 'pmtu-blackhole.0', mtu: 1440, lang: 'zh-CN',
};

const URL_CHARS = '#&=v.-_~%0123456789abcdefABCDEF:,;/?!*()\' \u00e9\u4e2d\ud83d\ude00\u0000\uffff';

/** A random or mutated permalink fragment through stateFromUrl: it must answer, never throw. */
export function checkUrl(rng: Prng): CaseResult {
  let text: string;
  const mode = rng.int(0, 3);
  if (mode === 0) {
    const n = rng.chance(0.02) ? rng.int(10_000, 200_000) : rng.int(0, 300);
    text = '';
    for (let i = 0; i < n; i++) text += URL_CHARS[rng.int(0, URL_CHARS.length - 1)];
  } else {
    const state: ShareState = { ...SAMPLE_STATE, frame: rng.int(1, 1e6), mtu: rng.int(68, 65535) };
    const chars = [...urlFromState(state)];
    const edits = rng.int(1, mode === 1 ? 3 : 30);
    for (let i = 0; i < edits && chars.length > 0; i++) {
      const at = rng.int(0, chars.length - 1);
      const op = rng.int(0, 2);
      if (op === 0) chars[at] = URL_CHARS[rng.int(0, URL_CHARS.length - 1)];
      else if (op === 1) chars.splice(at, 1);
      else chars.splice(at, 0, chars.slice(at, at + rng.int(1, 40)).join(''));
    }
    text = chars.join('');
  }
  const t0 = performance.now();
  try {
    const r = stateFromUrl(text);
    if (typeof r !== 'object' || r === null || typeof r.ok !== 'boolean') return fail('exception', 'stateFromUrl returned no result', 'permalink', text, 0);
  } catch (e) {
    return fail('exception', (e as Error).stack ?? String(e), 'permalink', text, performance.now() - t0);
  }
  const ms = performance.now() - t0;
  if (ms > timeBoundMs(text.length)) return fail('slow', `${ms.toFixed(0)} ms for ${text.length} chars`, 'permalink', text, ms);
  return { ok: true, verdict: 'ok', message: '', description: 'permalink', input: text, ms };
}

/** Case `caseNo` of the run seeded `seed`. */
export function runCase(seeds: SeedInput[], seed: number, caseNo: number): CaseResult {
  const rng = caseRng(seed, caseNo);
  if (rng.chance(0.05)) return checkUrl(rng);
  // Half the picks from the TCP captures (not the mostly non-TCP conformance corpus), so the
  // analyzer and the diagnoses see as much damage as the readers do.
  const tcpRich = seeds.filter((x) => !x.name.includes('corpus'));
  const input = rng.chance(0.5) && tcpRich.length > 0 ? rng.pick(tcpRich) : rng.pick(seeds);
  let m: ReturnType<typeof mutate>;
  try {
    m = mutate(rng, input.bytes);
  } catch (e) {
    // A bug of the fuzzer itself: reported under its own verdict, and the run goes on.
    return fail('mutator', (e as Error).stack ?? String(e), input.name, input.bytes, 0);
  }
  return checkCapture(m.bytes, `${input.name}: ${m.steps.join('; ')}`, rng, input, m.cutAt);
}
