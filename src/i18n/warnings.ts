/**
 * The reader's warnings in any language. A CaptureWarning keeps its English `message` (logs, JSON,
 * tests) and the key and parameters it was made from; these render the key in the reader's
 * language instead. Numbers are grouped as in the English message; the phrases the reader puts into
 * parameters (what a non-capture file is, what to do) are translated through their keys; a
 * "more warnings like this one" warning names its first warning in the same language.
 */
import { capturePhrases, groupThousands } from '../capture/messages';
import type { CaptureWarning } from '../capture/types';
import { en, type MessageKey } from './messages.en';
import { placeholders, translate, type Lang } from './index';

/** What rendering needs of a warning (the worker's WarningView has it too). */
export type WarningLike = Pick<CaptureWarning, 'key' | 'message'> & { params?: Readonly<Record<string, string | number>> };

const PHRASE_KEYS = new Map<string, string>(Object.entries(capturePhrases).map(([key, text]) => [text, key]));

/**
 * The warning as a message key and translate()-ready parameters, or null when its key is not in
 * the catalogue or a parameter its text needs is missing: then only its English message exists.
 * `all` (the capture's warnings) lets "N more warnings like this one" find the warning it names.
 */
export function warningMsg(w: WarningLike, all: readonly WarningLike[] = []): { key: MessageKey; params: Record<string, string> } | null {
  if (!w.key.startsWith('capture.') || !(w.key in en)) return null;
  const key = w.key as MessageKey;
  const params: Record<string, string> = {};
  for (const [name, v] of Object.entries(w.params ?? {})) {
    const phrase = typeof v === 'string' ? PHRASE_KEYS.get(v) : undefined;
    params[name] = typeof v === 'number' ? groupThousands(v) : phrase ? `@${phrase}` : v;
  }
  if (key === 'capture.suppressed') {
    const first = all.find((x) => x !== w && x.key !== key && x.message === params.first);
    const inner = first ? warningMsg(first) : null;
    if (inner) Object.assign(params, warningParams('first', inner));
  }
  if (placeholders(en[key]).some((p) => !(p in params))) return null;
  return { key, params };
}

/** A rendered warning as the parameter `name` of another message: "@key" plus its own "<name>.*" parameters. */
export function warningParams(name: string, m: { key: MessageKey; params: Record<string, string> } | null, english = ''): Record<string, string> {
  if (!m) return { [name]: english };
  const out: Record<string, string> = { [name]: `@${m.key}` };
  for (const [k, v] of Object.entries(m.params)) out[`${name}.${k}`] = v;
  return out;
}

/** The warning in `lang`; its English message when it cannot be rendered from its key. */
export function renderWarning(w: WarningLike, lang: Lang, all: readonly WarningLike[] = []): string {
  const m = warningMsg(w, all);
  return m ? translate(lang, m.key, m.params) : w.message;
}
