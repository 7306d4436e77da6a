/**
 * The sentences of Wireshark's analysis rules (src/tcp/rules.ts) as i18next messages: the English
 * ones made from the core's own, each language's under the same keys (a rule id with its dots
 * replaced, since i18next reads dots as nesting), filled from the values the rule compared.
 */
import { TCP_RULES } from '../../src/tcp/index';

/** The message key of a rule id under `why.rules`: "retrans.seq-below-next" → "retrans_seq-below-next". */
export function ruleKey(id: string): string {
  return id.replace(/\./g, '_');
}

/** Every rule's English sentence, `{name}` placeholders as i18next's `{{name}}`. */
export const EN_RULES: Record<string, string> = Object.fromEntries(
  TCP_RULES.filter((r) => r.id !== 'none').map((r) => [ruleKey(r.id), r.text.replace(/\{(\w+)\}/g, '{{$1}}')]),
);
