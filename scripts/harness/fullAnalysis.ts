/**
 * The whole core on one input, as the app runs it: the core's entry point (src/analysis.ts:
 * capture reader → decoder → TCP analyzer) and its diagnosis at the inferred path MTU. Used by the
 * benchmark, the fuzzer and the corpus test, so all three measure and stress the same path as the
 * app and the CLI. The 'read' and 'decode' stages measure the layers below on their own. No node:
 * imports, so tests and workers can use it too.
 */
import { openAnalysis, type Analysis } from '../../src/analysis';
import { createCaptureReader } from '../../src/capture/index';
import type { CaptureReader, CaptureSink } from '../../src/capture/types';
import type { Finding } from '../../src/diagnose/types';
import { CaptureSession } from '../../src/pipeline';

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
  /** The packet table, for callers that inspect rows (null for the bare 'read' stage). */
  columns: CaptureSession['columns'] | null;
  /** The analysis (the 'analyze' stage only). */
  analysis: Analysis | null;
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
      return { packets, warnings, fatal, streams: 0, findings: [], columns: null, analysis: null };
    },
  };
}

/** The packet table alone: reader and decoder, no row processor. */
function startDecode(expectedBytes?: number): AnalysisRun {
  const session = new CaptureSession({ createReader: createCaptureReader, expectedBytes });
  return {
    push: (c) => session.push(c),
    end() {
      session.end();
      return { packets: session.packets, warnings: session.warnings.length, fatal: session.stopped, streams: 0, findings: [], columns: session.columns, analysis: null };
    },
  };
}

/** `expectedBytes`: the input's size when known, as the app and the CLI pass it (see CaptureSession). */
export function startAnalysis(stage: Stage, expectedBytes?: number): AnalysisRun {
  if (stage === 'read') return startRead();
  if (stage === 'decode') return startDecode(expectedBytes);
  const run = openAnalysis({ expectedBytes });
  return {
    push: (c) => run.push(c),
    end() {
      const analysis = run.finish();
      return {
        packets: analysis.columns.length, warnings: analysis.warnings.length, fatal: run.stopped,
        streams: analysis.tcp.streams.length, findings: analysis.diagnosis(0).findings, columns: analysis.columns, analysis,
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
