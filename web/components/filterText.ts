/**
 * What the stream table's filter box holds: nothing, free text (pieces of endpoints, stream numbers,
 * as before display filters), a display filter in Wireshark's syntax, or a display filter with an
 * error. Checked here, on the UI thread, as one types: syntax and names only (src/filter's checkFilter).
 */
import { checkFilter, FilterError } from '../../src/filter/index';

export type FilterKind =
  | { kind: 'none' }
  | { kind: 'text' }
  | { kind: 'display' }
  | { kind: 'error'; error: FilterError };

/** A free-text token: a stream number ("7", "#7") or a piece of an address or port ("10.0.0", ":443", "2001:db8::1", "[::1]"). */
const FREE_TOKEN = /^#?[0-9a-f:.[\]]+$/i;

/**
 * A valid display filter is one; text that is not and holds only address-like pieces is free text
 * (what the box matched before); anything else is a display filter with an error to show.
 */
export function classifyFilter(text: string): FilterKind {
  if (text.trim() === '') return { kind: 'none' };
  try {
    checkFilter(text);
    return { kind: 'display' };
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    if (text.trim().split(/\s+/).every((t) => FREE_TOKEN.test(t))) return { kind: 'text' };
    return { kind: 'error', error: e };
  }
}
