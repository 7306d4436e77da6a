/**
 * The diagnoses, in one list. `diagnoseCapture` (index.ts) runs every detector named here, and
 * `groupFindings` (group.ts) groups their findings by the key each one gives; nothing else names a
 * detector. Each detector is one file that exports its `Detector`: the finding kinds it makes, the
 * key prefixes of its messages (src/i18n/messages.*.ts), its finder and its grouping key.
 *
 * Adding a diagnosis: a file of its own exporting a `Detector`, one line in `DETECTORS` below, its
 * finding type in types.ts, its messages in both catalogues, its tests (see README.md).
 */
import type { DiagnoseContext } from './context';
import { asymmetricDetector } from './asymmetric';
import { dnsDetector } from './dns';
import { pawsDetector } from './paws';
import { synDroppedDetector } from './synDropped';
import { foreignResetDetector } from './foreignReset';
import { idleTimeoutDetector } from './idleTimeout';
import { untranslatedDetector } from './untranslated';
import { blackholeDetector } from './pmtuBlackhole';
import { ptbDetector } from './icmpPtb';
import { highLossDetector } from './highLoss';
import { oversizedDetector } from './oversized';
import { resetDetector } from './reset';
import { rtoDetector } from './rto';
import { slowTransferDetector } from './slowTransfer';
import { nagleDetector } from './nagle';
import { slowStartIdleDetector } from './slowStartIdle';
import type { StreamModel } from './streams';
import type { Finding, FindingKind } from './types';
import { zeroWindowDetector } from './zeroWindow';

/** What the capture showed about the paths, known once the first walk has seen every stream. */
export interface PathFacts {
  /** The path MTU black holes revealed, by "sender>receiver" address: it holds on that path only. */
  inferred: Map<string, number>;
  /** Stream directions (stream * 2 + direction) a black-hole finding tells about. */
  blackholes: Set<number>;
}

/** What a detector is given besides the context. */
export interface DetectorInput {
  /** Findings the detectors listed before this one made on the streams examined now. */
  batch: readonly Finding[];
  /** In the second walk only (`walk: 'paths'`). */
  paths?: PathFacts;
}

export interface Detector<F extends Finding = Finding> {
  /** The finding kinds it makes (types.ts). */
  kinds: readonly F['kind'][];
  /** Key prefixes of its messages in src/i18n/messages.en.ts and messages.zh-CN.ts. */
  messages: readonly string[];
  /**
   * 'streams': run on every batch of streams in the first walk (the usual). 'paths': run in a second
   * walk, once the first has seen every stream, with `found.paths`. 'capture': once, on the whole
   * capture (what is not about TCP streams: DNS), after the other two.
   */
  walk: 'streams' | 'paths' | 'capture';
  /** Its findings on `ctx.active`, the streams examined now. */
  find(ctx: DiagnoseContext, found: DetectorInput): F[];
  /**
   * Findings of one pattern between the same hosts share this key and become one finding when three
   * or more streams share it (group.ts); null or absent: never grouped this way.
   */
  groupKey?(f: F, m: StreamModel): string | null;
}

/** Every detector, in the order they run: a detector may read the findings of those before it. */
export const DETECTORS: readonly Detector[] = [
  blackholeDetector,
  ptbDetector,
  idleTimeoutDetector,
  foreignResetDetector,
  untranslatedDetector,
  rtoDetector,
  resetDetector,
  zeroWindowDetector,
  highLossDetector,
  slowTransferDetector,
  nagleDetector,
  slowStartIdleDetector,
  oversizedDetector,
  dnsDetector,
  pawsDetector,
  synDroppedDetector,
  asymmetricDetector,
] as readonly Detector[];

const byKind = new Map<FindingKind, Detector>();
for (const d of DETECTORS) for (const k of d.kinds) byKind.set(k, d);

/** The detector that makes findings of `kind` (undefined for kinds made elsewhere, e.g. src/points). */
export function detectorOf(kind: FindingKind): Detector | undefined {
  return byKind.get(kind);
}

/** Run `detectors` of one walk on the active streams, appending their findings to `out`. */
export function runDetectors(ctx: DiagnoseContext, walk: Detector['walk'], out: Finding[], paths?: PathFacts): void {
  const batch: Finding[] = [];
  for (const d of DETECTORS) {
    if (d.walk !== walk) continue;
    for (const f of d.find(ctx, { batch, paths })) batch.push(f);
  }
  for (const f of batch) out.push(f);
}
