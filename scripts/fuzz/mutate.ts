/**
 * Mutations of a real capture, each aimed at a way files break in the wild or can be made to lie:
 * flipped bytes, lying record and block lengths, cuts at every kind of boundary, huge snaplen and
 * caplen, zero-length blocks, byte-order flips, inserted hostile packets, duplicated and spliced
 * ranges.
 */
import type { Prng } from '../gen/prng';
import { deepTunnelFrame, optionSoupFrame } from './craft';
import { getU32, layoutOf, putU32, type Layout } from './structure';

export type MutationKind =
  | 'flip' | 'lie-length' | 'truncate' | 'huge-snaplen' | 'zero-block' | 'endian'
  | 'deep-tunnel' | 'option-soup' | 'duplicate' | 'splice';

export const MUTATIONS: readonly MutationKind[] = [
  'flip', 'lie-length', 'truncate', 'huge-snaplen', 'zero-block', 'endian', 'deep-tunnel', 'option-soup', 'duplicate', 'splice',
];

export interface Mutated {
  bytes: Uint8Array;
  steps: string[];
  /** Set when the only change is a cut at this offset: the prefix invariant then applies. */
  cutAt: number | null;
}

const LIES = [0, 1, 4, 8, 12, 16, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffff0, 0x10000, 262145];

function insert(b: Uint8Array, at: number, piece: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + piece.length);
  out.set(b.subarray(0, at));
  out.set(piece, at);
  out.set(b.subarray(at), at + piece.length);
  return out;
}

/** A record holding `frame`, in the file's own framing. */
function recordFor(layout: Layout, frame: Uint8Array): Uint8Array {
  if (layout.format === 'pcapng') {
    const padded = (frame.length + 3) & ~3;
    const r = new Uint8Array(32 + padded);
    putU32(r, 0, 6, layout.le);
    putU32(r, 4, r.length, layout.le);
    putU32(r, 20, frame.length, layout.le);
    putU32(r, 24, frame.length, layout.le);
    r.set(frame, 28);
    putU32(r, r.length - 4, r.length, layout.le);
    return r;
  }
  const r = new Uint8Array(16 + frame.length);
  putU32(r, 8, frame.length, layout.le);
  putU32(r, 12, frame.length, layout.le);
  r.set(frame, 16);
  return r;
}

function boundary(rng: Prng, layout: Layout, b: Uint8Array): number {
  const list = layout.boundaries.filter((x) => x <= b.length);
  return list.length > 1 ? rng.pick(list.slice(1)) : rng.int(0, b.length);
}

function mutateOnce(rng: Prng, b: Uint8Array, kind: MutationKind): { bytes: Uint8Array; step: string; cutAt?: number } {
  const layout = layoutOf(b);
  switch (kind) {
    case 'flip': {
      const out = b.slice();
      const n = rng.int(1, 8);
      for (let i = 0; i < n && out.length > 0; i++) {
        const at = rng.int(0, out.length - 1);
        out[at] = rng.chance(0.5) ? out[at] ^ (1 << rng.int(0, 7)) : rng.int(0, 255);
      }
      return { bytes: out, step: `flip ${n} bytes` };
    }
    case 'lie-length':
    case 'huge-snaplen': {
      const fields = layout.lengths.filter((f) => kind === 'lie-length' || /snaplen|caplen/.test(f.what));
      if (fields.length === 0) return mutateOnce(rng, b, 'flip');
      const f = rng.pick(fields);
      const old = getU32(b, f.offset, f.le);
      const v = kind === 'huge-snaplen' ? rng.pick([0, 0xffffffff, 0x7fffffff, 0x40000000, 262145, 65536])
        : rng.chance(0.5) ? rng.pick(LIES) : (old + rng.int(-8, 8)) >>> 0;
      const out = b.slice();
      putU32(out, f.offset, v, rng.chance(0.9) ? f.le : !f.le);
      return { bytes: out, step: `${f.what} at ${f.offset}: ${old} → ${v >>> 0}` };
    }
    case 'truncate': {
      const at = rng.chance(0.7) ? Math.max(0, Math.min(b.length, boundary(rng, layout, b) + rng.pick([0, 0, -1, 1, -4, 4, -8, 8, -16, 16, rng.int(-64, 64)])))
        : rng.int(0, b.length);
      return { bytes: b.slice(0, at), step: `cut at ${at} of ${b.length}`, cutAt: at };
    }
    case 'zero-block': {
      const at = boundary(rng, layout, b);
      const piece = new Uint8Array(rng.pick([8, 12, 16]));
      if (layout.format === 'pcapng') putU32(piece, 0, rng.pick([1, 2, 3, 5, 6, 0x0a0d0d0a, 0xbad]), layout.le);
      return { bytes: insert(b, at, piece), step: `zero-length block of ${piece.length} bytes at ${at}` };
    }
    case 'endian': {
      const out = b.slice();
      const at = layout.format === 'pcapng' ? 8 : 0;
      if (rng.chance(0.5) && out.length >= at + 4) {
        // The magic (or the SHB's byte-order mark) reversed: the whole file read in the wrong order.
        out.set(b.subarray(at, at + 4).slice().reverse(), at);
        return { bytes: out, step: `byte-order mark at ${at} reversed` };
      }
      for (const f of layout.lengths) putU32(out, f.offset, getU32(b, f.offset, f.le), !f.le);
      return { bytes: out, step: 'every length field byte-swapped' };
    }
    case 'deep-tunnel': {
      const depth = rng.pick([1, 2, 3, 5, 8, 16, 32, 64, rng.int(1, 100)]);
      const at = boundary(rng, layout, b);
      return { bytes: insert(b, at, recordFor(layout, deepTunnelFrame(rng, depth))), step: `tunnel ${depth} deep at ${at}` };
    }
    case 'option-soup': {
      const at = boundary(rng, layout, b);
      return { bytes: insert(b, at, recordFor(layout, optionSoupFrame(rng))), step: `TCP option soup at ${at}` };
    }
    case 'duplicate': {
      const from = boundary(rng, layout, b);
      const len = rng.int(1, Math.min(4096, Math.max(1, b.length - from)));
      const at = boundary(rng, layout, b);
      return { bytes: insert(b, at, b.slice(from, from + len)), step: `copy ${len} bytes from ${from} to ${at}` };
    }
    case 'splice': {
      const at = rng.int(0, b.length);
      const piece = new Uint8Array(rng.int(1, 64));
      for (let i = 0; i < piece.length; i++) piece[i] = rng.int(0, 255);
      return { bytes: insert(b, at, piece), step: `${piece.length} random bytes at ${at}` };
    }
  }
}

/** One to three mutations; a lone cut keeps `cutAt` so the prefix invariant can be checked. */
export function mutate(rng: Prng, input: Uint8Array): Mutated {
  const n = rng.chance(0.6) ? 1 : rng.int(2, 3);
  let bytes = input;
  const steps: string[] = [];
  let cutAt: number | null = null;
  for (let i = 0; i < n; i++) {
    const r = mutateOnce(rng, bytes, rng.pick(MUTATIONS));
    bytes = r.bytes;
    steps.push(r.step);
    cutAt = n === 1 && r.cutAt !== undefined ? r.cutAt : null;
  }
  return { bytes, steps, cutAt };
}
