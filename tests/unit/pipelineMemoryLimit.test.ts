import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '../../src/capture/index';
import { readCaptureFileIntoSession } from '../../src/cli/readFile';
import { PacketColumns, type RowProcessor } from '../../src/decode/columns';
import { diagnose } from '../../src/diagnose/index';
import { CaptureSession, type CaptureSessionOptions } from '../../src/pipeline';
import { TcpAnalyzer } from '../../src/tcp/analyzer';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'diagnose', 'pmtu-blackhole.node-eth0.pcap');

async function load(opts: CaptureSessionOptions = {}, extra: RowProcessor[] = []) {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({ ...opts, processors: [...extra, analyzer], createReader: (s) => createCaptureReader(s) });
  await readCaptureFileIntoSession(fixture, session);
  return { session, analyzer };
}

describe('packet table limits', () => {
  it('stops at --max-packets with a fatal memory-limit warning and a consistent partial analysis', async () => {
    const full = await load();
    expect(full.session.packets).toBe(32);
    const cut = await load({ maxPackets: 20 });
    const s = cut.session;
    expect(s.packets).toBe(20);
    expect(s.stopped).toBe(true);
    const w = s.warnings.at(-1)!;
    expect(w).toMatchObject({ kind: 'memory-limit', fatal: true, frame: 21, key: 'capture.packetLimit', offset: full.session.columns.fileOffset[20] });
    expect(w.message).toBe(`stopped after 20 packets at byte ${full.session.columns.fileOffset[20].toLocaleString('en-US')}: the limit of 20 packets was reached; everything before is analysed`);
    // What was read is analysed exactly as in the full reading (the analysis only looks back).
    expect(cut.analyzer.out.length).toBe(20);
    for (let i = 0; i < 20; i++) {
      expect(cut.analyzer.out.flags[i]).toBe(full.analyzer.out.flags[i]);
      expect(cut.analyzer.out.seq[i]).toBe(full.analyzer.out.seq[i]);
    }
    expect(cut.analyzer.streams.reduce((n, st) => n + st.packets, 0)).toBe(20);
    // The diagnoses run on the partial table and cite no frame beyond it.
    const findings = diagnose({ cols: s.columns, tcp: { stream: cut.analyzer.out.stream, dir: cut.analyzer.out.dir, flags: cut.analyzer.out.flags, streams: cut.analyzer.streams } });
    for (const f of findings) for (const fr of f.frames) expect(fr).toBeLessThanOrEqual(20);
  });

  it('derives the row limit from a memory budget and never grows the table past it', async () => {
    const rows = 15;
    const { session } = await load({ maxTableBytes: rows * PacketColumns.bytesPerRow() + 3, initialCapacity: 4 });
    expect(session.packets).toBe(rows);
    expect(session.columns.seqRaw.length).toBeLessThanOrEqual(rows);
    const w = session.warnings.at(-1)!;
    expect(w.key).toBe('capture.memoryLimit');
    expect(w.message).toMatch(/^stopped after 15 packets at byte [\d,]+: the packet table reached its limit of 0\.0 MB; everything before is analysed$/);
  });

  it('turns an allocation failure into the same warning, dropping the half-made row', async () => {
    let seen = 0;
    const failing: RowProcessor = { process() { if (++seen === 11) throw new RangeError('Array buffer allocation failed'); } };
    const { session, analyzer } = await load({}, [failing]);
    expect(session.packets).toBe(10);
    expect(analyzer.out.length).toBe(10);
    expect(session.warnings.at(-1)).toMatchObject({ kind: 'memory-limit', key: 'capture.memoryRefused', frame: 11, fatal: true });
  });

  it('passes other errors through, out-of-bounds reads included', async () => {
    const failing: RowProcessor = { process() { throw new TypeError('bug'); } };
    await expect(load({}, [failing])).rejects.toThrow('bug');
    const outOfBounds: RowProcessor = { process() { new DataView(new ArrayBuffer(2)).getUint32(0); } };
    await expect(load({}, [outOfBounds])).rejects.toThrow(RangeError);
  });
});
