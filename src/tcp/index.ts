/** The TCP analysis layer's public face. */
export { TcpAnalyzer, type TcpAnalyzerOptions } from './analyzer';
export { explainRow, type TcpExplanation } from './explain';
export { TCP_FLAG_NAMES, WSCALE_NONE, WSCALE_UNKNOWN, type TcpFlagName, type TcpStreamInfo } from './types';
export type { TcpOutput } from './output';
export { TCP_RULES, type TcpRule } from './rules';
