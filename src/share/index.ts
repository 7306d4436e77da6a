/** Permalinks to a finding, without uploading the capture: the public face of src/share. */
export { Fingerprinter, fingerprintBytes, fingerprintMatches, fingerprintPrefix, FINGERPRINT_HEX_CHARS, FINGERPRINT_SLICE_BYTES } from './fingerprint.js';
export { urlFromState, tryUrlFromState, stateFromUrl, MAX_LINK_CHARS, MAX_FRAGMENT_CHARS, MAX_LINK_POINTS, type StateFromUrlResult } from './codec.js';
export type { ShareState, CaptureRef, StreamRef, PointRef } from './state.js';
export type { Endpoint } from './endpoint.js';
export { formatEndpoint, isIpv6, parseEndpoint } from './endpoint.js';
export { ShareLinkError, type ShareError, type ShareErrorKind, type ShareResult } from './errors.js';
export { URL_VERSION, OLDEST_URL_VERSION, UPGRADERS, upgradeFields } from './upgraders.js';
export type { SeriesSnapshot, SnapshotFinding, FindingText, Lang, Severity, WireDirection } from './snapshot.js';
export { directionOf, directionOfWire, LANGS, wireDirection } from './snapshot.js';
export { encodeSnapshot, decodeSnapshot } from './snapshotCodec.js';
export { maskAddresses, AddressMasker } from './mask.js';
export { maskState } from './maskState.js';
export { markdownReport, escapeMarkdown, type ReportInput } from './report.js';
export { resolveStream, type StreamIdentity, type StreamResolution } from './resolveStream.js';
export { findingFacts, findingNumbers, type FactValue } from './facts.js';
export { MAX_POINT_NAME_CHARS, readPointName } from './fields.js';
