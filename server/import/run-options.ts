/**
 * How an upload is read (issue #13 item 3): the delimiter, encoding and default phone region
 * the user chose (each detected when not chosen) and the mapping from the mapping screen.
 * What the page sends is read here, strictly — the upload's query and the options body alike —
 * and what a run was inspected with is kept as JSON on the run (import_runs.options).
 */
import type { Mapping } from '../../src/lib/schema/import-fields.ts';
import {
	MAX_MAPPED_COLUMNS,
	MAX_TARGET_KEY,
	parseMappingKeys,
	targetKey
} from '../../src/lib/schema/import-mapping.ts';
import { regionOf, type CountryCode } from '../../src/lib/schema/phones.ts';
import type { Delimiter } from './csv.ts';
import { ENCODINGS, type Encoding } from './decode.ts';
import type { ReadOptions } from './import-file.ts';

const DELIMITERS: Record<string, Delimiter> = { ',': ',', ';': ';', tab: '\t' };
/** The largest options body: a key per column of the widest header, with room to spare. */
export const MAX_OPTIONS_BYTES = MAX_MAPPED_COLUMNS * (MAX_TARGET_KEY + 4) + 1024;

/** What the user chose; absent means detect (delimiter, encoding) or none (region, mapping). */
export interface Chosen {
	delimiter?: Delimiter;
	encoding?: Encoding;
	region: CountryCode | null;
	/** Target keys, one per column: checked against the header once the file is read. */
	columns?: unknown[];
}

export type ChosenResult = { ok: true; value: Chosen } | { ok: false; param: string };

function pick(
	delimiter: unknown,
	encoding: unknown,
	region: unknown
): { ok: true; value: Omit<Chosen, 'columns'> } | { ok: false; param: string } {
	const empty = (v: unknown) => v === undefined || v === null || v === '';
	if (!empty(delimiter) && (typeof delimiter !== 'string' || !Object.hasOwn(DELIMITERS, delimiter)))
		return { ok: false, param: 'delimiter' };
	if (!empty(encoding) && !(ENCODINGS as readonly unknown[]).includes(encoding))
		return { ok: false, param: 'encoding' };
	let code: CountryCode | null = null;
	if (!empty(region)) {
		code = typeof region === 'string' && /^[A-Za-z]{2}$/.test(region) ? regionOf(region) : null;
		if (!code) return { ok: false, param: 'region' };
	}
	return {
		ok: true,
		value: {
			delimiter: empty(delimiter) ? undefined : DELIMITERS[delimiter as string],
			encoding: empty(encoding) ? undefined : (encoding as Encoding),
			region: code
		}
	};
}

/** The upload's query: delimiter ("," ";" "tab"), encoding, region (ISO code). */
export function chosenFromQuery(params: URLSearchParams): ChosenResult {
	return pick(params.get('delimiter'), params.get('encoding'), params.get('region'));
}

const BODY_KEYS = new Set(['delimiter', 'encoding', 'region', 'columns']);

/** The options body (JSON text) of POST /api/import/<id>/options. */
export function chosenFromBody(text: string): ChosenResult {
	if (text.length > MAX_OPTIONS_BYTES) return { ok: false, param: 'size' };
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { ok: false, param: 'json' };
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, param: 'json' };
	const o = body as Record<string, unknown>;
	for (const k of Object.keys(o)) if (!BODY_KEYS.has(k)) return { ok: false, param: k };
	const picked = pick(o.delimiter, o.encoding, o.region);
	if (!picked.ok) return picked;
	if (o.columns !== undefined && o.columns !== null) {
		if (!Array.isArray(o.columns) || o.columns.length > MAX_MAPPED_COLUMNS) return { ok: false, param: 'columns' };
		return { ok: true, value: { ...picked.value, columns: o.columns as unknown[] } };
	}
	return picked;
}

/** What a run keeps of how it was inspected (JSON in import_runs.options). */
export interface RunOptions {
	delimiter?: Delimiter;
	encoding?: Encoding;
	defaultRegion: CountryCode | null;
	layout?: string;
	/** The user's mapping (target keys), when the mapping screen gave one. */
	mapping?: { layout: string; signature: string; columns: string[] } | null;
	/** No column names anyone: the run waits for a mapping. */
	needsMapping?: boolean;
}

export const storedMapping = (m: Mapping) => ({
	layout: m.layout,
	signature: m.signature,
	columns: m.columns.map(targetKey)
});

/** The options a run was stored with, as the file reader takes them. */
export function readOptionsOf(o: RunOptions): ReadOptions {
	let mapping: Mapping | null = null;
	if (o.mapping) {
		const parsed = parseMappingKeys(o.mapping.columns, o.mapping.columns.length);
		if (parsed.ok) mapping = { layout: o.mapping.layout, signature: o.mapping.signature, columns: parsed.targets };
	}
	return { delimiter: o.delimiter, encoding: o.encoding, defaultRegion: o.defaultRegion, mapping };
}
