/**
 * Where a stream opened from the stream table looks first: the direction that carries the data, over
 * the time the data moved, computed by the worker (the row's dataDir and dataSpan) and turned into a
 * window by the UI; "Reset zoom" (zoom null) still shows the whole stream. Captures are built here:
 * one whose data goes B→A, one whose transfer is followed by keep-alives and a FIN a minute later.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { streamDataSpans, streamRow } from '../../src/view/rows';
import { FINDING_MARGIN, streamOpening } from '../../web/store/findingWindow';
import { DEFAULT_URL_STATE, useUi } from '../../web/store/uiStore';
import { loadCore } from '../../web/worker/core';
import { AnalysisEngine } from '../../web/worker/engine';
import type { StreamRowView } from '../../web/worker/protocol';
import { Conversation } from './tcpBuilder';

/** A request over HTTP-like traffic: A asks (100 bytes), B answers with ten 1000-byte segments. */
function download(): Conversation {
  const c = new Conversation().handshake({ wsA: 7, wsB: 7 });
  c.tcp('A', { len: 100, win: 502, t: 0.02 });
  c.tcp('B', { ack: 101, win: 510, t: 0.05 });
  for (let k = 0; k < 10; k++) {
    c.tcp('B', { len: 1000, win: 510, t: 0.1 + k * 0.05 });
    if (k % 2 === 1) c.tcp('A', { win: 502, t: 0.1 + k * 0.05 + 0.001 });
  }
  // Both close at once, right after the transfer.
  c.tcp('A', { flags: 'FA', win: 502, t: 0.6 });
  c.tcp('B', { flags: 'FA', win: 510, t: 0.601 });
  c.tcp('A', { win: 502, t: 0.602 });
  return c;
}

/**
 * An upload from A (0.02 to 1.02 s), then the connection idles: a Linux keep-alive (no payload), a
 * one-byte keep-alive as Windows sends them (a byte below the next sequence number, 1 byte), each
 * answered, and a FIN two minutes after the transfer.
 */
function uploadThenIdle(): Conversation {
  const c = new Conversation().handshake({ wsA: 7, wsB: 7 });
  for (let k = 0; k <= 20; k++) {
    c.tcp('A', { len: 1200, win: 502, t: 0.02 + k * 0.05 });
    c.tcp('B', { win: 510, t: 0.02 + k * 0.05 + 0.002 });
  }
  const next = 1 + 21 * 1200;
  c.tcp('A', { seq: next - 1, len: 0, win: 502, t: 60 });
  c.tcp('B', { ack: next, win: 510, t: 60.001 });
  c.tcp('A', { seq: next - 1, len: 1, win: 502, t: 90 });
  c.tcp('B', { ack: next, win: 510, t: 90.001 });
  c.tcp('A', { seq: next, flags: 'FA', win: 502, t: 121 });
  c.tcp('B', { flags: 'FA', win: 510, t: 121.001 });
  c.tcp('A', { seq: next + 1, win: 502, t: 121.002 });
  return c;
}

/** The conversation through the worker's engine, as the app reads a file: its stream row. */
async function opened(c: Conversation): Promise<{ engine: AnalysisEngine; row: StreamRowView }> {
  const engine = new AnalysisEngine(loadCore());
  await engine.open(new File([new Uint8Array(c.toPcap())], 'built.pcap'), 1500, 'en', () => undefined);
  const { rows } = engine.streams({ type: 'streams', sort: { key: 'index', desc: false }, filter: '', problemsOnly: false, from: 0, count: 10 });
  expect(rows).toHaveLength(1);
  return { engine, row: rows[0] };
}

/** Time of the first packet: the capture's time 0, as the chart counts. */
const first = (c: Conversation) => c.packets[0].tSec;

beforeEach(() => {
  useUi.setState({ ...DEFAULT_URL_STATE, showKeys: false, inferredMtu: null });
});

describe('a stream opened from the stream table', () => {
  it('opens on B→A when B carries the data, over the time the data moved', async () => {
    const c = download();
    const { engine, row } = await opened(c);
    expect(row.dataDir).toBe(1);
    const t = first(c);
    expect(row.dataSpan![0]).toBeCloseTo(0.1 - t, 9);
    expect(row.dataSpan![1]).toBeCloseTo(0.55 - t, 9);

    useUi.getState().openStream(streamOpening(row));
    const ui = useUi.getState();
    expect(ui).toMatchObject({ stream: 0, dir: 1, frame: null, finding: null });
    const pad = (0.55 - 0.1) * FINDING_MARGIN;
    expect(ui.zoom!.t0).toBeCloseTo(0.1 - t - pad, 9);
    expect(ui.zoom!.t1).toBeCloseTo(0.55 - t + pad, 9);

    // The chart of that window draws B's ten segments, every one.
    const s = engine.streamSeries({ type: 'streamSeries', stream: 0, dir: 1, t0: ui.zoom!.t0, t1: ui.zoom!.t1, pixels: 800, mtu: 1500 }).series;
    expect(s.segmentsInWindow).toBe(10);
  });

  it('is not stretched by keep-alives and a FIN long after the transfer; Reset shows the whole stream', async () => {
    const c = uploadThenIdle();
    const { engine, row } = await opened(c);
    expect(row.dataDir).toBe(0);
    const t = first(c);
    // The first and the last 1200-byte segment: neither keep-alive (the 1-byte one included) nor the FIN.
    expect(row.dataSpan![0]).toBeCloseTo(0.02 - t, 9);
    expect(row.dataSpan![1]).toBeCloseTo(1.02 - t, 9);
    expect(row.duration).toBeGreaterThan(120);

    useUi.getState().openStream(streamOpening(row));
    const { zoom, dir } = useUi.getState();
    expect(dir).toBe(0);
    // Never before the capture start, however big the margin.
    expect(zoom!.t0).toBe(0);
    expect(zoom!.t1).toBeCloseTo(1.02 - t + (1.02 - 0.02) * FINDING_MARGIN, 9);
    const inWindow = engine.streamSeries({ type: 'streamSeries', stream: 0, dir: 0, t0: zoom!.t0, t1: zoom!.t1, pixels: 800, mtu: 1500 }).series;
    // The 21 data segments, and the SYN just before them.
    expect(inWindow.segmentsInWindow).toBe(22);

    // "Reset zoom": no window, the whole stream up to the FIN two minutes later.
    useUi.getState().setZoom(null);
    const whole = engine.streamSeries({ type: 'streamSeries', stream: 0, dir: 0, t0: NaN, t1: NaN, pixels: 800, mtu: 1500 }).series;
    expect(whole.extent.t1).toBeCloseTo(121.002 - t, 6);
  });

  it('a stream without data opens on A→B over the whole stream', () => {
    const c = new Conversation().tcp('A', { flags: 'S', seq: 0, t: 0 }).tcp('B', { flags: 'RA', seq: 0, ack: 1, t: 0.0045 });
    const { cols, tcp } = c.analyze();
    const spans = streamDataSpans(cols, tcp.out, tcp.streams.length);
    const row = streamRow(tcp.streams[0], cols, cols.time(0), undefined, { retrans: 0, holes: 0 }, spans);
    expect(row).toMatchObject({ dataDir: 0, dataSpan: null });
    expect(streamOpening(row)).toEqual({ stream: 0, dir: 0, zoom: null });
  });

  it('on a tie the data direction is A→B; each direction keeps its own span', () => {
    const c = new Conversation().handshake();
    c.tcp('A', { len: 500, t: 1 }).tcp('B', { len: 500, t: 2 }).tcp('A', { len: 0, t: 3 });
    const { cols, tcp } = c.analyze();
    const spans = streamDataSpans(cols, tcp.out, tcp.streams.length);
    const t = first(c);
    expect([...spans].map((x) => Number(x.toFixed(6)))).toEqual([1 - t, 1 - t, 2 - t, 2 - t].map((x) => Number(x.toFixed(6))));
    expect(streamRow(tcp.streams[0], cols, cols.time(0), undefined, { retrans: 0, holes: 0 }, spans).dataDir).toBe(0);
  });
});
