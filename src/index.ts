/**
 * The core's public face: what a script, a test or another app needs to read a capture, analyse
 * its TCP streams and diagnose them, without React or the DOM. Each layer is a namespace (their
 * names would collide flat); the pipeline's three workhorses are also exported directly.
 *
 *   import { CaptureSession, TcpAnalyzer, diagnose, capture } from './src/index';
 *   const analyzer = new TcpAnalyzer();
 *   const session = new CaptureSession({ processors: [analyzer], createReader: capture.createCaptureReader });
 *   for (const chunk of chunks) session.push(chunk);
 *   session.end();
 *   const out = analyzer.out;
 *   const findings = diagnose.diagnose({ cols: session.columns, tcp: { stream: out.stream, dir: out.dir, flags: out.flags, streams: analyzer.streams } });
 *
 * The layers' own READMEs (src/capture, src/tcp, src/points, src/share) describe each API.
 */
export * as capture from './capture/index';
export * as decode from './decode/index';
export * as tcp from './tcp/index';
export * as diagnose from './diagnose/index';
export * as points from './points/index';
export * as share from './share/index';
export * as i18n from './i18n/index';
export { CaptureSession, CLI_TABLE_BYTES, type CaptureSessionOptions } from './pipeline';
export { TcpAnalyzer, type TcpAnalyzerOptions } from './tcp/analyzer';
