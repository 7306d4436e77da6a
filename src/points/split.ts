/**
 * One capture, several points: a `-i any` capture (Linux cooked v2, interface index per packet) or
 * a pcapng file with several interfaces sees a forwarded packet once per interface it crosses. Each
 * interface becomes a point (on one clock), so "in on eth0, never out on tunl0" is the same
 * question as between two files.
 */
import type { CaptureInterface } from '../capture/types';
import type { DiagnoseInput } from '../diagnose/types';
import type { CapturePoint } from './types';

export interface SplitInput {
  cols: DiagnoseInput['cols'];
  tcp: NonNullable<DiagnoseInput['tcp']>;
  interfaces?: (CaptureInterface | undefined)[];
}

/**
 * The points of one capture, one per interface, in order of first appearance (a forwarded packet
 * meets its incoming interface first). Fewer than two interfaces: one point, the whole capture.
 */
export function splitByInterface(session: SplitInput, name = 'capture'): CapturePoint[] {
  const c = session.cols;
  let sll = false;
  for (let i = 0; i < c.length && !sll; i++) sll = c.sllIfIndex[i] >= 0;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < c.length; i++) {
    const g = sll ? c.sllIfIndex[i] : c.iface[i];
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  if (groups.size < 2) return [{ name, cols: c, tcp: session.tcp }];
  const clockGroup = `${name}#clock`;
  return [...groups].map(([g, rows]) => ({
    name: sll ? `ifindex ${g}` : (session.interfaces?.[g]?.name ?? `interface ${g}`),
    cols: c,
    tcp: session.tcp,
    rows: Int32Array.from(rows),
    clockGroup,
  }));
}
