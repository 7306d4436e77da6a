/**
 * Display filters (src/filter): the syntax with source positions, the errors (where, why, the
 * nearest names, in English and Chinese), and the evaluation's laws over a real capture (fast-check:
 * && is the intersection, || the union, ! the complement, `in` a chain of ==, the word operators
 * the symbols). tests/oracle/filterOracle.test.ts compares the selections with tshark's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/index';
import { checkFilter, FilterError, filterFieldNames, parseFilter, tokenize } from '../../src/filter/index';
import { fieldNames } from '../../src/cli/fields';

const sample = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'pmtu-blackhole.pcap')));

function analysed(): Analysis {
  const run = openAnalysis({ expectedBytes: sample.length });
  run.push(sample);
  return run.finish();
}
const a = analysed();
const frames = (row: number) => { const r = a.frameRange(row as never); return sample.subarray(r.offset, r.offset + r.length); };
const select = (f: string) => Array.from(a.filter(f, frames).rows(), (r) => r + 1);

function error(f: string): FilterError {
  try { checkFilter(f); } catch (e) { if (e instanceof FilterError) return e; throw e; }
  throw new Error(`no error for ${f}`);
}

describe('filter syntax', () => {
  it('tokens carry their offsets', () => {
    expect(tokenize('tcp.port==80 && !udp').map((t) => [t.text, t.start, t.end])).toEqual([
      ['tcp.port', 0, 8], ['==', 8, 10], ['80', 10, 12], ['&&', 13, 15], ['!', 16, 17], ['udp', 17, 20], ['', 20, 20],
    ]);
    expect(tokenize('a eq "x\\"y"')[2]).toMatchObject({ text: 'x"y', start: 5, end: 11 });
  });

  it('&& binds tighter than ||, as in Wireshark', () => {
    const t = parseFilter('tcp || udp && frame.number == 1')!;
    expect(t.type).toBe('or');
    if (t.type === 'or') expect(t.right.type).toBe('and');
  });

  it('parses sets with ranges, word operators, parentheses', () => {
    const t = parseFilter('tcp.port in {80, 8000..8080}')!;
    expect(t).toMatchObject({ type: 'in', field: 'tcp.port', items: [{ lo: { text: '80' } }, { lo: { text: '8000' }, hi: { text: '8080' } }] });
    expect(parseFilter('not (ip.src eq 1.2.3.4 or ip.dst ne 1.2.3.4)')).toMatchObject({ type: 'not', arg: { type: 'or', start: 4 } });
    expect(parseFilter('   ')).toBeNull();
  });

  it('a bad filter is underlined where it breaks, with the reason', () => {
    const cases: [string, string, number, number][] = [
      ['ip.src = 1.2.3.4', 'filter.error.singleEquals', 7, 8],
      ['tcp.port ==', 'filter.error.unexpectedEnd', 11, 11],
      ['(tcp || udp', 'filter.error.unclosedParen', 0, 1],
      ['tcp.port in {80, 443', 'filter.error.unclosedBrace', 12, 13],
      ['tcp.port == abc', 'filter.error.badValue', 12, 15],
      ['ip.addr == 10.0.0.0/33', 'filter.error.badValue', 11, 22],
      ['tcp.analysis.retransmission == 1', 'filter.error.notComparable', 0, 27],
      ['frame contains "GET', 'filter.error.unterminatedString', 15, 19],
      ['tcp.port == 80 udp', 'filter.error.unexpected', 15, 18],
      ['frame[0:2] == 00:01', 'filter.error.slice', 5, 6],
      ['tcp.port contains "x"', 'filter.error.badOperator', 18, 21],
      ['tcp.port == 09', 'filter.error.badValue', 12, 14],
      ['a $ b', 'filter.error.badChar', 2, 3],
    ];
    for (const [f, key, start, end] of cases) expect([f, error(f).key, error(f).start, error(f).end]).toEqual([f, key, start, end]);
  });

  it('an unknown name gets the nearest known ones, in English and Chinese', () => {
    const e = error('tcp.flags.sin == 1 && tcp.prot == 80');
    expect(e).toMatchObject({ key: 'filter.error.unknownField', start: 0, end: 13 });
    expect(e.suggestions.slice(0, 2).sort()).toEqual(['tcp.flags.fin', 'tcp.flags.syn']);
    expect(e.text('en')).toBe(`"tcp.flags.sin" is neither a field nor a protocol; did you mean ${e.suggestions.join(', ')}?`);
    expect(e.text('zh-CN')).toContain('既不是字段也不是协议');
    expect(e.text('zh-CN')).toContain('您是不是想输入 tcp.flags.');
    expect(error('tcp.prot == 80').suggestions).toContain('tcp.port');
    expect(error('retransmission').suggestions).toContain('tcp.analysis.retransmission');
    expect(e.underline('tcp.flags.sin == 1')).toBe('tcp.flags.sin == 1\n^^^^^^^^^^^^^');
  });

  it('knows every field the fields command prints, and the protocols', () => {
    const known = new Set(filterFieldNames());
    expect(fieldNames().filter((f) => f !== 'why' && !known.has(f))).toEqual([]);
    for (const p of ['tcp', 'udp', 'icmp', 'icmpv6', 'arp', 'dns', 'ip', 'ipv6', 'vlan', 'eth', 'frame']) expect(known.has(p)).toBe(true);
  });

  it('never fails on any text but with a FilterError inside the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      try { checkFilter(s); } catch (e) {
        expect(e).toBeInstanceOf(FilterError);
        const fe = e as FilterError;
        expect(fe.start).toBeGreaterThanOrEqual(0);
        expect(fe.end).toBeLessThanOrEqual(s.length);
        expect(fe.start).toBeLessThanOrEqual(fe.end);
      }
    }), { numRuns: 2000 });
  });
});

describe('filter evaluation', () => {
  const n = a.columns.length;

  it('matches what the capture holds', () => {
    expect(select('')).toHaveLength(n);
    expect(select('frame')).toHaveLength(n);
    expect(select('frame.number <= 3')).toEqual([1, 2, 3]);
    expect(select('tcp.flags.syn == 1 && tcp.flags.ack == 0')).toEqual([1]);
    // A flag bit is a field of every TCP packet, 0 or 1: alone, it tests presence.
    expect(select('tcp.flags.syn')).toEqual(select('tcp'));
    expect(select('tcp.flags == 0x012')).toEqual([2]);
    expect(select('tcp.port == 9090')).toEqual(select('tcp.srcport == 9090 || tcp.dstport == 9090'));
  });

  it('a missing field makes a comparison false, and its negation true', () => {
    const udp = select('udp.port == 53');
    expect(udp).toEqual([]);
    expect(select('!(udp.port == 53)')).toHaveLength(n);
    expect(select('udp.port != 53')).toEqual([]);
  });

  // Column-only leaves over this capture's values.
  const leaf = fc.oneof(
    fc.constantFrom('tcp', 'ip', 'udp', 'tcp.flags.syn == 1', 'tcp.flags.ack == 1', 'tcp.flags.push == 1', 'tcp.analysis.flags', 'tcp.analysis.retransmission'),
    fc.integer({ min: 0, max: 40 }).map((k) => `frame.number > ${k}`),
    fc.integer({ min: 0, max: 1500 }).map((k) => `tcp.len >= ${k}`),
    fc.integer({ min: 0, max: 1500 }).map((k) => `ip.len < ${k}`),
    fc.constantFrom('ip.addr == 198.18.1.2', 'ip.src == 198.18.0.0/16', 'ip.dst != 198.18.3.2', 'tcp.port in {22, 9090, 39144}', 'frame.time_relative > 0.5'),
  );
  const set = (f: string) => new Set(select(f));

  it('&& is the intersection, || the union, ! the complement; `and or not` are the same', () => {
    fc.assert(fc.property(leaf, leaf, (x, y) => {
      const sx = set(x), sy = set(y);
      expect(select(`(${x}) && (${y})`)).toEqual([...sx].filter((r) => sy.has(r)));
      expect(select(`(${x}) || (${y})`)).toEqual([...new Set([...sx, ...sy])].sort((p, q) => p - q));
      expect(select(`!(${x})`)).toEqual(Array.from({ length: n }, (_, i) => i + 1).filter((r) => !sx.has(r)));
      expect(select(`not (${x}) or (${y})`)).toEqual(select(`!(${x}) || (${y})`));
      expect(select(`!((${x}) && (${y}))`)).toEqual(select(`!(${x}) || !(${y})`));
    }), { numRuns: 60 });
  });

  it('`in` is a chain of ==', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }), (ks) => {
      expect(select(`frame.number in {${ks.join(', ')}}`)).toEqual(select(ks.map((k) => `frame.number == ${k}`).join(' || ')));
    }), { numRuns: 30 });
  });

  it('reads the frames only for what the columns cannot tell', async () => {
    expect(() => a.filter('frame contains "x"')).toThrow(FilterError);
    expect(a.filter('tcp.port == 9090').count).toBeGreaterThan(0);
    const asked: number[] = [];
    const r = await a.filterFetching('tcp.len > 1000 && frame contains 00:00', async (rows) => {
      asked.push(...rows);
      return new Map(Array.from(rows, (row) => [row, frames(row)] as const));
    });
    expect(asked).toEqual(select('tcp.len > 1000').map((f) => f - 1));
    expect(Array.from(r.rows(), (x) => x + 1)).toEqual(select('tcp.len > 1000 && frame contains 00:00'));
    expect(Array.from(r.streams())).toEqual(a.tcp.streams.map((s) => (r.rows().some((row) => a.tcp.stream[row] === s.index) ? 1 : 0)));
  });
});
