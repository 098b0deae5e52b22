/**
 * The fields an import can fill (issue #13 items 2 and 3), defined once for the mapping
 * screen on the device and the import run on the server: what a contact and its company
 * hold today (records.ts CONTACT_FIELDS / CUSTOMER_FIELDS) plus what item 2 adds — several
 * labelled e-mails and phones, name prefix, middle name, department, birthday (year-less
 * allowed), notes, tags, a postal address, an external id per source.
 *
 * A column maps to one target: a field (with an optional label and slot), the label of a
 * slot's value ("E-mail 1 - Type" names what "E-mail 1 - Value" is), or nothing. A mapping
 * is stored per layout signature, so a file with the same header row maps the same way.
 */

/** Fields that hold one value per contact. `company*` fields belong to the contact's company. */
export const SINGLE_FIELDS = [
	'namePrefix',
	'firstName',
	'middleName',
	'lastName',
	'nameSuffix',
	/** "Ana M. Silva" in one column: split into first and last name when those are empty. */
	'fullName',
	'nickname',
	'position',
	'department',
	'company',
	'street',
	'city',
	'state',
	'postalCode',
	'country',
	'birthday',
	'notes',
	/** Several tags in one cell, split at , ; or Google's " ::: ". */
	'tags',
	/** The record's id in the source system (for idempotent re-import). */
	'externalId',
	/** A column saying the record was deleted in the source (Salesforce IsDeleted). */
	'deleted'
] as const;
export type SingleField = (typeof SINGLE_FIELDS)[number];

/** Fields that hold a list of labelled values. */
export const MULTI_FIELDS = ['email', 'phone', 'website'] as const;
export type MultiField = (typeof MULTI_FIELDS)[number];

export type ImportField = SingleField | MultiField;
export const IMPORT_FIELDS: readonly ImportField[] = [...SINGLE_FIELDS, ...MULTI_FIELDS];

/** Labels of e-mails, phones and websites (vCard TYPE values; issue #13 item 2). */
export const VALUE_LABELS = ['work', 'home', 'mobile', 'fax', 'pager', 'main', 'other'] as const;
export type ValueLabel = (typeof VALUE_LABELS)[number];

/** Longest text per field: the limits of records.ts where the field exists there. */
export const IMPORT_MAX: Readonly<Record<ImportField, number>> = {
	namePrefix: 50,
	firstName: 100,
	middleName: 100,
	lastName: 100,
	nameSuffix: 50,
	fullName: 200,
	nickname: 100,
	position: 100,
	department: 100,
	company: 200,
	street: 200,
	city: 100,
	state: 100,
	postalCode: 20,
	country: 100,
	birthday: 40,
	notes: 10_000,
	tags: 1000,
	externalId: 200,
	deleted: 20,
	email: 254,
	phone: 50,
	website: 500
};

export type ColumnTarget =
	/** The column fills a field; `slot` groups a value with its label column (Google "E-mail 1"). */
	| { kind: 'field'; field: ImportField; label?: ValueLabel; slot?: number }
	/** The column names the label of slot `slot` of a multi field ("E-mail 1 - Type"). */
	| { kind: 'label'; field: MultiField; slot: number }
	/** The column fills an additional field (custom-fields.ts) by its id. */
	| { kind: 'custom'; id: string }
	| { kind: 'ignore' };

export const IGNORE: ColumnTarget = Object.freeze({ kind: 'ignore' });

/** How the columns of one header row map: one target per column, in order. */
export interface Mapping {
	/** The layout recognised ("google", "outlook", …), or "custom" for one the user made. */
	layout: string;
	signature: string;
	columns: ColumnTarget[];
}

/** Header cells as compared: trimmed, lowercase, inner space collapsed, BOM removed. */
export function normalizeHeader(h: string): string {
	return h
		.replace(/^\uFEFF/, '')
		.trim()
		.toLowerCase()
		.replace(/\s+/g, ' ');
}

/**
 * The signature of a header row, under which a user's mapping is stored: the same columns
 * in the same order give the same signature, whatever their case and spacing.
 */
export function layoutSignature(headers: readonly string[]): string {
	const text = headers.map(normalizeHeader).join('\u001f');
	// FNV-1a, 32 bits: short and stable; the column count guards the rare collision.
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return `v1-${headers.length}-${h.toString(16).padStart(8, '0')}`;
}

/** Reads a label as exports write it ("* Work", "Mobile", "Handy", "Mobil") into ours. */
export function labelOf(text: string): ValueLabel | null {
	const t = text
		.replace(/^\*\s*/, '')
		.trim()
		.toLowerCase();
	if (t === '') return null;
	if (/fax/.test(t)) return 'fax'; // "Work Fax", "Home Fax", "Fax geschäftlich"
	for (const [label, words] of LABEL_WORDS) if (words.some((w) => t === w || t.startsWith(w + ' '))) return label;
	return 'other';
}

const LABEL_WORDS: [ValueLabel, string[]][] = [
	['mobile', ['mobile', 'cell', 'handy', 'mobil', 'mobilny', 'portable', 'celular', 'telemóvel', 'iphone']],
	['work', ['work', 'business', 'office', 'geschäftlich', 'arbeit', 'dienstlich', 'praca', 'travail', 'trabalho']],
	['home', ['home', 'private', 'privat', 'personal', 'domowy', 'domicile', 'casa', 'residencial']],
	['pager', ['pager']],
	['main', ['main', 'company main', 'zentrale']],
	['other', ['other', 'custom', 'sonstige', 'andere', 'inny', 'autre', 'outro']]
];

/** A birthday; a year-less one (vCard --0415, Google --04-15) keeps year null. */
export interface Birthday {
	year: number | null;
	month: number;
	day: number;
}

export interface LabelledValue {
	value: string;
	label: ValueLabel | null;
}

export interface PhoneDraft extends LabelledValue {
	/** +4981411234 when the country is known (src/lib/schema/phones.ts). */
	e164: string | null;
	ext: string | null;
}

export interface AddressDraft {
	street: string;
	city: string;
	state: string;
	postalCode: string;
	country: string;
}

/** A photo as a file holds it, kept for the photo issue: bytes and their media type. */
export interface PhotoDraft {
	type: string;
	bytes: Uint8Array;
}

/**
 * One contact (or, with no person name, one company) as read from a file, before it is
 * matched with existing records: the same shape from CSV and vCard.
 */
export interface ImportDraft {
	/** 'company': a row or card with a company and no person (vCard KIND:org). */
	kind: 'contact' | 'company';
	namePrefix: string;
	firstName: string;
	middleName: string;
	lastName: string;
	nameSuffix: string;
	nickname: string;
	position: string;
	department: string;
	company: string;
	emails: LabelledValue[];
	phones: PhoneDraft[];
	websites: LabelledValue[];
	address: AddressDraft | null;
	birthday: Birthday | null;
	notes: string;
	tags: string[];
	externalId: string | null;
	photo: PhotoDraft | null;
	/** Cells mapped to additional fields, as text, by field id (read against the definition in to-records.ts). */
	custom: Record<string, string>;
}

export function emptyDraft(): ImportDraft {
	return {
		kind: 'contact',
		namePrefix: '',
		firstName: '',
		middleName: '',
		lastName: '',
		nameSuffix: '',
		nickname: '',
		position: '',
		department: '',
		company: '',
		emails: [],
		phones: [],
		websites: [],
		address: null,
		birthday: null,
		notes: '',
		tags: [],
		externalId: null,
		photo: null,
		custom: {}
	};
}
