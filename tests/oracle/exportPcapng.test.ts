/**
 * Export as pcapng, read back by tshark: for the captures of ../shared/captures (pcap, pcap-nsec,
 * big-endian, gzip, Linux cooked v2, pcapng with two interfaces), the pcapng generator's files of
 * ../shared/corpus (one section, no custom blocks: several interfaces, time stamp resolutions, SPBs,
 * packet options and comments) and a sample of tcpdump's test captures (link types), tshark's
 * fields of the exported file equal those of the original, frame by frame. A stream and a
 * finding's evidence are exported too: their frames equal tshark's own selection of the original,
 * the finding's comment on each.
 *
 * Skips when tshark is not installed or ../shared is absent.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analysis, ExportRequest } from '../../src/analysis';
import { openCaptureBytes } from '../../src/capture/node';
import { loadCapture } from '../../src/cli/analyze';
import { asStreamId } from '../../src/types';

const shared = path.resolve(__dirname, '..', '..', '..', 'shared');
const capturesDir = path.join(shared, 'captures');
const generator = path.join(shared, 'corpus', 'pcapng-test-generator');
const tcpdumpTests = path.join(shared, 'corpus', 'tcpdump-tests');

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const tshark = hasTshark();

function list(dir: string, re: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f)) : [];
}

/** Generator files of one section without custom blocks (tshark 4.0 shows those as frames). */
function generatorFiles(): string[] {
  const out: string[] = [];
  // Big-endian: the advanced files (options of every kind to swap); little-endian: all.
  for (const [order, cats] of [['output_le', ['basic', 'advanced', 'difficult']], ['output_be', ['advanced']]] as const) {
    for (const cat of cats) {
      for (const f of list(path.join(generator, order, cat), /\.pcapng$/)) {
        const about = readFileSync(f.replace(/\.pcapng$/, '.txt'), 'utf8');
        const shb = /SHB: (\d+)/.exec(about);
        if (/\b(CB|DCB):/.test(about) || !shb || Number(shb[1]) !== 1) continue;
        out.push(f);
      }
    }
  }
  return out;
}

/**
 * Files whose original tshark reads otherwise than our reader, which is not the export's matter: a
 * microsecond field beyond a second (we carry it into the seconds, tshark 4.0 overflows).
 */
const READ_OTHERWISE = new Set(['atm-oam-loopback-print-overrun.pcap']);

const files = [
  // The small ones (every format and link type of the set) and one big pcapng: the big pcaps add time, not cases.
  ...list(capturesDir, /\.(pcap|pcapng|pcap\.gz)$/).filter((f) => statSync(f).size < 1 << 20 || /random-loss-sack\.node-eth0\.pcapng$/.test(f)),
  ...generatorFiles(),
  // Every 80th of tcpdump's captures: other link types, small files.
  ...list(tcpdumpTests, /\.(pcap|pcapng)$/).filter((f, i) => i % 80 === 0 && !READ_OTHERWISE.has(path.basename(f))),
];
if (!tshark) console.warn('exportPcapng: tshark is not installed, skipped');
else if (!files.length) console.warn('exportPcapng: ../shared is absent, skipped');

const FIELDS = [
  'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.protocols', 'frame.comment', 'eth.src', 'ip.src', 'ip.dst',
  'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.flags', 'udp.srcport', 'udp.dstport',
];

const run = promisify(execFile);

/** tshark's fields of a file, or null when tshark cannot read it (a link type it does not know). */
async function fields(file: string, extra: string[] = [], filter?: string): Promise<string[] | null> {
  const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a'];
  if (filter) args.push('-Y', filter);
  for (const f of [...FIELDS, ...extra]) args.push('-e', f);
  try {
    const { stdout } = await run('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    return stdout.split('\n').filter((l) => l.length > 0);
  } catch {
    return null;
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'export-pcapng-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function exportTo(a: Analysis, file: string, req: ExportRequest, out: string): Promise<void> {
  const src = await openCaptureBytes(file, a.compressed);
  const fh = await open(out, 'w');
  try {
    for await (const part of a.exportPcapng(req, src.bytes, { chunkBytes: 4096 })) await fh.write(part);
  } finally {
    await fh.close();
    await src.close();
  }
}

describe.skipIf(!tshark || !files.length)('pcapng export, read back by tshark', () => {
  it.each(files.map((f) => path.relative(shared, f)))('%s', async (rel) => {
    const file = path.join(shared, rel);
    const a = await loadCapture(file);
    const out = path.join(work, `${path.basename(file)}.pcapng`);
    await exportTo(a, file, { rows: Uint32Array.from({ length: a.columns.length }, (_, i) => i) }, out);
    // Interface names only where the source has them (pcap has none; tshark calls ours "unknown").
    const extra = a.format === 'pcapng' ? ['frame.interface_name'] : [];
    const [mine, theirs] = await Promise.all([fields(out, extra), fields(file, extra)]);
    if (theirs === null) {
      console.warn(`exportPcapng: tshark cannot read ${rel}, not compared`);
      return;
    }
    expect(mine).toEqual(theirs);
  });

  it('a stream and a finding, with the finding named on each packet of its evidence', async () => {
    const file = path.join(capturesDir, 'pmtu-blackhole.node-eth0.pcapng');
    if (!existsSync(file)) return;
    const a = await loadCapture(file);
    const out = path.join(work, 'stream.pcapng');
    await exportTo(a, file, a.exportRows({ stream: asStreamId(0) }), out);
    const [streamMine, streamTheirs] = await Promise.all([fields(out), fields(file, [], 'tcp.stream eq 0')]);
    expect(streamMine).toEqual(streamTheirs);

    const finding = a.diagnosis(0).findings[0];
    expect(finding).toBeDefined();
    const req = a.exportRows({ finding });
    const evidence = path.join(work, 'finding.pcapng');
    await exportTo(a, file, req, evidence);
    const frames = [...new Set(finding.frames)].sort((x, y) => x - y);
    const [mine, theirs] = (await Promise.all([
      fields(evidence, ['frame.interface_name']),
      fields(file, ['frame.interface_name'], frames.map((f) => `frame.number == ${f}`).join(' || ')),
    ])).map((x) => x ?? []);
    const comment = FIELDS.indexOf('frame.comment');
    const title = req.comments?.get(frames[0] - 1) ?? '';
    expect(title.length).toBeGreaterThan(0);
    expect(mine.map((l) => l.split('\t')[comment])).toEqual(frames.map(() => title));
    const withoutComment = (l: string) => l.split('\t').filter((_, i) => i !== comment).join('\t');
    expect(mine.map(withoutComment)).toEqual(theirs.map(withoutComment));
    const info = execFileSync('capinfos', [evidence], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(info).toContain(finding.id);
  });
});
