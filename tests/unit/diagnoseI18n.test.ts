import { describe, expect, it } from 'vitest';
import { catalogues, LANGS, placeholders, translate } from '../../src/i18n/index';
import { en } from '../../src/i18n/messages.en';

describe('message catalogue', () => {
  const keys = Object.keys(en).sort();
  for (const lang of LANGS) {
    it(`${lang} has every key with the same placeholders`, () => {
      const cat = catalogues[lang] as Record<string, string>;
      expect(Object.keys(cat).sort()).toEqual(keys);
      for (const k of keys) {
        expect(cat[k].trim().length, k).toBeGreaterThan(0);
        expect(placeholders(cat[k]), `${lang} ${k}`).toEqual(placeholders(en[k as keyof typeof en]));
      }
    });
  }

  it('interpolates, and translates "@key" parameters', () => {
    expect(translate('en', 'cli.pathMtu', { min: 1359, max: 1449 })).toBe('Path MTU: 1359-1449 bytes');
    expect(translate('zh-CN', 'reset.title.afterFin', { by: '@role.server', sender: 'x' })).toContain('服务端');
  });
});
