/** Files the user saves from the worker's answers: a followed stream's bytes, packets as pcapng. */
import { download } from '../share/download';
import { ask } from '../store/session';
import type { ExportTarget, FollowDirs, FollowTargetView } from '../worker/protocol';

/** The capture's name without its extensions ("trace.pcapng.gz" → "trace"), safe in a file name. */
export function captureBase(fileName: string | null): string {
  const base = (fileName ?? 'capture').replace(/(\.(pcapng|pcap|cap|gz))+$/i, '');
  return base.replace(/[^\w.-]+/g, '_') || 'capture';
}

export type Saved = { ok: true; name: string; count: number } | { ok: false; message: string };

/** Packets as pcapng, downloaded as `<capture>-<what>.pcapng`; `count`: packets written. */
export async function savePcapng(target: ExportTarget, fileName: string | null, what: string): Promise<Saved> {
  const o = await ask({ type: 'exportPcapng', target });
  if (!o.ok) return { ok: false, message: o.error.message };
  if (!o.value.blob) return { ok: false, message: o.value.error ?? '' };
  const name = `${captureBase(fileName)}-${what.replace(/[^\w.-]+/g, '-')}.pcapng`;
  download(name, o.value.blob);
  return { ok: true, name, count: o.value.packets };
}

/** A followed stream's payload (the directions asked), downloaded as `<capture>-<what>-<dirs>.bin`; `count`: bytes. */
export async function saveFollow(target: FollowTargetView, dirs: FollowDirs, fileName: string | null, what: string): Promise<Saved> {
  const o = await ask({ type: 'followSave', target, dirs });
  if (!o.ok) return { ok: false, message: o.error.message };
  const side = dirs === 'both' ? 'both' : dirs === 0 ? 'a-to-b' : 'b-to-a';
  const name = `${captureBase(fileName)}-${what}-${side}.bin`;
  download(name, o.value.blob);
  return { ok: true, name, count: o.value.bytes };
}
