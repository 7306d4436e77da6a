/**
 * The snapshot as it travels: compact JSON (short keys, the series' parallel columns, deltas for
 * the columns that grow steadily: time, sequence, frame), so deflate finds long runs of small
 * numbers. Times are whole microseconds. The schema is strict: unknown keys, wrong types,
 * out-of-range numbers and oversized arrays all fail.
 */
import { z } from 'zod';
import { IDENT, LONE_SURROGATE } from './fields.js';

/** Wire version of the snapshot itself (independent of the link's version). */
export const SNAPSHOT_WIRE_VERSION = 2;

/** At most this many marks per column: far more than a decimated chart window holds (a few per pixel). */
export const MAX_SNAPSHOT_POINTS = 20_000;

const int = z.int();
const nonNeg = z.int().min(0);
const u8 = z.int().min(0).max(0xff);
const u16 = z.int().min(0).max(0xffff);
const u32 = z.int().min(0).max(0xffffffff);
const bit = z.union([z.literal(0), z.literal(1)]);
const num = z.number().min(0).max(1e15);
const col = <T extends z.ZodType>(t: T) => z.array(t).max(MAX_SNAPSHOT_POINTS);

/** Plain text: no control characters other than tab and newline, and well-formed UTF-16. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const text = (max: number) =>
  z.string().max(max).refine((s) => !CONTROL.test(s) && !LONE_SURROGATE.test(s), 'control characters or broken Unicode');

const findingTextSchema = z.strictObject({
  t: text(300),
  b: z.array(text(4000)).max(40),
  r: z.array(text(4000)).max(40),
  x: z.array(z.tuple([text(200), text(400)])).max(60),
});

const findingSchema = z.strictObject({
  id: z.string().regex(IDENT),
  k: z.string().regex(IDENT),
  v: z.enum(['critical', 'error', 'warning', 'info']),
  /** Evidence frames, delta-coded. */
  f: col(int),
  t: z.strictObject({ en: findingTextSchema.optional(), 'zh-CN': findingTextSchema.optional() }),
});

/** A graph's series: time Δ (µs), value (µs for RTT, else whole bits per second or bytes), frame Δ. */
const graphSeriesSchema = z.strictObject({ t: col(int), v: col(z.int().min(0).max(Number.MAX_SAFE_INTEGER)), f: col(int) });

/**
 * The stream graph under the chart (version 2): kind, window (µs), pixels, rows in the window,
 * decimated, bins [start µs, width s], average (s), largest value (the values' unit), its series
 * and its marks (time Δ, frame Δ, SegFlag bits).
 */
const graphSchema = z.strictObject({
  k: z.enum(['throughput', 'rtt', 'window']),
  w: z.tuple([int, int]),
  p: z.int().min(1).max(16384),
  n: nonNeg,
  c: bit,
  b: z.tuple([int, num]),
  a: num,
  y: num,
  s: z.array(graphSeriesSchema).max(3),
  m: z.strictObject({ t: col(int), f: col(int), g: col(u32) }),
});

export const snapshotWireSchema = z.strictObject({
  z: z.literal(SNAPSHOT_WIRE_VERSION),
  /** Endpoints A and B as `address.port`, whether the handshake was seen, masked or not. */
  a: z.string().max(64),
  b: z.string().max(64),
  h: bit,
  x: bit,
  /** Series header: stream, dir, window (µs), pixels, path MTU, extent [t0 µs, t1 µs, seq0, seq1, win1], segments in window, decimated. */
  s: z.strictObject({
    i: z.int().min(0).max(0x7fffffff),
    d: bit,
    w: z.tuple([int, int]),
    p: z.int().min(1).max(16384),
    m: z.int().min(0).max(65535),
    e: z.tuple([int, int, int, int, int]),
    n: nonNeg,
    c: bit,
  }),
  /** Segments: time Δ, seq Δ, end − seq, frame Δ, length, IP length, flags, marks merged. */
  g: z.strictObject({ t: col(int), q: col(int), e: col(int), f: col(int), l: col(u32), i: col(u32), g: col(u32), n: col(u32) }),
  /** ACKs: time Δ, ack Δ, window (ack + window − ack), frame Δ, flags. */
  k: z.strictObject({ t: col(int), q: col(int), w: col(int), f: col(int), g: col(u16) }),
  /** SACK blocks: time Δ, left Δ, right − left, frame Δ, D-SACK. */
  sk: z.strictObject({ t: col(int), l: col(int), r: col(nonNeg), f: col(int), d: col(bit) }),
  /** Holes: time from, time to (µs), seq from, seq to, kind, still open, frame. */
  o: z.array(z.tuple([int, int, int, int, u8, bit, u32])).max(MAX_SNAPSHOT_POINTS),
  /** Connection marks: time Δ, seq Δ, kind, sent by (0 sender, 1 receiver), frame Δ. */
  m: z.strictObject({ t: col(int), q: col(int), k: col(u8), d: col(bit), f: col(int) }),
  F: findingSchema.nullable(),
  /** The stream graph shown under the chart (version 2); absent when none was. */
  G: graphSchema.optional(),
});

export type SnapshotWire = z.infer<typeof snapshotWireSchema>;
export type FindingTextWire = z.infer<typeof findingTextSchema>;
export type GraphWire = z.infer<typeof graphSchema>;
