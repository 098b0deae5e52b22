/**
 * The transactional outbox (SPEC §3.5): rows written in the transaction of the change that
 * causes them. Sending (SMTP worker, retries, templates) comes with the e-mail issue; here
 * are the writers and the one-time welcome decision.
 */
import type * as Y from 'yjs';
import { contactsMap } from '../src/lib/schema/customer-doc.ts';
import type { Db } from './db.ts';

export interface OutboxRow {
	kind: string;
	idempotencyKey: string;
	customerId?: string | null;
	contactId?: string | null;
	toEmail?: string | null;
	payload?: Record<string, unknown>;
	createdBy?: string | null;
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		insert: db.prepare(
			`INSERT INTO outbox (kind, idempotency_key, customer_id, contact_id, to_email, payload, created_by, created_at)
			 VALUES (@kind, @key, @customer, @contact, @to, @payload, @by, @now)
			 ON CONFLICT (idempotency_key) DO NOTHING`
		),
		seen: db.prepare('SELECT 1 FROM contacts_seen WHERE contact_id = ?'),
		markSeen: db.prepare(
			'INSERT INTO contacts_seen (contact_id, customer_id, first_seen_at, welcome) VALUES (?, ?, ?, ?)'
		)
	};
}

const stmts = (db: Db) => cache.get(db) ?? cache.set(db, prepare(db)).get(db)!;

/** Queues a row; a second row with the same idempotency key is ignored. Returns whether it was new. */
export function enqueue(db: Db, row: OutboxRow, now = Date.now()): boolean {
	return (
		stmts(db).insert.run({
			kind: row.kind,
			key: row.idempotencyKey,
			customer: row.customerId ?? null,
			contact: row.contactId ?? null,
			to: row.toEmail ?? null,
			payload: JSON.stringify(row.payload ?? {}),
			by: row.createdBy ?? null,
			now
		}).changes === 1
	);
}

/**
 * The welcome e-mail is decided once, when the server first sees a contact, reading
 * "do not send welcome e-mail" then (SPEC §2). The decision is recorded, so a replayed
 * merge never sends it again. Whether the template is enabled is read when sending.
 * Runs inside the commit transaction.
 */
export function decideWelcomeMails(db: Db, customerId: string, doc: Y.Doc, now = Date.now()): void {
	const s = stmts(db);
	for (const [contactId, contact] of contactsMap(doc).entries()) {
		if (s.seen.get(contactId)) continue;
		const email = contact.get('email');
		const optedOut = contact.get('doNotSendWelcome') === true;
		const decision = optedOut ? 'opted_out' : typeof email === 'string' && email !== '' ? 'queued' : 'no_email';
		s.markSeen.run(contactId, customerId, now, decision);
		if (decision === 'queued') {
			enqueue(
				db,
				{
					kind: 'welcome',
					idempotencyKey: `welcome:${contactId}`,
					customerId,
					contactId,
					toEmail: email as string,
					createdBy: (contact.get('createdBy') as string | null) ?? null
				},
				now
			);
		}
	}
}
