/**
 * The head of an uploaded file (issue #13 item 3): what detection found and its first rows as
 * they will be stored — what the page shows before a run, and again each time the user
 * changes the delimiter, the encoding, the default region or the mapping. Only the first
 * PREVIEW_ROWS rows are read (csv.ts looks at no more than its 64 kB sample besides).
 */
import fs from 'node:fs';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import type { Mapping } from '../../src/lib/schema/import-fields.ts';
import { ImportFileError, formatOf, openImport, type Detection, type ReadOptions } from './import-file.ts';
import { previewOf, type PreviewRow } from './preview.ts';

export const PREVIEW_ROWS = 10;

export interface Head {
	format: 'csv' | 'vcard';
	detection: Detection;
	mapping: Mapping | null;
	preview: PreviewRow[];
}

/**
 * Reads the head of `file`; `customFields` are the workspace's additional fields (what a column
 * mapped to one holds). Throws ImportFileError when it cannot be imported at all.
 */
export async function readHead(
	file: string,
	fileName: string,
	opts: ReadOptions,
	customFields: readonly CustomFieldDef[] = []
): Promise<Head> {
	const head = Buffer.alloc(64);
	const fd = await fs.promises.open(file, 'r');
	try {
		await fd.read(head, 0, 64, 0);
	} finally {
		await fd.close();
	}
	const format = formatOf(fileName, head);
	const opened = await openImport(file, format, { customFields, ...opts });
	const preview: PreviewRow[] = [];
	try {
		for await (const r of opened.rows) {
			preview.push(previewOf(r, customFields));
			if (preview.length >= PREVIEW_ROWS) break;
		}
	} catch (e) {
		// The file cannot be read on from a line (an unclosed quote): the rows before it import.
		if (!(e instanceof ImportFileError) || e.line === null) throw e;
		preview.push({ line: e.line, outcome: 'refused', reason: e.code });
	} finally {
		opened.close();
	}
	return { format, detection: opened.detection, mapping: opened.mapping, preview };
}
