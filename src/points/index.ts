/**
 * Capture points: the same traffic captured at several places of its path. See match.ts (matching),
 * split.ts (one capture's interfaces as points), finding.ts (what is reported).
 */
export type * from './types';
export { matchPair, matchPoints } from './match';
export { splitByInterface, type SplitInput } from './split';
export { annotateBlackholes, frameRanges, lostBetweenPoints } from './finding';
