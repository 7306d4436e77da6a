/**
 * Display filters in Wireshark's syntax (src/filter/README.md): parse, check against the field
 * registry, compile to a test over the packet table's columns, run over a capture.
 */
export { FilterError, nearestNames } from './errors';
export { filterMessages, type FilterMessageKey } from './messages';
export { parseFilter, tokenize, type FilterNode, type Token } from './syntax';
export { FType, fieldSpec, filterFieldNames, type FieldSpec, type FilterData, type FilterTcp } from './fields';
export { checkFilter, compileFilter, type CompiledFilter, type CompileOptions, type FrameData, type FrameSource } from './compile';
export { runCompiled, runFilter, runFilterFetching, type FilterResult } from './run';
