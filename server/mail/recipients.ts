/**
 * Who a mail is for, read from the projection (customers, contacts) and the staff table at
 * send time: a contact deleted since the row was queued gets nothing (issue #11, item 4).
 */
import type { Db } from '../db.ts';

export interface ContactRecipient {
	id: string;
	customerId: string;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	emailKey: string | null;
	language: string | null;
	customerName: string | null;
	/** The contact or its customer is in the trash (or gone). */
	deleted: boolean;
	/** The contact wants no e-mail but what they ask for themselves (issue #13 item 2). */
	doNotEmail: boolean;
}

export interface StaffRecipient {
	id: string;
	name: string;
	email: string;
	locale: string | null;
	active: boolean;
}

export function contactById(db: Db, id: string): ContactRecipient | null {
	const row = db
		.prepare(
			`SELECT k.id, k.customer_id, k.first_name, k.last_name, k.email, k.email_key, k.language, k.deleted_at,
			        k.do_not_email, c.deleted_at AS customer_deleted_at, c.company_name, c.kind
			 FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.id = ?`
		)
		.get(id) as
		| {
				id: string;
				customer_id: string;
				first_name: string | null;
				last_name: string | null;
				email: string | null;
				email_key: string | null;
				language: string | null;
				deleted_at: number | null;
				do_not_email: number | null;
				customer_deleted_at: number | null;
				company_name: string | null;
				kind: string;
		  }
		| undefined;
	if (!row) return null;
	const fullName = [row.first_name, row.last_name].filter(Boolean).join(' ');
	return {
		id: row.id,
		customerId: row.customer_id,
		firstName: row.first_name,
		lastName: row.last_name,
		email: row.email,
		emailKey: row.email_key,
		language: row.language,
		// An individual customer (kind person) is named after its contact.
		customerName: row.company_name ?? (fullName || null),
		deleted: row.deleted_at !== null || row.customer_deleted_at !== null,
		doNotEmail: row.do_not_email === 1
	};
}

export function staffById(db: Db, id: string | null | undefined): StaffRecipient | null {
	if (!id) return null;
	const row = db.prepare('SELECT id, name, email, locale, active FROM users WHERE id = ?').get(id) as
		{ id: string; name: string; email: string; locale: string | null; active: number } | undefined;
	return row ? { ...row, active: row.active === 1 } : null;
}

export function customerName(db: Db, id: string | null): string | null {
	if (!id) return null;
	return (db.prepare('SELECT company_name FROM customers WHERE id = ?').pluck().get(id) as string | null) ?? null;
}
