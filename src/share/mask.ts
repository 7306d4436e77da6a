/**
 * Address masking before a link leaves the user's hands: every IP address, in the endpoints and in
 * the text, becomes a stable placeholder ("client", "server", "host-1", ...). The same address gets
 * the same placeholder everywhere, so the text still reads right ("client sent ...").
 */
import { isIpv4, isIpv6, isPlaceholder, type Endpoint } from './endpoint.js';
import type { FindingText, Lang, SeriesSnapshot, SnapshotFinding } from './snapshot.js';

/** IPv6 candidates first (they may end in a dotted quad), then IPv4; each is checked before masking. */
const ADDRESS_IN_TEXT = new RegExp(
  [
    /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?/.source,
    /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d)/.source,
  ].join('|'),
  'g',
);

/** Hands out placeholders; one instance per link so that names stay consistent across its parts. */
export class AddressMasker {
  private readonly names = new Map<string, string>();
  private next = 1;

  /** Name endpoint A and B first, so they read as the roles they play. */
  constructor(a?: string, b?: string, handshake = false) {
    if (a !== undefined && !isPlaceholder(a)) this.names.set(key(a), handshake ? 'client' : 'host-a');
    if (b !== undefined && !isPlaceholder(b) && !this.names.has(key(b))) this.names.set(key(b), handshake ? 'server' : 'host-b');
  }

  address(addr: string): string {
    if (isPlaceholder(addr)) return addr;
    const k = key(addr);
    let name = this.names.get(k);
    if (name === undefined) {
      name = `host-${this.next++}`;
      this.names.set(k, name);
    }
    return name;
  }

  endpoint(e: Endpoint): Endpoint {
    return { addr: this.address(e.addr), port: e.port };
  }

  /** Replace every IPv4/IPv6 literal in free text. */
  text(s: string): string {
    // One pass, so that placeholders are handed out in reading order.
    return s.replace(ADDRESS_IN_TEXT, (m) => (isIpv6(m) || isIpv4(m) ? this.address(m) : m));
  }
}

function key(addr: string): string {
  return addr.toLowerCase();
}

function maskFindingText(m: AddressMasker, t: FindingText): FindingText {
  return {
    title: m.text(t.title),
    body: t.body.map((p) => m.text(p)),
    remedy: t.remedy.map((p) => m.text(p)),
    facts: t.facts.map(([label, value]) => [m.text(label), m.text(value)]),
  };
}

function maskFinding(m: AddressMasker, f: SnapshotFinding): SnapshotFinding {
  const text: Partial<Record<Lang, FindingText>> = {};
  for (const [lang, t] of Object.entries(f.text) as [Lang, FindingText][]) text[lang] = maskFindingText(m, t);
  return { ...f, text };
}

/** A copy of the snapshot with every address replaced (idempotent). */
export function maskAddresses(snapshot: SeriesSnapshot, masker?: AddressMasker): SeriesSnapshot {
  const { a, b, handshake } = snapshot.stream;
  const m = masker ?? new AddressMasker(a.addr, b.addr, handshake);
  return {
    ...snapshot,
    stream: { ...snapshot.stream, a: m.endpoint(a), b: m.endpoint(b) },
    finding: snapshot.finding ? maskFinding(m, snapshot.finding) : null,
    masked: true,
  };
}
