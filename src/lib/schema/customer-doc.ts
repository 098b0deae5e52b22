/**
 * Reading and changing a customer document (layout in records.ts). The same functions run on
 * the device (UI edits) and on the server (invariant repairs, projection, summaries).
 */
import * as Y from 'yjs';
import {
	CONTACT_FIELDS,
	CUSTOMER_FIELDS,
	DOC,
	PORTAL_PERMISSIONS,
	TRASH_DAYS,
	checkValue,
	permissionKey,
	type Access,
	type ContactField,
	type CustomerField,
	type CustomerKind,
	type FieldValue,
	type PortalPermission
} from './records.ts';
import { customValuesFrom } from './custom-values.ts';
import { valuesOf, type ValueKind } from './contact-values.ts';

export type CustomerData = Partial<Record<CustomerField, FieldValue>>;
export type ContactData = Partial<Record<ContactField, FieldValue>>;

export const customerMap = (doc: Y.Doc) => doc.getMap<FieldValue>(DOC.customer);
export const managersMap = (doc: Y.Doc) => doc.getMap<boolean>(DOC.managers);
export const contactsMap = (doc: Y.Doc) => doc.getMap<Y.Map<FieldValue>>(DOC.contacts);

export type DraftError = NonNullable<ReturnType<typeof checkValue>> | 'required';

/** Field-level checks plus the required fields of a customer of `kind` (SPEC §2, §8). */
export function validateCustomer(data: CustomerData): Partial<Record<CustomerField, DraftError>> {
	const errors: Partial<Record<CustomerField, DraftError>> = {};
	for (const [k, v] of Object.entries(data)) {
		const spec = CUSTOMER_FIELDS[k as CustomerField];
		const e = spec ? checkValue(spec, v) : 'invalid';
		if (e) errors[k as CustomerField] = e;
	}
	if (data.kind === 'company' && !String(data.companyName ?? '').trim()) errors.companyName = 'required';
	return errors;
}

/** Field-level checks plus first and last name, which every contact needs (SPEC §2). */
export function validateContact(data: ContactData): Partial<Record<ContactField, DraftError>> {
	const errors: Partial<Record<ContactField, DraftError>> = {};
	for (const [k, v] of Object.entries(data)) {
		const spec = CONTACT_FIELDS[k as ContactField];
		const e = spec ? checkValue(spec, v) : 'invalid';
		if (e) errors[k as ContactField] = e;
	}
	if (!String(data.firstName ?? '').trim()) errors.firstName = 'required';
	if (!String(data.lastName ?? '').trim()) errors.lastName = 'required';
	return errors;
}

/**
 * Writes a collaborative text field (FieldSpec `collaborative`, issue #14) as the smallest
 * edit: the common start and end stay, only what differs between them is replaced. Two people
 * who edit different parts of the same text at once both keep their words. A field that still
 * holds a plain string (written before) becomes a Y.Text with the new value.
 */
export function setCollaborativeText(map: Y.Map<unknown>, key: string, next: string): void {
	const current = map.get(key);
	if (!(current instanceof Y.Text)) {
		if (current !== next || current === undefined) map.set(key, new Y.Text(next));
		return;
	}
	const old = current.toString();
	if (old === next) return;
	let start = 0;
	while (start < old.length && start < next.length && old[start] === next[start]) start++;
	let end = 0;
	while (
		end < old.length - start &&
		end < next.length - start &&
		old[old.length - 1 - end] === next[next.length - 1 - end]
	)
		end++;
	current.delete(start, old.length - start - end);
	current.insert(start, next.slice(start, next.length - end));
}

const isCollaborative = (key: string) => {
	const spec = (CUSTOMER_FIELDS as Record<string, { type: string; collaborative?: true }>)[key];
	return spec?.type === 'text' && spec.collaborative === true;
};

/** Sets one customer field; a collaborative text is edited, not replaced. */
function setCustomerField(c: Y.Map<FieldValue>, key: string, value: FieldValue): void {
	if (isCollaborative(key) && (typeof value === 'string' || value === null)) {
		setCollaborativeText(c as Y.Map<unknown>, key, value ?? '');
		return;
	}
	if (c.get(key) !== value) c.set(key, value);
}

/** Trims text values; empty text becomes null (a cleared field). */
function clean<T extends Record<string, FieldValue | undefined>>(data: T): T {
	const out: Record<string, FieldValue | undefined> = {};
	for (const [k, v] of Object.entries(data)) {
		if (v === undefined) continue;
		out[k] = typeof v === 'string' ? v.trim() || null : v;
	}
	return out as T;
}

/**
 * Writes a new customer into an empty document. The author becomes its first manager;
 * `managers` are further managers chosen on create (SPEC §4).
 */
export function initCustomer(
	doc: Y.Doc,
	input: { kind: CustomerKind; authorId: string; now: number; fields?: CustomerData; managers?: readonly string[] }
): void {
	doc.transact(() => {
		const c = customerMap(doc);
		c.set('kind', input.kind);
		c.set('access', 'private' satisfies Access); // private is the default (SPEC §2)
		c.set('createdBy', input.authorId);
		c.set('createdAt', input.now);
		c.set('updatedBy', input.authorId);
		c.set('updatedAt', input.now);
		for (const [k, v] of Object.entries(clean(input.fields ?? {}))) if (k !== 'kind') setCustomerField(c, k, v ?? null);
		managersMap(doc).set(input.authorId, true);
		for (const id of input.managers ?? []) managersMap(doc).set(id, true);
	});
}

/** Sets customer fields (only those given) and stamps who changed it and when. */
export function updateCustomer(doc: Y.Doc, fields: CustomerData, authorId: string, now: number): void {
	doc.transact(() => {
		const c = customerMap(doc);
		for (const [k, v] of Object.entries(clean(fields))) setCustomerField(c, k, v ?? null);
		c.set('updatedBy', authorId);
		c.set('updatedAt', now);
	});
}

/**
 * Adds a contact. New contacts get the workspace's default portal permissions (SPEC §2);
 * the first contact of a customer becomes its primary contact.
 */
export function addContact(
	doc: Y.Doc,
	input: {
		id: string;
		fields: ContactData;
		authorId: string;
		now: number;
		defaultPermissions?: Partial<Record<PortalPermission, boolean>>;
		primary?: boolean;
	}
): void {
	doc.transact(() => {
		// Asked before the new contact exists (afterwards it would count as its own primary).
		const hadPrimary = primaryContactId(doc) !== null;
		const m = new Y.Map<FieldValue>();
		for (const p of PORTAL_PERMISSIONS) m.set(permissionKey(p), input.defaultPermissions?.[p] ?? false);
		for (const [k, v] of Object.entries(clean(input.fields))) m.set(k, v ?? null);
		m.set('createdBy', input.authorId);
		m.set('createdAt', input.now);
		contactsMap(doc).set(input.id, m);
		if (input.primary || !hadPrimary) customerMap(doc).set('primaryContactId', input.id);
		customerMap(doc).set('updatedBy', input.authorId);
		customerMap(doc).set('updatedAt', input.now);
	});
}

export function updateContact(doc: Y.Doc, id: string, fields: ContactData, authorId: string, now: number): void {
	const m = contactsMap(doc).get(id);
	if (!m) return;
	doc.transact(() => {
		for (const [k, v] of Object.entries(clean(fields))) if (m.get(k) !== v) m.set(k, v ?? null);
		customerMap(doc).set('updatedBy', authorId);
		customerMap(doc).set('updatedAt', now);
	});
}

/** Makes `id` the primary contact; the previous one stops being primary (one field holds it). */
export function setPrimaryContact(doc: Y.Doc, id: string): void {
	if (contactsMap(doc).has(id)) customerMap(doc).set('primaryContactId', id);
}

/**
 * The primary contact: the one primaryContactId names, if it exists and is not deleted;
 * otherwise the remaining contact with the lowest id (the server writes that repair back).
 */
export function primaryContactId(doc: Y.Doc): string | null {
	const contacts = contactsMap(doc);
	const named = customerMap(doc).get('primaryContactId');
	if (typeof named === 'string' && isLive(contacts.get(named))) return named;
	const live = [...contacts.entries()].filter(([, m]) => isLive(m)).map(([id]) => id);
	live.sort();
	return live[0] ?? null;
}

const isLive = (m: Y.Map<FieldValue> | undefined) => !!m && !m.get('deletedAt');

/** Moves a contact to the trash (restorable for 30 days). A new primary is chosen if needed. */
export function trashContact(doc: Y.Doc, id: string, now: number): void {
	const m = contactsMap(doc).get(id);
	if (!m) return;
	doc.transact(() => {
		m.set('deletedAt', now);
		if (customerMap(doc).get('primaryContactId') === id) {
			const next = primaryContactId(doc);
			customerMap(doc).set('primaryContactId', next);
		}
	});
}

/**
 * Brings a contact back from the trash. SPEC §2 "exactly one primary contact per customer that
 * has contacts": a contact restored into a customer with no other live contact becomes its
 * primary (so the former primary, restored alone, is primary again), whatever the stored field
 * still names — a contact trashed meanwhile on another device, or nothing. With other live
 * contacts the current primary stays.
 */
export function restoreContact(doc: Y.Doc, id: string): void {
	const m = contactsMap(doc).get(id);
	if (!m) return;
	doc.transact(() => {
		const othersLive = [...contactsMap(doc).entries()].some(([k, c]) => k !== id && isLive(c));
		m.set('deletedAt', null);
		const named = customerMap(doc).get('primaryContactId');
		const namedLive = typeof named === 'string' && isLive(contactsMap(doc).get(named));
		if (!othersLive || !namedLive) {
			if (named !== id) customerMap(doc).set('primaryContactId', !othersLive ? id : primaryContactId(doc));
		}
	});
}

/** When the server purges a record trashed at `deletedAt` (SPEC §2: restorable for 30 days). */
export const purgeAt = (deletedAt: number): number => deletedAt + TRASH_DAYS * 86_400_000;

export function trashCustomer(doc: Y.Doc, authorId: string, now: number): void {
	doc.transact(() => {
		customerMap(doc).set('deletedAt', now);
		customerMap(doc).set('deletedBy', authorId);
	});
}

export function restoreCustomer(doc: Y.Doc): void {
	doc.transact(() => {
		customerMap(doc).set('deletedAt', null);
		customerMap(doc).set('deletedBy', null);
	});
}

export function readCustomer(doc: Y.Doc): CustomerData {
	return customerMap(doc).toJSON() as CustomerData;
}

export interface ContactRecord extends ContactData {
	id: string;
	primary: boolean;
}

/** Live (not deleted) contacts, primary first, then by last and first name. */
export function readContacts(doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): ContactRecord[] {
	const primary = primaryContactId(doc);
	const out: ContactRecord[] = [];
	for (const [id, m] of contactsMap(doc).entries()) {
		if (!opts.includeDeleted && !isLive(m)) continue;
		out.push({ ...(m.toJSON() as ContactData), id, primary: id === primary });
	}
	return out.sort(
		(a, b) =>
			Number(b.primary) - Number(a.primary) ||
			String(a.lastName ?? '').localeCompare(String(b.lastName ?? '')) ||
			String(a.firstName ?? '').localeCompare(String(b.firstName ?? ''))
	);
}

export function managers(doc: Y.Doc): string[] {
	return [...managersMap(doc).entries()].filter(([, v]) => v === true).map(([k]) => k);
}

/**
 * Makes a staff user a manager of the customer (SPEC §2). One key per user, so assignments
 * made on two devices merge. Stamps who changed the record: the server names that user as
 * the one who assigned when it notifies the new manager.
 */
export function addManager(doc: Y.Doc, userId: string, authorId: string, now: number): void {
	if (managersMap(doc).get(userId) === true) return;
	doc.transact(() => {
		managersMap(doc).set(userId, true);
		customerMap(doc).set('updatedBy', authorId);
		customerMap(doc).set('updatedAt', now);
	});
}

/**
 * Removes a manager: the key is deleted, so a later assignment is a new one. Refuses to remove
 * the last manager (a record keeps at least one) and returns whether it removed.
 */
export function removeManager(doc: Y.Doc, userId: string, authorId: string, now: number): boolean {
	const current = managers(doc);
	if (!current.includes(userId) || current.length <= 1) return false;
	doc.transact(() => {
		managersMap(doc).delete(userId);
		customerMap(doc).set('updatedBy', authorId);
		customerMap(doc).set('updatedAt', now);
	});
	return true;
}

/** What lists and search need of a customer, kept in the device's local index. */
export interface CustomerSummary {
	id: string;
	kind: CustomerKind;
	/** Company name, or the person's name for an individual customer. */
	name: string;
	email: string | null;
	phone: string | null;
	city: string | null;
	/** The customer's country (the region its phones are read in, phones.ts); optional: older summaries lack it. */
	country?: string | null;
	contactTypeId: string | null;
	access: Access;
	managers: string[];
	deletedAt: number | null;
	updatedAt: number | null;
	contacts: {
		id: string;
		firstName: string;
		lastName: string;
		email: string | null;
		phone: string | null;
		position: string | null;
		primary: boolean;
		/**
		 * The server's "duplicate e-mail" flag (SPEC §2, §6): another live contact uses this
		 * address. Optional: summaries kept before it existed lack it (read as false) until
		 * their record changes.
		 */
		duplicateEmail?: boolean;
		/** Additional field values (custom-values.ts), id -> value; optional as above. */
		custom?: Record<string, FieldValue>;
		/** Further labelled e-mails and phones besides the primary (contact-values.ts), for search; optional as above. */
		moreEmails?: string[];
		morePhones?: string[];
	}[];
	/** The customer's own further e-mails and phones (an individual's stand in for its contact's); optional as above. */
	moreEmails?: string[];
	morePhones?: string[];
	/** A company's additional field values (custom-values.ts); optional: older summaries lack it. */
	custom?: Record<string, FieldValue>;
	/**
	 * Contacts in the trash (the Trash page lists them offline). Optional: summaries kept
	 * before it existed lack it until their record changes.
	 */
	trashedContacts?: { id: string; firstName: string; lastName: string; deletedAt: number }[];
}

const str = (v: FieldValue | undefined) => (typeof v === 'string' && v !== '' ? v : null);
/** A record's values of `kind` besides its primary one (the slots of contact-values.ts). */
const moreOf = (record: object, kind: ValueKind): string[] => {
	const data = record as Readonly<Record<string, unknown>>;
	const primary = typeof data[kind] === 'string' ? (data[kind] as string).trim() : '';
	return valuesOf(data, kind)
		.map((v) => v.value)
		.filter((v, i) => !(i === 0 && v === primary));
};

/** A summary of the document, or null when it holds no customer yet. */
export function summarize(id: string, doc: Y.Doc): CustomerSummary | null {
	const c = readCustomer(doc);
	if (c.kind !== 'company' && c.kind !== 'person') return null;
	const contacts = readContacts(doc).map((k) => ({
		id: k.id,
		firstName: str(k.firstName) ?? '',
		lastName: str(k.lastName) ?? '',
		email: str(k.email),
		phone: str(k.phone),
		position: str(k.position),
		primary: k.primary,
		duplicateEmail: k.duplicateEmail === true,
		custom: customValuesFrom(k),
		moreEmails: moreOf(k, 'email'),
		morePhones: moreOf(k, 'phone')
	}));
	const person = contacts[0];
	const name =
		c.kind === 'company' ? (str(c.companyName) ?? '') : person ? `${person.firstName} ${person.lastName}`.trim() : '';
	return {
		id,
		kind: c.kind,
		name,
		email: str(c.email),
		phone: str(c.phone),
		city: str(c.city),
		country: str(c.country),
		contactTypeId: str(c.contactTypeId),
		access: (c.access as Access) ?? 'private',
		managers: managers(doc),
		deletedAt: typeof c.deletedAt === 'number' ? c.deletedAt : null,
		updatedAt: typeof c.updatedAt === 'number' ? c.updatedAt : null,
		contacts,
		custom: customValuesFrom(c),
		moreEmails: moreOf(c, 'email'),
		morePhones: moreOf(c, 'phone'),
		trashedContacts: readContacts(doc, { includeDeleted: true })
			.filter((k) => typeof k.deletedAt === 'number')
			.map((k) => ({
				id: k.id,
				firstName: str(k.firstName) ?? '',
				lastName: str(k.lastName) ?? '',
				deletedAt: Number(k.deletedAt)
			}))
	};
}
