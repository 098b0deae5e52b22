/**
 * Who may read and write each document, in memory, for every sync path and HTTP endpoint
 * (rules in src/lib/schema/access.ts). Loaded from the projection tables at start and kept
 * in step by the commit that projects a document, so a check never loads a document.
 *
 * Every stored customer document is here, for good: existence is what the server has
 * stored, never derived from a field a client writes (issue #9). A stored document whose
 * access cannot be derived (no customer in it) is readable and writable by admins only.
 */
import {
	ADMINS_ONLY,
	canRead,
	canWrite,
	recordAccess,
	sameAccess,
	toAccess,
	type RecordAccess,
	type StaffRef
} from '../../src/lib/schema/access.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type * as Y from 'yjs';
import type { Db } from '../db.ts';

export class AccessIndex {
	private readonly records = new Map<string, RecordAccess>();
	/** The newest commit that changed who may read each document (document_access). */
	private readonly changed = new Map<string, number>();
	private readonly stmts;

	constructor(private readonly db: Db) {
		this.stmts = {
			changed: db.prepare(
				`INSERT INTO document_access (doc, changed_seq) VALUES (@doc, (SELECT last_seq FROM documents WHERE name = @doc))
				 ON CONFLICT (doc) DO UPDATE SET changed_seq = excluded.changed_seq`
			),
			lastSeq: db.prepare('SELECT last_seq AS seq FROM documents WHERE name = ?')
		};
		for (const r of db.prepare('SELECT doc, changed_seq FROM document_access').iterate() as Iterable<{
			doc: string;
			changed_seq: number;
		}>) {
			this.changed.set(r.doc, r.changed_seq);
		}
		const managers = new Map<string, Set<string>>();
		for (const r of db.prepare('SELECT customer_id, user_id FROM customer_managers').iterate() as Iterable<{
			customer_id: string;
			user_id: string;
		}>) {
			const set = managers.get(r.customer_id) ?? new Set();
			set.add(r.user_id);
			managers.set(r.customer_id, set);
		}
		for (const r of db.prepare('SELECT id, access FROM customers').iterate() as Iterable<{
			id: string;
			access: string | null;
		}>) {
			this.records.set(r.id, { access: toAccess(r.access), managers: managers.get(r.id) ?? new Set() });
		}
		for (const name of db.prepare('SELECT name FROM documents').pluck().iterate() as Iterable<string>) {
			if (name !== SETTINGS_DOC && !this.records.has(name)) this.records.set(name, ADMINS_ONLY);
		}
	}

	/** The record's access, or null when no such customer exists. */
	get(doc: string): RecordAccess | null {
		return this.records.get(doc) ?? null;
	}

	exists(doc: string): boolean {
		return doc === SETTINGS_DOC || this.records.has(doc);
	}

	/** Every staff user reads the workspace settings; customers by their access. */
	canRead(user: StaffRef, doc: string): boolean {
		return doc === SETTINGS_DOC || canRead(user, this.get(doc));
	}

	canWrite(user: StaffRef, doc: string): boolean {
		return doc === SETTINGS_DOC ? user.role === 'admin' : canWrite(user, this.get(doc));
	}

	/**
	 * Takes the document's committed state (inside the commit transaction). Returns the access
	 * it had before when who may read it changed, else undefined.
	 */
	update(name: string, doc: Y.Doc): { before: RecordAccess | null } | undefined {
		const now = recordAccess(doc) ?? ADMINS_ONLY;
		const before = this.get(name);
		if (sameAccess(before, now)) return undefined;
		this.records.set(name, now);
		// Inside the commit: the document's last_seq is already this batch's newest update of it.
		this.stmts.changed.run({ doc: name });
		this.changed.set(name, (this.stmts.lastSeq.get(name) as { seq: number }).seq);
		return { before };
	}

	/** The newest commit that changed who may read `doc` (0 if never recorded). */
	changedSeq(doc: string): number {
		return this.changed.get(doc) ?? 0;
	}

	/**
	 * Forget what the cache holds of `doc` and read it again (after a failed commit): from the
	 * document as stored when given (`stored`, null: never stored), since the projection may
	 * lag the log by a batch (derived.ts); else from the projection.
	 */
	reload(doc: string, stored?: Y.Doc | null): void {
		const changed = this.db.prepare('SELECT changed_seq FROM document_access WHERE doc = ?').get(doc) as
			{ changed_seq: number } | undefined;
		if (changed) this.changed.set(doc, changed.changed_seq);
		else this.changed.delete(doc);
		if (stored !== undefined) {
			if (doc === SETTINGS_DOC) return;
			if (stored === null) this.records.delete(doc);
			else this.records.set(doc, recordAccess(stored) ?? ADMINS_ONLY);
			return;
		}
		const row = this.db.prepare('SELECT access FROM customers WHERE id = ?').get(doc) as
			{ access: string | null } | undefined;
		if (!row) {
			const stored = this.db.prepare('SELECT 1 FROM documents WHERE name = ?').get(doc);
			if (stored) this.records.set(doc, ADMINS_ONLY);
			else this.records.delete(doc);
			return;
		}
		const managers = this.db.prepare('SELECT user_id FROM customer_managers WHERE customer_id = ?').all(doc) as {
			user_id: string;
		}[];
		this.records.set(doc, { access: toAccess(row.access), managers: new Set(managers.map((m) => m.user_id)) });
	}
}
