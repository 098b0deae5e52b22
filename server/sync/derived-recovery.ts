/**
 * At start, before anything reads the derived tables (the access index loads from them): what
 * the update log holds past the derived watermark — committed and acknowledged, but the server
 * stopped (kill -9, power) before its history and projection were written (derived.ts) — is
 * derived again, in one transaction with the watermark. Each update is applied in order to its
 * document as it was at the watermark, so its history rows name the fields it changed, by its
 * author, at its commit time; then each document is projected once, whole, and the mails that
 * calls for are decided (their idempotency keys, and the projection they compare with, keep
 * them to one each).
 */
import * as Y from 'yjs';
import { describeTransaction, type FieldChange } from '../../src/lib/schema/history.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { Db } from '../db.ts';
import type { HistoryLog } from '../history.ts';
import { ALL_TOUCHED } from '../projection.ts';
import type { Project } from './commit/projection-step.ts';
import { mergeUpdate, projectionOf, type PendingDoc } from './derived.ts';
import { DerivedWatermark } from './derived-watermark.ts';
import type { LoggedUpdate, SqliteDocStore } from './doc-store.ts';

export interface RecoveryOptions {
	db: Db;
	store: Pick<SqliteDocStore, 'loggedAfter' | 'loadUpTo' | 'changedAfter' | 'maxSeq'>;
	history?: HistoryLog;
	project: Project;
}

/** Derives what the log holds past the watermark. Returns how many updates and documents that was. */
export function recoverDerived({ db, store, history, project }: RecoveryOptions): {
	updates: number;
	documents: number;
} {
	const watermark = new DerivedWatermark(db);
	const from = watermark.get();
	const byDoc = new Map<string, LoggedUpdate[]>(store.changedAfter(from).map((name) => [name, []]));
	if (byDoc.size === 0) return { updates: 0, documents: 0 };
	const rows = store.loggedAfter(from);
	for (const r of rows) {
		const list = byDoc.get(r.doc);
		if (list) list.push(r);
		else byDoc.set(r.doc, [r]);
	}
	db.transaction(() => {
		for (const [name, updates] of byDoc) {
			const base = store.loadUpTo(name, from);
			if (base && !base.exact)
				console.warn(`sync: ${name} was compacted past the derived watermark; its history since is not recorded`);
			const doc = new Y.Doc({ gc: true, guid: name });
			try {
				doc.transact(() => {
					for (const u of base?.updates ?? []) Y.applyUpdate(doc, u);
				});
				// Compacted past the watermark (not done since derived.ts holds compaction back): projected as stored.
				let pending: PendingDoc = { changes: null, author: null };
				for (const u of updates) {
					const changes = name === SETTINGS_DOC ? undefined : applyDescribed(doc, u.data);
					if (history && changes && changes.length > 0) history.record(name, u.userId, u.at, changes, u.seq);
					pending = mergeUpdate(pending, { userId: u.userId, changes });
				}
				project(name, doc, projectionOf(pending).by, ALL_TOUCHED);
			} finally {
				doc.destroy();
			}
		}
		watermark.set(store.maxSeq());
	})();
	return { updates: rows.length, documents: byDoc.size };
}

/** Applies one update and says which fields it changed (none when the document already had it). */
function applyDescribed(doc: Y.Doc, update: Uint8Array): FieldChange[] {
	let changes: FieldChange[] = [];
	const listen = (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => {
		changes = describeTransaction(tr);
	};
	doc.on('update', listen);
	try {
		Y.applyUpdate(doc, update);
	} finally {
		doc.off('update', listen);
	}
	return changes;
}
