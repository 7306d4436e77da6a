import { describe, expect, it } from 'vitest';
import { catalogues, LANGS, placeholders, translate } from '../../src/i18n/index';
import { en } from '../../src/i18n/messages.en';

/** `name` appears in `text` only as a plural selector. */
function pluralOnly(text: string, name: string): boolean {
  return !new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`).test(text);
}

describe('message catalogue', () => {
  const keys = Object.keys(en).sort();
  for (const lang of LANGS) {
    it(`${lang} has every key with the same placeholders`, () => {
      const cat = catalogues[lang] as Record<string, string>;
      expect(Object.keys(cat).sort()).toEqual(keys);
      for (const k of keys) {
        expect(cat[k].trim().length, k).toBeGreaterThan(0);
        // Every value the English text shows, the translation shows too; a name English uses only to
        // choose a plural form ({{n|one|other}}) may be absent from a language without plurals.
        const mine = placeholders(cat[k]), ref = placeholders(en[k as keyof typeof en]);
        expect(mine.filter((p) => !ref.includes(p)), `${lang} ${k}: unknown placeholders`).toEqual([]);
        expect(ref.filter((p) => !mine.includes(p) && !pluralOnly(en[k as keyof typeof en], p)), `${lang} ${k}: missing placeholders`).toEqual([]);
      }
    });
  }

  it('interpolates, and translates "@key" parameters', () => {
    expect(translate('en', 'cli.pathMtu', { min: 1359, max: 1449 })).toBe('Path MTU: 1359-1449 bytes');
    expect(translate('zh-CN', 'reset.title.afterFin', { by: '@role.server', sender: 'x' })).toContain('服务端');
  });
});
