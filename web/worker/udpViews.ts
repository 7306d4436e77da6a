/**
 * The worker's UDP conversation list (src/view/udp.ts): pages of the list in any order, filtered by
 * free text or by a display filter (the conversations having a matching packet, the filter run once
 * and its frames re-read from the File), and one conversation's timeline.
 */
import { asRow, type Analysis } from '../../src/index';
import { selectUdpConversations, udpConversationRow, udpTimeline, type UdpTimeline } from '../../src/view/index';
import { readRanges } from './readRange';
import type { Request, ResultMap } from './protocol';

type Req<T extends Request['type']> = Extract<Request, { type: T }>;

const MAX_PAGE = 5000;

export class UdpViews {
  private order: { key: string; list: Uint32Array } | null = null;
  private mask: { filter: string; mask: Uint8Array | null; error?: string } | null = null;
  private run: { filter: string; done: Promise<NonNullable<UdpViews['mask']>> } | null = null;

  constructor(private readonly analysis: Analysis, private readonly file: Blob, private readonly compressed: boolean) {}

  async page(r: Req<'udpConversations'>): Promise<ResultMap['udpConversations']> {
    const a = this.analysis;
    const u = a.udp();
    const display = r.display?.trim() ?? '';
    const m = display ? await this.filtered(display) : null;
    const key = JSON.stringify([r.sort, r.filter, display]);
    if (this.order?.key !== key) this.order = { key, list: selectUdpConversations(a.columns, u, { sort: r.sort, filter: r.filter, mask: m?.mask }) };
    const list = this.order.list;
    const from = Math.max(0, Math.min(r.from, list.length));
    const count = Math.max(0, Math.min(r.count, MAX_PAGE));
    const rows = Array.from(list.subarray(from, from + count), (c) => udpConversationRow(a.columns, u, c));
    return { total: list.length, all: u.count, rows, ...(m?.error ? { filterError: m.error } : {}) };
  }

  /** The conversations having a packet the display filter selects (pages asked meanwhile wait for the same run). */
  private async filtered(display: string): Promise<NonNullable<UdpViews['mask']>> {
    if (this.mask?.filter === display) return this.mask;
    if (this.run?.filter !== display) {
      const a = this.analysis;
      const done = (async () => {
        try {
          const res = await a.filterFetching(display, async (rows) => {
            const list = Array.from(rows);
            const got = await readRanges(this.file, list.map((x) => a.frameRange(asRow(x))), this.compressed);
            return new Map(list.map((x, k) => [x, got[k]]));
          });
          const u = a.udp(), mask = new Uint8Array(u.count);
          for (let row = 0; row < res.mask.length; row++) if (res.mask[row] && u.stream[row] >= 0) mask[u.stream[row]] = 1;
          return { filter: display, mask };
        } catch (e) {
          return { filter: display, mask: null, error: e instanceof Error ? e.message : String(e) };
        }
      })();
      this.run = { filter: display, done };
    }
    const m = await this.run.done;
    this.mask = m;
    return m;
  }

  /** A conversation's line and timeline; null for no such conversation. */
  conversation(c: number, pixels: number): { row: ReturnType<typeof udpConversationRow>; timeline: UdpTimeline } | null {
    const a = this.analysis;
    const u = a.udp();
    const timeline = udpTimeline(a.columns, u, c, Math.max(1, Math.min(4096, Math.floor(pixels) || 1)));
    return timeline ? { row: udpConversationRow(a.columns, u, c), timeline } : null;
  }

  /** The frames of conversation c (1-based), for the findings that cite them. */
  frames(c: number): Set<number> | null {
    const u = this.analysis.udp();
    if (!(Number.isInteger(c) && c >= 0 && c < u.count)) return null;
    return new Set(Array.from(u.rows.subarray(u.offsets[c], u.offsets[c + 1]), (r) => r + 1));
  }
}
