/// <reference lib="webworker" />
/**
 * The points worker: reads the captures of every point and matches them (pointsCore.ts). Separate
 * from the analysis worker so that worker's protocol and state stay as they are; it holds nothing
 * between requests.
 */
import { buildPointsView, readPointFile } from './pointsCore';
import type { PointsReply, PointsRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (ev: MessageEvent<PointsRequest>) => {
  const { id, files, names } = ev.data;
  void (async () => {
    try {
      const read = [];
      for (let i = 0; i < files.length; i++) read.push(await readPointFile(names[i], files[i]));
      const view = buildPointsView(read.map((r) => r.point), files.map((f) => f.name), read.map((r) => r.warnings), read.map((r) => r.fingerprint));
      scope.postMessage({ id, ok: true, view } satisfies PointsReply);
    } catch (e) {
      scope.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies PointsReply);
    }
  })();
};
