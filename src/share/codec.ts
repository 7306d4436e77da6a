/**
 * The permalink codec: pure functions between the view state and the URL fragment.
 *
 *   #v=3&fp=9f86d081884c7d659a2feaa0c55ad015&n=pmtu-blackhole.pcap&sz=15665&p0p=node&p1=…&p1p=pod&s=0
 *    &a=198.18.1.2.40000&b=198.18.3.2.5201&isn=123,456&d=a&w=0.5,2.25&f=21&k=pmtu-blackhole.0
 *    &g=throughput&ga=0.01&mtu=1440&l=en&snap=…&ck=1a2b3c4d
 *
 * The fragment never reaches a server. It is untrusted input all the same: stateFromUrl bounds its
 * size first, then parses strictly, checks the check digits, upgrades old versions and validates
 * every field; it never throws and says in words what is wrong.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ShareLinkError, shareError, type ShareError, type ShareResult } from './errors.js';
import * as F from './fields.js';
import { decodeSnapshot, encodeSnapshotChecked } from './snapshotCodec.js';
import type { PointRef, ShareState } from './state.js';
import { OLDEST_URL_VERSION, URL_VERSION, upgradeFields, type LinkFields } from './upgraders.js';

/**
 * Longest link we build or read, whole address included. Chromium accepts URLs up to 2 MB and
 * Firefox and Safari far more than this, so browsers are not what breaks first: the carriers are
 * (chat and mail clients and issue trackers cut or refuse long messages; Windows programs that pass
 * URLs through 32,767-character buffers). 32,000 keeps a link below all of those; a typical finding's
 * self-contained link is a few KB.
 */
export const MAX_LINK_CHARS = 32_000;
/** Room left for the page's own address (origin and path) in front of the fragment. */
export const MAX_FRAGMENT_CHARS = MAX_LINK_CHARS - 2_000;

export type StateFromUrlResult =
  | { ok: true; state: ShareState; upgradedFrom?: number }
  | { ok: false; error: ShareError };

/** What each field is, for messages: [label, what a valid value looks like]. */
const FIELDS: Record<string, [string, string]> = {
  v: ['format version', 'a whole number'],
  fp: ['capture fingerprint', '32 to 64 lower-case hexadecimal digits'],
  n: ['capture name', 'a file name of 1 to 255 characters'],
  sz: ['capture size', 'a number of bytes'],
  s: ['stream index', 'a whole number'],
  a: ['endpoint A', 'an address and port such as 192.0.2.1.443'],
  b: ['endpoint B', 'an address and port such as 192.0.2.1.443'],
  isn: ['initial sequence numbers', 'two numbers (or "-") separated by a comma'],
  d: ['direction', '"a" or "b"'],
  w: ['time window', 'two times in seconds, the first before the second'],
  f: ['selected frame', 'a frame number from 1'],
  k: ['finding', 'a finding id'],
  g: ['graph', '"throughput", "rtt" or "window"'],
  ga: ['graph average', 'a time in seconds above 0 and at most 3600'],
  mtu: ['path MTU', 'a whole number from 68 to 65535'],
  l: ['language', '"en" or "zh-CN"'],
  snap: ['snapshot', 'compressed evidence'],
  ck: ['check digits', '8 hexadecimal digits'],
  p0p: ['name of capture point 0', 'a name of 1 to 64 characters'],
};

/**
 * Other capture points a link may name (point 1 … MAX_LINK_POINTS): a path is a few hops, and each
 * point is one more file the recipient must find.
 */
export const MAX_LINK_POINTS = 4;
/** Point k's fields: fingerprint, file name, size, the point's name. */
const pointKeys = (k: number) => ({ fp: `p${k}`, n: `p${k}n`, sz: `p${k}s`, p: `p${k}p` });
const POINT_KEYS: string[] = [];
for (let k = 1; k <= MAX_LINK_POINTS; k++) {
  const keys = pointKeys(k);
  FIELDS[keys.fp] = [`fingerprint of capture point ${k}`, '32 to 64 lower-case hexadecimal digits'];
  FIELDS[keys.n] = [`file name of capture point ${k}`, 'a file name of 1 to 255 characters'];
  FIELDS[keys.sz] = [`file size of capture point ${k}`, 'a number of bytes'];
  FIELDS[keys.p] = [`name of capture point ${k}`, 'a name of 1 to 64 characters'];
  POINT_KEYS.push(keys.fp, keys.n, keys.sz, keys.p);
}
/** Order in which fields are written (readers accept any order). */
const ORDER = ['v', 'fp', 'n', 'sz', 'p0p', ...POINT_KEYS, 's', 'a', 'b', 'isn', 'd', 'w', 'f', 'k', 'g', 'ga', 'mtu', 'l', 'snap', 'ck'];

const MAX_FRAME = 0xffffffff;
const MAX_STREAM = 0x7fffffff;

/**
 * Check digits over the decoded fields (sorted, so neither field order nor a browser's re-escaping
 * of the fragment matters). They catch links edited by hand or cut short on the way; they are not
 * a signature and do not pretend to be.
 */
function checkDigits(fields: LinkFields): string {
  const lines = [...fields].filter(([k]) => k !== 'ck').map(([k, v]) => `${k}=${v}`).sort();
  return bytesToHex(sha256(new TextEncoder().encode(lines.join('\n')))).slice(0, 8);
}

/** Percent-encode, but leave ':' and ',' readable (both are legal in a fragment). */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

function fieldsOf(state: ShareState): ShareResult<LinkFields> {
  const f: LinkFields = new Map();
  const c = state.capture;
  f.set('v', String(URL_VERSION));
  f.set('fp', c.fingerprint);
  if (c.name !== undefined) f.set('n', c.name);
  if (c.size !== undefined) f.set('sz', String(c.size));
  if (c.point !== undefined) f.set('p0p', c.point);
  const points = state.points ?? [];
  if (points.length > MAX_LINK_POINTS) {
    return { ok: false, error: shareError('invalid-field', `A link names at most ${MAX_LINK_POINTS} other capture points, not ${points.length}.`, { field: 'p', count: points.length }) };
  }
  points.forEach((p, i) => {
    const keys = pointKeys(i + 1);
    f.set(keys.fp, p.fingerprint);
    if (p.name !== undefined) f.set(keys.n, p.name);
    if (p.size !== undefined) f.set(keys.sz, String(p.size));
    if (p.point !== undefined) f.set(keys.p, p.point);
  });
  const s = state.stream;
  if (s) {
    f.set('s', String(s.index));
    if (s.a) f.set('a', F.writeEndpoint(s.a));
    if (s.b) f.set('b', F.writeEndpoint(s.b));
    if (s.isn) f.set('isn', F.writeIsn(s.isn));
  }
  if (state.direction !== undefined) f.set('d', state.direction);
  if (state.window) f.set('w', F.writeWindow(state.window));
  if (state.frame !== undefined) f.set('f', String(state.frame));
  if (state.finding !== undefined) f.set('k', state.finding);
  if (state.graph) {
    f.set('g', state.graph.kind);
    if (state.graph.average !== undefined) f.set('ga', F.writeTime(state.graph.average));
  }
  if (state.mtu !== undefined) f.set('mtu', String(state.mtu));
  if (state.lang !== undefined) f.set('l', state.lang);
  if (state.snapshot) {
    const snap = encodeSnapshotChecked(state.snapshot);
    if (!snap.ok) return snap;
    f.set('snap', snap.value);
  }
  return { ok: true, value: f };
}

/** The fragment for a state, or why it cannot be made (invalid field, too long). */
export function tryUrlFromState(state: ShareState): ShareResult<string> {
  const built = fieldsOf(state);
  if (!built.ok) return built;
  const fields = built.value;
  // Read every field back: what we write must be exactly what we accept.
  const back = readFields(new Map(fields));
  if (!back.ok) return back;
  fields.set('ck', checkDigits(fields));
  const text = '#' + ORDER.filter((k) => fields.has(k)).map((k) => `${k}=${encodeValue(fields.get(k) as string)}`).join('&');
  if (text.length > MAX_FRAGMENT_CHARS) {
    return {
      ok: false,
      error: shareError(
        'too-large',
        `This link would be ${text.length.toLocaleString('en')} characters long, more than the ${MAX_FRAGMENT_CHARS.toLocaleString('en')} that can be shared safely. Narrow the chart's time window or share a link without the snapshot.`,
        { chars: text.length, limit: MAX_FRAGMENT_CHARS },
      ),
    };
  }
  return { ok: true, value: text };
}

/** The fragment (starting with '#') for a state. Throws ShareLinkError when it cannot be made. */
export function urlFromState(state: ShareState): string {
  const r = tryUrlFromState(state);
  if (!r.ok) throw new ShareLinkError(r.error);
  return r.value;
}

function invalid(key: string, value: string): { ok: false; error: ShareError } {
  const [label, expected] = FIELDS[key] ?? [key, 'a valid value'];
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return {
    ok: false,
    error: shareError('invalid-field', `This link's ${label} ("${shown}") is not valid: expected ${expected}.`, { field: key, label, value: shown }),
  };
}

function malformed(message: string, params?: Record<string, string | number>): { ok: false; error: ShareError } {
  return { ok: false, error: shareError('malformed', `This link cannot be read: ${message}.`, params) };
}

/** Split the fragment into decoded fields; rejects anything that is not plain `key=value&...`. */
function splitFields(body: string): ShareResult<LinkFields> {
  const fields: LinkFields = new Map();
  for (const part of body.split('&')) {
    if (part === '') continue; // tolerate a stray '&' (some chat clients add one)
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0 || !/^[a-z][a-z0-9]{0,7}$/.test(key)) return malformed(`"${part.slice(0, 20)}" is not a field`, { part: part.slice(0, 20) });
    if (fields.has(key)) return malformed(`the field "${key}" appears twice`, { field: key });
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return malformed(`the field "${key}" has a broken %-escape`, { field: key });
    }
    fields.set(key, value);
  }
  return { ok: true, value: fields };
}

/** Current-version fields → state (no check digits, no version handling). */
function readFields(fields: LinkFields): ShareResult<ShareState> {
  for (const key of fields.keys()) {
    if (!(key in FIELDS)) return malformed(`the field "${key}" is unknown`, { field: key });
  }
  const get = (k: string) => fields.get(k);
  const fp = get('fp');
  if (fp === undefined) return malformed('the capture fingerprint is missing', { field: 'fp' });
  const fingerprint = F.readFingerprint(fp);
  if (fingerprint === null) return invalid('fp', fp);
  const state: ShareState = { capture: { fingerprint } };

  // Each optional field: read it if present, or fail naming it.
  const opt = <T>(key: string, read: (s: string) => T | null, set: (v: T) => void): ShareError | null => {
    const raw = get(key);
    if (raw === undefined) return null;
    const v = read(raw);
    if (v === null) return invalid(key, raw).error;
    set(v);
    return null;
  };
  const graphParts: { kind?: F.GraphKindValue; average?: number } = {};
  const streamParts: { index?: number; a?: F.Endpoint; b?: F.Endpoint; isn?: [number | null, number | null] } = {};
  const errors = [
    opt('n', F.readName, (v) => (state.capture.name = v)),
    opt('sz', (s) => F.readUint(s, Number.MAX_SAFE_INTEGER), (v) => (state.capture.size = v)),
    opt('p0p', F.readPointName, (v) => (state.capture.point = v)),
    opt('s', (s) => F.readUint(s, MAX_STREAM), (v) => (streamParts.index = v)),
    opt('a', F.readEndpoint, (v) => (streamParts.a = v)),
    opt('b', F.readEndpoint, (v) => (streamParts.b = v)),
    opt('isn', F.readIsn, (v) => (streamParts.isn = v)),
    opt('d', F.readDirection, (v) => (state.direction = v)),
    opt('w', (s) => F.readWindow(s), (v) => (state.window = v)),
    opt('f', (s) => F.readUint(s, MAX_FRAME, 1), (v) => (state.frame = v)),
    opt('k', F.readIdent, (v) => (state.finding = v)),
    opt('g', F.readGraphKind, (v) => (graphParts.kind = v)),
    opt('ga', F.readGraphAverage, (v) => (graphParts.average = v)),
    opt('mtu', F.readMtu, (v) => (state.mtu = v)),
    opt('l', F.readLang, (v) => (state.lang = v)),
  ];
  const firstError = errors.find((e) => e !== null);
  if (firstError) return { ok: false, error: firstError };
  const points = readPoints(fields);
  if (!points.ok) return points;
  if (points.value.length > 0) state.points = points.value;

  if (graphParts.kind !== undefined) {
    state.graph = { kind: graphParts.kind };
    if (graphParts.average !== undefined) state.graph.average = graphParts.average;
  } else if (graphParts.average !== undefined) return malformed('the graph\'s average is given but not the graph', { field: 'g' });

  if (streamParts.index === undefined) {
    if (streamParts.a || streamParts.b || streamParts.isn) return malformed('the stream is described but its index is missing', { field: 's' });
  } else {
    if ((streamParts.a === undefined) !== (streamParts.b === undefined)) return malformed('only one of the two endpoints is given', { field: streamParts.a ? 'b' : 'a' });
    state.stream = { index: streamParts.index };
    if (streamParts.a && streamParts.b) {
      state.stream.a = streamParts.a;
      state.stream.b = streamParts.b;
    }
    if (streamParts.isn) state.stream.isn = streamParts.isn;
  }

  const snap = get('snap');
  if (snap !== undefined) {
    const decoded = decodeSnapshot(snap);
    if (!decoded.ok) return decoded;
    state.snapshot = decoded.value;
  }
  return { ok: true, value: state };
}

/** Points 1, 2, … in order: each needs its fingerprint, and none may follow a missing one. */
function readPoints(fields: LinkFields): ShareResult<PointRef[]> {
  const out: PointRef[] = [];
  let gap = 0;
  for (let k = 1; k <= MAX_LINK_POINTS; k++) {
    const keys = pointKeys(k);
    const fp = fields.get(keys.fp);
    if (fp === undefined) {
      const stray = [keys.n, keys.sz, keys.p].find((key) => fields.has(key));
      if (stray) return malformed(`capture point ${k} is described but its fingerprint is missing`, { field: keys.fp });
      gap = gap || k;
      continue;
    }
    if (gap) return malformed(`capture point ${k} is given but point ${gap} is missing`, { field: `p${gap}` });
    const fingerprint = F.readFingerprint(fp);
    if (fingerprint === null) return invalid(keys.fp, fp);
    const ref: PointRef = { fingerprint };
    const name = fields.get(keys.n), size = fields.get(keys.sz), point = fields.get(keys.p);
    if (name !== undefined) {
      const v = F.readName(name);
      if (v === null) return invalid(keys.n, name);
      ref.name = v;
    }
    if (size !== undefined) {
      const v = F.readUint(size, Number.MAX_SAFE_INTEGER);
      if (v === null) return invalid(keys.sz, size);
      ref.size = v;
    }
    if (point !== undefined) {
      const v = F.readPointName(point);
      if (v === null) return invalid(keys.p, point);
      ref.point = v;
    }
    out.push(ref);
  }
  return { ok: true, value: out };
}

/** The state a fragment (with or without its leading '#') describes, or why it cannot be read. */
export function stateFromUrl(fragment: string): StateFromUrlResult {
  if (typeof fragment !== 'string') return { ok: false, error: shareError('empty', 'There is no link to open.') };
  // Size first: nothing of a huge input is looked at.
  if (fragment.length > MAX_LINK_CHARS) {
    return {
      ok: false,
      error: shareError('too-large', `This link is ${fragment.length.toLocaleString('en')} characters long; links longer than ${MAX_LINK_CHARS.toLocaleString('en')} are refused.`, { chars: fragment.length, limit: MAX_LINK_CHARS }),
    };
  }
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (!/(^|&)v=/.test(body)) {
    if (/(^|&)fp=/.test(body)) return malformed('its format version is missing', { field: 'v' });
    return { ok: false, error: shareError('empty', 'There is no Capture Inspector link in this address.') };
  }
  const split = splitFields(body);
  if (!split.ok) return split;
  const fields = split.value;

  const v = fields.get('v') as string;
  const version = F.readUint(v, 9999, 1);
  if (version === null) return invalid('v', v);
  if (version > URL_VERSION) {
    return {
      ok: false,
      error: shareError('too-new', `This link was made by a newer version of Capture Inspector (link format ${version}; this version reads up to ${URL_VERSION}). Open it with the current version of the app.`, { version, supported: URL_VERSION }),
    };
  }
  if (version < OLDEST_URL_VERSION) return invalid('v', v);

  // Check digits exist from v2 on; older links carry none.
  if (version >= 2) {
    const ck = fields.get('ck');
    if (ck === undefined) return { ok: false, error: shareError('tampered', "This link is incomplete: its check digits are missing, so it was probably cut short. Ask for the whole link again.") };
    if (ck !== checkDigits(fields)) return { ok: false, error: shareError('tampered', 'This link was changed or damaged after it was made (its check digits do not match). Ask for the link again.') };
    fields.delete('ck');
  }

  fields.delete('v');
  if (!upgradeFields(fields, version)) return malformed(`links of format ${version} can no longer be read`, { version });
  const read = readFields(fields);
  if (!read.ok) return read;
  return version < URL_VERSION ? { ok: true, state: read.value, upgradedFrom: version } : { ok: true, state: read.value };
}
