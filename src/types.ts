/**
 * Types every layer of the core shares: the direction of a stream's data and the branded indexes
 * that cross functions. A brand is a type only (no cost at run time): it keeps a 0-based packet row
 * from being passed where a 1-based frame number is meant. The per-packet columns stay plain typed
 * arrays; the brands mark the API where rows, frames and streams meet (src/analysis.ts, the worker
 * protocol).
 */

/** Which direction of a stream: 0 = A→B (A sent the stream's first packet seen), 1 = B→A. */
export type Direction = 0 | 1;

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A packet's row in the packet columns, from 0 in capture order. */
export type Row = Brand<number, 'Row'>;
/** A packet's frame number as Wireshark shows it, from 1 (the row plus one). */
export type Frame = Brand<number, 'Frame'>;
/** A TCP stream's index, from 0 (Wireshark's tcp.stream). */
export type StreamId = Brand<number, 'StreamId'>;

/** A number known to be a 0-based row. */
export const asRow = (n: number): Row => n as Row;
/** A number known to be a 1-based frame number. */
export const asFrame = (n: number): Frame => n as Frame;
/** A number known to be a stream index. */
export const asStreamId = (n: number): StreamId => n as StreamId;
/** The frame number of a row. */
export const frameOf = (row: Row): Frame => (row + 1) as Frame;
/** The row of a frame number. */
export const rowOf = (frame: Frame): Row => (frame - 1) as Row;
/** The frame number of a row read as a plain number (from the typed columns, where rows are not branded). */
export const frameAt = (row: number): Frame => (row + 1) as Frame;
