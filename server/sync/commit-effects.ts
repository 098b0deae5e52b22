/**
 * What a commit does beyond the update log, inside its transaction, in this order: history
 * rows, the SQL projection (and the mails it decides), duplicate e-mail claims, and the
 * access index; then, still inside, users who lost read access lose their live sockets (a
 * turn later would be too late: the batch is relayed right after the commit). After the
 * commit, contacts whose duplicate e-mail flag no longer matches the truth are corrected by
 * the server's own change. Should the commit fail, every step rolls back with it.
 */
import type * as Y from 'yjs';
import type { RecordAccess } from '../../src/lib/schema/access.ts';
import { contactsMap } from '../../src/lib/schema/customer-doc.ts';
import type { FieldChange } from '../../src/lib/schema/history.ts';
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { EmailClaims } from '../email-claims.ts';
import type { HistoryLog } from '../history.ts';
import { touchedBy, type Touched } from '../projection.ts';
import type { AccessIndex } from './access-index.ts';
import type { QueuedUpdate } from './commit-queue.ts';
import type { Room } from './room.ts';

export interface CommitEffectsHost {
	access: AccessIndex;
	history?: HistoryLog;
	emails?: EmailClaims;
	project: (name: string, doc: Y.Doc, by: string | null, touched: Touched) => void;
	/** A loaded room, if it is loaded. */
	loaded(name: string): Room | undefined;
	/** A room, loaded when needed. */
	room(name: string): Room;
	afterCommit(fn: () => void): void;
	closing(): boolean;
}

export class CommitEffects {
	/** Documents whose readers the commit being delivered changed, with who could read them before. */
	accessChanges = new Map<string, RecordAccess | null>();

	constructor(private readonly host: CommitEffectsHost) {}

	/** Inside the commit transaction of a batch (CommitQueue's `within`). */
	run(docs: Set<string>, batch: QueuedUpdate[], seqs: number[]): void {
		const { host } = this;
		this.accessChanges = new Map();
		const now = Date.now();
		const changes = new Map<string, FieldChange[] | null>();
		const authors = new Map<string, string | null>();
		batch.forEach((u, i) => {
			if (u.changes) host.history?.record(u.doc, u.userId, now, u.changes, seqs[i]);
			authors.set(u.doc, u.userId);
			// What the batch changed per document (null: unknown, so everything).
			const known = changes.get(u.doc);
			if (known === null) return;
			if (!u.changes) changes.set(u.doc, null);
			else if (known) known.push(...u.changes);
			else changes.set(u.doc, [...u.changes]);
		});
		const emailKeys = new Set<string>();
		const emailDocs = new Set<string>();
		for (const name of docs) {
			const room = host.loaded(name);
			if (!room) continue;
			const touched = touchedBy(changes.get(name) ?? null);
			const emails = host.emails && name !== SETTINGS_DOC && touched.emails ? host.emails : null;
			const heldBefore = emails ? emails.keysOf(name) : [];
			host.project(name, room.doc, authors.get(name) ?? null, touched);
			if (name === SETTINGS_DOC) continue;
			if (emails) {
				emailDocs.add(name);
				for (const key of emails.settle(name, heldBefore)) emailKeys.add(key);
			}
			const changed = host.access.update(name, room.doc);
			if (changed) this.accessChanges.set(name, changed.before);
		}
		if (this.accessChanges.size > 0) this.enforceAccess(this.accessChanges);
		if (emailDocs.size > 0) host.afterCommit(() => this.restoreEmailFlags(emailDocs, emailKeys));
	}

	/** Who could read `doc` before the commit being delivered, if that commit changed it. */
	accessBefore(doc: string): RecordAccess | null | undefined {
		return this.accessChanges.has(doc) ? this.accessChanges.get(doc)! : undefined;
	}

	/**
	 * In a commit that changed who may read documents: live sockets of users who lost read
	 * access are closed (their feeds are told to remove the document as the commit is delivered).
	 */
	private enforceAccess(changes: Map<string, RecordAccess | null>): void {
		for (const doc of changes.keys()) {
			const room = this.host.loaded(doc);
			if (!room) continue;
			for (const c of room.conns.keys()) {
				if (!this.host.access.canRead({ id: c.userId, role: c.role }, doc))
					c.close(CloseCode.forbidden, 'access revoked');
			}
		}
	}

	/**
	 * After a commit: contacts whose "duplicate e-mail" flag no longer matches the truth get
	 * it set or cleared by the server, in whichever document they are (loaded if needed).
	 */
	private restoreEmailFlags(docs: Set<string>, keys: Set<string>): void {
		if (this.host.closing() || !this.host.emails) return;
		for (const { doc, contactId, duplicate } of this.host.emails.flagsToChange(docs, keys)) {
			const room = this.host.room(doc);
			room.serverChange((d) => {
				const contact = contactsMap(d).get(contactId);
				if (contact && (contact.get('duplicateEmail') === true) !== duplicate) contact.set('duplicateEmail', duplicate);
			});
		}
	}
}
