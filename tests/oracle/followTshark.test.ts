/**
 * Follow stream against tshark: for every TCP stream of the captures in ../shared/captures, the
 * payload we read back from the file equals tshark's `-q -z follow,tcp,raw,N` (hex per segment,
 * direction B indented by a tab), direction by direction, and in the same order of blocks.
 *
 * Where a hole was never filled, tshark 4.0 leaves out everything after it in that direction (the
 * data waits for bytes that never come); we mark the hole and go on. So the comparison stops at
 * our first hole in a direction, and checks that we do mark one there.
 *
 * Skips when tshark is not installed or ../shared is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureBytes } from '../../src/capture/node';
import { loadCapture } from '../../src/cli/analyze';
import { asStreamId } from '../../src/types';

const sharedCaptures = path.resolve(__dirname, '..', '..', '..', 'shared', 'captures');

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tshark = hasTshark();
const captures = existsSync(sharedCaptures)
  ? readdirSync(sharedCaptures).filter((f) => /\.(pcap|pcapng|pcap\.gz)$/.test(f)).sort()
  : [];
if (!tshark) console.warn('followTshark: tshark is not installed, skipped');
else if (!captures.length) console.warn('followTshark: ../shared/captures is absent, skipped');

interface Follow {
  nodes: [string, string];
  /** Segments in order: direction by node index, bytes. */
  segs: { node: number; bytes: Buffer }[];
}

/** tshark's raw follow output of several streams, by stream index. */
function tsharkFollow(file: string, streams: number[]): Map<number, Follow> {
  const args = ['-r', file, '-q'];
  for (const s of streams) args.push('-z', `follow,tcp,raw,${s}`);
  const text = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const out = new Map<number, Follow>();
  let cur: Follow | null = null;
  for (const line of text.split('\n')) {
    const m = /^Filter: tcp\.stream eq (\d+)/.exec(line);
    if (m) { cur = { nodes: ['', ''], segs: [] }; out.set(Number(m[1]), cur); continue; }
    if (!cur || line.startsWith('=') || line.startsWith('Follow:') || line === '') continue;
    const n = /^Node ([01]): (.*)$/.exec(line);
    if (n) { cur.nodes[Number(n[1])] = n[2]; continue; }
    const node = line.startsWith('\t') ? 1 : 0;
    cur.segs.push({ node, bytes: Buffer.from(line.trim(), 'hex') });
  }
  return out;
}

/** Consecutive segments of one direction joined: the order of blocks. */
function blocks(segs: { dir: number; bytes: Buffer }[]): { dir: number; bytes: Buffer }[] {
  const out: { dir: number; parts: Buffer[] }[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (last && last.dir === s.dir) last.parts.push(s.bytes);
    else out.push({ dir: s.dir, parts: [s.bytes] });
  }
  return out.map((b) => ({ dir: b.dir, bytes: Buffer.concat(b.parts) }));
}

function node(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

describe.skipIf(!tshark || !captures.length)('follow tcp, raw bytes equal tshark', () => {
  it.each(captures)('%s', async (name) => {
    const file = path.join(sharedCaptures, name);
    const a = await loadCapture(file);
    const streams = a.tcp.streams.map((s) => s.index).slice(0, 40);
    const theirs = tsharkFollow(file, streams);
    const src = await openCaptureBytes(file, a.compressed);
    let compared = 0;
    try {
      for (const s of streams) {
        const plan = a.follow({ tcp: asStreamId(s) });
        expect(plan).not.toBeNull();
        if (!plan) continue;
        const t = theirs.get(s);
        expect(t, `tshark followed stream ${s}`).toBeDefined();
        if (!t) continue;
        // Our direction 0 is endpoint A; tshark names its nodes.
        const ours = [node(plan.a.addr, plan.a.port), node(plan.b.addr, plan.b.port)];
        const dirOfNode = t.nodes.map((n) => ours.indexOf(n));
        if (t.segs.length) expect(dirOfNode.every((d) => d >= 0), `${t.nodes} vs ${ours}`).toBe(true);
        const segs: { dir: number; bytes: Buffer }[] = [];
        const holed = [false, false];
        for await (const c of a.followChunks(plan, src.bytes, 64 * 1024)) {
          if (c.kind === 'gap') { holed[c.dir] = true; continue; }
          if (!holed[c.dir]) segs.push({ dir: c.dir, bytes: Buffer.from(c.bytes) });
        }
        const tsegs = t.segs.map((x) => ({ dir: dirOfNode[x.node], bytes: x.bytes }));
        for (const d of [0, 1]) {
          const mine = Buffer.concat(segs.filter((x) => x.dir === d).map((x) => x.bytes));
          const their = Buffer.concat(tsegs.filter((x) => x.dir === d).map((x) => x.bytes));
          expect(mine.length, `stream ${s} dir ${d} length`).toBe(their.length);
          expect(mine.equals(their), `stream ${s} dir ${d} bytes`).toBe(true);
        }
        if (!holed[0] && !holed[1]) {
          const b1 = blocks(segs), b2 = blocks(tsegs);
          expect(b1.map((b) => `${b.dir}:${b.bytes.length}`), `stream ${s} block order`).toEqual(b2.map((b) => `${b.dir}:${b.bytes.length}`));
        }
        compared++;
      }
    } finally {
      await src.close();
    }
    expect(compared).toBe(streams.length);
  });

  it('marks the hole tshark leaves the rest of the direction out after', async () => {
    const file = path.join(sharedCaptures, 'pmtu-blackhole.server-eth0.pcap');
    if (!existsSync(file)) return;
    const a = await loadCapture(file);
    const plan = a.follow({ tcp: asStreamId(0) });
    expect(plan?.notCaptured).toEqual([1398, 0]);
    const src = await openCaptureBytes(file, a.compressed);
    try {
      const chunks = [];
      for await (const c of a.followChunks(plan!, src.bytes)) chunks.push(c);
      const gap = chunks.findIndex((c) => c.kind === 'gap');
      expect(chunks[gap]).toMatchObject({ kind: 'gap', length: 1398, dir: 0, seq: 346 });
      // The segment after the hole (frame 21, relative seq 1744) comes right after it, whole.
      const after = chunks[gap + 1];
      expect(after).toMatchObject({ kind: 'data', frame: 21, seq: 1744 });
      expect(after.kind === 'data' && after.bytes.length).toBe(1307);
    } finally {
      await src.close();
    }
  });
});
