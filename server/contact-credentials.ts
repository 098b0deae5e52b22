/**
 * Portal credentials of customer contacts (SPEC §2, §5): the password staff set (online
 * only) and the "send set-password e-mail" command, queued in the outbox exactly once per
 * idempotency key (the device makes the key, so a command retried after a lost answer is
 * not sent twice). An address another live contact uses too is nobody's portal login until a
 * person resolves it (server/portal/contacts.ts), so no set-password e-mail goes to it.
 */
import type { StaffRef } from '../src/lib/schema/access.ts';
import type { Db } from './db.ts';
import { enqueue } from './outbox.ts';
import { invalidateLinks } from './mail/set-password-links.ts';
import { hashPassword } from './password.ts';

export type ContactCommandResult =
	| { ok: true; queued?: boolean }
	| { ok: false; reason: 'not_found' | 'no_email' | 'deleted' | 'duplicate_email' | 'do_not_email' };

interface ContactRow {
	id: string;
	customer_id: string;
	email: string | null;
	deleted_at: number | null;
	customer_deleted_at: number | null;
	/** The server's duplicate flag, or another live contact holds the address already (before the flag is written). */
	duplicate: number;
	do_not_email: number | null;
}

export class ContactCredentials {
	constructor(
		private readonly db: Db,
		/** May this staff user change that customer (src/lib/schema/access.ts)? */
		private readonly canWrite: (user: StaffRef, customerId: string) => boolean
	) {}

	private contact(id: string): ContactRow | undefined {
		return this.db
			.prepare(
				`SELECT k.id, k.customer_id, k.email, k.do_not_email, k.deleted_at, c.deleted_at AS customer_deleted_at,
				   (k.duplicate_email = 1 OR EXISTS (
				     SELECT 1 FROM contacts o JOIN customers oc ON oc.id = o.customer_id
				     WHERE o.email_key = k.email_key AND o.id <> k.id AND o.deleted_at IS NULL AND oc.deleted_at IS NULL
				   )) AS duplicate
				 FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.id = ?`
			)
			.get(id) as ContactRow | undefined;
	}

	/** A contact of a record the user may not change is answered as if it did not exist. */
	private check(row: ContactRow | undefined, by: StaffRef): ContactCommandResult | null {
		if (!row || !this.canWrite(by, row.customer_id)) return { ok: false, reason: 'not_found' };
		if (row.deleted_at || row.customer_deleted_at) return { ok: false, reason: 'deleted' };
		return null;
	}

	/** Sets a contact's portal password (validated by the caller: 8 characters to 1 KB). */
	async setPassword(contactId: string, password: string, by: StaffRef): Promise<ContactCommandResult> {
		const failed = this.check(this.contact(contactId), by);
		if (failed) return failed;
		const hash = await hashPassword(password);
		const now = Date.now();
		this.db.transaction(() => {
			this.db
				.prepare(
					`INSERT INTO contact_credentials (contact_id, password_hash, updated_by, updated_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (contact_id) DO UPDATE SET password_hash = excluded.password_hash,
				 updated_by = excluded.updated_by, updated_at = excluded.updated_at`
				)
				.run(contactId, hash, by.id, now);
			// A new password kills the set-password links sent before it (SPEC §2).
			invalidateLinks(this.db, contactId, now);
		})();
		return { ok: true };
	}

	/** Queues the set-password e-mail; the same idempotency key never queues a second one. */
	requestSetPasswordEmail(contactId: string, idempotencyKey: string, by: StaffRef): ContactCommandResult {
		const row = this.contact(contactId);
		const failed = this.check(row, by);
		if (failed) return failed;
		if (!row!.email) return { ok: false, reason: 'no_email' };
		if (row!.duplicate) return { ok: false, reason: 'duplicate_email' };
		// Staff sending a link is not the contact asking: "do not e-mail" holds (issue #13 item 2).
		if (row!.do_not_email === 1) return { ok: false, reason: 'do_not_email' };
		const queued = enqueue(this.db, {
			kind: 'set_password',
			idempotencyKey: `set_password:${idempotencyKey}`,
			customerId: row!.customer_id,
			contactId,
			toEmail: row!.email,
			createdBy: by.id
		});
		return { ok: true, queued };
	}
}
