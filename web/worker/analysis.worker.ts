/// <reference lib="webworker" />
/**
 * The analysis worker: owns the File and everything parsed from it. Messages in and out follow
 * protocol.ts; the work itself is in engine.ts (testable without a worker).
 */
import { loadCore } from './core';
import { AnalysisEngine, EngineError } from './engine';
import { graphTransferables, seriesTransferables } from '../../src/view/index';
import { PROTOCOL_VERSION, type ErrorView, type RequestEnvelope, type ResultMap, type WorkerMessage } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const engine = new AnalysisEngine(loadCore());

function post(msg: WorkerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

/** Large typed arrays are moved to the UI, not copied. */
function transferablesOf(result: ResultMap[keyof ResultMap]): Transferable[] {
  if (result && 'series' in result) return seriesTransferables(result.series);
  if (result && 'graph' in result) return graphTransferables(result.graph);
  if (result && 'detail' in result) return [result.detail.bytes.buffer as ArrayBuffer];
  if (result && 'chunks' in result) return result.chunks.flatMap((c) => (c.kind === 'data' ? [c.bytes.buffer as ArrayBuffer] : []));
  return [];
}

function errorOf(e: unknown): ErrorView {
  if (e instanceof EngineError) return { kind: e.kind, message: e.message };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

async function handle(env: RequestEnvelope): Promise<ResultMap[keyof ResultMap]> {
  const r = env.req;
  switch (r.type) {
    case 'open':
      return { summary: await engine.open(r.file, r.mtu, r.lang, (progress) => post({ kind: 'event', event: { type: 'progress', progress } })) };
    case 'cancel':
      return { cancelled: engine.cancel() };
    case 'summary':
      return engine.summary();
    case 'streams':
      return engine.streamsFiltered(r);
    case 'findings':
      return engine.findings(r.mtu, r.lang);
    case 'finding':
      return engine.finding(r.id, r.mtu, r.lang);
    case 'streamFindings':
      return engine.streamFindings(r.stream, r.mtu, r.lang);
    case 'packetRows':
      return engine.packetRows(r);
    case 'locateFrame':
      return engine.locateFrame(r.frame);
    case 'packetDetail':
      return engine.packetDetail(r.frame, r.lang);
    case 'streamSeries':
      return engine.streamSeries(r);
    case 'streamGraph':
      return engine.streamGraph(r);
    case 'packetList':
      return engine.packetList(r);
    case 'packetListLocate':
      return engine.packetListLocate(r);
    case 'streamStats':
      return engine.streamStats(r.stream);
    case 'follow':
      return engine.follow(r);
    case 'followSave':
      return engine.followSave(r);
    case 'exportPcapng':
      return engine.exportPcapng(r);
    case 'udpConversations':
      return engine.udpConversations(r);
    case 'udpConversation':
      return engine.udpConversation(r);
  }
}

scope.onmessage = (ev: MessageEvent<RequestEnvelope>) => {
  const env = ev.data;
  if (env.v !== PROTOCOL_VERSION) {
    post({ kind: 'reply', id: env.id, ok: false, error: { kind: 'version', message: `protocol ${env.v} is not ${PROTOCOL_VERSION}` } });
    return;
  }
  handle(env).then(
    (result) => post({ kind: 'reply', id: env.id, ok: true, result }, transferablesOf(result)),
    (e: unknown) => post({ kind: 'reply', id: env.id, ok: false, error: errorOf(e) }),
  );
};

post({ kind: 'event', event: { type: 'ready', version: PROTOCOL_VERSION } });
