/** The captures whose udp.stream is compared with tshark, and the fixture of tshark's values (scripts/udp-oracle.ts). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'fflate';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(HERE, '..', '..', '..', 'shared');
export const UDP_FIXTURE = path.resolve(HERE, '..', 'fixtures', 'decode', 'udp-stream-tshark.tsv.gz');

const CAPTURE = /\.(pcap|pcapng|trace|cap)(\.gz)?$/;

function walk(dir: string, rel: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, `${rel}/${name}`, out);
    else if (CAPTURE.test(name)) out.push(`${rel}/${name}`);
  }
}

/** Every capture of the zeek set and of captures/, relative to ../shared. */
export function udpCaptures(shared = SHARED): string[] {
  const out: string[] = [];
  for (const sub of ['realworld/zeek', 'captures']) if (existsSync(path.join(shared, sub))) walk(path.join(shared, sub), sub, out);
  return out;
}

export interface UdpOracleCapture {
  file: string;
  /** frame number → tshark's udp.stream values (outer first in a tunnel). */
  frames: Map<number, number[]>;
}

export function readUdpFixture(): UdpOracleCapture[] {
  const text = new TextDecoder().decode(gunzipSync(new Uint8Array(readFileSync(UDP_FIXTURE))));
  const out: UdpOracleCapture[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (line.startsWith('#')) { out.push({ file: line.slice(1), frames: new Map() }); continue; }
    const [frame, values] = line.split('\t');
    out[out.length - 1].frames.set(Number(frame), (values ?? '').split(',').filter(Boolean).map(Number));
  }
  return out;
}
