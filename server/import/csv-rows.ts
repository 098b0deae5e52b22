/**
 * A CSV upload, read through: records (csv.ts), the header recognised (recognise.ts), every
 * further record a draft or a refusal (row-draft.ts). What the preview shows for the first
 * rows and what the import run consumes for all of them, one row at a time.
 */
import type { Readable } from 'node:stream';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { layoutSignature, type Mapping } from '../../src/lib/schema/import-fields.ts';
import { CsvFileError, openCsv, type CsvOptions, type Delimiter } from './csv.ts';
import type { DecodeInfo } from './decode.ts';
import { recognise } from './recognise.ts';
import { rowToDraft, type RowOptions, type RowResult } from './row-draft.ts';

/** Rows between two turns of the event loop (other requests and sync messages run there). */
const YIELD_EVERY = 500;

export interface CsvImport {
	delimiter: Delimiter;
	decoding: DecodeInfo;
	headers: string[];
	mapping: Mapping;
	/** Columns nothing recognised (the mapping screen asks about them). */
	unmapped: number[];
	/** The mapping is the user's (given, or saved for this header), not recognised. */
	saved: boolean;
	rows: AsyncIterable<RowResult>;
}

export interface CsvImportOptions extends CsvOptions, Omit<RowOptions, 'columns'> {
	/** The mapping the user chose for this file; recognised when absent. */
	mapping?: Mapping | null;
	/** The mapping the user saved for a header with this signature (server/import/saved-mappings.ts). */
	savedFor?: (signature: string) => Mapping | null;
	/** The workspace's additional fields: a column named like one maps to it. */
	customFields?: readonly CustomFieldDef[];
}

export async function readCsvImport(
	source: Readable | AsyncIterable<Uint8Array>,
	opts: CsvImportOptions = {}
): Promise<CsvImport> {
	const csv = await openCsv(source, opts);
	const it = csv.records[Symbol.asyncIterator]();
	let first = await it.next();
	// Blank lines above the header (some exports start with one) are not the header.
	while (!first.done && first.value.cells.every((c) => c.trim() === '')) first = await it.next();
	if (first.done) throw new CsvFileError('empty', null);
	const headers = first.value.cells;
	const { mapping, unmapped, saved } = recognise(
		headers,
		opts.mapping ?? opts.savedFor?.(layoutSignature(headers)),
		opts.customFields
	);
	const rowOpts: RowOptions = { columns: headers.length, defaultRegion: opts.defaultRegion, dayFirst: opts.dayFirst };
	async function* rows(): AsyncGenerator<RowResult> {
		let n = 0;
		for (let r = await it.next(); !r.done; r = await it.next()) {
			yield rowToDraft(r.value.line, r.value.cells, mapping, rowOpts);
			// A file already in memory parses on promises alone, which never let a timer or a
			// socket run: measured, 200 MB held the event loop for a whole minute without this.
			if (++n % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}
	return { delimiter: csv.delimiter, decoding: csv.decoding, headers, mapping, unmapped, saved, rows: rows() };
}
