/**
 * A filter that cannot be compiled: where (offsets into the filter's text, `end` exclusive, to
 * underline), why (a message key of the core's catalogue with its parameters, rendered in any
 * language), and, for an unknown name, the nearest known field names.
 */
import { translate, type Lang, type MessageKey } from '../i18n/index';
import { filterMessages, type FilterMessageKey } from './messages';

export class FilterError extends Error {
  /** Nearest known field names (for an unknown name), best first. */
  suggestions: string[] = [];

  constructor(
    readonly key: FilterMessageKey,
    readonly start: number,
    readonly end: number,
    readonly params: Record<string, string | number> = {},
  ) {
    super(render(key, params));
    this.name = 'FilterError';
  }

  /** The reason in `lang`, with the suggestions when there are some. */
  text(lang: Lang = 'en'): string {
    const main = translate(lang, this.key as MessageKey, this.params);
    if (!this.suggestions.length) return main;
    const names = this.suggestions.join(', ');
    return `${main}${lang === 'zh-CN' ? '；' : '; '}${translate(lang, 'filter.error.didYouMean', { names })}`;
  }

  /** The filter's text with a caret line under the offending part (for a terminal). */
  underline(src: string): string {
    const w = Math.max(1, this.end - this.start);
    return `${src}\n${' '.repeat(this.start)}${'^'.repeat(w)}`;
  }
}

function render(key: FilterMessageKey, params: Record<string, string | number>): string {
  return filterMessages[key].replace(/\{\{(\w+)\}\}/g, (w, name: string) => {
    const v = params[name];
    if (v === undefined) return w;
    if (typeof v === 'string' && v.startsWith('@') && v.slice(1) in filterMessages) return filterMessages[v.slice(1) as FilterMessageKey];
    return String(v);
  });
}

/** Levenshtein distance, with a cap: past `max` the exact figure does not matter. */
export function editDistance(a: string, b: string, max = 99): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = cur[0];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Known names nearest to `name`: by edit distance (at most a third of the name, at least 2), a name
 * that contains it or shares its last part as a fallback; at most `count`.
 */
export function nearestNames(name: string, known: Iterable<string>, count = 3): string[] {
  const max = Math.max(2, Math.floor(name.length / 3));
  const scored: { n: string; d: number }[] = [];
  const last = name.split('.').pop() ?? name;
  for (const k of known) {
    let d = editDistance(name, k, max);
    if (d > max) {
      if (name.length >= 3 && k.includes(name)) d = max + 1;
      else if (last.length >= 3 && k.endsWith('.' + last)) d = max + 2;
      else continue;
    }
    scored.push({ n: k, d });
  }
  scored.sort((x, y) => x.d - y.d || x.n.length - y.n.length || (x.n < y.n ? -1 : 1));
  return scored.slice(0, count).map((s) => s.n);
}
