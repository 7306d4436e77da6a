/** A cross-point finding in words, with the names the user gave the points (not those of the match). */
import { renderFinding, type LostBetweenPointsFinding, type Msg, type RenderedFinding } from '../../src/diagnose/index';
import type { Lang } from '../../src/i18n/index';

function named(m: Msg, from: string, to: string): Msg {
  if (!m.params) return m;
  const params = { ...m.params };
  if ('from' in params) params.from = from;
  if ('to' in params) params.to = to;
  return { key: m.key, params };
}

export function renderCrossFinding(f: LostBetweenPointsFinding, names: string[], lang: Lang): RenderedFinding {
  const from = names[f.from] || f.fromName, to = names[f.to] || f.toName;
  const n = (m: Msg) => named(m, from, to);
  return renderFinding({ ...f, title: n(f.title), summary: n(f.summary), story: f.story.map(n), remedy: f.remedy.map(n) }, lang);
}
