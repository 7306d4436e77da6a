/**
 * Linear scales from data to pixels for the plot area recharts laid out. Our own rather than the
 * axis hooks' so that values outside the domain still map (marks are clipped, not dropped).
 */
export interface PlotBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Scales {
  x(t: number): number;
  y(seq: number): number;
  /** Pixel → time. */
  tAt(px: number): number;
  /** Pixel → sequence number. */
  seqAt(py: number): number;
}

export function makeScales(box: PlotBox, xDomain: readonly [number, number], yDomain: readonly [number, number]): Scales {
  const [t0, t1] = xDomain, [s0, s1] = yDomain;
  const kx = box.width / (t1 - t0 || 1), ky = box.height / (s1 - s0 || 1);
  const bottom = box.y + box.height;
  return {
    x: (t) => box.x + (t - t0) * kx,
    y: (s) => bottom - (s - s0) * ky,
    tAt: (px) => t0 + (px - box.x) / kx,
    seqAt: (py) => s0 + (bottom - py) / ky,
  };
}

/** Keep a pixel coordinate within a band around the plot, so huge values do not overflow SVG. */
export function clampPx(v: number, lo: number, hi: number): number {
  return v < lo - 1e4 ? lo - 1e4 : v > hi + 1e4 ? hi + 1e4 : v;
}
