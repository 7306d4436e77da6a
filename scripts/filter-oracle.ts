/**
 * `npx tsx scripts/filter-oracle.ts`: what tshark's display filters select, for the filter oracle
 * test (tests/oracle/filterOracle.test.ts), cached in tests/fixtures/filter/ so the test runs fast
 * and without tshark.
 *
 * - filters.json.gz: for each capture and each filter of FILTERS, the frames tshark selects. One tshark
 *   run per capture evaluates every filter (a Lua tap listener per filter, each with the filter as
 *   its display filter); a sample of (capture, filter) pairs is checked against `tshark -Y` itself,
 *   and the script stops when they differ.
 * - fields.json: `tshark -Y FILTER -T fields -e ...` output for FIELDS_CASES, for `fields -Y`.
 *
 * The captures are read from ../shared (captures, corpus, realworld); absent ones are skipped.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repo, '..', 'shared');
const outDir = path.join(repo, 'tests', 'fixtures', 'filter');

/** Captures, relative to ../shared. */
export const FILES = [
  'captures/clean-bulk.node-eth0.pcap',
  'captures/clean-bulk-v6.node-eth0.pcap',
  'captures/many-streams.node-eth0.pcap',
  'captures/pmtu-blackhole.node-any.sll2.pcap',
  'captures/pmtu-blackhole.node-eth0-tunl0.pcapng',
  'captures/pmtu-blackhole.node-eth0.ipip.pcap',
  'captures/pmtu-blackhole.node-eth0.vxlan.pcap',
  'captures/pmtu-blackhole.node-eth0.pcap',
  'captures/pmtu-ok.server-eth0.pcap',
  'captures/random-loss-sack.node-eth0.pcap',
  'captures/random-loss-sack-v6.server-eth0.pcap',
  'captures/rst-and-refused.node-eth0.pcap',
  'captures/zero-window.node-eth0.pcap',
  'corpus/tcpdump-tests/802.1ad_QinQ.pcap',
  'corpus/tcpdump-tests/geneve.pcap',
  'corpus/tcpdump-tests/various_gre.pcap',
  'corpus/tcpdump-tests/vxlan.pcap',
  'corpus/tcpdump-tests/ipv6-routing-header.pcap',
  'corpus/tcpdump-tests/loopback.pcap',
  'realworld/zeek/icmp_dot1q.pcap',
  'realworld/zeek/linuxsll-arp.pcap',
  'realworld/zeek/dns53.pcap',
  'realworld/zeek/q-in-q.pcap',
  'realworld/zeek/ipv6-hbh-routing0.pcap',
  'realworld/zeek/udp-broadcast.pcap',
  'realworld/zeek/tcp-http-with-padding.pcap',
  'realworld/zeek/icmp_nd_dnssl.pcap',
  'realworld/zeek/dns-two-responses.pcap',
  'realworld/zeek/ticks-dns.pcap',
  'realworld/zeek/dns-txt-multiple.pcap',
];

export const FILTERS = [
  // protocols
  'tcp', 'udp', 'icmp', 'icmpv6', 'arp', 'dns', 'ip', 'ipv6', 'vlan', 'eth', 'sll', 'gre || vxlan || geneve',
  // TCP flag bits
  'tcp.flags.syn == 1', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'tcp.flags.reset == 1', 'tcp.flags.fin == 1 || tcp.flags.reset == 1',
  'tcp.flags.push == 1', 'tcp.flags.syn', 'not tcp.flags.syn', 'tcp.flags == 0x012', 'tcp.flags.str contains "R"',
  // ports, either direction
  'tcp.port == 80', 'tcp.port in {80, 443, 5001}', 'tcp.port != 5001', 'tcp.port ~= 5001', '!(tcp.port == 5001)', 'udp.port == 53',
  'tcp.srcport > 1024 && tcp.dstport < 1024', 'udp.length > 100',
  // addresses, CIDR, several occurrences (tunnels, ICMP errors)
  'ip.addr == 10.0.0.0/8', 'ip.addr == 198.18.0.0/16', 'ip.src == 198.18.1.2', 'ip.src != 198.18.1.2', 'ip.src ~= 198.18.1.2',
  '!(ip.src == 198.18.1.2)', 'not ip.addr == 192.168.0.0/16', 'ip.addr in {198.18.1.2, 198.18.3.2}', 'ip.dst === 198.18.3.2',
  'ipv6.addr == 2001:2::/32', 'ipv6.src == 2001:2:0:1::2', 'ipv6.dst == ff02::1', 'ip.src > 192.168.0.0',
  // the TCP analysis
  'tcp.analysis.retransmission', 'tcp.analysis.flags', 'tcp.analysis.flags && !tcp.analysis.window_update', 'tcp.analysis.duplicate_ack',
  'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment', 'tcp.analysis.zero_window', 'tcp.analysis.out_of_order',
  'tcp.analysis.bytes_in_flight > 10000', 'tcp.analysis.ack_rtt > 0.01',
  'tcp.stream == 0', 'tcp.stream in {1, 2, 3}', 'tcp.seq == 1', 'tcp.ack > 100000', 'tcp.window_size < 1000', 'tcp.nxtseq > 1000000',
  // frame
  'frame.number <= 10', 'frame.number in {1, 5..8}', 'frame.time_relative >= 1', 'frame.time_relative < 0.01', 'frame.len > 1000',
  'frame.interface_id == 0', 'frame.cap_len < 100',
  // lengths and headers
  'tcp.len > 0', 'tcp.len == 0 && tcp.flags.ack == 1', 'ip.ttl < 64', 'ip.flags.df == 1', 'ip.len > 1400', 'ip.proto == 17', 'ip.id == 0',
  'ipv6.nxt == 58', 'ipv6.hlim == 255', 'icmp.type == 3', 'icmp.type == 3 && icmp.code == 4', 'icmpv6.type == 2', 'icmpv6.type in {133..136}',
  'vlan.id == 100', 'eth.type == 0x0806', 'eth.dst == ff:ff:ff:ff:ff:ff', 'sll.pkttype == 4',
  'tcp.options.mss_val >= 1400', 'tcp.options.wscale.shift > 0', 'tcp.options.sack_perm', 'tcp.window_size_value == 0',
  // payload
  'frame contains "HTTP"', 'tcp contains "GET"', 'udp contains 00:01', 'frame contains 45:00',
  // DNS and ARP, read from the frame
  'dns.qry.name contains "a"', 'dns.flags.response == 1', 'dns.qry.type == 1', 'dns.a == 0.0.0.0/0', 'dns.count.answers > 2',
  'dns.resp.name contains "net"', 'arp.opcode == 1', 'arp.src.proto_ipv4 == 192.168.0.0/16', 'arp.dst.hw_mac == 00:00:00:00:00:00',
  // combinations
  'tcp and not tcp.port == 22', '(tcp.flags.syn == 1 or tcp.flags.fin == 1) and ip.version == 4', 'tcp.len > 0 && !tcp.analysis.flags',
  'icmp || tcp.flags.reset == 1', 'ip.addr == 198.18.1.2 and tcp.len > 1000 and frame.number > 10',
];

/** `fields -Y` against `tshark -Y -T fields`. */
export const FIELDS_CASES: { file: string; filter: string }[] = [
  { file: 'captures/pmtu-blackhole.node-eth0.ipip.pcap', filter: 'ip.src == 198.18.1.2 && tcp.len > 0' },
  { file: 'captures/pmtu-blackhole.node-eth0.vxlan.pcap', filter: 'ip.src != 198.18.1.2' },
  { file: 'captures/random-loss-sack.node-eth0.pcap', filter: 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack' },
  { file: 'captures/rst-and-refused.node-eth0.pcap', filter: 'tcp.flags.reset == 1 || icmp' },
  { file: 'captures/many-streams.node-eth0.pcap', filter: 'tcp.stream in {3, 7..9} && tcp.flags.syn == 1' },
  { file: 'realworld/zeek/icmp_dot1q.pcap', filter: 'arp || icmp' },
  { file: 'captures/pmtu-blackhole.node-eth0.pcap', filter: 'icmp.type == 3 || frame.number <= 3' },
  { file: 'captures/clean-bulk-v6.node-eth0.pcap', filter: 'ipv6.src == 2001:2:0:1::2 && tcp.len > 0 && frame.number < 60' },
];
export const FIELDS = ['frame.number', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.len', 'tcp.seq', 'tcp.ack', 'tcp.stream', 'icmp.type'];

/** Frame numbers as ranges: "1-5,7,9-12" (small fixtures). */
export function toRanges(frames: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    out.push(i === j ? String(frames[i]) : `${frames[i]}-${frames[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

const luaString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function tsharkAll(file: string, lua: string): Map<string, string> {
  const out = execFileSync('tshark', ['-r', file, '-q', '-X', `lua_script:${lua}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  const res = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^@@(\d+)\t(.*)$/.exec(line);
    if (m) res.set(FILTERS[Number(m[1]) - 1], m[2]);
  }
  return res;
}

function tsharkY(file: string, filter: string): string {
  const out = execFileSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  return toRanges(out.split('\n').filter(Boolean).map(Number));
}

function main(): void {
  if (!existsSync(shared)) throw new Error(`${shared} is absent`);
  const version = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'filter-oracle-'));
  const lua = path.join(tmp, 'filters.lua');
  // One tap listener per filter; a filter tshark refuses is reported as an error.
  writeFileSync(lua, [
    `local filters = { ${FILTERS.map(luaString).join(', ')} }`,
    'local hits, bad = {}, {}',
    'for i, f in ipairs(filters) do',
    '  hits[i] = {}',
    '  local ok, l = pcall(Listener.new, "frame", f)',
    '  if ok then function l.packet(pinfo) table.insert(hits[i], pinfo.number) end else bad[i] = true end',
    'end',
    'local done = Listener.new("frame", nil)',
    'function done.draw()',
    '  for i, f in ipairs(filters) do io.write("@@", i, "\\t", bad[i] and "error" or table.concat(hits[i], ","), "\\n") end',
    'end',
  ].join('\n'));
  const results: Record<string, Record<string, string>> = {};
  for (const rel of FILES) {
    const file = path.join(shared, rel);
    if (!existsSync(file)) { process.stderr.write(`skip ${rel} (absent)\n`); continue; }
    process.stderr.write(`${rel}\n`);
    const got = tsharkAll(file, lua);
    const r: Record<string, string> = {};
    for (const f of FILTERS) {
      const v = got.get(f);
      if (v === undefined) throw new Error(`${rel}: no answer for ${f}`);
      r[f] = v === 'error' ? 'error' : toRanges(v ? v.split(',').map(Number) : []);
    }
    results[rel] = r;
  }
  // The taps must agree with tshark -Y: a sample of pairs, the same every run.
  const rels = Object.keys(results);
  for (let k = 0; k < 12 && rels.length; k++) {
    const rel = rels[(k * 7) % rels.length];
    const f = FILTERS[(k * 13 + 5) % FILTERS.length];
    if (results[rel][f] === 'error') continue;
    const y = tsharkY(path.join(shared, rel), f);
    if (y !== results[rel][f]) throw new Error(`tap and -Y differ on ${rel} "${f}": ${results[rel][f]} vs ${y}`);
    process.stderr.write(`checked with -Y: ${rel} "${f}"\n`);
  }
  mkdirSync(outDir, { recursive: true });
  // Gzipped: the frame lists of the larger captures take most of a megabyte as text.
  writeFileSync(path.join(outDir, 'filters.json.gz'), gzipSync(JSON.stringify({ tshark: version, filters: FILTERS, results }) + '\n', { level: 9 }));

  const cases = [];
  for (const c of FIELDS_CASES) {
    const file = path.join(shared, c.file);
    if (!existsSync(file)) continue;
    const tsv = execFileSync('tshark', ['-r', file, '-n', '-Y', c.filter, '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
      ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    cases.push({ ...c, fields: FIELDS, tsv });
  }
  writeFileSync(path.join(outDir, 'fields.json'), JSON.stringify({ tshark: version, cases }, null, 1) + '\n');
}

main();
