/**
 * The transactional outbox (SPEC §3.5): rows written in the transaction of the change that
 * causes them (a crash before that commit sends nothing: the row never existed). The worker
 * in server/mail/ sends them; here are the writers and the one-time welcome decision.
 */
import type * as Y from 'yjs';
import { contactsMap, customerMap, managers, managersMap, summarize } from '../src/lib/schema/customer-doc.ts';
import { emailKey } from '../src/lib/schema/records.ts';
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
		),
		projectedManagers: db.prepare('SELECT user_id FROM customer_managers WHERE customer_id = ?').pluck(),
		activeStaff: db.prepare('SELECT email FROM users WHERE id = ? AND active = 1').pluck(),
		welcomedAddress: db.prepare("SELECT 1 FROM outbox WHERE kind = 'welcome' AND lower(trim(to_email)) = ? LIMIT 1")
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
 * A contact (or customer) already deleted when first seen — made and deleted offline before
 * its first sync — gets none, and an address gets one welcome mail however many contacts
 * share it (the duplicate e-mail rule, issue #11 item 4). Runs inside the commit transaction.
 */
export function decideWelcomeMails(db: Db, customerId: string, doc: Y.Doc, now = Date.now()): void {
	const s = stmts(db);
	const customerDeleted = customerMap(doc).get('deletedAt') != null;
	for (const [contactId, contact] of contactsMap(doc).entries()) {
		if (s.seen.get(contactId)) continue;
		const email = contact.get('email');
		const address = emailKey(email);
		const decision =
			customerDeleted || contact.get('deletedAt') != null
				? 'deleted'
				: contact.get('doNotSendWelcome') === true
					? 'opted_out'
					: address === null
						? 'no_email'
						: s.welcomedAddress.get(address)
							? 'duplicate_address'
							: 'queued';
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

/**
 * An assigned staff member is notified (SPEC §2): one outbox row per assignment, for the
 * managers the document has and the projection does not have yet. So it runs inside the
 * commit transaction and BEFORE projectCustomer rewrites customer_managers.
 *
 * `byUserId` is who assigned (no mail about assigning oneself, e.g. the author of a new
 * record); left out, it is the record's last editor, which addManager stamps.
 *
 * The idempotency key names the Yjs item that holds the assignment: a replayed or re-merged
 * update carries the same item and never queues a second mail, while an assignment made
 * again after a removal is a new item and notifies again.
 */
export function decideManagerMails(
	db: Db,
	customerId: string,
	doc: Y.Doc,
	byUserId?: string | null,
	now = Date.now()
): void {
	const s = stmts(db);
	const by = byUserId === undefined ? text(customerMap(doc).get('updatedBy')) : byUserId;
	// Only newly assigned managers other than the author get a mail: most commits have none,
	// and are spared reading the whole customer (an import creates thousands).
	const assigned = managers(doc).filter((userId) => userId !== by);
	if (assigned.length === 0) return;
	const summary = summarize(customerId, doc);
	if (!summary || summary.deletedAt !== null) return;
	const before = new Set(s.projectedManagers.all(customerId) as string[]);
	for (const userId of assigned) {
		if (before.has(userId)) continue;
		const email = s.activeStaff.get(userId) as string | undefined;
		if (!email) continue; // an unknown or deactivated account gets no mail
		const item = managersMap(doc)._map.get(userId)?.id;
		const assignment = item ? `${item.client}.${item.clock}` : String(now);
		enqueue(
			db,
			{
				kind: 'manager_assigned',
				idempotencyKey: `manager_assigned:${customerId}:${userId}:${assignment}`,
				customerId,
				toEmail: email,
				payload: { customerId, customerName: summary.name, assignedBy: by, userId },
				createdBy: by
			},
			now
		);
	}
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
