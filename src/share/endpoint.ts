/**
 * Endpoints as a link spells them: `address.port`, the way tcpdump prints them, for IPv4 and IPv6
 * alike (the port follows the last dot), so no brackets need escaping in a URL. An address is an
 * IPv4 or IPv6 literal, or a placeholder such as "client" once addresses have been masked.
 */

export interface Endpoint {
  /** IPv4 dotted quad, IPv6 text, or a masking placeholder ("client", "server", "host-3"). */
  addr: string;
  port: number;
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXGROUP = /^[0-9a-fA-F]{1,4}$/;
/** Lower-case word with digits and dashes; never contains '.' or ':' so it cannot be mistaken for an address. */
const PLACEHOLDER = /^[a-z][a-z0-9-]{0,15}$/;

export function isIpv4(s: string): boolean {
  return V4.test(s);
}

/** RFC 4291 text forms: eight groups, one "::", optionally a trailing dotted quad. No zone ids. */
export function isIpv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let groups = 8;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
    if (!isIpv4(s.slice(lastColon + 1))) return false;
    body = s.slice(0, lastColon + 1) + '0';
    groups = 7;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const parts = (h: string) => (h === '' ? [] : h.split(':'));
  if (halves.length === 1) {
    const g = parts(body);
    return g.length === groups && g.every((x) => HEXGROUP.test(x));
  }
  const head = parts(halves[0]);
  const tail = parts(halves[1]);
  if (![...head, ...tail].every((x) => HEXGROUP.test(x))) return false;
  // "::" stands for at least one zero group.
  return head.length + tail.length <= groups - 1;
}

export function isPlaceholder(s: string): boolean {
  return PLACEHOLDER.test(s);
}

export function isEndpointAddress(s: string): boolean {
  return isIpv4(s) || isIpv6(s) || isPlaceholder(s);
}

export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

export function formatEndpoint(e: Endpoint): string {
  return `${e.addr}.${e.port}`;
}

/** Inverse of formatEndpoint; null for anything that is not exactly `address.port`. */
export function parseEndpoint(s: string): Endpoint | null {
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return null;
  const portText = s.slice(dot + 1);
  if (!/^(0|[1-9]\d{0,4})$/.test(portText)) return null;
  const port = Number(portText);
  const addr = s.slice(0, dot);
  if (!isPort(port) || !isEndpointAddress(addr)) return null;
  return { addr, port };
}
