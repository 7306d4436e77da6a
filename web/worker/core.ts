/**
 * The one place where the worker meets the core (src/). Everything the worker needs from the reader
 * pipeline, the TCP analyzer, the diagnoses, the series builder and the detail decoder goes through
 * the `CoreAnalysis` interface below, so a change in a core API is fixed here and nowhere else.
 *
 * Core modules are looked up with import.meta.glob so the app still builds (with a visible "analysis
 * not available" note) while a piece of the core is missing from a checkout.
 */
import type { CaptureInterface, CaptureWarning } from '../../src/capture/types';
import type { PacketColumns, RowProcessor } from '../../src/decode/columns';
import type { TcpStreamInfo } from '../../src/tcp/types';
import type { DetailLayer, Direction, Severity } from './protocol';

/** A diagnosis as the worker hands it on (text already in the requested language). */
export interface CoreFinding {
  id: string;
  kind: string;
  severity: Severity;
  stream: number;
  dir: Direction | null;
  frames: number[];
  t0: number | null;
  t1: number | null;
  title: string;
  paragraphs: string[];
}

export interface CoreTcp {
  streams: readonly TcpStreamInfo[];
  /** tcp.stream of row i, -1 when the row is not TCP. */
  streamOf(row: number): number;
  /** TcpFlagBit bits of row i. */
  flagsOf(row: number): number;
}

export interface SeriesRequest {
  stream: number;
  dir: Direction;
  t0: number;
  t1: number;
  pixels: number;
  mtu: number;
}

export interface CoreAnalysis {
  columns: PacketColumns;
  warnings: readonly CaptureWarning[];
  format: string;
  interfaces: readonly CaptureInterface[];
  tcp: CoreTcp | null;
  diagnose(mtu: number, lang: string): CoreFinding[];
  series(req: SeriesRequest): unknown;
}

/** A reading in progress: feed chunks, then finish. */
export interface CoreRun {
  push(chunk: Uint8Array): void;
  packets(): number;
  finish(): CoreAnalysis;
}

export interface Core {
  available: { pipeline: boolean; tcp: boolean; diagnose: boolean; series: boolean; detail: boolean };
  start(): CoreRun;
  decodeDetail(bytes: Uint8Array, linkType: number): DetailLayer[] | null;
}

type Mod = Record<string, unknown>;
type AnyFn = (...args: unknown[]) => unknown;
type AnyCtor = new (...args: unknown[]) => Record<string, unknown>;

const loaders: Record<string, () => Promise<unknown>> = {
  ...import.meta.glob('../../src/pipeline.ts'),
  ...import.meta.glob('../../src/tcp/analyzer.ts'),
  ...import.meta.glob('../../src/diagnose/index.ts'),
  ...import.meta.glob('../../src/view/series.ts'),
  ...import.meta.glob('../../src/decode/detail.ts'),
};

async function load(path: string): Promise<Mod | null> {
  const l = loaders[path];
  return l ? ((await l()) as Mod) : null;
}

function pick<T>(obj: Record<string, unknown> | null | undefined, names: string[]): T | undefined {
  if (!obj) return undefined;
  for (const n of names) if (obj[n] !== undefined) return obj[n] as T;
  return undefined;
}

function perRow(analyzer: Record<string, unknown>, names: string[], fallback: number): (row: number) => number {
  const v = pick<unknown>(analyzer, names);
  if (typeof v === 'function') return (row) => (v as AnyFn).call(analyzer, row) as number;
  if (v && typeof (v as ArrayLike<number>).length === 'number') {
    const arr = v as ArrayLike<number>;
    return (row) => arr[row] ?? fallback;
  }
  return () => fallback;
}

const SEVERITIES: Severity[] = ['critical', 'error', 'warning', 'info'];

function toFinding(raw: Record<string, unknown>, i: number, lang: string, render: AnyFn | undefined): CoreFinding {
  const sev = String(raw.severity ?? 'warning') as Severity;
  const frames = (pick<number[]>(raw, ['frames', 'evidence', 'evidenceFrames']) ?? []).map(Number).filter(Number.isFinite);
  const text = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && render) return String(render(v, lang));
    if (v && typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
    return '';
  };
  const paras = pick<unknown>(raw, ['paragraphs', 'story', 'narrative', 'messages']);
  const dir = raw.dir ?? raw.direction;
  return {
    id: String(raw.id ?? `${String(raw.kind ?? 'finding')}-${String(raw.stream ?? -1)}-${i}`),
    kind: String(raw.kind ?? 'finding'),
    severity: SEVERITIES.includes(sev) ? sev : 'warning',
    stream: Number(raw.stream ?? -1),
    dir: dir === 0 || dir === 1 ? dir : null,
    frames,
    t0: typeof raw.t0 === 'number' ? raw.t0 : null,
    t1: typeof raw.t1 === 'number' ? raw.t1 : null,
    title: text(pick(raw, ['title', 'summary', 'headline'])),
    paragraphs: (Array.isArray(paras) ? paras : paras ? [paras] : []).map(text).filter(Boolean),
  };
}

export async function loadCore(): Promise<Core> {
  const [pipeline, tcpMod, diagMod, seriesMod, detailMod] = await Promise.all([
    load('../../src/pipeline.ts'),
    load('../../src/tcp/analyzer.ts'),
    load('../../src/diagnose/index.ts'),
    load('../../src/view/series.ts'),
    load('../../src/decode/detail.ts'),
  ]);
  const Session = pick<AnyCtor>(pipeline, ['CaptureSession']);
  const Analyzer = pick<AnyCtor>(tcpMod, ['TcpAnalyzer']);
  const diagnoseFn = pick<AnyFn>(diagMod, ['diagnose']);
  const renderFn = pick<AnyFn>(diagMod, ['renderMessage', 'render', 'formatMessage']);
  const seriesFn = pick<AnyFn>(seriesMod, ['streamSeries', 'buildSeries']);
  const detailFn = pick<AnyFn>(detailMod, ['decodeDetail']);

  return {
    available: { pipeline: !!Session, tcp: !!Analyzer, diagnose: !!diagnoseFn, series: !!seriesFn, detail: !!detailFn },
    decodeDetail(bytes, linkType) {
      if (!detailFn) return null;
      const out = detailFn(bytes, linkType) as DetailLayer[] | { layers: DetailLayer[] } | null;
      return Array.isArray(out) ? out : (out?.layers ?? null);
    },
    start() {
      if (!Session) throw new Error('the capture reader is not part of this build');
      const analyzer = Analyzer ? new Analyzer() : null;
      const processors = analyzer ? [analyzer as unknown as RowProcessor] : [];
      const session = new Session({ processors });
      const columns = () => session.columns as PacketColumns;
      return {
        push: (chunk) => (session.push as AnyFn).call(session, chunk),
        packets: () => columns().length,
        finish() {
          (session.end as AnyFn).call(session);
          const streams = (analyzer ? pick<TcpStreamInfo[]>(analyzer, ['streams', 'streamInfos']) : undefined) ?? [];
          const tcp: CoreTcp | null = analyzer
            ? { streams, streamOf: perRow(analyzer, ['streamOf', 'stream', 'streamIndex', 'streams32'], -1), flagsOf: perRow(analyzer, ['flagsOf', 'flags', 'analysisFlags'], 0) }
            : null;
          const analysis: CoreAnalysis = {
            columns: columns(),
            warnings: (session.warnings as CaptureWarning[] | undefined) ?? [],
            format: String(session.format ?? 'unknown'),
            interfaces: (session.interfaces as CaptureInterface[] | undefined) ?? [],
            tcp,
            diagnose(mtu, lang) {
              if (!diagnoseFn || !analyzer) return [];
              const out = diagnoseFn({ columns: columns(), tcp: analyzer, analyzer, session, pathMtu: mtu, mtu, lang });
              const list = Array.isArray(out) ? out : (pick<unknown[]>(out as Mod, ['findings']) ?? []);
              return (list as Record<string, unknown>[]).map((f, i) => toFinding(f, i, lang, renderFn));
            },
            series(req) {
              if (!seriesFn) return null;
              return seriesFn({ columns: columns(), tcp: analyzer, analyzer, ...req });
            },
          };
          return analysis;
        },
      };
    },
  };
}
