/// <reference lib="webworker" />
/**
 * The points worker: reads the captures of every point and matches them (pointsCore.ts). Separate
 * from the analysis worker so that worker's protocol and state stay as they are; it holds nothing
 * between requests.
 */
import type { CapturePoint } from '../../src/points/index';
import { buildPointsView, startPoint, type PointWarning } from './pointsCore';
import type { PointsReply, PointsRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const SLICE = 4 << 20;

/** Read a capture slice by slice into the core: only the packet table is kept, never the file. */
async function readPoint(name: string, file: Blob): Promise<{ point: CapturePoint; warnings: PointWarning[] }> {
  const run = startPoint(name, file.size);
  for (let at = 0; at < file.size && !run.stopped(); at += SLICE) run.push(new Uint8Array(await file.slice(at, at + SLICE).arrayBuffer()));
  return run.finish();
}

scope.onmessage = (ev: MessageEvent<PointsRequest>) => {
  const { id, files, names } = ev.data;
  void (async () => {
    try {
      const read = [];
      for (let i = 0; i < files.length; i++) read.push(await readPoint(names[i], files[i]));
      const view = buildPointsView(read.map((r) => r.point), files.map((f) => f.name), read.map((r) => r.warnings));
      scope.postMessage({ id, ok: true, view } satisfies PointsReply);
    } catch (e) {
      scope.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies PointsReply);
    }
  })();
};
