/**
 * SQL tables that mirror customer documents (migration 003) for search, the portal and e-mail.
 * The Y.Doc is the source of truth: projecting rewrites a customer's rows from what its
 * document holds, inside the transaction that commits the document's updates, so the tables
 * never show a change the log does not have.
 */
import * as Y from 'yjs';
import { contactsMap, customerMap, managers, primaryContactId } from '../src/lib/schema/customer-doc.ts';
import {
	CUSTOMER_KINDS,
	LANGUAGES,
	NOTIFICATIONS,
	PORTAL_PERMISSIONS,
	emailKey,
	notificationKey,
	permissionKey,
	type Notification,
	type PortalPermission
} from '../src/lib/schema/records.ts';
import {
	HISTORY_CREATED,
	HISTORY_DELETED,
	HISTORY_MANAGERS,
	isModuleRoot,
	type FieldChange
} from '../src/lib/schema/history.ts';
import type { ModuleRoot } from '../src/lib/schema/modules.ts';
import { detailsOf } from '../src/lib/schema/record-details.ts';
import { projectCustomValues, removeCustomValues } from './custom-values.ts';
import type { Db } from './db.ts';
import type { ModuleTouch } from './modules/mirror.ts';

/** Typed as complete records, so a new permission or notification fails to compile until it has a column. */
const PERMISSION_COLUMNS: Record<PortalPermission, string> = {
	invoices: 'perm_invoices',
	estimates: 'perm_estimates',
	contracts: 'perm_contracts',
	proposals: 'perm_proposals',
	support: 'perm_support',
	projects: 'perm_projects'
};

const NOTIFICATION_COLUMNS: Record<Notification, string> = {
	invoice: 'notify_invoice',
	creditNote: 'notify_credit_note',
	estimate: 'notify_estimate',
	tickets: 'notify_tickets',
	project: 'notify_project',
	contract: 'notify_contract',
	task: 'notify_task'
};

const CUSTOMER_COLUMNS = [
	'id',
	'kind',
	'company_name',
	'contact_type_id',
	'email',
	'phone',
	'city',
	'country',
	'access',
	'primary_contact_id',
	'created_by',
	'created_at',
	'updated_at',
	'deleted_at',
	'details'
] as const;

const CONTACT_COLUMNS = [
	'id',
	'customer_id',
	'first_name',
	'last_name',
	'position',
	'email',
	'email_key',
	'phone',
	'is_primary',
	'do_not_send_welcome',
	'duplicate_email',
	'language',
	'do_not_email',
	'details',
	...PORTAL_PERMISSIONS.map((p) => PERMISSION_COLUMNS[p]),
	...NOTIFICATIONS.map((n) => NOTIFICATION_COLUMNS[n]),
	'created_at',
	'deleted_at'
];

type SqlValue = string | number | null;

const params = (columns: readonly string[]) => columns.map((c) => `@${c}`).join(', ');

function prepare(db: Db) {
	const customerUpdates = CUSTOMER_COLUMNS.filter((c) => c !== 'id')
		.map((c) => `${c} = excluded.${c}`)
		.join(', ');
	return {
		upsertCustomer: db.prepare(
			`INSERT INTO customers (${CUSTOMER_COLUMNS.join(', ')}) VALUES (${params(CUSTOMER_COLUMNS)})
			 ON CONFLICT (id) DO UPDATE SET ${customerUpdates}`
		),
		deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ?'),
		deleteManagers: db.prepare('DELETE FROM customer_managers WHERE customer_id = ?'),
		insertManager: db.prepare('INSERT INTO customer_managers (customer_id, user_id) VALUES (?, ?)'),
		deleteContacts: db.prepare('DELETE FROM contacts WHERE customer_id = ?'),
		deleteContact: db.prepare('DELETE FROM contacts WHERE id = ? AND customer_id = ?'),
		markPrimary: db.prepare(
			'UPDATE contacts SET is_primary = (id IS @primary) WHERE customer_id = @doc AND is_primary IS NOT (id IS @primary)'
		),
		// Contact ids are chosen by devices. An id already used by another customer's contact
		// (a bug or a hostile client) is skipped rather than failing the commit this runs in;
		// the first customer keeps the row.
		insertContact: db.prepare(
			`INSERT INTO contacts (${CONTACT_COLUMNS.join(', ')}) VALUES (${params(CONTACT_COLUMNS)})
			 ON CONFLICT (id) DO NOTHING`
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

function assertInTransaction(db: Db): void {
	// Several statements rewrite one customer; outside a transaction a failure would leave half of it.
	if (!db.inTransaction) throw new Error('projection must run inside the transaction that commits the document');
}

// Values are read defensively: a document may hold data written before validation existed.
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const time = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const flag = (v: unknown): number | null => (v === true ? 1 : v === false ? 0 : null);

/** Which parts of a customer a commit changed; every part when not known. */
export interface Touched {
	/** Contacts (their rows, the primary mark, welcome e-mails). */
	contacts: boolean;
	/**
	 * With `contacts`: the contacts whose rows the commit changed (added, edited, trashed or
	 * removed), or null for every one (the customer was created, trashed or restored, or it is
	 * not known). The primary mark is set right on every row either way.
	 */
	contactIds: ReadonlySet<string> | null;
	managers: boolean;
	/** Who holds which contact e-mail (the duplicate e-mail rule). */
	emails: boolean;
	/** Portal module records by root (server/modules/); null: none. */
	modules: ModuleTouch | null;
}

export const ALL_TOUCHED: Touched = { contacts: true, contactIds: null, managers: true, emails: true, modules: 'all' };

/** From the field changes of a commit's updates of one document (null: unknown, so all). */
export function touchedBy(changes: readonly FieldChange[] | null): Touched {
	if (changes === null) return ALL_TOUCHED;
	const t: Touched = { contacts: false, contactIds: null, managers: false, emails: false, modules: null };
	const ids = new Set<string>();
	let everyContact = false;
	for (const c of changes) {
		if (isModuleRoot(c.record)) {
			if (c.recordId === undefined) continue;
			const modules = (t.modules ??= new Map<ModuleRoot, Set<string>>()) as Map<ModuleRoot, Set<string>>;
			const ids = modules.get(c.record) ?? new Set<string>();
			ids.add(c.recordId);
			modules.set(c.record, ids);
		} else if (c.record === 'contact') {
			t.contacts = true;
			if (c.contactId === null) everyContact = true;
			else ids.add(c.contactId);
			if (EMAIL_FIELDS.has(c.field)) t.emails = true;
		} else if (c.field === HISTORY_MANAGERS) t.managers = true;
		else if (c.field === 'primaryContactId') t.contacts = true;
		else if (c.field === 'deletedAt' || c.field === 'kind' || c.field === HISTORY_CREATED)
			t.emails = t.contacts = everyContact = true;
	}
	if (t.contacts && !everyContact) t.contactIds = ids;
	return t;
}

/** Contact changes that bear on the duplicate e-mail rule: the address, the trash, add and remove, the flag. */
const EMAIL_FIELDS = new Set(['email', 'deletedAt', 'duplicateEmail', HISTORY_CREATED, HISTORY_DELETED]);

/**
 * Replaces the rows of customer `docName` with what `doc` holds. A document that is not a
 * customer (no valid kind yet) has no rows. Runs inside the caller's transaction. Parts the
 * commit did not touch keep their rows (the customer's own row is always rewritten).
 */
export function projectCustomer(db: Db, docName: string, doc: Y.Doc, touched: Touched = ALL_TOUCHED): void {
	assertInTransaction(db);
	const s = stmts(db);
	const c = customerMap(doc);
	const kind = c.get('kind');
	if (!(CUSTOMER_KINDS as readonly unknown[]).includes(kind)) {
		removeCustomer(db, docName);
		return;
	}
	// The effective primary (SPEC §2: exactly one), also when the named one was removed.
	const primary = primaryContactId(doc);
	const customer: Record<(typeof CUSTOMER_COLUMNS)[number], SqlValue> = {
		id: docName,
		kind: kind as string,
		company_name: text(c.get('companyName')),
		contact_type_id: text(c.get('contactTypeId')),
		email: text(c.get('email')),
		phone: text(c.get('phone')),
		city: text(c.get('city')),
		country: text(c.get('country')),
		access: text(c.get('access')),
		primary_contact_id: primary,
		created_by: text(c.get('createdBy')),
		created_at: time(c.get('createdAt')),
		updated_at: time(c.get('updatedAt')),
		deleted_at: time(c.get('deletedAt')),
		details: JSON.stringify(detailsOf(c.toJSON()))
	};
	s.upsertCustomer.run(customer);

	if (touched.managers) {
		s.deleteManagers.run(docName);
		for (const userId of managers(doc)) s.insertManager.run(docName, userId);
	}
	const contacts = contactsMap(doc);
	// Only the contacts the commit changed are written again (a company's fifth contact does
	// not rewrite the other four); a removed one loses its row.
	const ids = touched.contacts ? touched.contactIds : new Set<string>();
	projectCustomValues(db, docName, doc, ids);
	if (!touched.contacts) return;
	if (ids === null) s.deleteContacts.run(docName);
	for (const [id, m] of ids === null ? contacts.entries() : [...ids].map((id) => [id, contacts.get(id)] as const)) {
		if (ids !== null) s.deleteContact.run(id, docName);
		if (!(m instanceof Y.Map)) continue;
		const row: Record<string, SqlValue> = {
			id,
			customer_id: docName,
			first_name: text(m.get('firstName')),
			last_name: text(m.get('lastName')),
			position: text(m.get('position')),
			email: text(m.get('email')),
			email_key: emailKey(m.get('email')),
			phone: text(m.get('phone')),
			is_primary: id === primary ? 1 : 0,
			do_not_send_welcome: flag(m.get('doNotSendWelcome')),
			duplicate_email: flag(m.get('duplicateEmail')),
			language: (LANGUAGES as readonly unknown[]).includes(m.get('language')) ? (m.get('language') as string) : null,
			do_not_email: flag(m.get('doNotEmail')),
			details: JSON.stringify(detailsOf(m.toJSON())),
			created_at: time(m.get('createdAt')),
			deleted_at: time(m.get('deletedAt'))
		};
		for (const p of PORTAL_PERMISSIONS) row[PERMISSION_COLUMNS[p]] = flag(m.get(permissionKey(p)));
		for (const n of NOTIFICATIONS) row[NOTIFICATION_COLUMNS[n]] = flag(m.get(notificationKey(n)));
		s.insertContact.run(row);
	}
	// The effective primary may move without its contact changing (the named one removed).
	if (ids !== null) s.markPrimary.run({ doc: docName, primary });
}

/** Removes a customer's rows (its contacts and managers with it). Runs inside the caller's transaction. */
export function removeCustomer(db: Db, docName: string): void {
	assertInTransaction(db);
	const s = stmts(db);
	// Explicit rather than relying on ON DELETE CASCADE, which needs foreign_keys on for this connection.
	removeCustomValues(db, docName);
	s.deleteContacts.run(docName);
	s.deleteManagers.run(docName);
	s.deleteCustomer.run(docName);
}
