/**
 * The whole core on one input, as the app runs it: capture reader → decoder → TCP analyzer →
 * diagnoses. Used by the benchmark, the fuzzer and the corpus test, so all three measure and stress
 * the same path. No node: imports, so tests and workers can use it too.
 */
import { createCaptureReader } from '../../src/capture/index';
import type { CaptureReader, CaptureSink } from '../../src/capture/types';
import { diagnose } from '../../src/diagnose/index';
import type { Finding } from '../../src/diagnose/types';
import { CaptureSession } from '../../src/pipeline';
import { TcpAnalyzer } from '../../src/tcp/analyzer';

export type Stage = 'read' | 'decode' | 'analyze';

export interface AnalysisRun {
  /** Feed the next chunk (any size). */
  push(chunk: Uint8Array): void;
  /** Finish: flush the reader, run the processors' finish and (for 'analyze') the diagnoses. */
  end(): AnalysisOutcome;
}

export interface AnalysisOutcome {
  packets: number;
  warnings: number;
  fatal: boolean;
  streams: number;
  findings: Finding[];
  /** The session, for callers that inspect rows (null for the bare 'read' stage). */
  session: CaptureSession | null;
  analyzer: TcpAnalyzer | null;
}

/** A reader with a sink that only counts: the reading stage alone. */
function startRead(): AnalysisRun {
  let packets = 0, warnings = 0, fatal = false;
  const sink: CaptureSink = {
    onRecord() { packets++; },
    onWarning(w) { warnings++; if (w.fatal) fatal = true; },
  };
  const reader: CaptureReader = createCaptureReader(sink);
  return {
    push: (c) => reader.push(c),
    end() {
      reader.end();
      return { packets, warnings, fatal, streams: 0, findings: [], session: null, analyzer: null };
    },
  };
}

/** `expectedBytes`: the input's size when known, as the app and the CLI pass it (see CaptureSession). */
export function startAnalysis(stage: Stage, expectedBytes?: number): AnalysisRun {
  if (stage === 'read') return startRead();
  const analyzer = stage === 'analyze' ? new TcpAnalyzer() : null;
  const session = new CaptureSession({ processors: analyzer ? [analyzer] : [], createReader: createCaptureReader, expectedBytes });
  return {
    push: (c) => session.push(c),
    end() {
      session.end();
      let findings: Finding[] = [];
      if (analyzer) {
        const out = analyzer.out;
        findings = diagnose({
          cols: session.columns,
          tcp: { stream: out.stream, dir: out.dir, flags: out.flags, streams: analyzer.streams },
          format: session.format, interfaces: session.interfaces, warnings: session.warnings,
        });
      }
      return {
        packets: session.packets, warnings: session.warnings.length, fatal: session.stopped,
        streams: analyzer ? analyzer.streams.length : 0, findings, session, analyzer,
      };
    },
  };
}

/** Run `bytes` through the stage, cut into chunks whose sizes `nextChunk` chooses. */
export function analyzeBytes(bytes: Uint8Array, stage: Stage, nextChunk: () => number = () => bytes.length): AnalysisOutcome {
  const run = startAnalysis(stage, bytes.length);
  for (let off = 0; off < bytes.length; ) {
    const n = Math.max(1, Math.min(bytes.length - off, nextChunk()));
    run.push(bytes.subarray(off, off + n));
    off += n;
  }
  return run.end();
}
