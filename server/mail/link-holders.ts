/**
 * Who a set-password link is for (set-password-links.ts): a customer contact (its portal
 * password, issue #11) or a staff user (their sign-in password, issue #14 item 9). The link
 * mechanism is one; what differs is read here — whether the holder still stands as the link
 * was issued (not deleted or deactivated, the same address) and where the new password goes.
 */
import { isMailLocale, type MailLocale } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';
import type { OutboxRow } from '../outbox.ts';
import { UserStore } from '../users.ts';
import { contactById, staffById } from './recipients.ts';

export type HolderKind = 'contact' | 'staff';
export const isHolderKind = (v: unknown): v is HolderKind => v === 'contact' || v === 'staff';

/** A holder as the link page and the renewal need it; null when the link must not work for it. */
export interface HolderNow {
	id: string;
	email: string | null;
	emailKey: string | null;
	locale: MailLocale | null;
	firstName: string | null;
	/** The contact's customer; null for staff. */
	customerId: string | null;
}

/** The holder now, or null when it is gone: a contact deleted (or its customer), a staff user deactivated. */
export function readHolder(db: Db, kind: HolderKind, id: string): HolderNow | null {
	if (kind === 'staff') {
		const user = staffById(db, id);
		if (!user || !user.active) return null;
		return {
			id: user.id,
			email: user.email,
			// Staff addresses are stored normalised (lower case): the address is the key.
			emailKey: user.email,
			locale: isMailLocale(user.locale) ? user.locale : null,
			firstName: user.name,
			customerId: null
		};
	}
	const contact = contactById(db, id);
	if (!contact || contact.deleted) return null;
	return {
		id: contact.id,
		email: contact.email,
		emailKey: contact.emailKey,
		locale: isMailLocale(contact.language) ? contact.language : null,
		firstName: contact.firstName,
		customerId: contact.customerId
	};
}

/** Stores the new password hash, inside the link's transaction. */
export function storePassword(db: Db, kind: HolderKind, id: string, hash: string, now: number): void {
	if (kind === 'staff') {
		new UserStore(db, () => now).setPassword(id, hash);
		return;
	}
	db.prepare(
		`INSERT INTO contact_credentials (contact_id, password_hash, updated_by, updated_at) VALUES (?, ?, NULL, ?)
		 ON CONFLICT (contact_id) DO UPDATE SET password_hash = excluded.password_hash,
		 updated_by = excluded.updated_by, updated_at = excluded.updated_at`
	).run(id, hash, now);
}

/** The outbox row that carries a fresh link to the holder ("send me a new link", forgot password). */
export function linkMail(kind: HolderKind, holder: HolderNow, idempotencyKey: string): OutboxRow {
	return kind === 'staff'
		? {
				kind: 'staff_password_reset',
				idempotencyKey: `staff_password_reset:${idempotencyKey}`,
				toEmail: holder.email,
				payload: { userId: holder.id }
			}
		: {
				kind: 'set_password',
				idempotencyKey: `set_password:${idempotencyKey}`,
				customerId: holder.customerId,
				contactId: holder.id,
				toEmail: holder.email,
				// The contact asks for it themselves: sent despite "do not e-mail" (compose.ts).
				payload: { requestedByContact: true }
			};
}
