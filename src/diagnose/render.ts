/** A finding in words, in one language of the catalogue. */
import { translate, type Lang } from '../i18n';
import type { Finding, Msg } from './types';

export interface RenderedFinding {
  title: string;
  summary: string;
  story: string[];
  remedy: string[];
}

export function renderMsg(m: Msg, lang: Lang): string {
  return translate(lang, m.key, m.params);
}

export function renderFinding(f: Finding, lang: Lang): RenderedFinding {
  return {
    title: renderMsg(f.title, lang),
    summary: renderMsg(f.summary, lang),
    story: f.story.map((m) => renderMsg(m, lang)),
    remedy: f.remedy.map((m) => renderMsg(m, lang)),
  };
}
