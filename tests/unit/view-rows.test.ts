import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '../../src/capture/index';
import { CaptureSession } from '../../src/pipeline';
import { TcpAnalyzer } from '../../src/tcp/analyzer';
import { streamRow } from '../../src/view/rows';

const fixture = path.resolve(import.meta.dirname, '..', 'fixtures', 'tcp', 'random-loss-sack.node-eth0.pcap.gz');

describe('stream table row', () => {
  it("counts each retransmitted frame once, as Wireshark's tcp.analysis.retransmission does", () => {
    const analyzer = new TcpAnalyzer();
    const session = new CaptureSession({ processors: [analyzer], createReader: (s) => createCaptureReader(s) });
    session.push(new Uint8Array(readFileSync(fixture)));
    session.end();
    // tshark's own reading of this capture: the frames carrying the retransmission flag.
    const tsv = readFileSync(`${fixture}.tshark.tsv`, 'utf8').trim().split('\n');
    const col = tsv[0].split('\t').indexOf('tcp.analysis.retransmission');
    const tshark = tsv.slice(1).filter((l) => l.split('\t')[col] === '1').length;
    expect(tshark).toBe(12);
    const row = streamRow(analyzer.streams[0], session.columns, session.columns.time(0), undefined);
    expect(row.retrans).toBe(tshark);
    // Every one of them is a fast retransmission here: the flags summary says both.
    expect(row.flags).toContain('R12 F12');
  });
});
