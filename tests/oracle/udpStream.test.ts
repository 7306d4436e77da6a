/**
 * udp.stream against tshark on every UDP frame of ../shared (the zeek set, captures/): our UDP
 * conversations (src/view/udp.ts) number them as tshark does, ICMP errors quoting a UDP header
 * included. tshark's values are cached in tests/fixtures/decode/udp-stream-tshark.tsv.gz
 * (scripts/udp-oracle.ts). A capture with a UDP tunnel (VXLAN, GTP-U, Teredo, ...: two udp.stream
 * values on a frame, or a tunnel we peel) is left out: tshark numbers the outer UDP too, we number
 * the innermost only. The captures where tshark's dissectors make conversations of their own are
 * named in KNOWN, with the reason, and counted apart.
 * Skipped when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAnalysis } from '../../src/analysis';
import { Encap } from '../../src/decode/columns';
import { SHARED, UDP_FIXTURE, readUdpFixture } from './udpStreamSupport';

const missing = !existsSync(path.join(SHARED, 'realworld', 'zeek'));
if (missing) console.warn('udp.stream oracle skipped: ../shared/realworld/zeek is absent');

/**
 * Captures where tshark 4.0 numbers differently, and why. Some of its dissectors make conversations
 * of their own, which take udp.stream numbers: SNMP gives a reply a conversation of its own (a new
 * number per request), RPC (portmap, MOUNT, NFS) one per program port it learns, whatever the
 * client's port. We keep one conversation per address/port pair, as tshark's conversation
 * statistics (-z conv,udp) count them.
 */
const KNOWN: [RegExp, string][] = [
  [/^realworld\/zeek\/snmp\//, 'tshark\'s SNMP dissector gives each reply a conversation (a udp.stream) of its own'],
  [/^realworld\/zeek\/(nfs\/nfs_write.*|rpc-portmap-sadmind)\.pcap$/, 'tshark\'s RPC dissector makes a conversation per program port it learns (portmap), whatever the client port'],
  [/^realworld\/zeek\/cisco-fabric-path\.pcap$/, 'tshark decodes the UDP inside FabricPath frames but gives it no udp.stream'],
  [/^realworld\/zeek\/ipv6-mobility-dst-opts\.pcap$/, 'tshark stops at the destination options of a Mobile IPv6 packet; we read the UDP after them'],
];
const knownWhy = (file: string) => KNOWN.find(([re]) => re.test(file))?.[1];

/** Encap bits (src/decode/columns.ts) of a UDP tunnel we peel: tshark numbers its outer UDP, or shows no inner one. */
const UDP_TUNNELS = Encap.Vxlan | Encap.Geneve | Encap.Gtp | Encap.UdpIp;

describe.skipIf(missing || !existsSync(UDP_FIXTURE))('udp.stream against tshark', () => {
  it('every UDP frame of every capture without a UDP tunnel', () => {
    let frames = 0, equal = 0, captures = 0, tunnels = 0, knownFrames = 0, knownEqual = 0;
    const diffs: string[] = [];
    const known: string[] = [];
    for (const c of readUdpFixture()) {
      const file = path.join(SHARED, c.file);
      if (!existsSync(file)) continue;
      if ([...c.frames.values()].some((v) => v.length > 1)) { tunnels++; continue; }
      const run = openAnalysis();
      run.push(new Uint8Array(readFileSync(file)));
      const a = run.finish();
      if (a.encaps & UDP_TUNNELS) { tunnels++; continue; }
      captures++;
      const st = a.udp().stream;
      const why = knownWhy(c.file);
      let bad = 0;
      const first: string[] = [];
      for (const [frame, theirs] of c.frames) {
        const mine = frame - 1 < st.length ? st[frame - 1] : -1;
        const want = theirs.length ? theirs[0] : -1;
        if (why) { knownFrames++; if (mine === want) knownEqual++; } else { frames++; if (mine === want) equal++; }
        if (mine !== want && ++bad <= 3) first.push(`#${frame} ours ${mine} tshark ${want}`);
      }
      // Ours where tshark has none.
      for (let r = 0; r < st.length; r++) if (st[r] >= 0 && !c.frames.has(r + 1) && ++bad <= 3) first.push(`#${r + 1} ours ${st[r]} tshark none`);
      if (!bad) continue;
      if (why) known.push(`${c.file}: ${bad} frames differ (${first.join('; ')}): ${why}`);
      else diffs.push(`${c.file}: ${bad} frames differ (${first.join('; ')})`);
    }
    const pct = (x: number, n: number) => ((100 * x) / Math.max(1, n)).toFixed(3);
    console.log(`udp.stream: ${captures} captures with UDP (${tunnels} with a UDP tunnel we peel left out); outside the known differences ${frames} UDP frames, ${equal} equal (${pct(equal, frames)} %); in them ${knownFrames}, ${knownEqual} equal (${pct(knownEqual, knownFrames)} %)`);
    for (const k of known) console.log(`  known: ${k}`);
    expect(diffs).toEqual([]);
  }, 600_000);
});
