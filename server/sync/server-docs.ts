/**
 * Customer documents as the server holds them, for code that is not a sync client — the
 * customer portal "reads what the server holds" and writes as the server (issue #12): a
 * contact's accept, decline, new ticket or reply is the server's own change, committed,
 * relayed live to the staff sockets in the room and streamed to background-sync feeds like
 * any other update (Room.serverChange).
 *
 * A document is loaded only for the call and unloaded again when no socket or feed push holds
 * it (the same rule as a socket that closes), so portal traffic never keeps rooms in memory.
 * Reads wait for the commit of what is already applied, so a contact never sees a change the
 * store does not hold; a change resolves only once it is durable, so a portal action answers
 * after its commit and a failed commit is an error, never a false "done".
 */
import type * as Y from 'yjs';
import { isValidDocName } from '../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { Room } from './room.ts';

export interface ServerDocsHost {
	/** The room of a document, loaded from the store when needed. */
	room(name: string): Room;
	/** Unloads a room no socket or pending commit holds. */
	release(room: Room): void;
	/** Runs `fn` once everything applied so far is committed. */
	afterCommit(fn: () => void): void;
	/** The server is shutting down: the queue takes nothing more. */
	closing(): boolean;
}

/** The server holds no such customer document, or cannot take a change now (shutting down, storage failed). */
export class DocUnavailableError extends Error {
	constructor(
		readonly doc: string,
		reason: string
	) {
		super(`document ${doc.slice(0, 80)}: ${reason}`);
	}
}

export class ServerDocs {
	constructor(private readonly host: ServerDocsHost) {}

	/**
	 * Runs `fn` on the committed document and returns what it returns (plain data: the
	 * document may be unloaded right after), or null when the server holds no such customer
	 * document. `fn` must not change the document (use change()).
	 */
	async read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T | null> {
		if (!isCustomerDoc(name)) return null;
		await this.committed(name);
		const room = this.host.room(name);
		try {
			return room.exists ? fn(room.doc) : null;
		} finally {
			this.host.release(room);
		}
	}

	/**
	 * Runs `fn` in one transaction as the server's change and resolves with its result once the
	 * change is committed (nothing to commit: at once after the queue). Decide first, then write:
	 * `fn` runs synchronously on the live document, and what it wrote before throwing is kept.
	 * Rejects with DocUnavailableError when the server holds no such document (a change never
	 * creates one: create() does) or the commit failed. `as`: the staff user the change is made
	 * for, named as its author in History (none: the server's own change).
	 */
	async change<T>(name: string, fn: (doc: Y.Doc) => T, as?: string): Promise<T> {
		return this.write(name, fn, { as, create: false });
	}

	/**
	 * Writes a new customer document as the server's change made for staff user `as` (an
	 * import): `fn` writes the customer (initCustomer names its author and first manager). It
	 * goes through the same commit as a device's creation — the log, History under `as`, the
	 * projection and the access index — and reaches devices by sync. Rejects with
	 * DocUnavailableError when the name is taken or the commit failed.
	 */
	async create<T>(name: string, fn: (doc: Y.Doc) => T, as: string): Promise<T> {
		return this.write(name, fn, { as, create: true });
	}

	private async write<T>(name: string, fn: (doc: Y.Doc) => T, opts: { as?: string; create: boolean }): Promise<T> {
		if (!isCustomerDoc(name)) throw new DocUnavailableError(name, 'not a customer document');
		await this.committed(name);
		const room = this.host.room(name);
		if (room.exists !== !opts.create) {
			this.host.release(room);
			throw new DocUnavailableError(name, opts.create ? 'exists already' : 'not held by the server');
		}
		return new Promise<T>((resolve, reject) => {
			let result: T;
			room.serverChange(
				(doc) => {
					result = fn(doc);
				},
				(committed) =>
					committed ? resolve(result) : reject(new DocUnavailableError(name, 'the change was not stored')),
				opts
			);
		});
	}

	/**
	 * Keeps a document loaded until the returned function is called: an import that adds
	 * contact after contact to one company would otherwise load it from the store for each (a
	 * room is unloaded as soon as nothing holds it). Call it before the first change, so the
	 * room that change loads is the one kept.
	 */
	keep(name: string): () => void {
		if (!isCustomerDoc(name)) return () => {};
		const room = this.host.room(name);
		room.holds++;
		let kept = true;
		return () => {
			if (!kept) return;
			kept = false;
			room.holds--;
			this.host.release(room);
		};
	}

	/** Waits until what is applied to the document in memory is committed. */
	private committed(name: string): Promise<void> {
		if (this.host.closing()) return Promise.reject(new DocUnavailableError(name, 'server shutting down'));
		return new Promise((resolve) => this.host.afterCommit(resolve));
	}
}

/** Customer documents only: the workspace settings are not the portal's to read or change. */
function isCustomerDoc(name: unknown): name is string {
	return typeof name === 'string' && isValidDocName(name) && name !== SETTINGS_DOC;
}
