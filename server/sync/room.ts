/**
 * One shared document and the sockets that have it open, speaking the y-websocket
 * protocol (sync step 1/2 and updates, awareness). An update from a connection is decoded,
 * applied to the server's copy, committed to the store, and only then relayed to the other
 * connections and acknowledged to its sender.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode, MessageType } from '../../src/lib/schema/protocol.ts';
import { customerMap, managers, managersMap, primaryContactId } from '../../src/lib/schema/customer-doc.ts';
import { DEFAULT_CONTACT_TYPE_ID, SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import { describeTransaction } from '../history.ts';
import { checkWrite, type DocLimits } from './write-rules.ts';
import { recordPresence, screenPresence } from './awareness-guard.ts';
import type { CommitQueue } from './commit-queue.ts';
import type { Connection } from './connection.ts';
import type { DocStore } from './doc-store.ts';

/**
 * Transaction origins, tagged so the server never re-stores what it loaded: an update from
 * this document's live socket, one pushed over a device's background-sync feed, or the load.
 */
type Origin =
	| { kind: 'remote'; conn: Connection }
	| { kind: 'feed'; conn: Connection }
	| { kind: 'load' }
	/**
	 * The server's own change: an invariant restored after concurrent offline edits, or a change
	 * made on behalf of a staff user (`userId`: an import, named as its author in History).
	 */
	| { kind: 'server'; userId?: string };

export interface RoomOptions {
	store: DocStore;
	queue: CommitQueue;
	/** Compact the log into a snapshot once it holds this many updates. */
	compactAfter: number;
	/**
	 * Runs `fn` once what is derived from the log (history, projection) is written up to now:
	 * compaction drops the log rows a restart would derive them from (derived.ts). Default: after the commit.
	 */
	whenDerived?: (fn: () => void) => void;
	/** Called when the room can no longer be trusted (storage failed); the server drops it. */
	onBroken: (room: Room) => void;
	/** Called after each committed update (the server streams it to background-sync feeds). */
	/** Each committed update; `first`: the document's first in the store (the whole of it then). */
	onCommitted: (room: Room, update: Uint8Array, seq: number, from: Connection | null, first: boolean) => void;
	/** Called when a feed push, or the commit of the room's last queued update, is done with the room (it may be unloaded if idle). */
	onReleased?: (room: Room) => void;
	/** Is this contact type in the workspace settings? (Unknown types are repaired to the default.) */
	contactTypeExists?: (id: string) => boolean;
	/** What one customer may hold (contacts). */
	limits?: DocLimits;
	/** A staff user's name in the directory: the name presence shows, whatever a client sent. */
	nameOf?: (userId: string) => string | null;
}

export class Room {
	readonly doc: Y.Doc;
	/** Presence, made when a socket first needs it (a room the server loads for a commit, an import or the portal has none). */
	private presence: awarenessProtocol.Awareness | null = null;
	readonly conns = new Map<Connection, Set<number>>();
	private logCount: number;
	private lastSeq: number;
	/** Connections with an acknowledgement scheduled for the next commit. */
	private readonly acking = new Set<Connection>();
	/** Feed pushes in flight; the room stays loaded until they are committed and acknowledged. */
	holds = 0;
	/**
	 * Updates of this room in the commit queue. The room stays loaded until they are committed:
	 * the commit's effects (projection, access index, revocations) read the loaded document, so
	 * a room dropped in between (its last socket closed right after sending) would commit its
	 * updates with none of their effects — a revoked reader kept reading until the next edit.
	 */
	private uncommitted = 0;
	private compactScheduled = false;
	private destroyed = false;
	/**
	 * The server holds this document: loaded from the store, or an update of it accepted (and
	 * committed, or the room breaks). Never derived from the document's content (issue #9).
	 */
	private stored: boolean;

	constructor(
		readonly name: string,
		private readonly opts: RoomOptions
	) {
		// A guid spares Yjs a random UUID per document (crypto, measurable when thousands load).
		this.doc = new Y.Doc({ gc: true, guid: name });
		const stored = opts.store.load(name);
		this.logCount = stored?.logCount ?? 0;
		this.lastSeq = stored?.lastSeq ?? 0;
		this.stored = stored !== null && stored !== undefined;
		if (stored) {
			const origin: Origin = { kind: 'load' };
			this.doc.transact(() => {
				for (const u of stored.updates) Y.applyUpdate(this.doc, u, origin);
			}, origin);
		}
		this.doc.on('update', (update: Uint8Array, origin: Origin, _doc: Y.Doc, tr: Y.Transaction) =>
			this.onUpdate(update, origin, tr)
		);
	}

	/** The room's presence states (created on first use: each Awareness runs a timer). */
	get awareness(): awarenessProtocol.Awareness {
		if (!this.presence) {
			this.presence = new awarenessProtocol.Awareness(this.doc);
			this.presence.setLocalState(null);
			this.presence.on('update', this.onAwareness);
		}
		return this.presence;
	}

	private onUpdate(update: Uint8Array, origin: Origin, tr: Y.Transaction): void {
		if (origin.kind === 'load') return;
		const from = origin.kind === 'server' ? null : origin.conn;
		const liveSender = origin.kind === 'remote' ? origin.conn : null;
		this.uncommitted++;
		this.opts.queue.enqueue({
			doc: this.name,
			data: update,
			userId: from?.userId ?? (origin.kind === 'server' ? (origin.userId ?? null) : null),
			// From the transaction itself: what it touched, not a walk of the document.
			changes: this.name === SETTINGS_DOC ? undefined : describeTransaction(tr),
			committed: (seq) => {
				// The document's first update in the store is the whole document as of its commit.
				const first = this.logCount === 0;
				this.logCount++;
				this.lastSeq = seq;
				const msg = encodeSync((enc) => syncProtocol.writeUpdate(enc, update));
				for (const c of this.conns.keys()) if (c !== liveSender) c.send(msg);
				this.opts.onCommitted(this, update, seq, from, first);
				if (this.logCount >= this.opts.compactAfter && !this.compactScheduled) {
					this.compactScheduled = true;
					const later = this.opts.whenDerived ?? ((fn: () => void) => this.opts.queue.afterCommit(fn));
					later(() => this.compact());
				}
				if (--this.uncommitted === 0) this.opts.onReleased?.(this);
			},
			failed: () => {
				this.uncommitted--;
				this.break();
			}
		});
	}

	private readonly onAwareness = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		const changed = added.concat(updated, removed);
		const ids = origin ? this.conns.get(origin as Connection) : undefined;
		if (ids) {
			for (const id of added) ids.add(id);
			for (const id of removed) ids.delete(id);
		}
		const msg = encodeMessage(MessageType.awareness, (enc) =>
			encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
		);
		for (const c of this.conns.keys()) c.send(msg);
	};

	join(conn: Connection): void {
		this.conns.set(conn, new Set());
		// Sync step 1 from the server, and the current awareness states.
		conn.send(encodeSync((enc) => syncProtocol.writeSyncStep1(enc, this.doc)));
		const states = this.presence?.getStates() ?? new Map();
		if (states.size > 0) {
			conn.send(
				encodeMessage(MessageType.awareness, (enc) =>
					encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]))
				)
			);
		}
	}

	leave(conn: Connection): void {
		const ids = this.conns.get(conn);
		this.conns.delete(conn);
		if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
	}

	/** Handles one binary message; throws on a frame that does not decode. */
	receive(conn: Connection, data: Uint8Array): void {
		const dec = decoding.createDecoder(data);
		const type = decoding.readVarUint(dec);
		switch (type) {
			case MessageType.sync:
				this.receiveSync(conn, dec);
				break;
			case MessageType.awareness: {
				const update = decoding.readVarUint8Array(dec);
				assertFullyRead(dec);
				// Each socket speaks only for its own presence, under its own user (awareness-guard.ts);
				// readers' presence is relayed like anyone's. Throws to close the socket.
				const presence = screenPresence(conn, update, this.awareness, this.conns, this.opts.nameOf);
				if (presence.update) awarenessProtocol.applyAwarenessUpdate(this.awareness, presence.update, conn);
				recordPresence(conn, this.conns, presence);
				break;
			}
			case MessageType.queryAwareness: {
				assertFullyRead(dec);
				const ids = [...this.awareness.getStates().keys()];
				conn.send(
					encodeMessage(MessageType.awareness, (enc) =>
						encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
					)
				);
				break;
			}
			default:
				throw new UnknownMessageError(type);
		}
	}

	/**
	 * Sync step 1, step 2 and updates, decoded here rather than by y-protocols'
	 * readSyncMessage: Y.applyUpdate swallows a malformed update (it logs and carries on),
	 * so every update is decoded first and a bad one throws, closing that connection.
	 * Replies wait for the commit of everything applied so far, so nothing uncommitted is
	 * ever sent out.
	 */
	private receiveSync(conn: Connection, dec: decoding.Decoder): void {
		const type = decoding.readVarUint(dec);
		const payload = decoding.readVarUint8Array(dec);
		assertFullyRead(dec);
		// Zero bytes is neither a state vector nor an update (the empty update is two bytes).
		if (payload.length === 0) throw new MalformedMessageError();
		switch (type) {
			case syncProtocol.messageYjsSyncStep1: {
				Y.decodeStateVector(payload);
				this.opts.queue.afterCommit(() => {
					if (this.destroyed) return;
					conn.send(encodeSync((enc) => syncProtocol.writeSyncStep2(enc, this.doc, payload)));
				});
				break;
			}
			case syncProtocol.messageYjsSyncStep2:
			case syncProtocol.messageYjsUpdate: {
				this.check(conn, payload);
				const origin: Origin = { kind: 'remote', conn };
				Y.applyUpdate(this.doc, payload, origin);
				this.stored ||= this.doc.store.clients.size > 0;
				this.restoreInvariants();
				break;
			}
			default:
				throw new UnknownMessageError(type);
		}
		// One acknowledgement per connection per commit, however many messages it sent.
		if (conn.wantsAcks && !this.acking.has(conn)) {
			this.acking.add(conn);
			this.opts.queue.afterCommit(() => {
				this.acking.delete(conn);
				this.ack(conn);
			});
		}
	}

	/**
	 * An update pushed over a background-sync feed: decoded, applied, and acknowledged to the
	 * feed after the commit as FeedMsg.ack (document name + committed state vector).
	 */
	applyFromFeed(conn: Connection, update: Uint8Array, ackMessage: (sv: Uint8Array) => Uint8Array): void {
		this.check(conn, update);
		const origin: Origin = { kind: 'feed', conn };
		Y.applyUpdate(this.doc, update, origin);
		this.stored ||= this.doc.store.clients.size > 0;
		this.restoreInvariants();
		this.holds++;
		this.opts.queue.afterCommit(() => {
			this.holds--;
			if (!this.destroyed) conn.send(ackMessage(Y.encodeStateVector(this.doc)));
			this.opts.onReleased?.(this);
		});
	}

	/** Who may write what, and the schema (write-rules.ts): throws RefusedUpdateError. */
	private check(conn: Connection, update: Uint8Array): void {
		checkWrite(this.doc, this.name, { id: conn.userId, role: conn.role }, update, this.exists, this.opts.limits);
	}

	/** True once the server holds the document (stored, or an update of it accepted). */
	get exists(): boolean {
		return this.name === SETTINGS_DOC || this.stored;
	}

	/**
	 * Invariants of one document after concurrent offline edits, repaired by the server as its
	 * own change, the same way on every run, committed and relayed like any other update:
	 * primaryContactId names a live contact (else the one with the lowest id), the contact type
	 * exists (else the default), and someone manages the record (else its creator). The
	 * duplicate e-mail rule spans documents: SyncServer.restoreEmailFlags.
	 */
	private restoreInvariants(): void {
		if (this.name === SETTINGS_DOC) return;
		const customer = customerMap(this.doc);
		if (customer.size === 0) return;
		const named = customer.get('primaryContactId') ?? null;
		const effective = primaryContactId(this.doc);
		// A value from an admin-edited list that is gone (a contact type removed meanwhile) is
		// never refused: it becomes the default.
		const type = customer.get('contactTypeId');
		const typeGone =
			typeof type === 'string' && type !== DEFAULT_CONTACT_TYPE_ID && this.opts.contactTypeExists?.(type) === false;
		// Two devices that each removed a different manager offline can leave none: the record's
		// creator manages it again (a record with no manager would be reachable by admins only).
		const creator = customer.get('createdBy');
		const orphaned = typeof creator === 'string' && managers(this.doc).length === 0;
		if (named === effective && !typeGone && !orphaned) return;
		const origin: Origin = { kind: 'server' };
		this.doc.transact(() => {
			if (named !== effective) customer.set('primaryContactId', effective);
			if (typeGone) customer.set('contactTypeId', DEFAULT_CONTACT_TYPE_ID);
			if (orphaned) managersMap(this.doc).set(creator, true);
		}, origin);
	}

	/**
	 * A change the server makes on its own (an invariant that spans documents, such as the
	 * duplicate e-mail flag): committed, relayed and streamed like any other. The room stays
	 * loaded until it is committed. `done` is told once it is: true when it is durable (a
	 * portal action answers only then, server/sync/server-docs.ts), false when it was not stored.
	 * `as`: the staff user the change is made for (History names them); `create`: the change
	 * writes a new document (the room then exists, and its commit indexes its access).
	 */
	serverChange(
		fn: (doc: Y.Doc) => void,
		done?: (committed: boolean) => void,
		opts: { as?: string; create?: boolean } = {}
	): void {
		if (this.destroyed) return done?.(false);
		const origin: Origin = opts.as === undefined ? { kind: 'server' } : { kind: 'server', userId: opts.as };
		this.holds++;
		try {
			this.doc.transact(() => fn(this.doc), origin);
			// A document the server creates (an import) is held from now on, as one a device created.
			if (opts.create) this.stored ||= this.doc.store.clients.size > 0;
		} finally {
			// Also when `fn` threw: the hold is released, and whatever it wrote before is committed.
			this.opts.queue.afterCommit(() => {
				this.holds--;
				// A failed commit broke (destroyed) the room before after-commit steps run.
				done?.(!this.destroyed);
				this.opts.onReleased?.(this);
			});
		}
	}

	/** Tells a connection what the server has committed of this document. */
	private ack(conn: Connection): void {
		if (this.destroyed) return;
		const sv = Y.encodeStateVector(this.doc);
		conn.send(encodeMessage(MessageType.ack, (enc) => encoding.writeVarUint8Array(enc, sv)));
	}

	/**
	 * Folds the log into a snapshot. Runs right after a commit (and what it derives), when the
	 * in-memory copy is exactly what the store holds up to lastSeq.
	 */
	private compact(): void {
		this.compactScheduled = false;
		if (this.destroyed) return;
		this.opts.store.compact(this.name, Y.encodeStateAsUpdate(this.doc), this.lastSeq);
		this.logCount = 0;
	}

	/** Storage failed: the in-memory copy holds changes the store does not. Drop it. */
	private break(): void {
		if (this.destroyed) return;
		for (const c of this.conns.keys()) c.close(CloseCode.storageError, 'storage error, reconnect');
		this.opts.onBroken(this);
	}

	/** No socket has it open, no feed push is in flight, nothing waits for a commit: it may be unloaded. */
	get idle(): boolean {
		return this.conns.size === 0 && this.holds === 0 && this.uncommitted === 0;
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		this.presence?.destroy();
		this.doc.destroy();
	}
}

function encodeMessage(type: number, write: (enc: encoding.Encoder) => void): Uint8Array {
	const enc = encoding.createEncoder();
	encoding.writeVarUint(enc, type);
	write(enc);
	return encoding.toUint8Array(enc);
}

const encodeSync = (write: (enc: encoding.Encoder) => void) => encodeMessage(MessageType.sync, write);

/** lib0 reads past the end of a buffer without throwing; a frame must be exactly one message. */
function assertFullyRead(dec: decoding.Decoder): void {
	if (dec.pos !== dec.arr.length) throw new MalformedMessageError();
}

export class MalformedMessageError extends Error {
	constructor() {
		super('truncated message or trailing bytes');
	}
}

export class UnknownMessageError extends Error {
	constructor(readonly type: number) {
		super(`unknown message type ${type}`);
	}
}
