/**
 * The duplicate e-mail rule (SPEC §2, §6; migration 008). A contact e-mail (trimmed,
 * case-insensitive: emailKey) used by two live contacts of live customers is flagged
 * "duplicate e-mail" on both, for a person to resolve; nothing is refused and no change is
 * lost to a uniqueness error. Across concurrent offline edits the first-claim table decides
 * which contact came first: it keeps the claim (the one the portal signs in) until it lets
 * go of the address, then the oldest remaining holder takes it over.
 *
 * Runs in two steps: `settle` inside the commit (claims follow the projected contacts), then
 * `flagsToChange` after it (which documents need the flag set or cleared, as the server's own
 * change, which commits and projects like any other).
 */
import type { Db } from './db.ts';

export interface FlagChange {
	doc: string;
	contactId: string;
	duplicate: boolean;
}

export class EmailClaims {
	private readonly stmts;

	constructor(db: Db) {
		this.stmts = {
			keysOf: db.prepare('SELECT DISTINCT email_key FROM contacts WHERE customer_id = ? AND email_key IS NOT NULL'),
			release: db.prepare(
				`DELETE FROM email_claims WHERE customer_id = @doc AND NOT EXISTS (
				   SELECT 1 FROM contacts k JOIN customers c ON c.id = k.customer_id
				   WHERE k.id = email_claims.contact_id AND k.email_key = email_claims.email_key
				     AND k.deleted_at IS NULL AND c.deleted_at IS NULL)
				 RETURNING email_key`
			),
			// Free addresses go to their oldest live holder (created first, then lowest id).
			claim: db.prepare(
				`INSERT INTO email_claims (email_key, contact_id, customer_id, claimed_at)
				 SELECT k.email_key, k.id, k.customer_id, @now FROM contacts k JOIN customers c ON c.id = k.customer_id
				 WHERE k.email_key = @key AND k.deleted_at IS NULL AND c.deleted_at IS NULL
				 ORDER BY k.created_at IS NULL, k.created_at, k.id LIMIT 1
				 ON CONFLICT (email_key) DO NOTHING`
			),
			claimant: db.prepare('SELECT contact_id FROM email_claims WHERE email_key = ?'),
			// Every contact that holds one of the keys or belongs to one of the documents, with
			// whether its address is shared by another live contact.
			state: db.prepare(
				`SELECT k.id AS contact_id, k.customer_id AS doc, k.duplicate_email AS flagged,
				   (k.deleted_at IS NULL AND c.deleted_at IS NULL AND k.email_key IS NOT NULL AND (
				     SELECT count(*) FROM contacts o JOIN customers oc ON oc.id = o.customer_id
				     WHERE o.email_key = k.email_key AND o.deleted_at IS NULL AND oc.deleted_at IS NULL) > 1) AS shared
				 FROM contacts k JOIN customers c ON c.id = k.customer_id
				 WHERE k.customer_id IN (SELECT value FROM json_each(@docs))
				    OR k.email_key IN (SELECT value FROM json_each(@keys))`
			)
		};
	}

	/** The addresses a customer's contacts hold, before its projection is rewritten. */
	keysOf(doc: string): string[] {
		return (this.stmts.keysOf.all(doc) as { email_key: string }[]).map((r) => r.email_key);
	}

	/**
	 * After a customer's projection was rewritten (inside the commit): claims its contacts no
	 * longer hold are released, free addresses are claimed. Returns every address whose holders
	 * may have changed (held before or now), for flagsToChange.
	 */
	settle(doc: string, before: readonly string[], now = Date.now()): string[] {
		const keys = new Set([...before, ...this.keysOf(doc)]);
		for (const r of this.stmts.release.all({ doc }) as { email_key: string }[]) keys.add(r.email_key);
		for (const key of keys) this.stmts.claim.run({ key, now });
		return [...keys];
	}

	/** The contact that claimed an address first (and still holds it). */
	claimant(key: string): string | null {
		return (this.stmts.claimant.get(key) as { contact_id: string } | undefined)?.contact_id ?? null;
	}

	/** Contacts whose "duplicate e-mail" flag differs from the truth, among those concerned. */
	flagsToChange(docs: Iterable<string>, keys: Iterable<string>): FlagChange[] {
		const rows = this.stmts.state.all({ docs: JSON.stringify([...docs]), keys: JSON.stringify([...keys]) }) as {
			contact_id: string;
			doc: string;
			flagged: number | null;
			shared: number;
		}[];
		return rows
			.filter((r) => (r.flagged === 1) !== (r.shared === 1))
			.map((r) => ({ doc: r.doc, contactId: r.contact_id, duplicate: r.shared === 1 }));
	}
}
