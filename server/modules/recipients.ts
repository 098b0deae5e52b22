/**
 * Who a module's mail goes to, read from the projection inside the commit that records the
 * event (so a flag changed in the same batch already counts): contacts of the customer with a
 * notification flag on (SPEC §3.1: none on, nothing sent, also with a single contact), the
 * live contacts a send request names (§3.2), and the customer's managers.
 */
import type { Notification } from '../../src/lib/schema/records.ts';
import type { Db } from '../db.ts';
import { stmt } from './statements.ts';

/** Typed as a complete record: a new flag fails to compile until it has a column (as projection.ts). */
const FLAG_COLUMN: Record<Notification, string> = {
	invoice: 'notify_invoice',
	creditNote: 'notify_credit_note',
	estimate: 'notify_estimate',
	tickets: 'notify_tickets',
	project: 'notify_project',
	contract: 'notify_contract',
	task: 'notify_task'
};

/**
 * A contact that can receive mail: live, of a live customer, with an address, and not marked
 * "do not e-mail" (issue #13 item 2: notifications and sent documents skip them).
 */
const LIVE = `k.deleted_at IS NULL AND k.email_key IS NOT NULL AND (k.do_not_email IS NULL OR k.do_not_email = 0)
	AND EXISTS (SELECT 1 FROM customers c WHERE c.id = k.customer_id AND c.deleted_at IS NULL)`;

export interface Addressee {
	id: string;
	email: string;
}

/** Contacts of `customerId` whose flag `flag` is on, in id order. */
export function flaggedContacts(db: Db, customerId: string, flag: Notification): Addressee[] {
	return stmt(
		db,
		`SELECT k.id, k.email FROM contacts k WHERE k.customer_id = ? AND ${FLAG_COLUMN[flag]} = 1 AND ${LIVE} ORDER BY k.id`
	).all(customerId) as Addressee[];
}

/**
 * Of the ids a send request names, those that are live contacts of THIS customer with an
 * e-mail (the rest get nothing: an id of another customer's contact never mails a stranger).
 */
export function liveContactsAmong(db: Db, customerId: string, ids: readonly string[]): Addressee[] {
	const q = stmt(db, `SELECT k.id, k.email FROM contacts k WHERE k.id = ? AND k.customer_id = ? AND ${LIVE}`);
	const out: Addressee[] = [];
	for (const id of new Set(ids)) {
		const row = q.get(id, customerId) as Addressee | undefined;
		if (row) out.push(row);
	}
	return out;
}

/**
 * Who hears of a contact's message: the customer's active managers, else (a customer nobody
 * manages) the active admins — a contact's ticket never goes unheard.
 */
export function ticketStaff(db: Db, customerId: string): Addressee[] {
	const managers = stmt(
		db,
		`SELECT u.id, u.email FROM customer_managers m JOIN users u ON u.id = m.user_id
		 WHERE m.customer_id = ? AND u.active = 1 ORDER BY u.id`
	).all(customerId) as Addressee[];
	if (managers.length > 0) return managers;
	return stmt(db, `SELECT id, email FROM users WHERE role = 'admin' AND active = 1 ORDER BY id`).all() as Addressee[];
}
