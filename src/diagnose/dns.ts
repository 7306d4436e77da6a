/**
 * DNS: queries left unanswered and asked again after the resolver's timeout (the 5-second stall of
 * parallel A/AAAA queries losing one to a conntrack race), search-path expansion (a short name tried
 * under every search domain, each an NXDOMAIN, before the real name), and error answers (SERVFAIL,
 * REFUSED, ...). Reads the decoder's DNS side table (`cols.dns`), unicast DNS on port 53 only.
 * One finding per pattern per client and server (search expansion: per client), not one per query.
 */
import { DnsRcode, DNS_PORT, DnsBit, type DnsTable } from '../decode/dnsTable';
import { L4, type PacketColumns } from '../decode/columns';
import type { DiagnoseContext } from './context';
import type { Detector } from './detectors';
import { host, listParams, secondsParams, secs, span } from './text';
import type { DnsErrorFinding, DnsSearchFinding, DnsTimeoutFinding, Msg, MsgParams } from './types';
import { frameAt, type Frame } from '../types';

/** A re-ask sooner than this is not a resolver's timeout (a duplicate, a second application). */
const MIN_RETRY_S = 0.3;
/** A re-ask later than this is a new lookup, not a retry. */
const MAX_RETRY_S = 30;
/** The usual resolver timeout (glibc's default), for an unanswered query never asked again. */
const DEFAULT_TIMEOUT_S = 5;
/** A lookup stalled this long waits on a timeout: a user-visible delay. */
const STALL_S = 1;
/** Two queries of one socket this close are sent together (glibc's parallel A and AAAA). */
const PARALLEL_S = 0.1;
/** Expanded names are looked for among this client's queries of the last seconds. */
const EXPANSION_WINDOW_S = 30;
/** Evidence frames kept per finding. */
const MAX_FRAMES = 60;

/** Kinds 'dns-timeout', 'dns-search-expansion', 'dns-error'; messages `dns.*`. Grouped by itself (client and server). */
export const dnsDetector: Detector<DnsTimeoutFinding | DnsSearchFinding | DnsErrorFinding> = {
  kinds: ['dns-timeout', 'dns-search-expansion', 'dns-error'],
  messages: ['dns.'],
  walk: 'capture',
  find: (ctx) => findDns(ctx),
};

/** One query of the capture (a row of the DNS table sent to port 53). */
interface Query {
  e: number;
  row: number;
  t: number;
  client: number;
  server: number;
  port: number;
  /** Entry of the response that answered it, -1 when none. */
  answer: number;
  /** Row of an ICMP destination unreachable quoting it, -1 when none. */
  unreachable: number;
}

export function findDns(ctx: DiagnoseContext): (DnsTimeoutFinding | DnsSearchFinding | DnsErrorFinding)[] {
  const cols = ctx.cols, dt = cols.dns;
  if (!dt.length) return [];
  const queries = matchQueries(cols, dt);
  if (!queries.length) return [];
  matchUnreachable(cols, queries);
  return [...timeouts(ctx, queries), ...searchExpansions(ctx, queries), ...errors(ctx, queries)];
}

/** Queries to port 53 and, for each, the response that answered it (the last query of the same id and socket before it). */
function matchQueries(cols: PacketColumns, dt: DnsTable): Query[] {
  const out: Query[] = [];
  const open = new Map<string, number>();
  for (let e = 0; e < dt.length; e++) {
    if (dt.bits[e] & DnsBit.Mdns || dt.opcode(e) !== 0) continue;
    const row = dt.row[e];
    const resp = dt.isResponse(e);
    if (!resp && cols.dstPort[row] !== DNS_PORT) continue;
    if (resp && cols.srcPort[row] !== DNS_PORT) continue;
    if (!resp) {
      const q: Query = { e, row, t: cols.time(row), client: cols.src[row], server: cols.dst[row], port: cols.srcPort[row], answer: -1, unreachable: -1 };
      open.set(`${q.client},${q.server},${q.port},${dt.id[e]},${dt.bits[e] & DnsBit.Tcp}`, out.length);
      out.push(q);
    } else {
      const k = open.get(`${cols.dst[row]},${cols.src[row]},${cols.dstPort[row]},${dt.id[e]},${dt.bits[e] & DnsBit.Tcp}`);
      if (k === undefined) continue;
      const q = out[k];
      if (q.answer >= 0) continue; // a second response to the same query
      if (dt.qdCount[e] > 0 && (dt.name[e] !== dt.name[q.e] || dt.qtype[e] !== dt.qtype[q.e])) continue;
      q.answer = e;
    }
  }
  return out;
}

/** ICMP destination unreachable quoting a query (no DNS server there, or a filter saying so). */
function matchUnreachable(cols: PacketColumns, queries: Query[]): void {
  const byKey = new Map<string, Query[]>();
  for (const q of queries) { const k = `${q.client},${q.server},${q.port}`; const l = byKey.get(k); if (l) l.push(q); else byKey.set(k, [q]); }
  for (let i = 0; i < cols.length; i++) {
    const l4 = cols.l4[i], t = cols.icmpType[i];
    if (!((l4 === L4.Icmp && t === 3) || (l4 === L4.Icmpv6 && t === 1)) || cols.qDstPort[i] !== DNS_PORT) continue;
    const list = byKey.get(`${cols.qSrc[i]},${cols.qDst[i]},${cols.qSrcPort[i]}`);
    if (!list) continue;
    // The last query of that socket sent before the message.
    let hit: Query | undefined;
    for (const q of list) if (q.row < i) hit = q;
    if (hit && hit.answer < 0 && hit.unreachable < 0) hit.unreachable = i;
  }
}

const pairKey = (q: Query) => `${q.client}>${q.server}`;

function bucket<T>(items: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) { const k = key(x); const l = m.get(k); if (l) l.push(x); else m.set(k, [x]); }
  return m;
}

/** Evidence frames: the rows the messages name (`must`) and the first of the others, in order. */
function frames(must: number[], rows: number[]): Frame[] {
  const rest = [...new Set(rows)].filter((r) => !must.includes(r)).sort((a, b) => a - b).slice(0, Math.max(0, MAX_FRAMES - must.length));
  return [...new Set([...must, ...rest])].sort((a, b) => a - b).map(frameAt);
}

/** Query and type as "api.example.com (AAAA)". */
function label(dt: DnsTable, e: number): string {
  return `${dt.nameOf(e)} (${typeName(dt.qtype[e])})`;
}

function typeName(t: number): string {
  return t === 1 ? 'A' : t === 28 ? 'AAAA' : t === 33 ? 'SRV' : t === 12 ? 'PTR' : t === 5 ? 'CNAME' : t === 15 ? 'MX' : t === 16 ? 'TXT' : t === 65 ? 'HTTPS' : `type ${t}`;
}

function timeouts(ctx: DiagnoseContext, queries: Query[]): DnsTimeoutFinding[] {
  const cols = ctx.cols, dt = cols.dns;
  const out: DnsTimeoutFinding[] = [];
  // Over UDP only: over TCP a lost segment is TCP's to send again (retransmission-timeout).
  const udp = queries.filter((q) => (dt.bits[q.e] & DnsBit.Tcp) === 0);
  for (const qs of bucket(udp, pairKey).values()) {
    // The same question from the same client, in time order: a retry follows an unanswered query.
    const byQuestion = bucket(qs, (q) => `${dt.name[q.e]},${dt.qtype[q.e]}`);
    const retries: { q: Query; next: Query; after: number }[] = [];
    const lost: Query[] = [];
    const failed = new Set<string>();
    let timeout = 0;
    for (const list of byQuestion.values()) {
      for (let k = 0; k < list.length; k++) {
        const q = list[k];
        if (q.answer >= 0) continue;
        const next = list[k + 1];
        const after = next ? next.t - q.t : Infinity;
        if (next && after >= MIN_RETRY_S && after <= MAX_RETRY_S) { retries.push({ q, next, after }); timeout = Math.max(timeout, after); }
        else if (!next || after > MAX_RETRY_S) lost.push(q);
      }
    }
    // An unanswered query never asked again counts when the capture watched the resolver's timeout after it.
    const wait = timeout || DEFAULT_TIMEOUT_S;
    const covered = lost.filter((q) => ctx.coveredAfter(q.row) >= wait);
    // Answers that came, but a second or more after their query (error answers: dns-error's).
    const slow = qs.filter((q) => q.answer >= 0 && ERROR_RCODES[dt.rcode(q.answer)] === undefined && cols.time(dt.row[q.answer]) - q.t >= STALL_S);
    if (!retries.length && !covered.length && !slow.length) continue;
    // A question never answered at all, its last query watched long enough: the lookup failed.
    // (Asked once only: the client may have taken another way; that query is counted as lost.)
    for (const [k, list] of byQuestion) if (list.length >= 2 && list.every((q) => q.answer < 0) && ctx.coveredAfter(list[list.length - 1].row) >= wait) failed.add(k);
    const stalls = retries.filter((r) => r.after >= STALL_S);
    const unanswered = [...retries.map((r) => r.q), ...covered].sort((a, b) => a.row - b.row);
    // The conntrack race: the other query of a parallel A/AAAA pair from the same socket was answered.
    const parallel = unanswered.filter((q) => qs.some((o) => o !== q && o.port === q.port && o.answer >= 0 && dt.name[o.e] === dt.name[q.e]
      && dt.qtype[o.e] !== dt.qtype[q.e] && Math.abs(o.t - q.t) <= PARALLEL_S)).length;
    const samePort = retries.filter((r) => r.next.port === r.q.port).length;
    const answeredAny = qs.some((q) => q.answer >= 0);
    const unreachable = unanswered.filter((q) => q.unreachable >= 0);
    const first = unanswered[0] ?? slow[0];
    const names = [...new Set(unanswered.map((q) => label(dt, q.e)))];
    const retryAfter = retries.map((r) => Math.round(r.after * 1000) / 1000);
    const timeLost = stalls.reduce((s, r) => s + r.after, 0);
    const severity = failed.size > 0 && answeredAny ? 'error' : stalls.length || covered.length >= 2 || slow.length >= 3 ? 'warning' : 'info';
    const delays = slow.map((q) => cols.time(dt.row[q.answer]) - q.t);
    const rep = retries[0];
    const params: MsgParams = {
      client: host(cols, first.client), server: host(cols, first.server), count: unanswered.length, retries: retries.length,
      slow: slow.length, slowest: span(delays.length ? Math.max(...delays) : 0), ...listParams('slowNames', [...new Set(slow.map((q) => label(dt, q.e)))], 6),
      ...(slow.length ? { sframe: slow[0].row + 1, saframe: dt.row[slow[0].answer] + 1, sdelay: span(delays[0]) } : {}),
      stalls: stalls.length, lost: covered.length, failed: failed.size, parallel, samePort, queries: qs.length,
      timeLost: span(timeLost), wait: secs(wait), frame: first.row + 1, unreachable: unreachable.length, uframe: unreachable.length ? unreachable[0].unreachable + 1 : 0,
      ...listParams('names', names, 6), ...secondsParams('after', retryAfter, 8),
      ...(rep ? { qframe: rep.q.row + 1, rframe: rep.next.row + 1, name: label(dt, rep.q.e), first: secs(rep.after), port: rep.q.port, rport: rep.next.port } : {}),
    };
    const story: Msg[] = [];
    if (rep) story.push({ key: rep.next.port === rep.q.port ? 'dns.timeout.story.retry' : 'dns.timeout.story.retryNewPort', params });
    if (retries.length > 1) story.push({ key: 'dns.timeout.story.retries', params });
    if (covered.length) story.push({ key: 'dns.timeout.story.lost', params });
    if (slow.length) story.push({ key: 'dns.timeout.story.slow', params });
    if (parallel) story.push({ key: 'dns.timeout.story.parallel', params });
    if (failed.size) story.push({ key: 'dns.timeout.story.failed', params });
    if (unreachable.length) story.push({ key: 'dns.timeout.story.unreachable', params });
    else if (!answeredAny) story.push({ key: 'dns.timeout.story.silent', params });
    const remedy: Msg[] = parallel
      ? [{ key: 'dns.timeout.remedy.options', params }, { key: 'dns.timeout.remedy.nodelocal', params }, { key: 'dns.timeout.remedy.kernel', params }]
      : [{ key: 'dns.timeout.remedy.server', params }, { key: 'dns.timeout.remedy.options', params }];
    const rows = [...unanswered.map((q) => q.row), ...retries.map((r) => r.next.row), ...unreachable.map((q) => q.unreachable), ...slow.flatMap((q) => [q.row, dt.row[q.answer]])];
    out.push({
      id: `dns-timeout:${params.client}>${params.server}:f${first.row + 1}`, kind: 'dns-timeout', severity, stream: -1, direction: null,
      frames: frames([first.row, ...(rep ? [rep.q.row, rep.next.row] : []), ...(unreachable.length ? [unreachable[0].unreachable] : []), ...(slow.length ? [slow[0].row, dt.row[slow[0].answer]] : [])], rows), t0: ctx.at(first.row), t1: ctx.at(Math.max(...rows)),
      title: { key: stalls.length ? 'dns.timeout.title' : unanswered.length ? 'dns.timeout.titleLost' : 'dns.timeout.titleSlow', params },
      summary: { key: stalls.length ? 'dns.timeout.summary' : unanswered.length ? 'dns.timeout.summaryLost' : 'dns.timeout.summarySlow', params },
      story, remedy,
      client: String(params.client), server: String(params.server), queries: qs.length, unanswered: unanswered.length, retries: retries.length,
      retryAfter, samePort, parallel, failed: failed.size, unreachable: unreachable.length, slow: slow.length,
      slowest: delays.length ? Math.round(Math.max(...delays) * 1000) / 1000 : 0, timeLost: Math.round(timeLost * 1000) / 1000, timeout: wait,
      names: names.slice(0, 20),
    });
  }
  return out;
}

interface Lookup {
  /** The real name's first query. */
  q: Query;
  expanded: Query[];
  nxdomains: number;
  lost: number;
}

function searchExpansions(ctx: DiagnoseContext, queries: Query[]): DnsSearchFinding[] {
  const cols = ctx.cols, dt = cols.dns;
  const out: DnsSearchFinding[] = [];
  for (const qs of bucket(queries, (q) => `${q.client}`).values()) {
    const used = new Set<Query>();
    const lookups: Lookup[] = [];
    let lo = 0;
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k], name = dt.nameOf(q.e);
      if (!name || used.has(q)) continue;
      while (qs[lo].t < q.t - EXPANSION_WINDOW_S) lo++;
      const prefix = `${name.toLowerCase()}.`;
      const expanded: Query[] = [];
      for (let j = lo; j < k; j++) {
        const x = qs[j];
        if (used.has(x) || x.server !== q.server) continue;
        const xn = dt.nameOf(x.e).toLowerCase();
        if (xn.length > prefix.length && xn.startsWith(prefix) && (x.answer < 0 || dt.rcode(x.answer) === DnsRcode.NxDomain)) expanded.push(x);
      }
      const nx = expanded.filter((x) => x.answer >= 0).length;
      if (!nx) continue;
      for (const x of expanded) used.add(x);
      // The real name's other query (A with AAAA) belongs to the same lookup.
      for (let j = k + 1; j < qs.length && qs[j].t - q.t <= PARALLEL_S; j++) if (dt.name[qs[j].e] === dt.name[q.e]) used.add(qs[j]);
      lookups.push({ q, expanded, nxdomains: nx, lost: q.t - expanded[0].t });
    }
    if (!lookups.length) continue;
    const first = lookups[0];
    const names = [...new Set(lookups.map((l) => dt.nameOf(l.q.e)))];
    const domains = [...new Set(lookups.flatMap((l) => l.expanded.map((x) => dt.nameOf(x.e).slice(dt.nameOf(l.q.e).length + 1).toLowerCase())))];
    const perLookup = median(lookups.map((l) => l.nxdomains));
    const lostEach = lookups.map((l) => l.lost);
    const timeLost = lostEach.reduce((s, x) => s + x, 0);
    const unanswered = lookups.reduce((s, l) => s + l.expanded.length - l.nxdomains, 0);
    const dots = Math.min(...names.map((n) => n.split('.').length - 1));
    const nxdomains = lookups.reduce((s, l) => s + l.nxdomains, 0);
    const severity = median(lostEach) >= STALL_S ? 'warning' : 'info';
    const params: MsgParams = {
      client: host(cols, first.q.client), server: host(cols, first.q.server), count: lookups.length, nxdomains, perLookup,
      timeLost: span(timeLost), perLookupTime: span(median(lostEach)), maxTime: span(Math.max(...lostEach)), dots, ndots: dots + 1, unanswered,
      frame: first.expanded[0].row + 1, real: first.q.row + 1, name: dt.nameOf(first.q.e), firstNx: first.nxdomains, firstTime: span(first.lost),
      ...listParams('names', names, 6), ...listParams('domains', domains, 6),
    };
    const story: Msg[] = [{ key: 'dns.search.story.first', params }, { key: 'dns.search.story.cost', params }];
    if (unanswered) story.push({ key: 'dns.search.story.unanswered', params });
    story.push({ key: 'dns.search.story.why', params });
    const rows = lookups.flatMap((l) => [l.expanded[0].row, l.q.row]);
    out.push({
      id: `dns-search-expansion:${params.client}:f${first.expanded[0].row + 1}`, kind: 'dns-search-expansion', severity, stream: -1, direction: null,
      frames: frames([first.expanded[0].row, first.q.row], rows), t0: ctx.at(first.expanded[0].row), t1: ctx.at(lookups[lookups.length - 1].q.row),
      title: { key: 'dns.search.title', params }, summary: { key: 'dns.search.summary', params }, story,
      remedy: [{ key: 'dns.search.remedy.dot', params }, { key: 'dns.search.remedy.ndots', params }],
      client: String(params.client), server: String(params.server), lookups: lookups.length, nxdomains, nxdomainsPerLookup: perLookup,
      nxdomainsEach: lookups.map((l) => l.nxdomains).slice(0, 50), timeLost: Math.round(timeLost * 1000) / 1000,
      timeLostPerLookup: Math.round(median(lostEach) * 1000) / 1000, searchDomains: domains.slice(0, 20), names: names.slice(0, 20),
    });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : 0;
}

const ERROR_RCODES: Record<number, string> = { [DnsRcode.FormErr]: 'FORMERR', [DnsRcode.ServFail]: 'SERVFAIL', [DnsRcode.NotImp]: 'NOTIMP', [DnsRcode.Refused]: 'REFUSED' };

function errors(ctx: DiagnoseContext, queries: Query[]): DnsErrorFinding[] {
  const cols = ctx.cols, dt = cols.dns;
  const out: DnsErrorFinding[] = [];
  for (const qs of bucket(queries, pairKey).values()) {
    const bad = qs.filter((q) => q.answer >= 0 && ERROR_RCODES[dt.rcode(q.answer)] !== undefined);
    if (!bad.length) continue;
    // A name answered without error elsewhere in the capture: the failure did not last.
    const okNames = new Set(qs.filter((q) => q.answer >= 0 && dt.rcode(q.answer) === DnsRcode.NoError).map((q) => dt.name[q.e]));
    const lasting = new Set(bad.filter((q) => !okNames.has(dt.name[q.e])).map((q) => dt.name[q.e]));
    const counts: Record<string, number> = {};
    for (const q of bad) { const r = ERROR_RCODES[dt.rcode(q.answer)]; counts[r] = (counts[r] ?? 0) + 1; }
    const names = [...new Set(bad.map((q) => label(dt, q.e)))];
    const first = bad[0];
    // How long the errors took: a resolver that fails after seconds makes its clients wait that long.
    const late = Math.max(...bad.map((q) => cols.time(dt.row[q.answer]) - q.t));
    const rcodes = Object.keys(counts);
    const refused = counts.REFUSED ?? 0;
    // One name failing (often a search-domain expansion) is told, not raised.
    const severity = lasting.size >= 2 ? 'warning' : 'info';
    const params: MsgParams = {
      client: host(cols, first.client), server: host(cols, first.server), count: bad.length, lasting: lasting.size, queries: qs.length, slowest: span(late),
      frame: first.answer >= 0 ? dt.row[first.answer] + 1 : first.row + 1, qframe: first.row + 1, name: label(dt, first.e), rcode: ERROR_RCODES[dt.rcode(first.answer)],
      ...listParams('names', names, 6), ...listParams('rcodes', rcodes.map((r) => `${r} ×${counts[r]}`), 4),
    };
    const story: Msg[] = [{ key: 'dns.error.story.first', params }];
    if (bad.length > 1) story.push({ key: 'dns.error.story.many', params });
    if (late >= STALL_S) story.push({ key: 'dns.error.story.slow', params });
    story.push({ key: lasting.size ? 'dns.error.story.lasting' : 'dns.error.story.passed', params });
    const remedy: Msg[] = [{ key: refused ? 'dns.error.remedy.refused' : 'dns.error.remedy.servfail', params }];
    out.push({
      id: `dns-error:${params.client}>${params.server}:f${first.row + 1}`, kind: 'dns-error', severity, stream: -1, direction: null,
      frames: frames([first.row, dt.row[first.answer]], bad.flatMap((q) => [q.row, dt.row[q.answer]])), t0: ctx.at(first.row), t1: ctx.at(dt.row[bad[bad.length - 1].answer]),
      title: { key: 'dns.error.title', params }, summary: { key: 'dns.error.summary', params }, story, remedy,
      client: String(params.client), server: String(params.server), errors: bad.length, rcodes: counts, names: names.slice(0, 20),
    });
  }
  return out;
}
