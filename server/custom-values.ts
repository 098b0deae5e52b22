/**
 * Additional field values in SQL (migration 014): a mirror of the `custom.<id>` keys of each
 * customer document, rewritten with the customer's other rows (projection.ts), for the list
 * export. The definitions are read from the settings document (custom-fields.ts).
 */
import * as Y from 'yjs';
import { contactsMap, customerMap } from '../src/lib/schema/customer-doc.ts';
import { readCustomFields, type CustomFieldDef } from '../src/lib/schema/custom-fields.ts';
import { customValuesFrom } from '../src/lib/schema/custom-values.ts';
import type { FieldValue } from '../src/lib/schema/records.ts';
import { SETTINGS_DOC } from '../src/lib/schema/settings.ts';
import type { Db } from './db.ts';
import { SqliteDocStore } from './sync/doc-store.ts';

function prepare(db: Db) {
	return {
		deleteOwn: db.prepare(`DELETE FROM custom_values WHERE customer_id = ? AND contact_id = ''`),
		deleteContacts: db.prepare(`DELETE FROM custom_values WHERE customer_id = ? AND contact_id <> ''`),
		deleteContact: db.prepare(`DELETE FROM custom_values WHERE customer_id = ? AND contact_id = ?`),
		deleteAll: db.prepare('DELETE FROM custom_values WHERE customer_id = ?'),
		insert: db.prepare('INSERT INTO custom_values (customer_id, contact_id, field_id, value) VALUES (?, ?, ?, ?)'),
		all: db.prepare(
			'SELECT customer_id AS customerId, contact_id AS contactId, field_id AS fieldId, value FROM custom_values'
		)
	};
}

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
function stmts(db: Db): ReturnType<typeof prepare> {
	let s = statements.get(db);
	if (!s) {
		s = prepare(db);
		statements.set(db, s);
	}
	return s;
}

function insertAll(db: Db, customerId: string, contactId: string, map: Y.Map<unknown>): void {
	for (const [fieldId, value] of Object.entries(customValuesFrom(map.entries()))) {
		if (value !== null) stmts(db).insert.run(customerId, contactId, fieldId, JSON.stringify(value));
	}
}

/**
 * Rewrites the customer's own values, and those of the contacts in `contactIds` (the ones the
 * commit touched; null: every contact). Runs inside projectCustomer's transaction.
 */
export function projectCustomValues(
	db: Db,
	customerId: string,
	doc: Y.Doc,
	contactIds: ReadonlySet<string> | null
): void {
	const s = stmts(db);
	s.deleteOwn.run(customerId);
	insertAll(db, customerId, '', customerMap(doc) as Y.Map<unknown>);
	const contacts = contactsMap(doc);
	if (contactIds === null) {
		s.deleteContacts.run(customerId);
		for (const [id, m] of contacts.entries())
			if (m instanceof Y.Map) insertAll(db, customerId, id, m as Y.Map<unknown>);
		return;
	}
	for (const id of contactIds) {
		s.deleteContact.run(customerId, id);
		const m = contacts.get(id);
		if (m instanceof Y.Map) insertAll(db, customerId, id, m as Y.Map<unknown>);
	}
}

export function removeCustomValues(db: Db, customerId: string): void {
	stmts(db).deleteAll.run(customerId);
}

/** Every stored value: by customer id (its own) and by contact id. */
export function allCustomValues(db: Db): {
	byCustomer: Map<string, Record<string, FieldValue>>;
	byContact: Map<string, Record<string, FieldValue>>;
} {
	const byCustomer = new Map<string, Record<string, FieldValue>>();
	const byContact = new Map<string, Record<string, FieldValue>>();
	for (const r of stmts(db).all.iterate() as Iterable<{
		customerId: string;
		contactId: string;
		fieldId: string;
		value: string;
	}>) {
		const target = r.contactId === '' ? byCustomer : byContact;
		const key = r.contactId === '' ? r.customerId : r.contactId;
		const values = target.get(key) ?? {};
		values[r.fieldId] = JSON.parse(r.value) as FieldValue;
		target.set(key, values);
	}
	return { byCustomer, byContact };
}

/** The definitions as the server holds the settings document now (none when it was never written). */
export function serverCustomFields(db: Db): CustomFieldDef[] {
	const stored = new SqliteDocStore(db).load(SETTINGS_DOC);
	if (!stored) return [];
	const doc = new Y.Doc();
	try {
		for (const u of stored.updates) Y.applyUpdate(doc, u);
		return readCustomFields(doc);
	} finally {
		doc.destroy();
	}
}
