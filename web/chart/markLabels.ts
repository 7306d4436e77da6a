/**
 * Where the SYN/FIN/RST labels go. At the end of a stream both FINs (or a FIN and a RST) land on
 * nearly the same pixel and their labels overprinted into an unreadable "FIN FIN". Marks drawn on
 * the same spot share one label ("FIN ×2", "FIN · RST"); the other labels try their preferred side
 * first, then the other sides, then a line further out, until they overlap no other label.
 * Pure arithmetic on pixels, so the unit tests check it without a browser.
 */
import type { PlotBox } from './scales';

export interface MarkPoint {
  x: number;
  y: number;
  /** "SYN", "FIN", "RST" or a combination such as "FIN+RST". */
  name: string;
  rst: boolean;
  /** The receiver's mark: its label prefers the left and below, the sender's the right and above. */
  receiver: boolean;
}

export interface LabelPart {
  text: string;
  rst: boolean;
}

export interface MarkLabel {
  /** Text anchor point and side. */
  x: number;
  y: number;
  anchor: 'start' | 'end';
  parts: LabelPart[];
  /** Indices of the marks this label names. */
  marks: number[];
}

/** Marks closer than this (pixels, each axis) are drawn on top of each other: one label names them. */
export const SAME_SPOT_PX = 5;
/** Width of a character of the labels' 10 px monospace font, a little generous. */
const CHAR_PX = 6.2;
const LINE_PX = 12;
/** Gap between the mark and its label's near edge. */
const GAP_PX = 5;
/** Rows further out a label may move before it gives up and takes its preferred place. */
const MAX_SHIFT = 4;
/** Labels at most: more could not be read anyway, and placing each is checked against the others. */
export const MAX_LABELS = 200;

/** A box in plot pixels that labels keep clear of (the selected frame's highlight). */
export interface Rect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** "FIN ×2" for the same name twice; different names in order, " · " between. */
export function labelParts(names: readonly { name: string; rst: boolean }[]): LabelPart[] {
  const order: { name: string; rst: boolean; n: number }[] = [];
  for (const m of names) {
    const seen = order.find((o) => o.name === m.name);
    if (seen) seen.n++;
    else order.push({ name: m.name, rst: m.rst, n: 1 });
  }
  return order.map((o, i) => ({ text: `${i > 0 ? ' · ' : ''}${o.name}${o.n > 1 ? ` ×${o.n}` : ''}`, rst: o.rst }));
}

/** Marks on the same spot, in drawing order; each group's first mark places the label. */
function groupBySpot(points: readonly MarkPoint[]): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const g = groups.find((gr) => Math.abs(points[gr[0]].x - p.x) <= SAME_SPOT_PX && Math.abs(points[gr[0]].y - p.y) <= SAME_SPOT_PX);
    if (g) g.push(i);
    else groups.push([i]);
  }
  return groups;
}

export function layoutMarkLabels(points: readonly MarkPoint[], box: PlotBox, avoid: readonly Rect[] = []): MarkLabel[] {
  // Boxes to keep clear of count as labels already placed.
  const placed: Rect[] = [...avoid];
  // Diamonds are obstacles too: a label over another mark hides it.
  const diamonds: Rect[] = points.map((p) => ({ x0: p.x - 4, x1: p.x + 4, y0: p.y - 4, y1: p.y + 4 }));
  const out: MarkLabel[] = [];
  for (const group of groupBySpot(points).slice(0, MAX_LABELS)) {
    const p = points[group[0]];
    const parts = labelParts(group.map((i) => points[i]));
    const width = parts.reduce((w, q) => w + q.text.length, 0) * CHAR_PX;
    // The preferred sides (as before labels could collide): receiver left and below, sender right
    // and above, each flipped where the plot edge would cut the label.
    const below = p.receiver ? p.y + 16 < box.y + box.height : p.y - 14 < box.y;
    const left = p.receiver ? p.x - GAP_PX - width > box.x : p.x + GAP_PX + width > box.x + box.width;
    // [left, below, rows further out, pixels further out sideways]
    const candidates: [boolean, boolean, number, number][] = [[left, below, 0, 0], [left, !below, 0, 0], [!left, below, 0, 0], [!left, !below, 0, 0]];
    for (let k = 1; k <= MAX_SHIFT; k++) candidates.push([left, below, k, 0], [left, !below, k, 0], [!left, below, k, 0], [!left, !below, k, 0]);
    // Beside a box to keep clear of, on the mark's line: the selected frame's box is tall, and no
    // row above or below clears it.
    for (const a of avoid) {
      const right = a.x1 + 2 - (p.x + GAP_PX), leftward = p.x - GAP_PX - (a.x0 - 2);
      if (right > 0) candidates.push([false, below, 0, right], [false, !below, 0, right]);
      if (leftward > 0) candidates.push([true, below, 0, leftward], [true, !below, 0, leftward]);
    }
    const rectOf = ([l, b, k, dx]: [boolean, boolean, number, number]): Rect & { bx: number; by: number } => {
      // Baseline: 7 px above the mark or 14 px below it (10 px text), k lines further out.
      const by = b ? p.y + 14 + k * LINE_PX : p.y - 7 - k * LINE_PX;
      const bx = l ? p.x - GAP_PX - dx : p.x + GAP_PX + dx;
      return { bx, by, x0: l ? bx - width : bx, x1: l ? bx : bx + width, y0: by - 9, y1: by + 2 };
    };
    const inside = (r: Rect) => r.x0 >= box.x && r.x1 <= box.x + box.width && r.y0 >= box.y && r.y1 <= box.y + box.height;
    const free = (r: Rect, all: boolean) =>
      !placed.some((q) => overlaps(q, r)) && (!all || !diamonds.some((d, i) => !group.includes(i) && overlaps(d, r)));
    // Best: inside the plot, clear of labels and marks; then clear of labels only; else the preferred place.
    const choice =
      candidates.find((c) => { const r = rectOf(c); return inside(r) && free(r, true); }) ??
      candidates.find((c) => { const r = rectOf(c); return inside(r) && free(r, false); }) ??
      candidates[0];
    const r = rectOf(choice);
    placed.push(r);
    out.push({ x: r.bx, y: r.by, anchor: choice[0] ? 'end' : 'start', parts, marks: group });
  }
  return out;
}
