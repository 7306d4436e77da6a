/**
 * Replays every input in tests/fixtures/fuzz/ (inputs that once broke an invariant, written there by
 * `npm run fuzz`, plus hand-made hostile captures) through the whole core, whole and in 1-byte and
 * odd-sized chunks: no exception, bounded time and rows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCapture } from '../../scripts/fuzz/fuzzCase';
import { Prng } from '../../scripts/gen/prng';
import { stateFromUrl } from '../../src/share/index';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fuzz');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bin') || f.endsWith('.url.txt')).sort() : [];

describe('fuzz regression fixtures', () => {
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const f of files) {
    it(f, () => {
      const raw = readFileSync(path.join(dir, f));
      if (f.endsWith('.url.txt')) {
        const r = stateFromUrl(raw.toString('utf8'));
        expect(typeof r.ok).toBe('boolean');
        return;
      }
      const bytes = new Uint8Array(raw);
      // Same input, several chunkings: checkCapture draws the chunking from the generator.
      for (let s = 0; s < 4; s++) {
        const r = checkCapture(bytes, f, new Prng(s), null, null);
        expect(r.ok ? 'ok' : `${r.verdict}: ${r.message}`).toBe('ok');
      }
    });
  }
});
