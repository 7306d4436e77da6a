/**
 * The core's message catalogue and its formatter.
 *
 * Why not an i18next instance here: the core runs in a worker, in the CLI and in tests, and a
 * finding must render in any language on demand without global state or async init. The catalogue
 * is a plain typed object with i18next-style `{{name}}` placeholders, and this formatter is that
 * interpolation in a few lines, plus two small extensions of its own:
 *
 * - Nested messages: a string parameter of the form "@key" is itself a message key, translated
 *   first (used for role names such as "@role.client"); parameters named "<name>.<param>" are that
 *   nested message's own (a reader warning inside a caveat's sentence:
 *   `{ message: '@capture.gzip', 'message.offset': 5 }`). Lists are built this way
 *   (src/diagnose/text.ts listParams: "21, 24-30 and 40", "21、24-30 和 40").
 * - Plural forms: `{{name|one form|other form}}` renders "one form" when params[name] is 1 (the
 *   number or the string "1") and "other form" otherwise, e.g.
 *   '{{count}} {{count|transmission|transmissions}}'. The forms are plain text (no `|` or `}`).
 *   placeholders() reports `name` for it, so a language without plural forms (Chinese) simply
 *   writes `{{count}}` where English needs them.
 */
import { groupThousands } from '../capture/messages';
import { en, type MessageKey } from './messages.en';
import { zhCN } from './messages.zh-CN';

export type { MessageKey };
export { renderWarning } from './warnings';
export type Lang = 'en' | 'zh-CN';
export const LANGS: Lang[] = ['en', 'zh-CN'];

export const catalogues: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export function isLang(x: string): x is Lang {
  return (LANGS as string[]).includes(x);
}

/** `{{name}}`, or `{{name|one form|other form}}` (groups: name, one, other). */
const PLACEHOLDER = /\{\{\s*(\w+)\s*(?:\|([^|}]*)\|([^|}]*))?\}\}/g;

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = catalogues[lang][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(PLACEHOLDER, (whole, name: string, one?: string, other?: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (one !== undefined) return v === 1 || v === '1' ? one : (other as string);
    if (typeof v === 'string' && v.startsWith('@') && v.slice(1) in en) return translate(lang, v.slice(1) as MessageKey, scoped(params, name));
    if (typeof v === 'number' && COUNTS.has(name)) return groupThousands(v);
    return String(v);
  });
}

/**
 * Parameters that count things (packets, segments, bytes in flight): written with thousands
 * separators, "124,115 packets". Not the others: frame and sequence numbers, ports and MTUs are
 * written as Wireshark and the system tools show them ("frame 124115", "MTU 1449").
 */
const COUNTS = new Set([
  'count', 'packets', 'segments', 'lost', 'total', 'bigCount', 'again', 'sacks', 'holes', 'gaps', 'events',
  'delivered', 'attempts', 'probes', 'matched', 'inFlight', 'more',
  'ports', 'clients', 'unanswered', 'refused', 'refusals', 'copies', 'lostAfter', 'lostBefore', 'spurious', 'notCaptured', 'tooBig',
]);

/** The parameters of the message nested under `name`, without their "<name>." prefix. */
function scoped(params: Record<string, string | number>, name: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const prefix = `${name}.`;
  for (const k in params) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = params[k];
  return out;
}

/** Placeholder names of a message, sorted: both languages must use the same set. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}
