import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CaptureWarning } from '../../src/capture/types';
import { loadCapture } from '../../src/cli/analyze';
import { Anomaly } from '../../src/decode/columns';
import { caveats, renderCaveat } from '../../src/diagnose/index';
import { LANGS } from '../../src/i18n/index';
import { Conv } from './diagnoseSynth';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'diagnose');

/** Every message of a caveat, rendered in every language: no key left unrendered, no placeholder left open. */
function expectRendered(list: ReturnType<typeof caveats>): void {
  for (const c of list) {
    for (const lang of LANGS) {
      const r = renderCaveat(c, lang);
      for (const text of [r.text, ...r.details]) {
        expect(text).not.toMatch(/\{\{|caveat\./);
        expect(text.length).toBeGreaterThan(10);
      }
    }
  }
}

describe('analysis caveats', () => {
  it('a clean capture read from its start has none', async () => {
    const { input } = await loadCapture(path.join(fixtures, 'pmtu-blackhole.node-eth0.pcap'));
    expect(caveats(input)).toEqual([]);
  });

  it('names streams whose handshake was not captured, with examples', () => {
    const c = new Conv();
    c.seg(0, { seq: 1, ack: 1, len: 100 });
    c.seg(1, { seq: 1, ack: 101 });
    const [mid] = caveats({ cols: c.cols });
    expect(mid).toMatchObject({ kind: 'mid-connection', count: 1, streams: [0], frames: [1] });
    const en = renderCaveat(mid, 'en');
    expect(en.text).toContain('1 of 1 TCP connections');
    expect(en.text).toContain('window scale is unknown');
    expect(en.details[0]).toBe('stream 0: 10.0.0.1:40000 → 10.0.0.2:80, first seen at frame 1');
    expect(renderCaveat(mid, 'zh-CN').text).toContain('窗口缩放因子未知');
    expectRendered([mid]);
    const d = new Conv();
    d.handshake();
    expect(caveats({ cols: d.cols })).toEqual([]);
  });

  it('counts packets seen twice on two interfaces (-i any, Linux cooked v2) and says they count once', async () => {
    const { input } = await loadCapture(path.join(fixtures, 'pmtu-blackhole.node-any.sll2.pcap'));
    const dup = caveats(input).find((x) => x.kind === 'duplicate-capture');
    expect(dup).toBeDefined();
    expect(dup!.count).toBeGreaterThan(10);
    expect(dup!.frames.length).toBeGreaterThan(0);
    expect(renderCaveat(dup!, 'en').text).toMatch(/captured twice, at 2 capture points.*: \d+\. The diagnoses count each such packet once.*follow tshark/);
    // The count the diagnoses made, when given, is the one reported.
    expect(caveats({ ...input, copies: 7 }).find((x) => x.kind === 'duplicate-capture')!.count).toBe(7);
    expectRendered([dup!]);
  });

  it('reports drops the capturing side counted (pcapng ISB), per interface', () => {
    const c = new Conv();
    c.handshake();
    const list = caveats({ cols: c.cols, interfaces: [{ id: 0, linkType: 1, snapLen: 0, name: 'eth0', description: null, tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0, fcsLen: 0, section: 0 }], interfaceDrops: new Map([[0, 1234], [1, 0]]) });
    expect(list).toHaveLength(1);
    const r = renderCaveat(list[0], 'en');
    expect(list[0]).toMatchObject({ kind: 'capture-drops', severity: 'warning', count: 1234 });
    expect(r.text).toContain('reported dropped: 1,234. They are missing from the capture');
    expect(r.details).toEqual(['interface eth0: 1,234 dropped']);
    expectRendered(list);
  });

  it('counts decoder anomalies per kind with their first frames', () => {
    const c = new Conv();
    c.handshake();
    for (let k = 0; k < 8; k++) c.seg(0, { seq: 1, len: 10 });
    c.cols.anomalies[3] = Anomaly.BadTcpOptions;
    c.cols.anomalies[5] = Anomaly.Fragment;
    c.cols.anomalies[6] = Anomaly.Fragment | Anomaly.Truncated;
    c.cols.anomalies[7] = Anomaly.IpLenBeyondCaptured; // a short snap length is no caveat
    const list = caveats({ cols: c.cols });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'decode-anomalies', count: 3, frames: [4, 6, 7] });
    expect(renderCaveat(list[0], 'en').details).toEqual([
      'cut short before the end of their headers: 1 (frames 7)',
      'malformed TCP options, ignored from the bad one on: 1 (frames 4)',
      'IP fragments, not reassembled, so what they carry is not analysed: 2 (frames 6-7)',
    ]);
    expectRendered(list);
  });

  it('shows the reader\'s warnings with what was still read, and the memory limit in words', () => {
    const c = new Conv();
    c.handshake();
    const warnings: CaptureWarning[] = [
      { kind: 'truncated-record', offset: 5000, frame: 4, message: 'the file ends in the middle of packet 4 at byte 5,000: the capture was cut short', key: 'capture.truncatedRecord', fatal: true },
    ];
    const [w] = caveats({ cols: c.cols, warnings });
    expect(w).toMatchObject({ kind: 'reader-warnings', severity: 'warning', count: 1 });
    expect(renderCaveat(w, 'en').text).toContain('reading stopped at byte 5,000');
    expect(renderCaveat(w, 'en').text).toContain('The packets read before are analysed (3)');
    expect(renderCaveat(w, 'en').details[0]).toBe('the file ends in the middle of packet 4 at byte 5,000: the capture was cut short');
    // A sentence that does not say where gets the place added.
    const [u] = caveats({ cols: c.cols, warnings: [{ ...warnings[0], key: 'capture.somethingElse', message: 'an odd block was skipped', offset: 1870, fatal: false }] });
    expect(renderCaveat(u, 'en').details[0]).toBe('an odd block was skipped (at byte 1,870)');
    const mem: CaptureWarning = { kind: 'memory-limit', offset: 123456, frame: 4, message: '…', key: 'capture.memoryLimit', params: { packets: 3, offset: 123456, limitMb: '1,024' }, fatal: true };
    const [m] = caveats({ cols: c.cols, warnings: [mem] });
    expect(m.kind).toBe('memory-limit');
    expect(renderCaveat(m, 'en').text).toBe('Reading stopped after 3 packets at byte 123,456: the packet table reached its limit of 1,024 MB. Everything before is analysed; the rest of the file is not.');
    expect(renderCaveat(m, 'zh-CN').text).toContain('1,024 MB 的上限');
    expectRendered([w, m]);
  });
});
