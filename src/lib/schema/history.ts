/**
 * The history of a customer record (issue #4): who changed which fields of the customer or one
 * of its contacts, and when. Recorded by the server (server/history.ts) and returned by
 * GET /api/customers/<id>/history in these shapes.
 */
import * as Y from 'yjs';
import { MODULE_FIELDS, type ModuleRoot } from './modules.ts';
import { DOC, type FieldValue } from './records.ts';

/** The customer, one of its contacts, or a module record (a sales document, a ticket, …; issue #12). */
export type HistoryRecordKind = 'customer' | 'contact' | ModuleRoot;

export const isModuleRoot = (v: unknown): v is ModuleRoot => typeof v === 'string' && Object.hasOwn(MODULE_FIELDS, v);

/**
 * Pseudo-fields besides the record's own fields: a record was created; a contact was removed
 * from the document (not the trash, which is its `deletedAt` field); a manager was assigned or
 * unassigned (value: ManagerChange).
 */
export const HISTORY_CREATED = 'created';
export const HISTORY_DELETED = 'deleted';
export const HISTORY_MANAGERS = 'managers';

export interface ManagerChange {
	user: string;
	assigned: boolean;
}

/** One field of one record set to a new value (null: cleared or removed). */
export interface FieldChange {
	record: HistoryRecordKind;
	/** The contact's id when `record` is 'contact'. */
	contactId: string | null;
	/** The module record's id when `record` is a module root (absent otherwise). */
	recordId?: string;
	field: string;
	value: FieldValue | ManagerChange;
}

/** A manager change as the API returns it, with the staff user's display name. */
export interface ManagerChangeView extends ManagerChange {
	name: string | null;
}

export interface HistoryChangeView extends Omit<FieldChange, 'value'> {
	value: FieldValue | ManagerChangeView;
	/**
	 * The value before this change ("changed from"): the field's previous value in the history,
	 * null when it had none (a new record, or a field never set). Absent for managers.
	 */
	from?: FieldValue;
	/** The contact's current name, when the server still has the contact. */
	contactName: string | null;
	/**
	 * A module record's current name, when the server still has it: a sales document's number
	 * ("INV-000042") or subject, a contract's or ticket's subject, a project's or task's name.
	 */
	recordName?: string | null;
}

/** One change event: the fields one user's update changed, newest events first. */
export interface HistoryEntryView {
	at: number;
	seq: number | null;
	/** null: the server's own change (an invariant repaired after concurrent edits). */
	author: { id: string; name: string | null } | null;
	changes: HistoryChangeView[];
}

export interface HistoryPage {
	entries: HistoryEntryView[];
	/** Pass as `before` for older entries; null when there are none. */
	next: number | null;
}

/** Longest text kept of a new value; the document keeps the whole of it. */
export const HISTORY_VALUE_MAX = 200;

/**
 * Bookkeeping every edit stamps: noise in a history that already says who and when. A record's
 * createdAt becomes the pseudo-field "created" instead.
 */
const CUSTOMER_NOISE = new Set(['updatedAt', 'updatedBy', 'createdBy', 'deletedBy']);
const CONTACT_NOISE = new Set(['createdAt', 'createdBy']);
/** Module records: stamps like the customer's; createdAt is the "created" pseudo-field. */
const MODULE_NOISE = new Set(['createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'deletedBy']);

/** A shared type as Yjs lists it in a transaction. */
type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

/** The name of a root type, or null for a nested one. */
function rootName(doc: Y.Doc, type: SharedType): string | null {
	if (type._item !== null) return null;
	for (const [name, t] of doc.share) if (t === type) return name;
	return null;
}

/**
 * The root map `name` as a Y.Map. A document filled by applyUpdate holds its roots as plain
 * AbstractTypes until someone asks for them by type; getMap converts one in place (the new
 * instance shares the old one's entries), so values are read through it.
 */
function rootMap(doc: Y.Doc, name: string, type: SharedType): Y.Map<unknown> {
	return type instanceof Y.Map ? (type as Y.Map<unknown>) : doc.getMap<unknown>(name);
}

/** A value as history keeps it: field values as they are, anything else (a nested type) as null. */
function plain(v: unknown): FieldValue {
	if (v instanceof Y.Text) return v.toString(); // a collaborative text: its whole new value
	return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

/** What one applied transaction changed, field by field. */
/**
 * What one applied transaction changed, field by field — from `tr.changed`, so it costs what
 * the transaction touched, not the size of the document. The server records it as history;
 * the device shows what a refused change held ("not saved").
 */
export function describeTransaction(tr: Y.Transaction): FieldChange[] {
	const doc = tr.doc;
	const customer: FieldChange[] = [];
	const managers: FieldChange[] = [];
	const contacts: FieldChange[] = [];
	/** Contacts added in this transaction: all their fields are listed, none twice. */
	const added = new Set<string>();
	const contactChange = (contactId: string, field: string, value: FieldValue): FieldChange => ({
		record: 'contact',
		contactId,
		field,
		value
	});

	const modules: FieldChange[] = [];
	/** Module records added in this transaction (root + id): all their fields are listed, none twice. */
	const addedRecords = new Set<string>();
	const moduleChange = (root: ModuleRoot, recordId: string, field: string, value: FieldValue): FieldChange => ({
		record: root,
		contactId: null,
		recordId,
		field,
		value
	});

	const changedContacts: [string, Y.Map<unknown>, Set<string | null>][] = [];
	const changedRecords: [ModuleRoot, string, Y.Map<unknown>, Set<string | null>][] = [];
	for (const [type, keys] of tr.changed) {
		const root = rootName(doc, type);
		if (root === DOC.customer) {
			const map = rootMap(doc, root, type);
			for (const key of keys) {
				if (key === null || CUSTOMER_NOISE.has(key)) continue;
				if (key === 'createdAt') {
					if (map.get(key) !== undefined)
						customer.push({ record: 'customer', contactId: null, field: HISTORY_CREATED, value: null });
					continue;
				}
				customer.push({ record: 'customer', contactId: null, field: key, value: plain(map.get(key)) });
			}
		} else if (root === DOC.managers) {
			const map = rootMap(doc, root, type);
			for (const user of keys) {
				if (user === null) continue;
				const value: ManagerChange = { user, assigned: map.get(user) === true };
				managers.push({ record: 'customer', contactId: null, field: HISTORY_MANAGERS, value });
			}
		} else if (root === DOC.contacts) {
			const map = rootMap(doc, root, type);
			for (const id of keys) {
				if (id === null) continue;
				const contact = map.get(id);
				if (!(contact instanceof Y.Map)) {
					contacts.push(contactChange(id, HISTORY_DELETED, null));
					continue;
				}
				// A map created in this transaction is not in tr.changed itself: list its fields here.
				added.add(id);
				contacts.push(contactChange(id, HISTORY_CREATED, null));
				for (const [key, v] of (contact as Y.Map<unknown>).entries()) {
					if (!CONTACT_NOISE.has(key)) contacts.push(contactChange(id, key, plain(v)));
				}
			}
		} else if (isModuleRoot(root)) {
			const map = rootMap(doc, root, type);
			for (const id of keys) {
				if (id === null) continue;
				const record = map.get(id);
				if (!(record instanceof Y.Map)) {
					modules.push(moduleChange(root, id, HISTORY_DELETED, null));
					continue;
				}
				addedRecords.add(`${root}\u0000${id}`);
				modules.push(moduleChange(root, id, HISTORY_CREATED, null));
				for (const [key, v] of (record as Y.Map<unknown>).entries()) {
					if (!MODULE_NOISE.has(key)) modules.push(moduleChange(root, id, key, plain(v)));
				}
			}
		} else if (root === null && type instanceof Y.Text && type._item && !type._item.deleted) {
			// Typing in a collaborative text of the customer (its description): the new whole text.
			const item = type._item;
			if (
				item.parentSub !== null &&
				item.parent instanceof Y.AbstractType &&
				rootName(doc, item.parent) === DOC.customer
			)
				customer.push({ record: 'customer', contactId: null, field: item.parentSub, value: type.toString() });
		} else if (root === null && type instanceof Y.Map && !type._item?.deleted) {
			const item = type._item!;
			const parent = item.parent;
			if (item.parentSub === null || !(parent instanceof Y.AbstractType)) continue;
			const parentRoot = rootName(doc, parent);
			if (parentRoot === DOC.contacts) changedContacts.push([item.parentSub, type as Y.Map<unknown>, keys]);
			else if (isModuleRoot(parentRoot))
				changedRecords.push([parentRoot, item.parentSub, type as Y.Map<unknown>, keys]);
		}
	}
	for (const [id, map, keys] of changedContacts) {
		if (added.has(id)) continue;
		for (const key of keys) {
			if (key !== null && !CONTACT_NOISE.has(key)) contacts.push(contactChange(id, key, plain(map.get(key))));
		}
	}
	for (const [root, id, map, keys] of changedRecords) {
		if (addedRecords.has(`${root}\u0000${id}`)) continue;
		for (const key of keys) {
			if (key !== null && !MODULE_NOISE.has(key)) modules.push(moduleChange(root, id, key, plain(map.get(key))));
		}
	}
	return [...customer, ...managers, ...contacts, ...modules];
}
