/**
 * `-Y FILTER` of the `fields` and `analyze` commands: a display filter in Wireshark's syntax
 * (src/filter). Fields the packet table does not hold are read from the frames' bytes, which the
 * CLI gets by reading the file once more, keeping only the records the filter asks for.
 */
import type { Analysis } from '../analysis';
import { FilterError, type FilterResult } from '../filter/index';
import { translate, type Lang } from '../i18n/index';
import { readCaptureFile } from './readFile';

/** The captured bytes of `rows` (ascending), by row, read from the file in one pass. */
export async function readRows(file: string, rows: Uint32Array): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  let k = 0;
  await readCaptureFile(file, {
    onRecord(rec) {
      while (k < rows.length && rows[k] < rec.index) k++;
      if (k < rows.length && rows[k] === rec.index) out.set(rec.index, rec.data.slice());
    },
  });
  return out;
}

/** The frames of an analysed capture file that `expr` selects; throws FilterError. */
export function filterCaptureFile(a: Analysis, file: string, expr: string): Promise<FilterResult> {
  return a.filterFetching(expr, (rows) => readRows(file, rows));
}

/** A filter error for a terminal: the reason, the filter, a caret line under where it breaks. */
export function filterErrorText(e: FilterError, expr: string, lang: Lang = 'en'): string {
  return `${translate(lang, 'cli.filterError')}: ${e.text(lang)}\n  ${e.underline(expr).split('\n').join('\n  ')}\n`;
}
