/**
 * vCard 4.0 export (RFC 6350; issue #13 item 4) for one contact or many: UTF-8, CRLF, text
 * escaped (3.4), lines folded at 75 octets without splitting a character (3.2), dates in the
 * basic form 4.0 requires (19800415; --0415 when the year is unknown, 4.3.1), phones as tel:
 * URIs when their E.164 is known. Pure TypeScript, so a device can export offline too.
 *
 * Additional fields (custom-fields.ts; issue #13 items 1 and 4) are written as one private
 * property per value, the same name for every field, the field named in parameters:
 *
 *     X-FIELDBOOK-FIELD;X-ID=shoe_size;X-LABEL="Shoe size":42
 *
 * - the property name is fixed because a field id may hold "_", which a property name may not
 *   (RFC 6350 3.3: x-name is letters, digits and "-"); X-ID is the field's id, stable across
 *   renames, so an export re-imported into the same workspace fills the same field;
 * - X-LABEL is the label when exported (double-quoted, RFC 6868 caret-encoded), so an import
 *   into another workspace, whose ids differ, can match a field by its label instead;
 * - the value is the field's text as the CSV export writes it (custom-values.ts
 *   customValueText: a checkbox "yes"/"no", a date 2026-04-15, a number as digits), escaped as
 *   any text value; the import reads it back with parseCustomCell, as it reads a CSV cell.
 * Readers that do not know the property keep or ignore it (RFC 6350 6.10).
 */
import type { ImportDraft, LabelledValue, ValueLabel } from './import-fields.ts';
import { e164Uri } from './phones.ts';

/** Text value escaping (RFC 6350 3.4): backslash, comma, semicolon and line breaks. */
export function escapeText(s: string): string {
	return s
		.replace(/\\/g, '\\\\')
		.replace(/,/g, '\\,')
		.replace(/;/g, '\\;')
		.replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Folds a content line into lines of at most 75 octets (RFC 6350 3.2), each continuation
 * starting with one space; a multi-byte UTF-8 character is never split.
 */
export function foldLine(line: string): string {
	if (encoder.encode(line).length <= 75) return line;
	const out: string[] = [];
	let current = '';
	let octets = 0;
	for (const ch of line) {
		const n = encoder.encode(ch).length;
		const limit = out.length === 0 ? 75 : 74; // the leading space counts
		if (octets + n > limit) {
			out.push(current);
			current = '';
			octets = 0;
		}
		current += ch;
		octets += n;
	}
	out.push(current);
	return out.join('\r\n ');
}

const TEL_TYPES: Record<ValueLabel, string> = {
	work: 'work,voice',
	home: 'home,voice',
	mobile: 'cell',
	fax: 'fax',
	pager: 'pager',
	main: 'voice',
	other: 'voice'
};

const typeParam = (label: ValueLabel | null, map?: Partial<Record<ValueLabel, string>>) => {
	if (!label) return '';
	const t = map ? map[label] : label === 'work' || label === 'home' ? label : null;
	return t ? `;TYPE=${t.includes(',') ? `"${t}"` : t}` : '';
};

/** The private property that carries one additional field's value (see the header). */
export const CUSTOM_PROPERTY = 'X-FIELDBOOK-FIELD';

/**
 * Fieldbook's own exports name a card by the record it was made from
 * (`urn:fieldbook:contact:<id>`, `urn:fieldbook:customer:<id>`): not another system's id, so
 * an import does not keep it on the record as an external id.
 */
export const isFieldbookUid = (uid: string): boolean => /^urn:fieldbook:/i.test(uid.trim());
export const CUSTOM_ID_PARAM = 'X-ID';
export const CUSTOM_LABEL_PARAM = 'X-LABEL';

/** A parameter value, always quoted: RFC 6868 caret encoding of ^, line breaks and ". */
export function quoteParam(s: string): string {
	return `"${s
		.replace(/\^/g, '^^')
		.replace(/\r\n|\r|\n/g, '^n')
		.replace(/"/g, "^'")}"`;
}

/** The reverse of quoteParam's caret encoding (RFC 6868 3); an unknown ^x stays as written. */
export function decodeParam(s: string): string {
	return s.replace(/\^(['n^])/g, (_m, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));
}

/** The 4.0 date of a birthday: 19800415, or --0415 without a year. */
function bday(b: NonNullable<ImportDraft['birthday']>): string {
	const mm = String(b.month).padStart(2, '0');
	const dd = String(b.day).padStart(2, '0');
	return b.year === null ? `--${mm}${dd}` : `${String(b.year).padStart(4, '0')}${mm}${dd}`;
}

function base64(bytes: Uint8Array): string {
	let bin = '';
	for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(bin);
}

/** The display name: the person's full name, or the company for a company card. */
export function displayName(d: ImportDraft): string {
	if (d.kind === 'company') return d.company;
	return [d.namePrefix, d.firstName, d.middleName, d.lastName, d.nameSuffix].filter(Boolean).join(' ') || d.company;
}

export interface VcardOptions {
	uid?: string;
	rev?: Date;
	/** Labels of the additional fields by id, for X-LABEL (a value without one is written without). */
	customLabels?: Readonly<Record<string, string>>;
}

/** One contact as a vCard 4.0, lines folded, ending with CRLF. */
export function vcardOf(d: ImportDraft, opts: VcardOptions = {}): string {
	const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0'];
	if (d.kind === 'company') lines.push('KIND:org');
	lines.push(`FN:${escapeText(displayName(d))}`);
	if (d.kind === 'contact') {
		const n = [d.lastName, d.firstName, d.middleName, d.namePrefix, d.nameSuffix].map(escapeText).join(';');
		lines.push(`N:${n}`);
		if (d.nickname) lines.push(`NICKNAME:${escapeText(d.nickname)}`);
	}
	if (d.company || d.department) {
		lines.push(`ORG:${escapeText(d.company)}${d.department ? ';' + escapeText(d.department) : ''}`);
	}
	if (d.position) lines.push(`TITLE:${escapeText(d.position)}`);
	d.emails.forEach((e: LabelledValue, i) => {
		lines.push(`EMAIL${typeParam(e.label)}${i === 0 ? ';PREF=1' : ''}:${escapeText(e.value)}`);
	});
	d.phones.forEach((p, i) => {
		const pref = i === 0 ? ';PREF=1' : '';
		if (p.e164) {
			const uri = e164Uri(p.e164, p.ext);
			lines.push(`TEL;VALUE=uri${typeParam(p.label, TEL_TYPES)}${pref}:${uri}`);
		} else lines.push(`TEL;VALUE=text${typeParam(p.label, TEL_TYPES)}${pref}:${escapeText(p.value)}`);
	});
	if (d.address) {
		const a = d.address;
		const adr = ['', '', a.street, a.city, a.state, a.postalCode, a.country].map(escapeText).join(';');
		lines.push(`ADR:${adr}`);
	}
	if (d.birthday) lines.push(`BDAY:${bday(d.birthday)}`);
	// A URI is not escaped; a line break in one would end the property early.
	for (const w of d.websites) lines.push(`URL${typeParam(w.label)}:${w.value.replace(/[\r\n]/g, '')}`);
	if (d.tags.length > 0) lines.push(`CATEGORIES:${d.tags.map(escapeText).join(',')}`);
	if (d.notes) lines.push(`NOTE:${escapeText(d.notes)}`);
	for (const [id, value] of Object.entries(d.custom)) {
		if (value.trim() === '' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) continue;
		const label = opts.customLabels && Object.hasOwn(opts.customLabels, id) ? opts.customLabels[id] : null;
		const labelParam = label ? `;${CUSTOM_LABEL_PARAM}=${quoteParam(label)}` : '';
		lines.push(`${CUSTOM_PROPERTY};${CUSTOM_ID_PARAM}=${id}${labelParam}:${escapeText(value)}`);
	}
	if (d.photo) lines.push(`PHOTO:data:${d.photo.type};base64,${base64(d.photo.bytes)}`);
	const uid = opts.uid ?? d.externalId;
	if (uid) lines.push(`UID:${escapeText(uid)}`);
	if (opts.rev)
		lines.push(
			`REV:${opts.rev
				.toISOString()
				.replace(/[-:]/g, '')
				.replace(/\.\d{3}/, '')}`
		);
	lines.push('END:VCARD');
	return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Many contacts in one .vcf file. */
export function vcardsOf(
	cards: Iterable<{ draft: ImportDraft; uid?: string; rev?: Date }>,
	customLabels?: Readonly<Record<string, string>>
): string {
	let out = '';
	for (const c of cards) out += vcardOf(c.draft, { uid: c.uid, rev: c.rev, customLabels });
	return out;
}
