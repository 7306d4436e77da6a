/**
 * Snapshots outlive the format that made them, as links do (upgraders.ts): a self-contained link
 * shared today must still open after a chart mark's data changes. The snapshot's wire version (`z`,
 * SNAPSHOT_WIRE_VERSION in snapshotWire.ts) is independent of the link's. Each upgrader turns the raw
 * JSON of version n (before any validation) into that of version n + 1; the chain runs from the
 * snapshot's version to the current one, then the current schema validates the result. Never change
 * an upgrader once released: add the next one.
 *
 * Changing the wire format (a new column, a column re-coded, a mark kind renumbered):
 * 1. raise SNAPSHOT_WIRE_VERSION in snapshotWire.ts and change the schema and snapshotCodec.ts;
 * 2. add `SNAPSHOT_UPGRADERS[old]` here, filling what the old version lacks, e.g. a new segment
 *    column `x` defaulting to 0: `1: (w) => { const g = w.g as Record<string, unknown[]>; g.x = g.t.map(() => 0); }`
 *    (the chain sets `z` itself);
 * 3. keep the fixtures of tests/fixtures/share/snapshotLinks.ts: they are links made by older code
 *    and tests/unit/share-snapshot-upgrade.test.ts opens them.
 */
import { runUpgraders } from './upgraders.js';
import { SNAPSHOT_WIRE_VERSION } from './snapshotWire.js';

/** The oldest snapshot version still read. */
export const OLDEST_SNAPSHOT_VERSION = 1;

/** A snapshot's JSON as decoded, not yet validated. */
export type RawSnapshot = Record<string, unknown>;
export type SnapshotUpgrader = (raw: RawSnapshot) => void;

/** SNAPSHOT_UPGRADERS[n] takes version n to n + 1. */
export const SNAPSHOT_UPGRADERS: Readonly<Record<number, SnapshotUpgrader>> = {
  /** Version 2 adds the stream graph under the chart (`G`), optional: a version 1 snapshot has none. */
  1: () => {},
};

export type UpgradeResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Bring a decoded snapshot up to version `to`. What is not an object with an integer `z` passes
 * unchanged (the schema then says what is wrong with it); a version newer than `to`, older than
 * the oldest read, or a gap in the chain is a reason the snapshot cannot be read.
 */
export function upgradeSnapshot(json: unknown, to = SNAPSHOT_WIRE_VERSION, table = SNAPSHOT_UPGRADERS): UpgradeResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: true, value: json };
  const raw = json as RawSnapshot;
  const z = raw.z;
  if (typeof z !== 'number' || !Number.isInteger(z) || z === to) return { ok: true, value: json };
  if (z > to) return { ok: false, reason: `it was made by a newer version of Capture Inspector (snapshot format ${z}; this version reads up to ${to})` };
  if (z < OLDEST_SNAPSHOT_VERSION) return { ok: false, reason: `snapshots of format ${z} can no longer be read` };
  const steps: Record<number, SnapshotUpgrader> = {};
  for (let v = z; v < to; v++) {
    const step = table[v];
    if (step) steps[v] = (w) => { step(w); w.z = v + 1; };
  }
  if (!runUpgraders(raw, z, to, steps)) return { ok: false, reason: `snapshots of format ${z} can no longer be read` };
  return { ok: true, value: raw };
}
