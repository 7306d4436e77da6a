/**
 * The snapshot as it travels: compact JSON (short keys, parallel columns, deltas for the columns
 * that grow steadily: frame, time, sequence), so deflate finds long runs of small numbers. The
 * schema is strict: unknown keys, wrong types, out-of-range numbers and oversized arrays all fail.
 */
import { z } from 'zod';
import { IDENT, LONE_SURROGATE } from './fields.js';

/** Wire version of the snapshot itself (independent of the link's version). */
export const SNAPSHOT_WIRE_VERSION = 1;

/** At most this many segments and this many ACKs: far more than a chart window needs after decimation. */
export const MAX_SNAPSHOT_POINTS = 20_000;
export const MAX_SNAPSHOT_HOLES = 2_000;
const MAX_SACK_BLOCKS = 4; // TCP option space allows at most 4 SACK blocks per segment

const int = z.int();
const nonNeg = z.int().min(0);
const col = <T extends z.ZodType>(t: T) => z.array(t).max(MAX_SNAPSHOT_POINTS);

/** Plain text: no control characters other than tab and newline, and well-formed UTF-16. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const text = (max: number) =>
  z.string().max(max).refine((s) => !CONTROL.test(s) && !LONE_SURROGATE.test(s), 'control characters or broken Unicode');

const findingTextSchema = z.strictObject({
  t: text(300),
  b: z.array(text(4000)).max(40),
  x: z.array(z.tuple([text(200), text(400)])).max(60),
});

const findingSchema = z.strictObject({
  id: z.string().regex(IDENT),
  k: z.string().regex(IDENT),
  v: z.enum(['error', 'warning', 'info']),
  /** Evidence frames, delta-coded. */
  f: z.array(int).max(MAX_SNAPSHOT_POINTS),
  t: z.strictObject({ en: findingTextSchema.optional(), 'zh-CN': findingTextSchema.optional() }),
});

export const snapshotWireSchema = z.strictObject({
  z: z.literal(SNAPSHOT_WIRE_VERSION),
  i: nonNeg,
  a: z.string().max(64),
  b: z.string().max(64),
  h: z.union([z.literal(0), z.literal(1)]),
  d: z.enum(['a', 'b']),
  x: z.union([z.literal(0), z.literal(1)]),
  /** Window [t0, t1] in microseconds since the capture's first frame. */
  w: z.tuple([int, int]),
  m: z.int().min(68).max(65535).nullable(),
  /** Segments: frame Δ, time Δ µs, seq Δ, len, analysis flags, TCP flags, IP length, DF. */
  s: z.strictObject({
    f: col(int), t: col(int), q: col(int), l: col(nonNeg), g: col(nonNeg), c: col(z.int().min(0).max(0x1ff)),
    n: col(z.int().min(0).max(0xffffffff)), df: col(z.union([z.literal(0), z.literal(1)])),
  }),
  /** ACKs: frame Δ, time Δ µs, ack Δ, window, analysis flags, SACK block count. */
  k: z.strictObject({
    f: col(int), t: col(int), a: col(int), w: col(nonNeg), g: col(nonNeg), n: col(z.int().min(0).max(MAX_SACK_BLOCKS)),
    /** SACK blocks, flattened: left − ack, right − left. */
    sl: z.array(int).max(MAX_SNAPSHOT_POINTS * MAX_SACK_BLOCKS),
    sw: z.array(nonNeg).max(MAX_SNAPSHOT_POINTS * MAX_SACK_BLOCKS),
  }),
  /** Holes: [t0 µs, t1 µs, left, right]. */
  o: z.array(z.tuple([int, int, int, int])).max(MAX_SNAPSHOT_HOLES),
  F: findingSchema.nullable(),
});

export type SnapshotWire = z.infer<typeof snapshotWireSchema>;
export type FindingTextWire = z.infer<typeof findingTextSchema>;
