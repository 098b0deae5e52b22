/**
 * Customers and contacts (SPEC §2): field definitions and rules, shared by client and server.
 * One Y.Doc per customer (guid = the customer's id) holds:
 *   - Y.Map "customer": the customer's fields (CUSTOMER_FIELDS)
 *   - Y.Map "managers": staff user id -> true (concurrent assignments merge)
 *   - Y.Map "contacts": contact id -> Y.Map of that contact's fields (CONTACT_FIELDS)
 * Every field is its own map key, so concurrent edits of different fields merge field by
 * field; portal permissions and notification flags are one key each for the same reason.
 */
import { storedBirthday } from './birthday.ts';
import { EXTERNAL_SOURCES, externalIdKey, valueSpecs } from './contact-values.ts';
import { EMAIL_RE, MAX_EMAIL, normalizeEmail } from './fields.ts';

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** Who may see a record (SPEC §2): private = managers and admins; the default for new records. */
export const ACCESS_LEVELS = ['private', 'public-read', 'public-write'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** Portal modules a contact may open (SPEC §2). */
export const PORTAL_PERMISSIONS = ['invoices', 'estimates', 'contracts', 'proposals', 'support', 'projects'] as const;
export type PortalPermission = (typeof PORTAL_PERMISSIONS)[number];

/** Kinds of mail a contact receives (SPEC §2, §3). "task" is for tasks of projects only. */
export const NOTIFICATIONS = ['invoice', 'creditNote', 'estimate', 'tickets', 'project', 'contract', 'task'] as const;
export type Notification = (typeof NOTIFICATIONS)[number];

/** The UI languages (SPEC §1), also the languages a contact receives mail in. */
export const LANGUAGES = ['en', 'de', 'fr', 'pl', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

export type FieldSpec =
	/**
	 * `collaborative`: long text edited together (issue #14): held as a Y.Text, so two people
	 * typing in it at once both keep their words. A plain string (written before) is read alike.
	 */
	| { type: 'text'; max: number; format?: 'email' | 'url' | 'phone' | 'currency'; collaborative?: true }
	| { type: 'boolean' }
	| { type: 'enum'; values: readonly string[] }
	| { type: 'id' }
	| { type: 'time' }
	/** A whole number in [min, max] (money in minor units, sequence numbers, positions). */
	| { type: 'integer'; min: number; max: number }
	/** A number in [min, max] with at most `decimals` decimal places (quantities, tax rates). */
	| { type: 'number'; min: number; max: number; decimals: number }
	/** A calendar date, "YYYY-MM-DD" (no time zone: a due date is the same day everywhere). */
	| { type: 'date' }
	/** A birthday: "YYYY-MM-DD", or "--MM-DD" when the year is not known (birthday.ts). */
	| { type: 'birthday' };

export const text = (max: number, format?: 'email' | 'url' | 'phone' | 'currency'): FieldSpec => ({
	type: 'text',
	max,
	format
});

export const CUSTOMER_FIELDS = {
	kind: { type: 'enum', values: CUSTOMER_KINDS },
	companyName: text(200),
	contactTypeId: { type: 'id' },
	email: text(MAX_EMAIL, 'email'),
	phone: text(50, 'phone'),
	/** Labels of the primary e-mail and phone, and further labelled ones (contact-values.ts). */
	...valueSpecs('email', text(MAX_EMAIL, 'email')),
	...valueSpecs('phone', text(50, 'phone')),
	website: text(500, 'url'),
	linkedin: text(500, 'url'),
	facebook: text(500, 'url'),
	twitter: text(500, 'url'),
	street: text(200),
	city: text(100),
	state: text(100),
	postalCode: text(20),
	country: text(100),
	description: { type: 'text', max: 10_000, collaborative: true },
	access: { type: 'enum', values: ACCESS_LEVELS },
	primaryContactId: { type: 'id' },
	createdBy: { type: 'id' },
	createdAt: { type: 'time' },
	updatedBy: { type: 'id' },
	updatedAt: { type: 'time' },
	deletedAt: { type: 'time' },
	deletedBy: { type: 'id' }
} as const satisfies Record<string, FieldSpec>;
export type CustomerField = keyof typeof CUSTOMER_FIELDS;

export const permissionKey = (p: PortalPermission) => `permissions.${p}` as const;
export const notificationKey = (n: Notification) => `notifications.${n}` as const;

export const CONTACT_FIELDS = {
	firstName: text(100),
	lastName: text(100),
	position: text(100),
	email: text(MAX_EMAIL, 'email'),
	phone: text(50, 'phone'),
	...valueSpecs('email', text(MAX_EMAIL, 'email')),
	...valueSpecs('phone', text(50, 'phone')),
	/** "Dr.", "Mme" (issue #13 item 2). */
	namePrefix: text(50),
	middleName: text(100),
	department: text(100),
	birthday: { type: 'birthday' },
	notes: text(10_000),
	/** Tags in one text, "VIP, Kunden" (contact-values.ts says why one text). */
	tags: text(1000),
	favourite: { type: 'boolean' },
	/** No mail from the server but what the contact asks for themselves (server/mail/compose.ts). */
	doNotEmail: { type: 'boolean' },
	/** Shown beside the contact's phones; nothing calls on its own. */
	doNotCall: { type: 'boolean' },
	street: text(200),
	city: text(100),
	state: text(100),
	postalCode: text(20),
	country: text(100),
	...(Object.fromEntries(EXTERNAL_SOURCES.map((s) => [externalIdKey(s), text(200)])) as Record<
		`externalIds.${(typeof EXTERNAL_SOURCES)[number]}`,
		FieldSpec
	>),
	doNotSendWelcome: { type: 'boolean' },
	/** The language of the mail the contact receives; unset: the installation's default (issue #11). */
	language: { type: 'enum', values: LANGUAGES },
	/** Set and cleared by the server only: another live contact uses this e-mail (SPEC §2, §6). */
	duplicateEmail: { type: 'boolean' },
	...(Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [permissionKey(p), { type: 'boolean' }])) as Record<
		`permissions.${PortalPermission}`,
		FieldSpec
	>),
	...(Object.fromEntries(NOTIFICATIONS.map((n) => [notificationKey(n), { type: 'boolean' }])) as Record<
		`notifications.${Notification}`,
		FieldSpec
	>),
	createdBy: { type: 'id' },
	createdAt: { type: 'time' },
	deletedAt: { type: 'time' }
} as const satisfies Record<string, FieldSpec>;
export type ContactField = keyof typeof CONTACT_FIELDS;

/**
 * Names of the top-level shared types in a customer document. The portal modules' records
 * (sales documents and their lines, contracts, tickets and replies, projects and tasks, and
 * "send" requests) live in the same document, so they follow the customer's access rules and
 * sync with it; their fields are in modules.ts.
 */
export const DOC = {
	customer: 'customer',
	managers: 'managers',
	contacts: 'contacts',
	sales: 'sales',
	salesLines: 'salesLines',
	contracts: 'contracts',
	tickets: 'tickets',
	ticketReplies: 'ticketReplies',
	projects: 'projects',
	tasks: 'tasks',
	sends: 'sends'
} as const;
export type DocRoot = (typeof DOC)[keyof typeof DOC];

/**
 * Who may write a field beyond the record's access (SPEC §6, issue #9), for a customer
 * (`DOC.customer`) and each of its contacts (`DOC.contacts`):
 * - `writeOnce`: set when the record is created, never changed or removed afterwards, not
 *   even by an admin — what a record is and who made it is not up to a later writer;
 * - `server`: set and cleared by the server only (the duplicate e-mail flag);
 * - `author`: attribution, which must name the user whose session writes it.
 */
export const FIELD_OWNERSHIP: Readonly<
	Record<
		'customer' | 'contacts',
		{ writeOnce: readonly string[]; server: readonly string[]; author: readonly string[] }
	>
> = {
	[DOC.customer]: {
		writeOnce: ['kind', 'createdBy', 'createdAt'],
		server: [],
		author: ['createdBy', 'updatedBy', 'deletedBy']
	},
	[DOC.contacts]: {
		writeOnce: ['createdBy', 'createdAt'],
		// External ids: only an import (the server) writes them, so no device can forge the id a
		// re-import finds a record by.
		server: ['duplicateEmail', ...EXTERNAL_SOURCES.map(externalIdKey)],
		author: ['createdBy']
	}
};

/** Deleted records stay restorable this long (SPEC §2), then the server purges them. */
export const TRASH_DAYS = 30;

export type FieldValue = string | number | boolean | null;

/**
 * Checks one value against its spec. null clears a field (allowed for every optional
 * field). Returns an error code or null.
 */
export function checkValue(
	spec: FieldSpec,
	value: unknown
):
	| 'not_text'
	| 'too_long'
	| 'invalid_email'
	| 'invalid_url'
	| 'invalid_choice'
	| 'invalid'
	| 'not_integer'
	| 'out_of_range'
	| null {
	if (value === null) return null;
	switch (spec.type) {
		case 'text':
			if (typeof value !== 'string') return 'not_text';
			if (value.length > spec.max) return 'too_long';
			if (value === '') return null;
			if (spec.format === 'email' && !EMAIL_RE.test(value)) return 'invalid_email';
			if (spec.format === 'url' && !isHttpUrl(value)) return 'invalid_url';
			if (spec.format === 'currency' && !/^[A-Z]{3}$/.test(value)) return 'invalid_choice';
			return null;
		case 'boolean':
			return typeof value === 'boolean' ? null : 'invalid';
		case 'enum':
			return typeof value === 'string' && spec.values.includes(value) ? null : 'invalid_choice';
		case 'id':
			return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? null : 'invalid';
		case 'time':
			return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? null : 'invalid';
		case 'integer':
			if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'not_integer';
			return value < spec.min || value > spec.max ? 'out_of_range' : null;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) return 'invalid';
			if (value < spec.min || value > spec.max) return 'out_of_range';
			return hasAtMostDecimals(value, spec.decimals) ? null : 'invalid';
		case 'date':
			return typeof value === 'string' && isIsoDate(value) ? null : 'invalid';
		case 'birthday':
			if (typeof value !== 'string') return 'not_text';
			return value === '' || storedBirthday(value) !== null ? null : 'invalid';
	}
}

/** Whether `v` has at most `decimals` decimal places (1.25 has 2; 0.1 + 0.2 has more). */
export function hasAtMostDecimals(v: number, decimals: number): boolean {
	const scaled = v * 10 ** decimals;
	return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/** A real calendar date written "YYYY-MM-DD" (2026-02-30 is not one). */
export function isIsoDate(v: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function isHttpUrl(v: string): boolean {
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * The normalised form of a contact e-mail for uniqueness (SPEC §2: case-insensitive, trimmed):
 * the one rule of `normalizeEmail`, with no key for what is not an address at all.
 */
export function emailKey(email: unknown): string | null {
	if (typeof email !== 'string') return null;
	const k = normalizeEmail(email);
	return k === '' ? null : k; // an empty e-mail is never a duplicate
}
