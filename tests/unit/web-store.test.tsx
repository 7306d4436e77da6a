// @vitest-environment jsdom
/** UI store: selection rules, MTU presets, URL-state round trip, remembered language; frame-link splitting. */
import { beforeEach, describe, expect, it } from 'vitest';
import { splitFrameRefs } from '../../src/view/story';
import { interfacesText } from '../../web/components/SummaryPanel';
import { windowShowing } from '../../web/hooks/useFollowFrame';
import { createI18n } from '../../web/i18n';
import { ONE_PACKET_WIDTH, findingWindow } from '../../web/store/findingWindow';
import { inferredMtuOf } from '../../web/store/session';
import { DEFAULT_URL_STATE, LANG_STORAGE_KEY, diagnoseMtu, initialLanguage, urlStateOf, useUi } from '../../web/store/uiStore';
import type { FindingView, InferredMtu } from '../../web/worker/protocol';

beforeEach(() => {
  useUi.setState({ ...DEFAULT_URL_STATE, showKeys: false, inferredMtu: null });
  localStorage.clear();
});

describe('UI store', () => {
  it('opens a finding at its stream, direction, frame and window; Escape clears frame, then stream', () => {
    useUi.getState().openFinding({ id: 'f1', stream: 3, dir: 1, frame: 21, zoom: { t0: 0.5, t1: 2 } });
    expect(useUi.getState()).toMatchObject({ stream: 3, dir: 1, frame: 21, finding: 'f1', zoom: { t0: 0.5, t1: 2 } });
    useUi.getState().clearSelection();
    expect(useUi.getState()).toMatchObject({ stream: 3, frame: null });
    useUi.getState().clearSelection();
    expect(useUi.getState()).toMatchObject({ stream: null, finding: null, zoom: null });
  });

  it('a finding opens at its packets with a modest margin, not padded to tens of milliseconds', () => {
    // A refused connection: SYN at the capture start, RST 4.5 ms later.
    const w = findingWindow(0, 0.0045);
    expect(w).not.toBeNull();
    const { t0, t1 } = w!;
    expect(t1 - t0).toBeGreaterThan(0.0045);
    expect(t1 - t0).toBeLessThan(0.0045 * 1.3);
    // Never before the capture start: the SYN at time 0 sits on the axis, the RST off the right one.
    expect(t0).toBe(0);
    expect(t1).toBeGreaterThan(0.0045);
    // The black hole of the sample (0.914 to 14.15 s) opened at -0.41 s: the margin stops at 0.
    expect(findingWindow(0.9141, 14.15)!.t0).toBe(0);
    expect(findingWindow(5, 6)!.t0).toBeCloseTo(4.9, 12);
    // Long findings get the same share of margin.
    expect(findingWindow(10, 20)).toEqual({ t0: 9, t1: 21 });
    // Microsecond-short ones keep a margin links can carry (times are written in whole microseconds).
    const short = findingWindow(1, 1.000001)!;
    expect(1 - short.t0).toBeGreaterThanOrEqual(5e-6 - 1e-12);
  });

  it('a one-packet finding opens centred on its packet (from time 0 at the capture start); nonsense times open the whole stream', () => {
    const w = findingWindow(3.5, 3.5)!;
    expect((w.t0 + w.t1) / 2).toBeCloseTo(3.5, 12);
    expect(w.t1 - w.t0).toBeCloseTo(ONE_PACKET_WIDTH, 12);
    // At the capture start the window shows what follows the packet, never time before it.
    expect(findingWindow(0, 0)).toEqual({ t0: 0, t1: ONE_PACKET_WIDTH });
    expect(findingWindow(0.0005, 0.0005)).toEqual({ t0: 0, t1: ONE_PACKET_WIDTH });
    // Packets before the first frame (clocks of a merged capture) keep their margin.
    expect(findingWindow(-1, -1)!.t0).toBeLessThan(-1);
    expect(findingWindow(2, 1)).toBeNull();
    expect(findingWindow(NaN, 1)).toBeNull();
  });

  it('selecting another stream drops the frame; the same stream keeps it', () => {
    useUi.getState().selectStream(2);
    useUi.getState().selectFrame(7);
    useUi.getState().selectStream(2);
    expect(useUi.getState().frame).toBe(7);
    useUi.getState().selectStream(4);
    expect(useUi.getState().frame).toBeNull();
  });

  it('MTU presets and custom values, clamped', () => {
    useUi.getState().setMtuPreset('vxlan');
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'vxlan', mtu: 1450 });
    useUi.getState().setCustomMtu(100);
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'custom', mtu: 576 });
    useUi.getState().setFromUrlState({ mtu: 1420 });
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'wireguard', mtu: 1420 });
  });

  it('starts at the inferred MTU, follows what the diagnoses infer, and falls back to 1500', () => {
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'inferred', mtu: 1500 });
    expect(diagnoseMtu(useUi.getState())).toBe(0);
    useUi.getState().setInferredMtu({ min: 1359, max: 1449, source: 'blackhole' });
    expect(useUi.getState().mtu).toBe(1449);
    // A chosen preset is not overridden by a later inference, but "Inferred" brings it back.
    useUi.getState().setMtuPreset('calico');
    useUi.getState().setInferredMtu({ min: 1400, max: 1400, source: 'icmp' });
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'calico', mtu: 1440 });
    expect(diagnoseMtu(useUi.getState())).toBe(1440);
    useUi.getState().setMtuPreset('inferred');
    expect(useUi.getState().mtu).toBe(1400);
    useUi.getState().setInferredMtu(null);
    expect(useUi.getState().mtu).toBe(1500);
    // A link: a number picks its preset; "inferred" goes back to the inferred value.
    useUi.getState().setInferredMtu({ min: 1359, max: 1449, source: 'blackhole' });
    useUi.getState().setFromUrlState({ mtu: 1500 });
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'ethernet', mtu: 1500 });
    useUi.getState().setFromUrlState({ mtuPreset: 'inferred' });
    expect(useUi.getState()).toMatchObject({ mtuPreset: 'inferred', mtu: 1449 });
  });

  it('the narrowest inferred path MTU among the findings wins', () => {
    const f = (pathMtu?: InferredMtu) => ({ pathMtu }) as FindingView;
    expect(inferredMtuOf([f(), f()])).toBeNull();
    expect(inferredMtuOf([f({ min: 1359, max: 1449, source: 'blackhole' }), f({ min: 1400, max: 1400, source: 'icmp' }), f()])).toEqual({ min: 1400, max: 1400, source: 'icmp' });
  });

  it('the window that shows a frame: unchanged when shown, else panned to it at the same width', () => {
    expect(windowShowing(null, 99)).toBeNull();
    expect(windowShowing({ t0: 1, t1: 3 }, 2)).toBeNull();
    expect(windowShowing({ t0: 1, t1: 3 }, 10)).toEqual({ t0: 9, t1: 11 });
    expect(windowShowing({ t0: 5, t1: 9 }, 0.5)).toEqual({ t0: 0, t1: 4 });
  });

  it('names interfaces: pcapng names, else -i any ifindexes, else a count of unnamed ones', () => {
    const t = createI18n('en').t as unknown as (k: string, o?: Record<string, unknown>) => string;
    const ifc = (id: number, name: string | null) => ({ id, name, linkType: 1 });
    expect(interfacesText({ interfaces: [ifc(0, null)] }, t)).toBe('1 (unnamed)');
    expect(interfacesText({ interfaces: [ifc(0, 'eth0'), ifc(1, null)] }, t)).toBe('eth0, interface 2 (unnamed)');
    expect(interfacesText({ interfaces: [ifc(0, null)], sllIfIndexes: [2, 7] }, t)).toBe('ifindex 2, 7 (Linux cooked v2)');
  });

  it('URL state is plain JSON and round-trips', () => {
    useUi.getState().openFinding({ id: 'x', stream: 1, dir: 0, frame: 5, zoom: null });
    useUi.getState().setSort({ key: 'retrans', desc: true });
    const snap = JSON.parse(JSON.stringify(urlStateOf(useUi.getState())));
    useUi.setState({ ...DEFAULT_URL_STATE });
    useUi.getState().setFromUrlState(snap);
    expect(urlStateOf(useUi.getState())).toEqual(snap);
  });

  it('remembers the language', () => {
    useUi.getState().setLang('zh-CN');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('zh-CN');
    expect(initialLanguage()).toBe('zh-CN');
  });
});

describe('frame references in a story', () => {
  const frames = (text: string) => splitFrameRefs(text, 100).filter((p) => 'frame' in p).map((p) => ('frame' in p ? p.frame : 0));

  it('finds single frames, lists and ranges, in English and Chinese', () => {
    expect(frames('In frame 21, the client sent 1398 bytes')).toEqual([21]);
    expect(frames('retransmitted (frames 24-30), and frames 3, 5 and 9')).toEqual([24, 30, 3, 5, 9]);
    expect(frames('见帧 21，以及帧 24-30')).toEqual([21, 24, 30]);
    expect(frames('第 12 帧')).toEqual([12]);
  });

  it('keeps other numbers and out-of-range frames as text, and loses no character', () => {
    const text = 'packets of 1450 bytes; frame 999 is beyond; ACK 346';
    const parts = splitFrameRefs(text, 100);
    expect(parts.every((p) => !('frame' in p))).toBe(true);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    const t2 = 'frames 24-30 (7 times)';
    expect(splitFrameRefs(t2, 100).map((p) => p.text).join('')).toBe(t2);
  });
});
