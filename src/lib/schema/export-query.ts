/**
 * What a list export asks for (issue #13 item 5: "the list you see, with its filter"): the
 * file (persons or companies, CSV or vCard) and the list's filters as query parameters, the
 * same ones the Persons and Companies pages have. Read strictly: a value that is not one the
 * page could send is refused (400), never guessed at, so no query reaches the server's SQL or
 * sorting in a shape it was not made for.
 */
import { CSV_DELIMITERS, type CsvDelimiter } from './csv-write.ts';
import { parseCustomFilters } from './custom-filter.ts';
import { isSortOrder, type SortOrder } from './list-sort.ts';

export const EXPORT_LISTS = ['contacts', 'companies'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];
export const EXPORT_FORMATS = ['csv', 'vcf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The list orders of the pages (list-sort.ts): the menu's, and a column header's. */
export type ExportSort = SortOrder;

export interface ExportQuery {
	/** What was typed into the list's search; every word must match. */
	q: string;
	/** A contact type id; null for all. */
	type: string | null;
	/** Only customers the user manages. */
	mine: boolean;
	sort: ExportSort;
	delimiter: CsvDelimiter;
	/** Filters on additional fields (custom-filter.ts), field id -> what is asked. */
	custom: Record<string, string>;
}

export const MAX_EXPORT_QUERY = 200;
const DELIMITER_NAMES: Record<string, CsvDelimiter> = { comma: ',', semicolon: ';' };
const KNOWN = new Set(['q', 'type', 'manager', 'sort', 'delimiter']);

/** `contacts.csv` → { list, format }; null for any other file name. */
export function exportFile(name: string): { list: ExportList; format: ExportFormat } | null {
	const m = /^(contacts|companies)\.(csv|vcf)$/.exec(name);
	return m ? { list: m[1] as ExportList, format: m[2] as ExportFormat } : null;
}

/** Control characters other than tab and line breaks: nothing a search box sends. */
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 && c !== '\t' && c !== '\n' && c !== '\r');

export type ParsedQuery = { ok: true; value: ExportQuery } | { ok: false; param: string };

export function parseExportQuery(params: URLSearchParams): ParsedQuery {
	const bad = (param: string): ParsedQuery => ({ ok: false, param });
	for (const key of new Set(params.keys())) {
		if (KNOWN.has(key) && params.getAll(key).length > 1) return bad(key);
	}
	const q = params.get('q') ?? '';
	if (q.length > MAX_EXPORT_QUERY || hasControl(q)) return bad('q');
	const type = params.get('type') || null;
	if (type !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(type)) return bad('type');
	const manager = params.get('manager') ?? 'all';
	if (manager !== 'all' && manager !== 'mine') return bad('manager');
	const sort = params.get('sort') ?? 'name-asc';
	if (!isSortOrder(sort)) return bad('sort');
	const delimiterName = params.get('delimiter') ?? 'comma';
	const delimiter = Object.hasOwn(DELIMITER_NAMES, delimiterName) ? DELIMITER_NAMES[delimiterName] : null;
	if (delimiter === null || !(CSV_DELIMITERS as readonly string[]).includes(delimiter)) return bad('delimiter');
	const custom = parseCustomFilters(params);
	if (custom === null || Object.values(custom).some(hasControl)) return bad('cf');
	return { ok: true, value: { q: q.trim(), type, mine: manager === 'mine', sort, delimiter, custom } };
}

/** The query string a list page sends for its current filters. */
export function exportSearch(q: Partial<ExportQuery>): string {
	const p = new URLSearchParams();
	if (q.q) p.set('q', q.q);
	if (q.type) p.set('type', q.type);
	if (q.mine) p.set('manager', 'mine');
	if (q.sort && q.sort !== 'name-asc') p.set('sort', q.sort);
	if (q.delimiter === ';') p.set('delimiter', 'semicolon');
	for (const [id, v] of Object.entries(q.custom ?? {})) if (v) p.set(`cf.${id}`, v);
	const s = p.toString();
	return s ? `?${s}` : '';
}
