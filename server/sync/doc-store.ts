/**
 * Where documents live: a narrow interface, and its SQLite implementation (an append-only
 * update log with a global sequence, compacted into a snapshot per document).
 */
import * as Y from 'yjs';
import type { Db } from '../db.ts';

export interface StoredDoc {
	/** Snapshot first (if any), then every logged update after it, in order. */
	updates: Uint8Array[];
	lastSeq: number;
	logCount: number;
}

export interface AppendedUpdate {
	doc: string;
	data: Uint8Array;
	userId: string | null;
}

export interface DocStore {
	/** The stored state of a document, or null when it was never written. */
	load(name: string): StoredDoc | null;
	/**
	 * Appends updates in ONE transaction (all committed when this returns, or none) and
	 * returns their seqs; `within` runs inside that transaction (derived tables).
	 */
	append(updates: AppendedUpdate[], within?: (seqs: number[]) => void): number[];
	/** Replaces the log of a document up to `uptoSeq` with a snapshot of its state. */
	compact(name: string, snapshot: Uint8Array, uptoSeq: number): void;
	/**
	 * Every document changed after `since`, each with what changed: the logged updates after
	 * `since`, or its whole state when the log was compacted past that point. Which documents
	 * is decided when iteration starts; each one is read when the iteration reaches it (a
	 * catch-up may be spread over many turns, across commits and compactions), so it holds
	 * at least what it held at the start, never a log cut short by a compaction meanwhile.
	 */
	changesSince(since: number): Iterable<DocChange>;
	/** The newest global change sequence number. */
	maxSeq(): number;
}

/** One row of the update log. */
export interface LoggedUpdate {
	seq: number;
	doc: string;
	data: Uint8Array;
	userId: string | null;
	/** When it was committed (ms). */
	at: number;
}

export interface DocChange {
	doc: string;
	seq: number;
	/** True when `updates` is the whole document rather than a diff. */
	whole: boolean;
	updates: Uint8Array[];
}

/** A document as the store holds it, as a Y.Doc of its own (null: never stored). */
export function loadDoc(store: Pick<DocStore, 'load'>, name: string): Y.Doc | null {
	const stored = store.load(name);
	if (!stored) return null;
	const doc = new Y.Doc({ gc: true, guid: name });
	doc.transact(() => {
		for (const u of stored.updates) Y.applyUpdate(doc, u);
	});
	return doc;
}

export class SqliteDocStore implements DocStore {
	private readonly stmts;

	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now
	) {
		this.stmts = {
			doc: db.prepare('SELECT snapshot, snapshot_seq, last_seq, log_count FROM documents WHERE name = ?'),
			log: db.prepare('SELECT data FROM document_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
			createDoc: db.prepare(
				`INSERT INTO documents (name, created_by, created_at, updated_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (name) DO NOTHING`
			),
			insert: db.prepare('INSERT INTO document_updates (doc, data, user_id, created_at) VALUES (?, ?, ?, ?)'),
			touch: db.prepare('UPDATE documents SET last_seq = ?, log_count = log_count + ?, updated_at = ? WHERE name = ?'),
			setSnapshot: db.prepare(
				`UPDATE documents SET snapshot = @snapshot, snapshot_seq = @seq,
				 log_count = (SELECT count(*) FROM document_updates WHERE doc = @name AND seq > @seq) WHERE name = @name`
			),
			deleteLog: db.prepare('DELETE FROM document_updates WHERE doc = ? AND seq <= ?'),
			changed: db.prepare('SELECT name FROM documents WHERE last_seq > ? ORDER BY last_seq'),
			head: db.prepare('SELECT snapshot_seq, last_seq FROM documents WHERE name = ?'),
			snapshot: db.prepare('SELECT snapshot FROM documents WHERE name = ?'),
			maxSeq: db.prepare('SELECT coalesce(max(last_seq), 0) AS seq FROM documents'),
			logAfter: db.prepare(
				'SELECT seq, doc, data, user_id, created_at FROM document_updates WHERE seq > ? ORDER BY seq'
			),
			logBetween: db.prepare('SELECT data FROM document_updates WHERE doc = ? AND seq > ? AND seq <= ? ORDER BY seq')
		};
	}

	load(name: string): StoredDoc | null {
		const row = this.stmts.doc.get(name) as
			{ snapshot: Buffer | null; snapshot_seq: number; last_seq: number; log_count: number } | undefined;
		if (!row) return null;
		const updates: Uint8Array[] = [];
		if (row.snapshot) updates.push(new Uint8Array(row.snapshot));
		for (const r of this.stmts.log.all(name, row.snapshot_seq) as { data: Buffer }[])
			updates.push(new Uint8Array(r.data));
		return { updates, lastSeq: row.last_seq, logCount: row.log_count };
	}

	append(updates: AppendedUpdate[], within?: (seqs: number[]) => void): number[] {
		if (updates.length === 0) return [];
		const now = this.now();
		return this.db.transaction(() => {
			// One row per update; the document's own row once per document of the batch.
			const docs = new Map<string, { lastSeq: number; count: number }>();
			const seqs = updates.map((u) => {
				if (!docs.has(u.doc)) this.stmts.createDoc.run(u.doc, u.userId, now, now);
				const seq = Number(this.stmts.insert.run(u.doc, u.data, u.userId, now).lastInsertRowid);
				const d = docs.get(u.doc);
				if (d) {
					d.lastSeq = seq;
					d.count++;
				} else docs.set(u.doc, { lastSeq: seq, count: 1 });
				return seq;
			});
			for (const [doc, d] of docs) this.stmts.touch.run(d.lastSeq, d.count, now, doc);
			within?.(seqs);
			return seqs;
		})();
	}

	*changesSince(since: number): Iterable<DocChange> {
		const names = (this.stmts.changed.all(since) as { name: string }[]).map((r) => r.name);
		for (const name of names) {
			const change = this.changeOf(name, since);
			if (change) yield change;
		}
	}

	/** One document's change since `since`, its row and log read together (one synchronous step). */
	private changeOf(name: string, since: number): DocChange | null {
		const row = this.stmts.head.get(name) as { snapshot_seq: number; last_seq: number } | undefined;
		if (!row) return null;
		// From 0, the log (after the snapshot, if any) is the whole document too.
		const whole = since === 0 || row.snapshot_seq > since;
		const updates: Uint8Array[] = [];
		if (row.snapshot_seq > since) {
			const s = (this.stmts.snapshot.get(name) as { snapshot: Buffer | null }).snapshot;
			if (s) updates.push(new Uint8Array(s));
		}
		const from = Math.max(row.snapshot_seq, since);
		for (const u of this.stmts.log.all(name, from) as { data: Buffer }[]) updates.push(new Uint8Array(u.data));
		return { doc: name, seq: row.last_seq, whole, updates };
	}

	maxSeq(): number {
		return (this.stmts.maxSeq.get() as { seq: number }).seq;
	}

	/** Documents changed after `seq` (also those whose log was compacted past it). */
	changedAfter(seq: number): string[] {
		return (this.stmts.changed.all(seq) as { name: string }[]).map((r) => r.name);
	}

	/** Every logged update after `seq`, in order (what a restart derives again: derived-recovery.ts). */
	loggedAfter(seq: number): LoggedUpdate[] {
		return (
			this.stmts.logAfter.all(seq) as {
				seq: number;
				doc: string;
				data: Buffer;
				user_id: string | null;
				created_at: number;
			}[]
		).map((r) => ({ seq: r.seq, doc: r.doc, data: new Uint8Array(r.data), userId: r.user_id, at: r.created_at }));
	}

	/**
	 * A document as it was after update `seq`: its snapshot and the log up to there. Null when
	 * never stored; `exact` false when the snapshot already holds later updates (compacted past `seq`).
	 */
	loadUpTo(name: string, seq: number): { updates: Uint8Array[]; exact: boolean } | null {
		const row = this.stmts.doc.get(name) as { snapshot: Buffer | null; snapshot_seq: number } | undefined;
		if (!row) return null;
		const updates: Uint8Array[] = [];
		if (row.snapshot) updates.push(new Uint8Array(row.snapshot));
		for (const r of this.stmts.logBetween.all(name, row.snapshot_seq, seq) as { data: Buffer }[])
			updates.push(new Uint8Array(r.data));
		return { updates, exact: row.snapshot_seq <= seq };
	}

	compact(name: string, snapshot: Uint8Array, uptoSeq: number): void {
		this.db.transaction(() => {
			this.stmts.deleteLog.run(name, uptoSeq);
			this.stmts.setSnapshot.run({ snapshot, seq: uptoSeq, name });
		})();
	}
}
