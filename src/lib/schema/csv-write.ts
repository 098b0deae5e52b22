/**
 * CSV export (issue #13 item 5, SPEC §8 "formulas neutralised on export"): UTF-8 with a BOM
 * (so Excel reads umlauts right), `,` or `;` (Excel in a German or French locale splits at
 * `;`), CRLF (RFC 4180), fields quoted when they hold the delimiter, a quote or a line break.
 *
 * CSV injection (CWE-1236, OWASP "CSV Injection"): a cell starting with = + - @ tab or CR is
 * what a spreadsheet evaluates, so it is written with a leading apostrophe ('=1+1), which
 * spreadsheets show as text. Plain numbers (-5, +3.2) are left alone: they evaluate to
 * themselves. The import (server/import/row-draft.ts) takes the apostrophe off again, so an
 * export re-imports as it was.
 */
export const CSV_DELIMITERS = [',', ';'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export const BOM = '\uFEFF';

const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/** A cell's text as a spreadsheet will not run it. */
export function neutralise(cell: string): string {
	return FORMULA.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** One field, neutralised and quoted as needed. */
export function csvField(value: string | number | null | undefined, delimiter: CsvDelimiter): string {
	const text = neutralise(value === null || value === undefined ? '' : String(value));
	const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text) || /^\s|\s$/.test(text);
	return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ending with CRLF. */
export function csvRow(cells: readonly (string | number | null | undefined)[], delimiter: CsvDelimiter): string {
	return cells.map((c) => csvField(c, delimiter)).join(delimiter) + '\r\n';
}

export interface CsvColumn<R> {
	header: string;
	value: (row: R) => string | number | null | undefined;
}

/** A whole file: BOM, header row, one row per record. */
export function csvOf<R>(columns: readonly CsvColumn<R>[], rows: Iterable<R>, delimiter: CsvDelimiter = ','): string {
	let out =
		BOM +
		csvRow(
			columns.map((c) => c.header),
			delimiter
		);
	for (const r of rows)
		out += csvRow(
			columns.map((c) => c.value(r)),
			delimiter
		);
	return out;
}
