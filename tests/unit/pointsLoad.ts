/** Test helper: load a capture file through the pipeline, optionally rewriting rows (NAT, clock). */
import { createCaptureReader } from '../../src/capture/index';
import { readCaptureFileIntoSession } from '../../src/cli/readFile';
import type { PacketColumns, RowProcessor } from '../../src/decode/columns';
import { CaptureSession } from '../../src/pipeline';
import type { CapturePoint } from '../../src/points/index';
import { TcpAnalyzer } from '../../src/tcp/analyzer';

export async function loadPoint(file: string, name: string, rewrite?: RowProcessor): Promise<CapturePoint & { session: CaptureSession }> {
  const analyzer = new TcpAnalyzer();
  const session = new CaptureSession({ processors: rewrite ? [rewrite, analyzer] : [analyzer], createReader: (s) => createCaptureReader(s) });
  await readCaptureFileIntoSession(file, session);
  const tcp = { stream: analyzer.out.stream, dir: analyzer.out.dir, flags: analyzer.out.flags, streams: analyzer.streams };
  return { name, cols: session.columns, tcp, session };
}

/**
 * What NAT between the points and an unsynchronised clock do to a capture: the server address and
 * port rewritten (DNAT), the client address and port rewritten (SNAT), times shifted. Runs before
 * the TCP analyzer, so the analysis sees the rewritten packets.
 */
export function natAndShift(server: string, shiftSeconds: number): RowProcessor {
  return {
    process(c: PacketColumns, i: number) {
      const t = c.addresses;
      const natServer = t.internV4(0x0a600005); // 10.96.0.5
      const natClient = t.internV4(0x0af40101); // 10.244.1.1
      const rw = (addr: number) => (t.text[addr] === server ? natServer : natClient);
      if (c.src[i]) { c.src[i] = rw(c.src[i]); c.dst[i] = rw(c.dst[i]); }
      if (c.srcPort[i]) { c.srcPort[i] = (c.srcPort[i] + 20000) & 0xffff; c.dstPort[i] = (c.dstPort[i] + 20000) & 0xffff; }
      c.tsSec[i] += shiftSeconds;
    },
  };
}
