/**
 * An uploaded file on disk, opened for the preview and for the run (issue #13 item 3): CSV
 * streamed row by row (csv-rows.ts; a 200 MB file is never held whole), vCard read whole
 * within VCARD_MAX_BYTES (vcard.ts). What the detection found (encoding, delimiter, layout,
 * each column's target) goes with the rows. A file that is not one of those is refused with
 * a code, before anything is written; a CSV whose columns name no person, company or e-mail
 * is read, and waits for the mapping screen (`needsMapping`).
 */
import fs from 'node:fs';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import type { Mapping } from '../../src/lib/schema/import-fields.ts';
import { namesSomeone, targetKey } from '../../src/lib/schema/import-mapping.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import { CsvFileError, type Delimiter } from './csv.ts';
import { readCsvImport } from './csv-rows.ts';
import type { Encoding } from './decode.ts';
import type { RowResult } from './row-draft.ts';
import { parseVcards } from './vcard.ts';

/** vCard files are read whole: address book exports are small; this bounds them. */
export const VCARD_MAX_BYTES = 32 * 1024 * 1024;

export type ImportFailure = CsvFileError['code'] | 'not_vcard' | 'vcard_too_large';

/** The file cannot be imported (or read on from `line`). */
export class ImportFileError extends Error {
	constructor(
		readonly code: ImportFailure,
		readonly line: number | null = null
	) {
		super(`import: ${code}${line === null ? '' : ` at line ${line}`}`);
	}
}

export interface ReadOptions {
	delimiter?: Delimiter;
	encoding?: Encoding;
	defaultRegion?: CountryCode | null;
	/** The user's mapping for this file (from the mapping screen). */
	mapping?: Mapping | null;
	/** The user's saved mapping for a header signature. */
	savedFor?: (signature: string) => Mapping | null;
	/** The workspace's additional fields: a column named like one maps to it (recognise.ts). */
	customFields?: readonly CustomFieldDef[];
}

export type Detection =
	| {
			format: 'csv';
			/** null: nothing but ASCII so far, which UTF-8 and Windows-1252 read alike. */
			encoding: Encoding | null;
			delimiter: Delimiter;
			layout: string;
			signature: string;
			/** Each column's header and target key (src/lib/schema/import-mapping.ts). */
			columns: { header: string; target: string }[];
			/** Headers nothing recognised: their columns are not imported unless mapped. */
			unmapped: string[];
			/** The mapping is the user's (chosen for this file, or saved for this header). */
			saved: boolean;
			/** No column names a person, company or e-mail: the mapping screen must say which. */
			needsMapping: boolean;
	  }
	| { format: 'vcard'; version: string | null; layout: 'vcard' };

export interface OpenedImport {
	detection: Detection;
	/** The CSV's mapping as used (null for vCard). */
	mapping: Mapping | null;
	rows: AsyncIterable<RowResult>;
	/** Bytes of the file read so far (progress). */
	bytesRead(): number;
	close(): void;
}

/** vCard by name or by its first line; everything else is read as CSV. */
export function formatOf(fileName: string, head: Uint8Array): 'csv' | 'vcard' {
	if (/\.(vcf|vcard)$/i.test(fileName)) return 'vcard';
	// Latin-1 reads any bytes; the NULs of UTF-16 and a BOM are dropped before looking.
	const text = Buffer.from(head.subarray(0, 64))
		.toString('latin1')
		.split(String.fromCharCode(0))
		.join('')
		.replace(/^(\uFEFF|ï»¿|þÿ|ÿþ)/, '');
	return /^\s*BEGIN:VCARD/i.test(text) ? 'vcard' : 'csv';
}

export async function openImport(file: string, format: 'csv' | 'vcard', opts: ReadOptions): Promise<OpenedImport> {
	return format === 'vcard' ? openVcard(file, opts) : openCsvFile(file, opts);
}

async function openCsvFile(file: string, opts: ReadOptions): Promise<OpenedImport> {
	const stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
	try {
		const csv = await readCsvImport(stream, opts);
		const targets = csv.mapping.columns;
		const rows = csv.rows;
		async function* guarded(): AsyncGenerator<RowResult> {
			try {
				yield* rows;
			} catch (e) {
				if (e instanceof CsvFileError) throw new ImportFileError(e.code, e.line);
				throw e;
			}
		}
		return {
			detection: {
				format: 'csv',
				encoding: csv.decoding.encoding,
				delimiter: csv.delimiter,
				layout: csv.mapping.layout,
				signature: csv.mapping.signature,
				columns: csv.headers.map((header, i) => ({ header, target: targetKey(targets[i]) })),
				unmapped: csv.unmapped.map((i) => csv.headers[i]),
				saved: csv.saved,
				needsMapping: !namesSomeone(targets)
			},
			mapping: csv.mapping,
			rows: guarded(),
			bytesRead: () => stream.bytesRead,
			close: () => stream.destroy()
		};
	} catch (e) {
		stream.destroy();
		if (e instanceof CsvFileError) throw new ImportFileError(e.code, e.line);
		throw e;
	}
}

async function openVcard(file: string, opts: ReadOptions): Promise<OpenedImport> {
	const size = (await fs.promises.stat(file)).size;
	if (size > VCARD_MAX_BYTES) throw new ImportFileError('vcard_too_large');
	const bytes = await fs.promises.readFile(file);
	const { version, cards } = parseVcards(bytes, { defaultRegion: opts.defaultRegion, customFields: opts.customFields });
	if (cards.length === 0) throw new ImportFileError('not_vcard');
	let read = 0;
	async function* rows(): AsyncGenerator<RowResult> {
		for (let i = 0; i < cards.length; i++) {
			read = Math.round(((i + 1) / cards.length) * size);
			yield cards[i];
			if (i % 200 === 199) await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}
	return {
		detection: { format: 'vcard', version, layout: 'vcard' },
		mapping: null,
		rows: rows(),
		bytesRead: () => read,
		close: () => {}
	};
}
