/** Saving and copying what the user exports: a file download, the clipboard, the chart's SVG. */

export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** True when the text reached the clipboard (it can be refused: permissions, insecure context). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Presentation properties the chart sets through CSS: inlined so the SVG looks the same on its own. */
const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linejoin', 'stroke-linecap', 'paint-order', 'letter-spacing', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display'];

/** A copy of an SVG element with its computed styles inlined. */
function inlinedCopy(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [copy, ...copy.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    dst[i].setAttribute('style', STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
  });
  return copy;
}

/**
 * A standalone copy of an SVG element, computed styles inlined; with `below` (the stream graph under
 * the chart), one picture of both, the second under the first as on the page.
 */
export function standaloneSvg(svg: SVGSVGElement, below?: SVGSVGElement | null): string {
  if (below) return stackedSvg(svg, below);
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [copy, ...copy.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    dst[i].setAttribute('style', style);
  });
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  // A white ground, so the picture reads the same in dark viewers.
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor || '#fff');
  copy.insertBefore(bg, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

function stackedSvg(top: SVGSVGElement, below: SVGSVGElement): string {
  const NS = 'http://www.w3.org/2000/svg';
  const a = top.getBoundingClientRect(), b = below.getBoundingClientRect();
  const width = Math.round(Math.max(a.width, b.width));
  // The gap between them on the page (the chart's legend and the graph's switch), kept.
  const gap = Math.max(0, Math.round(b.top - a.bottom));
  const height = Math.round(a.height + gap + b.height);
  const root = document.createElementNS(NS, 'svg');
  root.setAttribute('xmlns', NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor || '#fff');
  root.appendChild(bg);
  const parts: [SVGSVGElement, number, DOMRect][] = [[top, 0, a], [below, Math.round(a.height + gap), b]];
  parts.forEach(([el, y, r]) => {
    const copy = inlinedCopy(el);
    copy.setAttribute('x', '0');
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(Math.round(r.width)));
    copy.setAttribute('height', String(Math.round(r.height)));
    root.appendChild(copy);
  });
  return new XMLSerializer().serializeToString(root);
}

/** Rasterise an SVG text at the device's pixel ratio. */
export function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
    img.onload = () => {
      const scale = Math.max(1, Math.min(3, devicePixelRatio || 1));
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) { reject(new Error('no 2D canvas')); return; }
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the SVG could not be drawn'));
    img.src = url;
  });
}

/** The stream graph's drawing surface under the chart, if one is shown. */
export function graphSvg(root: ParentNode = document): SVGSVGElement | null {
  return root.querySelector<SVGSVGElement>('[data-testid="chart-slot"] [data-testid="stream-graph"] svg.recharts-surface, [data-testid="snapshot-chart"] [data-testid="stream-graph"] svg.recharts-surface');
}

/** The chart's drawing surface on the page, if one is shown. */
export function chartSvg(root: ParentNode = document): SVGSVGElement | null {
  return root.querySelector<SVGSVGElement>('[data-testid="chart-slot"] svg.recharts-surface, [data-testid="snapshot-chart"] svg.recharts-surface');
}
