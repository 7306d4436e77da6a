/**
 * The hot-path decoder (the packet table the analysis reads) against tshark: for every capture with a
 * `.tshark.tsv`, each row's columns must match tshark's values of the innermost packet (the last
 * occurrence of a field; for ICMP errors the carrier, with the quoted packet in the q* columns).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFileIntoSession } from '../../src/cli/readFile';
import { L4, type PacketColumns } from '../../src/decode/columns';
import { CaptureSession } from '../../src/pipeline';

const repoRoot = path.resolve(__dirname, '..', '..');
const dirs = [
  path.resolve(repoRoot, '..', 'shared', 'captures'),
  path.resolve(repoRoot, 'tests', 'fixtures', 'decode'),
  path.resolve(repoRoot, 'tests', 'fixtures', 'decode', 'corpus'),
].filter((d) => existsSync(d));
if (!existsSync(path.resolve(repoRoot, '..', 'shared', 'captures'))) console.warn('fieldsColumns.test.ts: ../shared/captures is absent; only the captures of tests/fixtures/decode are compared');

type Row = Record<string, string>;

function loadTsv(file: string): Row[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l);
  const h = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const v = l.split('\t');
    return Object.fromEntries(h.map((k, i) => [k, v[i] ?? '']));
  });
}

const list = (s: string | undefined): string[] => (s ? s.split(',') : []);
const last = (s: string | undefined): string => list(s).at(-1) ?? '';
const opt = (n: number, absent: number): string => (n === absent ? '' : String(n));

/** Our columns of row i rendered like tshark's innermost values; only keys present in `t` are compared. */
function compareRow(cols: PacketColumns, i: number, t: Row): string[] {
  const text = cols.addresses.text;
  const out: string[] = [];
  const check = (key: string, ours: string, theirs: string | undefined) => {
    if (theirs !== undefined && ours !== theirs) out.push(`frame ${i + 1} ${key}: ours "${ours}" tshark "${theirs}"`);
  };
  check('frame.len', String(cols.origLen[i]), t['frame.len']);
  if (t['sll.pkttype'] !== undefined) {
    check('sll.pkttype', opt(cols.sllPktType[i], 255), t['sll.pkttype']);
    check('sll.ifindex', opt(cols.sllIfIndex[i], -1), t['sll.ifindex']);
  }
  const icmpError = cols.qIpLen[i] > 0;
  // Innermost addresses: the last occurrence, or the one before the quoted packet for ICMP errors.
  const v4 = list(t['ip.src']), v6 = list(t['ipv6.src']);
  const fam = cols.ipVersion[i];
  const srcs = fam === 4 ? v4 : v6;
  const dsts = list(fam === 4 ? t['ip.dst'] : t['ipv6.dst']);
  if (fam !== 0 && t['ip.src'] !== undefined) {
    const k = icmpError && (cols.l4[i] === L4.Icmp) === (fam === 4) ? 2 : 1;
    check('src', text[cols.src[i]], srcs.at(-k));
    check('dst', text[cols.dst[i]], dsts.at(-k));
    if (fam === 4) {
      check('ip.len', String(cols.ipLen[i]), list(t['ip.len']).at(-k));
      check('ip.id', `0x${cols.ipId[i].toString(16).padStart(4, '0')}`, list(t['ip.id']).at(-k));
      check('ip.ttl', String(cols.ipTtl[i]), list(t['ip.ttl']).at(-k));
      check('ip.flags.df', String(cols.ipDf[i]), list(t['ip.flags.df']).at(-k));
    } else check('ipv6.plen', String(cols.ipLen[i] - 40), list(t['ipv6.plen']).at(-k));
    // Outer length: only when the tunnel keeps one family (tshark's columns lose the order across families).
    if (!(v4.length && v6.length) && !icmpError) {
      const outer = fam === 4 ? list(t['ip.len'])[0] : String(Number(list(t['ipv6.plen'])[0]) + 40);
      check('outer length', String(cols.outerIpLen[i]), outer);
    }
  }
  if (cols.l4[i] === L4.Tcp && !(cols.anomalies[i] & 4)) {
    check('tcp.srcport', String(cols.srcPort[i]), t['tcp.srcport']);
    check('tcp.dstport', String(cols.dstPort[i]), t['tcp.dstport']);
    check('tcp.seq_raw', String(cols.seqRaw[i]), t['tcp.seq_raw']);
    check('tcp.ack_raw', String(cols.ackRaw[i]), t['tcp.ack_raw']);
    check('tcp.len', String(cols.tcpLen[i]), t['tcp.len']);
    check('tcp.flags', String(cols.tcpFlags[i]), t['tcp.flags'] === undefined ? undefined : String(parseInt(t['tcp.flags'], 16) & 0x1ff));
    check('tcp.window_size_value', String(cols.winRaw[i]), t['tcp.window_size_value']);
    check('mss', opt(cols.mss[i], 0), t['tcp.options.mss_val']);
    check('wscale', opt(cols.wscale[i], -1), t['tcp.options.wscale.shift']);
    check('tsval', cols.hasTs[i] ? String(cols.tsval[i]) : '', t['tcp.options.timestamp.tsval']);
    check('tsecr', cols.hasTs[i] ? String(cols.tsecr[i]) : '', t['tcp.options.timestamp.tsecr']);
    if (t['tcp.options.sack_le'] !== undefined) check('SACK blocks', String(cols.sackCount[i]), String(list(t['tcp.options.sack_le']).length));
  }
  if (cols.l4[i] === L4.Icmp || cols.l4[i] === L4.Icmpv6) {
    const k = cols.l4[i] === L4.Icmp ? 'icmp' : 'icmpv6';
    check(`${k}.type`, String(cols.icmpType[i]), t[`${k}.type`]);
    check(`${k}.code`, String(cols.icmpCode[i]), t[`${k}.code`]);
    check(`${k}.mtu`, opt(cols.icmpMtu[i], 0), t[`${k}.mtu`]);
    if (icmpError) {
      const q = list(t[cols.l4[i] === L4.Icmp ? 'ip.src' : 'ipv6.src']);
      check('quoted src', text[cols.qSrc[i]], q.at(-1));
      if (t['tcp.srcport']) check('quoted sport', String(cols.qSrcPort[i]), t['tcp.srcport']);
      // tshark prints the quoted header's sequence number as tcp.seq (not relative there).
      if (t['tcp.seq']) check('quoted seq', String(cols.qSeqRaw[i]), t['tcp.seq']);
      if (cols.l4[i] === L4.Icmp) check('quoted ip.len', String(cols.qIpLen[i]), last(t['ip.len']));
    }
  }
  return out;
}

for (const dir of dirs) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tshark.tsv')).map((f) => f.slice(0, -11)).filter((f) => existsSync(path.join(dir, f)));
  describe(`packet columns vs tshark: ${path.basename(dir)}`, () => {
    for (const file of files.sort()) {
      it(file, async () => {
        const session = await readCaptureFileIntoSession(path.join(dir, file), new CaptureSession());
        const oracle = loadTsv(path.join(dir, `${file}.tshark.tsv`));
        expect(session.packets).toBe(oracle.length);
        const problems: string[] = [];
        for (let i = 0; i < oracle.length && problems.length < 20; i++) problems.push(...compareRow(session.columns, i, oracle[i]));
        expect(problems).toEqual([]);
      });
    }
  });
}

describe.skipIf(dirs.length > 0)('packet columns vs tshark', () => {
  it('has no capture to compare with', () => {});
});
