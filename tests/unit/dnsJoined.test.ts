/**
 * DNS messages no single frame holds: over TCP with the length prefix and the message split across
 * segments (the prefix alone, then the message in two pieces), and over UDP in a fragmented IPv4
 * datagram. The DNS table (the diagnoses' input), the Info column, the detail decode, the dns.*
 * display filter fields and the fields command read them on the frame that completes them, as tshark
 * does; with tshark on the machine, its own reading of the same capture is compared field by field.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { runFields } from '../../src/cli/fields';
import { memoryIo } from '../../src/cli/io';
import { decodeDetail, detailValues, withJoinedDns } from '../../src/decode/detail';
import { L4 } from '../../src/decode/columns';
import { needsFrame, rowText, type FrameView } from '../../src/view/packetInfo';
import { pcapFile, type PcapRecordSpec } from './captureBuilders';
import { cat, eth, ipv4, tcp, udp } from './decodeBuilders';
import { aRecord, dnsMsg } from './packetListCapture';

const C = '10.0.0.2', S = '10.0.0.53';
const be16 = (n: number) => [n >> 8, n & 255];

/** A response with many A records: long enough to need several segments, and fragments over UDP. */
function bigResponse(id: number, n: number, q: string): Uint8Array {
  const answers: number[][] = [];
  for (let i = 0; i < n; i++) answers.push(aRecord([10, 1, i >> 8, i & 255]));
  return dnsMsg({ id, flags: 0x8180, q, qtype: 1, answers });
}

function build(): { file: Uint8Array; records: PcapRecordSpec[] } {
  const recs: PcapRecordSpec[] = [];
  let t = 0;
  const at = (data: Uint8Array) => recs.push({ sec: 1700000000, frac: 1000 * t++, data: eth(0x0800, data) });
  const PA = 0x18, SYN = 0x02, SA = 0x12, A = 0x10;
  const cISN = 1000, sISN = 5000;
  const seg = (fromC: boolean, seq: number, ack: number, flags: number, payload = new Uint8Array(0)) =>
    at(ipv4({ proto: 6, src: fromC ? C : S, dst: fromC ? S : C }, tcp({ sport: fromC ? 41000 : 53, dport: fromC ? 53 : 41000, seq, ack, flags, win: 65535 }, payload)));
  seg(true, cISN, 0, SYN); // 1
  seg(false, sISN, cISN + 1, SA); // 2
  seg(true, cISN + 1, sISN + 1, A); // 3
  // The query: its 2-byte length alone (4), then the message (5).
  const q = dnsMsg({ id: 0x4242, flags: 0x0100, q: 'many.example', qtype: 1 });
  seg(true, cISN + 1, sISN + 1, PA, new Uint8Array(be16(q.length))); // 4
  seg(true, cISN + 3, sISN + 1, PA, new Uint8Array(q)); // 5
  // The response: length and the first 100 bytes (6), the rest in two segments (7, 8).
  const r = bigResponse(0x4242, 60, 'many.example');
  const framed = cat(be16(r.length), r);
  const cut1 = 102, cut2 = 400;
  seg(false, sISN + 1, cISN + 3 + q.length, PA, framed.slice(0, cut1)); // 6
  seg(false, sISN + 1 + cut1, cISN + 3 + q.length, PA, framed.slice(cut1, cut2)); // 7
  seg(false, sISN + 1 + cut2, cISN + 3 + q.length, PA, framed.slice(cut2)); // 8
  // Over UDP: a query (9), and a response in a datagram of two fragments (10, 11).
  at(ipv4({ proto: 17, src: C, dst: S }, udp(42000, 53, dnsMsg({ id: 0x5151, flags: 0x0100, q: 'frag.example', qtype: 1 })))); // 9
  const dgram = udp(53, 42000, bigResponse(0x5151, 70, 'frag.example'));
  const split = 512;
  at(ipv4({ proto: 17, src: S, dst: C, id: 0x77, mf: true }, dgram.slice(0, split))); // 10
  at(ipv4({ proto: 17, src: S, dst: C, id: 0x77, fragOff: split }, dgram.slice(split))); // 11
  return { file: pcapFile({ records: recs }), records: recs };
}

function analyse(file: Uint8Array): Analysis {
  const run = openAnalysis({ expectedBytes: file.length });
  run.push(file);
  return run.finish();
}

function info(a: Analysis, file: Uint8Array, row: number): { protocol: string; info: string } {
  let frame: FrameView | null = null;
  if (needsFrame(a.columns, row)) {
    const { offset, length } = a.frameRange(row as never);
    const bytes = file.slice(offset, offset + length);
    frame = { bytes, layers: decodeDetail(bytes, 1) };
  }
  const t = rowText({ cols: a.columns, tcp: a.tcp }, row, frame);
  return { protocol: t.protocol, info: t.info };
}

describe('DNS over TCP across segments, DNS in IP fragments', () => {
  const { file } = build();
  const a = analyse(file);
  const cols = a.columns, dt = cols.dns;

  it('the DNS table has each message on the frame completing it', () => {
    expect(Array.from(dt.row.subarray(0, dt.length), (r) => r + 1)).toEqual([5, 8, 9, 11]);
    expect(Array.from(dt.id.subarray(0, dt.length))).toEqual([0x4242, 0x4242, 0x5151, 0x5151]);
    expect(Array.from(dt.anCount.subarray(0, dt.length))).toEqual([0, 60, 0, 70]);
    expect([...dt.joined.keys()].map((r) => r + 1)).toEqual([5, 8, 11]);
    expect(cols.l4[10]).toBe(L4.Udp);
  });

  it('the Info column and the detail decode read them', () => {
    expect(info(a, file, 4)).toEqual({ protocol: 'DNS', info: 'Standard query 0x4242 A many.example' });
    const r8 = info(a, file, 7);
    expect(r8.protocol).toBe('DNS');
    expect(r8.info).toMatch(/^Standard query response 0x4242 A many\.example A 10\.1\.0\.0 A 10\.1\.0\.1 /);
    expect(r8.info).toContain('A 10.1.0.59');
    const r11 = info(a, file, 10);
    expect(r11.protocol).toBe('DNS');
    expect(r11.info).toMatch(/^Standard query response 0x5151 A frag\.example A 10\.1\.0\.0 /);
    // The completing segment's detail: TCP, then DNS over TCP in place of its Data.
    const { offset, length } = a.frameRange(7 as never);
    const layers = withJoinedDns(decodeDetail(file.slice(offset, offset + length), 1), dt.joined.get(7), true);
    expect(layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'TCP', 'DNS over TCP']);
    expect(detailValues(layers, 'dns.count.answers')).toEqual(['60']);
    expect(detailValues(layers, 'dns.qry.name')).toEqual(['many.example']);
  });

  it('the dns.* filter fields and the fields command see them', async () => {
    expect(Array.from(a.filter('dns.count.answers == 60', (r) => { const x = a.frameRange(r); return file.slice(x.offset, x.offset + x.length); }).rows(), (r) => r + 1)).toEqual([8]);
    expect(Array.from(a.filter('dns.qry.name == "frag.example"', (r) => { const x = a.frameRange(r); return file.slice(x.offset, x.offset + x.length); }).rows(), (r) => r + 1)).toEqual([9, 11]);
    const dir = path.resolve(import.meta.dirname, '..', '..', 'test-output', 'dns-joined');
    mkdirSync(dir, { recursive: true });
    const f = path.join(dir, 'dns-joined.pcap');
    writeFileSync(f, file);
    const fields = ['frame.number', 'dns.id', 'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.flags.response', 'dns.count.answers', 'udp.srcport', 'udp.dstport'];
    const io = memoryIo();
    expect(await runFields({ file: f, fields, filter: 'dns' }, io)).toBe(0);
    const ours = io.stdout.trim().split('\n').slice(1);
    expect(ours.map((l) => l.split('\t')[0])).toEqual(['5', '8', '9', '11']);
    let tshark: string | null = null;
    try {
      tshark = execFileSync('tshark', ['-r', f, '-n', '-Y', 'dns', '-T', 'fields', ...fields.flatMap((x) => ['-e', x])], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    } catch {
      console.warn('DNS joined: tshark is not installed, its reading of the synthetic capture is not compared');
    }
    if (tshark !== null) expect(ours).toEqual(tshark.trim().split('\n'));
  });
});
