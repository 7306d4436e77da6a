/**
 * The core's public face: what a script, a test or another app needs to read a capture, analyse
 * its TCP streams and diagnose them, without React or the DOM. The entry point is openAnalysis
 * (src/analysis.ts): the CLI, the app's workers, the benchmark and the fuzzer all read through it.
 *
 *   import { openAnalysis } from './src/index';
 *   const run = openAnalysis({ expectedBytes: size });
 *   for (const chunk of chunks) run.push(chunk);
 *   const analysis = run.finish();
 *   analysis.summary(); analysis.diagnosis(0).findings; analysis.streamTable(0);
 *
 * Each layer is also a namespace (their names would collide flat), for what lies below the
 * analysis; the layers' own READMEs describe each API.
 */
export {
  openAnalysis, reconcileFate,
  type Analysis, type AnalysisOptions, type AnalysisRun, type AnalysisSummary, type AnalysisTcp, type Diagnosis, type PacketFate, type SeriesRequest,
  type ExportRequest, type ExportSelection, type FollowTarget,
} from './analysis';
export {
  asFrame, asRow, asStreamId, frameAt, frameOf, rowOf,
  type Direction, type Frame, type Row, type StreamId,
} from './types';
export * as capture from './capture/index';
export * as decode from './decode/index';
export * as tcp from './tcp/index';
export * as diagnose from './diagnose/index';
export * as points from './points/index';
export * as share from './share/index';
export * as i18n from './i18n/index';
export * as filter from './filter/index';
export { CaptureSession, CLI_TABLE_BYTES, type CaptureSessionOptions } from './pipeline';
export { TcpAnalyzer, type TcpAnalyzerOptions } from './tcp/analyzer';
