/**
 * Existing records an import row meets (issue #13 item 3), read from the projection
 * (server/projection.ts): a live contact with the row's e-mail, a live company with the
 * row's company name, and whether a record an earlier import produced is still there. Only
 * records the importer may read are ever matched (the caller passes its access check).
 */
import type { Db } from '../db.ts';
import { companyKey } from './to-records.ts';

export type CanRead = (customerId: string) => boolean;

function prepare(db: Db) {
	return {
		byEmail: db.prepare(
			`SELECT k.customer_id, k.id FROM contacts k JOIN customers c ON c.id = k.customer_id
			 WHERE k.email_key = ? AND k.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY k.created_at, k.id`
		),
		companies: db.prepare(
			`SELECT id, company_name FROM customers WHERE kind = 'company' AND deleted_at IS NULL AND company_name IS NOT NULL
			 ORDER BY created_at, id`
		),
		customerLive: db.prepare('SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL'),
		contactLive: db.prepare('SELECT 1 FROM contacts WHERE id = ? AND customer_id = ? AND deleted_at IS NULL'),
		contactCount: db.prepare('SELECT count(*) FROM contacts WHERE customer_id = ?')
	};
}

export class ImportMatch {
	private readonly s: ReturnType<typeof prepare>;

	constructor(db: Db) {
		this.s = prepare(db);
	}

	/** The first live contact (oldest) with this e-mail key that the importer may read. */
	contactByEmail(key: string, canRead: CanRead): { customerId: string; contactId: string } | null {
		for (const r of this.s.byEmail.iterate(key) as Iterable<{ customer_id: string; id: string }>) {
			if (canRead(r.customer_id)) return { customerId: r.customer_id, contactId: r.id };
		}
		return null;
	}

	/**
	 * Live companies the importer may read, by name compared case- and accent-insensitively
	 * (the oldest wins a tie). Read once per run: the run adds the companies it creates.
	 */
	companies(canRead: CanRead): Map<string, string> {
		const out = new Map<string, string>();
		for (const r of this.s.companies.iterate() as Iterable<{ id: string; company_name: string }>) {
			const key = companyKey(r.company_name);
			if (!out.has(key) && canRead(r.id)) out.set(key, r.id);
		}
		return out;
	}

	/** Is the record an earlier import produced still there (not deleted, not in the trash)? */
	live(customerId: string, contactId: string | null): boolean {
		if (!this.s.customerLive.get(customerId)) return false;
		return contactId === null || this.s.contactLive.get(contactId, customerId) !== undefined;
	}

	/** Contacts the customer holds, the trash included (the limit counts them all). */
	contactCount(customerId: string): number {
		return this.s.contactCount.pluck().get(customerId) as number;
	}
}
