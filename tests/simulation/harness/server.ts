/**
 * The real sync server in process: SyncServer with the SQLite document store, the access
 * index, history, e-mail claims and the projection createApp wires (server/app.ts), on a real
 * SQLite file in a temp dir. No HTTP: clients attach through SyncServer.attach over the
 * simulated network (network.ts).
 *
 * The store is wrapped to keep an oracle: a Y.Doc per document built from exactly the updates
 * the store committed, updated as each commit returns (before anything of it is sent out). It
 * says what the server has committed at any moment, independently of the server's own caches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { projectDocument } from '../../../server/app.ts';
import { openDatabase, type Db } from '../../../server/db.ts';
import { EmailClaims } from '../../../server/email-claims.ts';
import { HistoryLog } from '../../../server/history.ts';
import { SessionStore } from '../../../server/sessions.ts';
import { AccessIndex } from '../../../server/sync/access-index.ts';
import type { CatchUpSlice } from '../../../server/sync/feed.ts';
import {
	SqliteDocStore,
	type AppendedUpdate,
	type DocChange,
	type DocStore,
	type StoredDoc
} from '../../../server/sync/doc-store.ts';
import { SyncServer } from '../../../server/sync/sync-server.ts';
import { UpgradeLimits } from '../../../server/sync/upgrade-limits.ts';
import { recordAccess, type RecordAccess, type StaffRef } from '../../../src/lib/schema/access.ts';
import { SETTINGS_DOC } from '../../../src/lib/schema/settings.ts';

/** Every committed update, applied to a copy per document as the commit returns. */
export class OracleStore implements DocStore {
	readonly docs = new Map<string, Y.Doc>();
	private readonly access = new Map<string, RecordAccess | null>();

	/** Where committed updates are told (SIM_TRACE). */
	trace?: (line: string) => void;

	constructor(private readonly inner: DocStore) {}

	load(name: string): StoredDoc | null {
		return this.inner.load(name);
	}

	append(updates: AppendedUpdate[], within?: (seqs: number[]) => void): number[] {
		const seqs = this.inner.append(updates, within);
		if (this.trace) {
			const t = this.trace;
			updates.forEach((u, i) =>
				t(
					`server commits ${u.doc} seq ${seqs[i]} by ${u.userId} ${JSON.stringify([...Y.parseUpdateMeta(u.data).to])} ds ${JSON.stringify([...Y.decodeUpdate(u.data).ds.clients])}`
				)
			);
		}
		for (const u of updates) {
			let doc = this.docs.get(u.doc);
			if (!doc) this.docs.set(u.doc, (doc = new Y.Doc()));
			Y.applyUpdate(doc, u.data);
			this.access.delete(u.doc);
		}
		return seqs;
	}

	compact(name: string, snapshot: Uint8Array, uptoSeq: number): void {
		this.trace?.(`server compacts ${name} up to ${uptoSeq} ${JSON.stringify([...Y.parseUpdateMeta(snapshot).to])}`);
		this.inner.compact(name, snapshot, uptoSeq);
	}

	changesSince(since: number): Iterable<DocChange> {
		return this.inner.changesSince(since);
	}

	maxSeq(): number {
		return this.inner.maxSeq();
	}

	/** The committed access of a customer document (null: no such customer). */
	accessOf(name: string): RecordAccess | null {
		if (!this.access.has(name)) {
			const doc = this.docs.get(name);
			this.access.set(name, doc ? recordAccess(doc) : null);
		}
		return this.access.get(name)!;
	}

	/** Customer documents that exist (hold a customer) as committed. */
	customers(): string[] {
		return [...this.docs.keys()].filter((name) => name !== SETTINGS_DOC && this.accessOf(name) !== null);
	}
}

export interface SimUser extends StaffRef {
	email: string;
}

export class InProcessServer {
	readonly sync: SyncServer;
	readonly oracle: OracleStore;
	readonly store: SqliteDocStore;
	readonly access: AccessIndex;

	private constructor(
		readonly db: Db,
		readonly dir: string,
		compactAfter: number,
		catchUpSlice?: CatchUpSlice
	) {
		this.store = new SqliteDocStore(db);
		this.oracle = new OracleStore(this.store);
		this.access = new AccessIndex(db);
		this.sync = new SyncServer({
			access: this.access,
			history: new HistoryLog(db),
			emails: new EmailClaims(db),
			// Never asked: clients attach past the upgrade (SyncServer.attach).
			sessions: new SessionStore(db),
			expectedOrigin: () => 'http://simulation.invalid',
			upgradeLimits: new UpgradeLimits({
				perAddress: 1e9,
				perUser: 1e9,
				windowMs: 60_000,
				addressHeader: null,
				xffDepth: 1
			}),
			maxMessageBytes: 16 * 1024 * 1024,
			// Keep-alive is not simulated; a dropped connection is noticed by the scheduler.
			keepaliveMs: 3_600_000,
			// Nor is the byte budget: it waits in real time, which the simulated network does not
			// have (tests/integration/security-limits.test.ts covers it on the real server).
			budget: { bytesPerSecond: 1e12, burstBytes: 1e12 },
			store: this.oracle,
			db,
			compactAfter,
			project: projectDocument(db),
			catchUpSlice
		});
	}

	/** A fresh database in a temp dir with these staff accounts (for the manager e-mails). */
	static start(
		users: readonly SimUser[],
		opts: { compactAfter: number; dir?: string; catchUpSlice?: CatchUpSlice }
	): InProcessServer {
		const dir = fs.mkdtempSync(path.join(opts.dir ?? os.tmpdir(), 'fieldbook-sim-'));
		const db = openDatabase(path.join(dir, 'fieldbook.sqlite'));
		const insert = db.prepare(
			`INSERT INTO users (id, email, name, role, password_hash, active, created_at, updated_at)
			 VALUES (?, ?, ?, ?, 'x', 1, 0, 0)`
		);
		for (const u of users) insert.run(u.id, u.email, u.email.split('@')[0], u.role);
		return new InProcessServer(db, dir, opts.compactAfter, opts.catchUpSlice);
	}

	/** What the store itself holds of a document (snapshot and log), merged. */
	stored(name: string): Y.Doc {
		const doc = new Y.Doc();
		for (const u of this.store.load(name)?.updates ?? []) Y.applyUpdate(doc, u);
		return doc;
	}

	async close(): Promise<void> {
		await this.sync.close();
		this.db.close();
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}
