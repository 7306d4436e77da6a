/// <reference lib="webworker" />
/**
 * The points worker: reads the captures of every point and matches them (pointsCore.ts). Separate
 * from the analysis worker so that worker's protocol and state stay as they are; it holds nothing
 * between requests.
 */
import { analyseBytes, buildPointsView } from './pointsCore';
import type { PointsReply, PointsRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const SLICE = 4 << 20;

async function chunksOf(file: Blob): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let at = 0; at < file.size; at += SLICE) out.push(new Uint8Array(await file.slice(at, at + SLICE).arrayBuffer()));
  return out;
}

scope.onmessage = (ev: MessageEvent<PointsRequest>) => {
  const { id, files, names } = ev.data;
  void (async () => {
    try {
      const points = [];
      for (let i = 0; i < files.length; i++) points.push(analyseBytes(names[i], await chunksOf(files[i])));
      const view = buildPointsView(points, files.map((f) => f.name));
      scope.postMessage({ id, ok: true, view } satisfies PointsReply);
    } catch (e) {
      scope.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies PointsReply);
    }
  })();
};
