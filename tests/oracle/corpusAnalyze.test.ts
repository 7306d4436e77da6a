/**
 * The public conformance captures in ../shared/corpus (tcpdump's test captures, many malformed on
 * purpose, and the pcapng test generator's files) through the full analysis: reader, decoder, TCP
 * analyzer, diagnoses. Each must finish without an exception, within the fuzzer's time bound, with
 * no more rows than its bytes allow, whole and in odd-sized chunks.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCapture, WHOLE } from '../../scripts/fuzz/fuzzCase';
import { Prng } from '../../scripts/gen/prng';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');
const exists = existsSync(corpus);

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng)$/.test(name)) out.push(p);
  }
  return out.sort();
}

if (!exists) console.warn(`corpusAnalyze: ${corpus} is absent; skipping the conformance corpus`);

describe.skipIf(!exists)('full analysis over the conformance corpus', () => {
  for (const group of ['tcpdump-tests', 'pcapng-test-generator']) {
    const files = captures(path.join(corpus, group));

    it(`${group}: has captures`, () => {
      expect(files.length).toBeGreaterThan(group === 'tcpdump-tests' ? 700 : 30);
    });

    it(`${group}: every capture analyses without crash or hang`, () => {
      const failures: string[] = [];
      for (const f of files) {
        const bytes = new Uint8Array(readFileSync(f));
        const name = path.relative(corpus, f);
        // Whole, then in chunks the generator picks (1 byte to 64 KiB), seeded by the file's index.
        for (const whole of [true, false]) {
          const rng = new Prng(files.indexOf(f));
          const r = whole ? checkCapture(bytes, name, rng, null, null, WHOLE) : checkCapture(bytes, name, rng, null, null);
          if (!r.ok) failures.push(`${name} (${r.description}): ${r.verdict}: ${r.message.split('\n').slice(0, 3).join(' / ')}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
