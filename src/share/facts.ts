/**
 * The numbers behind a finding, as label/value pairs for the report and the snapshot. A finding
 * keeps its measurements as typed fields beside the common ones; every field that is a number, a
 * word, a list of numbers or a {min, max} bracket is shown, labelled from its name.
 */

/** Fields every finding has: shown elsewhere (title, text, frame list), not as numbers. */
const COMMON = new Set(['id', 'kind', 'severity', 'stream', 'direction', 'frames', 't0', 't1', 'title', 'summary', 'story', 'remedy']);

/** "outerPathMtu" → "outer path MTU": the field name is the label. */
export function labelOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((w) => (/^(mtu|mss|icmp|rst|ip|df|rto)$/i.test(w) ? w.toUpperCase() : w.toLowerCase()))
    .join(' ');
}

function show(v: unknown): string | null {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.length === 0 ? 'none' : v.map((x) => show(x)).join(', ');
  if (v && typeof v === 'object' && 'min' in v && 'max' in v) return `${show(v.min)}–${show(v.max)}`;
  return null;
}

/** A measurement as it crosses to the UI: plain data, structured-clone and JSON safe. */
export type FactValue = number | string | boolean | number[] | { min: number; max: number };

/**
 * The measurements of a finding, without its common fields and message references: what the
 * worker hands the UI so that `findingFacts` can label them there.
 */
export function findingNumbers(finding: object): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const [k, v] of Object.entries(finding)) {
    if (COMMON.has(k) || v === null || v === undefined || show(v) === null) continue;
    out[k] = Array.isArray(v) ? [...(v as number[])] : v && typeof v === 'object' ? { min: Number(v.min), max: Number(v.max) } : (v as FactValue);
  }
  return out;
}

export function findingFacts(finding: object): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(finding)) {
    if (COMMON.has(k) || v === null || v === undefined) continue;
    const s = show(v);
    if (s !== null) out.push([labelOf(k), s]);
  }
  return out;
}
