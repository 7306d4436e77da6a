/**
 * Links outlive the format that made them. Each upgrader turns the fields of version n into those
 * of version n + 1, on the raw (decoded) key/value pairs, before any validation; the chain runs from
 * the link's version to the current one. Never change an upgrader once released: add the next one.
 */

/** The version urlFromState writes. */
export const URL_VERSION = 4;
/** The oldest version still read. */
export const OLDEST_URL_VERSION = 1;

export type LinkFields = Map<string, string>;
export type Upgrader = (fields: LinkFields) => void;

/** upgraders[n] takes version n to n + 1. */
export const UPGRADERS: Readonly<Record<number, Upgrader>> = {
  /**
   * v1 was the first sketch of the format: fingerprint, stream index, time window as `t0~t1`,
   * finding id and MTU, with long field names and no check digits. v2 adds the durable stream
   * identity, direction, frame, file name and size, language, snapshot and check digits, and
   * spells the fields short.
   */
  1: (f) => {
    rename(f, 'stream', 's');
    rename(f, 'finding', 'k');
    const t = f.get('t');
    if (t !== undefined) {
      f.delete('t');
      f.set('w', t.replace('~', ','));
    }
  },
  /** v3 adds the other capture points (`p1`, `p1n`, `p1s`, `p1p`, …) and point 0's name (`p0p`); v2 fields are unchanged. */
  2: () => {},
  /** v4 adds the stream graph under the chart (`g`) and its moving average (`ga`); v3 fields are unchanged. */
  3: () => {},
};

function rename(f: LinkFields, from: string, to: string): void {
  const v = f.get(from);
  if (v === undefined) return;
  f.delete(from);
  f.set(to, v);
}

/**
 * Bring fields from `from` up to `to` using `table`; returns false when a step is missing (a
 * table with a gap is a bug, reported as an unreadable link rather than a crash).
 */
export function upgradeFields(fields: LinkFields, from: number, to = URL_VERSION, table = UPGRADERS): boolean {
  return runUpgraders(fields, from, to, table);
}

/**
 * The chain itself, for any versioned format (links here, snapshots in snapshotUpgraders.ts):
 * `table[n]` takes `value` from version n to n + 1, in place; false when a step is missing.
 */
export function runUpgraders<T>(value: T, from: number, to: number, table: Readonly<Record<number, (value: T) => void>>): boolean {
  for (let v = from; v < to; v++) {
    const step = table[v];
    if (!step) return false;
    step(value);
  }
  return true;
}
