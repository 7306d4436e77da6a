/**
 * Follow stream on a capture built here: sequence order, bytes sent again taken once, a segment
 * that arrived early waiting for the one before it, a hole the peer acknowledged past marked, a
 * frame cut by the snapshot length, a UDP conversation; read from a plain and a gzip-compressed
 * file in small windows; the ASCII, hex and UTF-8 formatters.
 */
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { openAnalysis, type Analysis } from '../../src/analysis';
import { captureBytes, type CaptureBytes } from '../../src/capture/ranges';
import { followFormatter, gapText, type FollowChunk } from '../../src/view/follow';
import { asFrame, asStreamId } from '../../src/types';
import { pcapFile, type PcapRecordSpec } from './captureBuilders';
import { eth, ipv4, tcp, udp } from './decodeBuilders';

const A = '10.0.0.1', B = '10.0.0.2';
const ISN_A = 1000, ISN_B = 5000;
const text = (s: string) => new TextEncoder().encode(s);

function seg(from: 'A' | 'B', seq: number, ack: number, flags: number, payload = '', snap?: number): PcapRecordSpec & { snap?: number } {
  const [src, dst, sport, dport, isn, peer] = from === 'A' ? [A, B, 40000, 80, ISN_A, ISN_B] : [B, A, 80, 40000, ISN_B, ISN_A];
  const frame = eth(0x0800, ipv4({ src, dst, proto: 6 }, tcp({ sport, dport, seq: isn + seq, ack: peer + ack, flags }, text(payload))));
  return { sec: 1700000000, data: snap ? frame.subarray(0, snap) : frame, orig: frame.length };
}

function dgram(from: 'A' | 'B', payload: string): PcapRecordSpec {
  const [src, dst, sport, dport] = from === 'A' ? [A, B, 5353, 53] : [B, A, 53, 5353];
  return { sec: 1700000001, data: eth(0x0800, ipv4({ src, dst, proto: 17 }, udp(sport, dport, text(payload)))) };
}

const SYN = 0x02, ACK = 0x10, PSH = 0x18;
/** Frames 1-3 handshake; the rest exercises the plan (relative numbers). */
const records = [
  seg('A', 0, 0, SYN), seg('B', 0, 1, SYN | ACK), seg('A', 1, 1, ACK),
  seg('A', 1, 1, PSH, 'hello '), // 4: [1, 7)
  seg('B', 1, 7, PSH, 'world'), // 5
  seg('A', 12, 6, PSH, 'ccc'), // 6: early, waits for [7, 12)
  seg('A', 7, 6, PSH, 'bbbbb'), // 7: fills the hole, then 6 follows
  seg('A', 7, 6, PSH, 'bbbbbccc'), // 8: all sent again
  seg('A', 18, 6, PSH, 'ddd'), // 9: [15, 18) never captured
  seg('B', 6, 21, ACK), // 10: B acknowledges past the hole
  seg('A', 21, 6, PSH, 'é€x', 54 + 2), // 11: cut by the snapshot length after 2 payload bytes
  dgram('A', 'query'), dgram('B', 'answer'), dgram('A', ''),
];
const file = pcapFile({ records });

function analyse(bytes: Uint8Array): Analysis {
  const run = openAnalysis();
  run.push(bytes);
  return run.finish();
}

function memoryBytes(data: Uint8Array, compressed: boolean): CaptureBytes {
  const stored = compressed ? gzipSync(data) : data;
  return captureBytes(async (o, l) => stored.slice(o, o + l), { compressed, window: 4096 });
}

async function all(a: Analysis, bytes: CaptureBytes, target: Parameters<Analysis['follow']>[0], page = 7): Promise<FollowChunk[]> {
  const plan = a.follow(target);
  if (!plan) throw new Error('no plan');
  const out: FollowChunk[] = [];
  for await (const c of a.followChunks(plan, bytes, page)) out.push(c);
  return out;
}

const show = (c: FollowChunk) => `${c.dir}:${c.frame}:${c.seq}:${c.kind === 'data' ? new TextDecoder().decode(c.bytes) : `gap ${c.length}`}`;

describe('follow a TCP stream', () => {
  const a = analyse(file);

  it('plans from the packet table alone', () => {
    const plan = a.follow({ tcp: asStreamId(0) });
    expect(plan).not.toBeNull();
    expect(plan?.a).toEqual({ addr: A, port: 40000 });
    expect(plan?.b).toEqual({ addr: B, port: 80 });
    expect(plan?.bytes).toEqual([6 + 5 + 3 + 3 + 6, 5]);
    expect(plan?.notCaptured).toEqual([3, 0]);
  });

  for (const compressed of [false, true]) {
    it(`reads the bytes back in sequence order (${compressed ? 'gzip' : 'plain'} file)`, async () => {
      const chunks = await all(a, memoryBytes(file, compressed), { tcp: asStreamId(0) });
      expect(chunks.map(show)).toEqual([
        '0:4:1:hello ', '1:5:1:world', '0:7:7:bbbbb', '0:6:12:ccc', '0:10:15:gap 3', '0:9:18:ddd',
        '0:11:21:é', '0:11:23:gap 4',
      ]);
    });
  }

  it('pages hold about the bytes asked, and go on from the last index', async () => {
    const plan = a.follow({ tcp: asStreamId(0) });
    if (!plan) throw new Error('no plan');
    const first = await a.readFollow(plan, memoryBytes(file, false), { maxBytes: 6 });
    expect(first.map(show)).toEqual(['0:4:1:hello ']);
    const next = await a.readFollow(plan, memoryBytes(file, false), { from: first[first.length - 1].index + 1, maxBytes: 12 });
    expect(next.map(show)).toEqual(['1:5:1:world', '0:7:7:bbbbb']);
  });

  it('follows a UDP conversation, both ways', async () => {
    const chunks = await all(a, memoryBytes(file, false), { udp: asFrame(13) });
    expect(chunks.map(show)).toEqual(['0:12:0:query', '1:13:0:answer']);
    expect(a.follow({ udp: asFrame(4) })).toBeNull();
  });
});

describe('formatters', () => {
  const data = (dir: 0 | 1, s: Uint8Array, index = 0): FollowChunk => ({ index, dir, frame: asFrame(1), seq: 0, kind: 'data', bytes: s });

  it('ASCII: non-printables as dots, line ends kept', () => {
    const f = followFormatter('ascii');
    expect(f.chunk(data(0, Uint8Array.of(0x41, 0x00, 0x0a, 0xff)))).toBe('A.\n.');
  });

  it('UTF-8: a character split across chunks is decoded whole', () => {
    const f = followFormatter('utf8');
    const e = text('€');
    expect(f.chunk(data(0, e.subarray(0, 1))) + f.chunk(data(0, e.subarray(1))) + f.end()).toBe('€');
  });

  it('hex: offsets per direction, direction B indented', () => {
    const f = followFormatter('hex');
    expect(f.chunk(data(0, text('0123456789abcdefXY')))).toBe(
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  01234567 89abcdef\n'
      + `00000010  58 59${' '.repeat(45)}XY\n`);
    expect(f.chunk(data(1, text('Z')))).toBe(`\t00000000  5a${' '.repeat(48)}Z\n`);
  });

  it('holes in words', () => {
    expect(gapText(1448)).toBe('[1,448 bytes not captured]');
    expect(followFormatter('ascii').chunk({ index: 0, dir: 0, frame: asFrame(1), seq: 0, kind: 'gap', length: 1 })).toBe('[1 byte not captured]\n');
  });
});
