import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CaptureWarning } from '../../src/capture/types';
import { loadCapture } from '../../src/cli/analyze';
import { Anomaly, PacketColumns } from '../../src/decode/columns';
import { PacketDecoder } from '../../src/decode/decoder';
import { CaptureSession } from '../../src/pipeline';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { pcapFile } from './captureBuilders';
import { be16, bytes, cat, eth, ipv4, rec, tcp, udp } from './decodeBuilders';
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
    c.cols.anomalies[2] = Anomaly.Fragment; // of a datagram reassembled: no caveat
    // One datagram the decoder could not reassemble, of the fragments in rows 5 and 6.
    c.cols.fragments.incomplete = 1;
    c.cols.fragments.incompleteRows.push(5, 6);
    c.cols.anomalies[7] = Anomaly.IpLenBeyondCaptured; // a short snap length is no caveat
    const list = caveats({ cols: c.cols });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'decode-anomalies', count: 3, frames: [4, 6, 7] });
    expect(renderCaveat(list[0], 'en').details).toEqual([
      'cut short before the end of their headers: 1 (frames 7)',
      'malformed TCP options, ignored from the bad one on: 1 (frames 4)',
      'IP datagrams that could not be reassembled, a fragment missing, so what they carry is not analysed: 1, in 2 fragments (frames 6-7)',
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

  describe('packets in an encapsulation not decoded', () => {
    const inner = ipv4({}, tcp({}, bytes(10)));
    // Encapsulations decoded, carrying what is not: PPPoE with bridged Ethernet (PPP 0x0031), MPLS
    // with a payload that is neither IP nor a pseudowire.
    const pppoe = eth(0x8864, cat([0x11, 0, 0, 1, ...be16(inner.length + 2), 0, 0x31], inner), [[0x88a8, 10], [0x8100, 20]]);
    const mpls = eth(0x8847, cat([0, 0, 0x11, 64], bytes(40, 0x51)));
    const arp = eth(0x0806, bytes(28));
    const decoded = eth(0x0800, ipv4({}, tcp({ flags: 0x02 }))); // a SYN: no mid-connection caveat beside

    function table(frames: [Uint8Array, number?][]): PacketColumns {
      const cols = new PacketColumns(16);
      const dec = new PacketDecoder(cols);
      for (const [f, lt] of frames) dec.decode(rec(f, lt ?? 1));
      dec.finish();
      return cols;
    }

    it('with TCP decoded beside them: how many, of what kind, most first, in both languages', () => {
      const cols = table([[decoded], [pppoe], [mpls], [pppoe], [arp], [pppoe], [decoded]]);
      // (The two identical TCP packets are also a capture duplicate: that caveat is not the subject.)
      const c = caveats({ cols }).find((x) => x.kind === 'decode-anomalies')!;
      expect(c).toMatchObject({ kind: 'decode-anomalies', severity: 'warning', count: 4, frames: [2, 3, 4, 6] });
      const en = renderCaveat(c, 'en');
      expect(en.text).toBe('Packets in an encapsulation or tunnel this tool does not decode: 4 of 7 (by kind below). They are listed, but what they carry, TCP included, is not analysed.');
      expect(en.details).toEqual([
        'ethertype 0x8864 PPPoE session, network layer not decoded: 3 (frames 2, 4 and 6)',
        'ethertype 0x8847 MPLS, network layer not decoded: 1 (frames 3)',
      ]);
      const zh = renderCaveat(c, 'zh-CN');
      expect(zh.text).toContain('7 个包中有 4 个采用本工具不解码的封装');
      expect(zh.details[0]).toBe('以太网类型 0x8864 PPPoE session，网络层未解码：3 个（帧 2、4 和 6）');
      expectRendered([c]);
    });

    it('with no TCP or UDP decoded at all, says the analysis found nothing because it could not see inside', () => {
      const cols = table([[arp], [pppoe], [pppoe], [arp]]);
      const [c] = caveats({ cols });
      expect(c).toMatchObject({ kind: 'decode-anomalies', severity: 'warning', count: 2, frames: [2, 3] });
      const en = renderCaveat(c, 'en');
      expect(en.text).toMatch(/^No TCP or UDP traffic could be analysed: 2 of the 4 packets are in an encapsulation or tunnel this tool does not decode.*The analysis found nothing because it could not see inside them/);
      expect(renderCaveat(c, 'zh-CN').text).toContain('看不到这些包的内部');
      // A GTP-U carrier is UDP, but not traffic the analysis could read (here what it carries is not IP).
      const gtp = eth(0x0800, ipv4({ proto: 17 }, udp(2152, 2152, cat([0x30, 0xff, ...be16(40), 0, 0, 0, 7], bytes(40, 0x71)))));
      const [g] = caveats({ cols: table([[gtp], [gtp]]) });
      expect(renderCaveat(g, 'en').text).toMatch(/^No TCP or UDP traffic could be analysed: 2 of the 2 packets/);
      expect(renderCaveat(g, 'en').details).toEqual(['tunnel in UDP port 2152 GTP-U, not peeled: 2 (frames 1-2)']);
      expectRendered([c, g]);
    });

    it('ordinary traffic without IP, alone, is no caveat', () => {
      expect(caveats({ cols: table([[arp], [eth(0x88cc, bytes(40))], [decoded]]) })).toEqual([]);
      expect(caveats({ cols: table([[arp], [arp]]) })).toEqual([]);
    });

    it('beside damaged packets: both counted, the encapsulations first', () => {
      const frag = eth(0x0800, ipv4({ mf: true }, bytes(40)));
      const cols = table([[decoded], [frag], [mpls], [bytes(40), 9], [decoded]]);
      const c = caveats({ cols }).find((x) => x.kind === 'decode-anomalies')!;
      expect(c).toMatchObject({ count: 3, frames: [2, 3, 4] });
      const en = renderCaveat(c, 'en');
      expect(en.text).toMatch(/^Packets that could not be fully decoded: 3, of which 2 are in an encapsulation this tool does not decode/);
      expect(en.details).toEqual([
        'link type 9 PPP, not decoded: 1 (frames 4)',
        'ethertype 0x8847 MPLS, network layer not decoded: 1 (frames 3)',
        'IP datagrams that could not be reassembled, a fragment missing, so what they carry is not analysed: 1, in 1 fragment (frames 2)',
      ]);
      expectRendered([c]);
    });

    it('many kinds: the largest named, the rest summed up as other', () => {
      const frames: [Uint8Array][] = [[decoded]];
      for (let k = 0; k < 12; k++) for (let j = 0; j <= k; j++) frames.push([eth(0x7000 + k, bytes(40))]);
      const [c] = caveats({ cols: table(frames) });
      const d = renderCaveat(c, 'en').details;
      expect(d).toHaveLength(8);
      expect(d[0]).toMatch(/^ethertype 0x700b, network layer not decoded: 12 \(frames /);
      expect(d[7]).toMatch(/^other encapsulations not decoded: 15 \(frames 2-6\)$/); // 1 + 2 + 3 + 4 + 5 packets
      expectRendered([c]);
    });

    it('through the whole pipeline: a PPPoE capture read by CaptureSession', () => {
      const file = pcapFile({ records: [pppoe, arp, pppoe, mpls].map((data, k) => ({ sec: 1_700_000_000 + k, data })) });
      const analyzer = new TcpAnalyzer();
      const s = new CaptureSession({ processors: [analyzer] });
      s.push(file);
      s.end();
      const list = caveats({ cols: s.columns, tcp: { stream: analyzer.out.stream, dir: analyzer.out.dir, flags: analyzer.out.flags, streams: analyzer.streams } });
      expect(list.map((c) => c.kind)).toEqual(['decode-anomalies']);
      expect(renderCaveat(list[0], 'en').details).toEqual([
        'ethertype 0x8864 PPPoE session, network layer not decoded: 2 (frames 1 and 3)',
        'ethertype 0x8847 MPLS, network layer not decoded: 1 (frames 4)',
      ]);
      // A row the table drops again (memory refused while processing it) is not counted either.
      let seen = 0;
      const failing = { process() { if (++seen === 3) throw new RangeError('Array buffer allocation failed'); } };
      const t = new CaptureSession({ processors: [failing] });
      t.push(file);
      t.end();
      expect([t.packets, t.columns.notDecoded.total, [...t.columns.notDecoded.counts.values()]]).toEqual([2, 1, [1]]);
    });
  });
});
