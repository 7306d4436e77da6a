/**
 * The encapsulations src/decode peels (PPPoE, MPLS, GTP-U, ERSPAN, PBB, FabricPath, VN-Tag, Aruba's
 * 802.11 in GRE, AYIYA, Teredo, FDDI/LLC, NFLOG, 802.11 and radiotap) on the real captures of
 * ../shared/realworld/zeek that carry them: the column decoder reaches as many TCP segments as tshark
 * (its count is in the folder's index.tsv) and leaves nothing counted as not decoded. Skipped, with
 * this name, when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/node';
import { Anomaly, L4, PacketColumns } from '../../src/decode/columns';
import { PacketDecoder } from '../../src/decode/decoder';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const zeek = path.resolve(repoRoot, '..', 'shared', 'realworld', 'zeek');
const have = existsSync(path.join(zeek, 'index.tsv'));
if (!have) console.warn('encapRealworld.test.ts: ../shared/realworld/zeek is absent, the encapsulations are not checked on real captures');

/** Captures whose TCP is all inside an encapsulation decoded here (fragmented tunnels left to the reassembly tests). */
const FILES = [
  'llc.pcap', 'dns-inverse-query.pcap', 'snap-tcp.pcap', 'cisco-fabric-path.pcap', 'mixed-vlan-mpls.pcap', 'mpls-in-vlan.pcap',
  'pppoe-over-qinq.pcap', 'pbb.pcap', 'vntag_vlan_sandwich_clean.pcap', 'nflog-http.pcap', 'tunnels/gre-aruba.pcap',
  'tunnels/gre-aruba-amsdu.pcap', 'tunnels/ayiya3.pcap', 'tunnels/gtp/gtp6_gtp_0x32.pcap', 'tunnels/Teredo.pcap',
  // Carrying no TCP, but nothing in them may be left undecoded either.
  'pppoe.pcap', 'radiotap.pcap', 'wlanmon.pcap', 'erspanI.pcap', 'erspanII.pcap', 'erspanIII.pcap', 'tunnels/gre-erspan3-dot1q.pcap',
  'vntag.pcap', 'tunnels/gtp/gtp7_ipv6.pcap', 'tunnels/gtp/gtp8_teredo.pcap', 'tunnels/ayiya-large-identity.pcap',
];

/** Frames whose EtherType nobody knows (tshark shows them as data): counted as not decoded, as they should be. */
const UNKNOWN: Record<string, number> = { 'cisco-fabric-path.pcap': 2 };

async function decodeFile(file: string): Promise<PacketColumns> {
  const cols = new PacketColumns(1024);
  const dec = new PacketDecoder(cols);
  await readCaptureFile(file, { onInterface: (i) => dec.addInterface(i), onRecord: (r) => { dec.decode(r); } });
  return cols;
}

describe.skipIf(!have)('encapsulations on real captures (../shared/realworld/zeek)', () => {
  const index = have
    ? new Map(readFileSync(path.join(zeek, 'index.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t')).map((c) => [c[0], c]))
    : new Map<string, string[]>();

  for (const name of FILES) {
    it(`${name}: as many TCP segments as tshark, nothing left undecoded`, async () => {
      const row = index.get(name);
      expect(row, `${name} in index.tsv`).toBeDefined();
      const cols = await decodeFile(path.join(zeek, name));
      let tcp = 0, notDecoded = 0;
      for (let i = 0; i < cols.length; i++) {
        if (cols.l4[i] === L4.Tcp) tcp++;
        if (cols.anomalies[i] & Anomaly.NotDecoded) notDecoded++;
      }
      expect([cols.length, tcp, notDecoded]).toEqual([Number(row![2]), Number(row![3]), UNKNOWN[name] ?? 0]);
    });
  }
});
