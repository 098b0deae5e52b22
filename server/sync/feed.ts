/**
 * Background sync over one socket per device (protocol in src/lib/schema/protocol.ts,
 * FEED_PATH): catch-up since the device's last sequence number, live changes after that,
 * and batched pushes of the device's offline changes, acknowledged after commit. Every
 * message about a document goes only to users who may read it (src/lib/schema/access.ts).
 */
import * as Y from 'yjs';
import { canRead, type RecordAccess, type StaffRef } from '../../src/lib/schema/access.ts';
import { decodeFeed, encodeFeed } from '../../src/lib/schema/feed-protocol.ts';
import { CloseCode, FeedMsg, isValidDocName } from '../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { Connection } from './connection.ts';
import type { DocChange, DocStore } from './doc-store.ts';
import type { Room } from './room.ts';
import { NO_ACCESS, RefusedUpdateError } from './write-rules.ts';

export interface FeedHost {
	store: DocStore;
	/** The loaded room of a document, loading it when needed. */
	room(name: string): Room;
	/** Unloads the room if nothing uses it any more. */
	release(room: Room): void;
	/** May this user read the document now (committed access)? */
	canRead(user: StaffRef, doc: string): boolean;
	/** Does the document exist (committed, or created in a room not yet committed)? */
	exists(doc: string): boolean;
	/** The newest commit that changed who may read `doc`. */
	accessChangedSeq(doc: string): number;
	/**
	 * Who could read `doc` before the commit being delivered, if that commit changed it; asked
	 * once per document and commit (the first of its updates being delivered).
	 */
	takeAccessBefore(doc: string): RecordAccess | null | undefined;
	/** The whole committed document. */
	state(doc: string): Uint8Array;
	/** Runs `fn` once everything received so far is committed. */
	afterCommit(fn: () => void): void;
}

const userOf = (c: Connection): StaffRef => ({ id: c.userId, role: c.role });

/**
 * How a catch-up is sliced (issue #15 item 3): documents are read, merged and sent for about
 * `ms` per turn of the event loop, at least `minDocs` of them, so a fresh device's 10,000
 * documents do not stop everyone else's edits for seconds.
 */
export interface CatchUpSlice {
	ms: number;
	minDocs: number;
}

export const CATCH_UP_SLICE: CatchUpSlice = { ms: 8, minDocs: 16 };

/** A catch-up in progress on one connection. */
interface CatchUpRun {
	conn: Connection;
	since: number;
	/** The highest seq sent so far. */
	seq: number;
	changes: Iterator<DocChange>;
}

/** Bytes that are not a Yjs update at all close the feed (answering each would cost a state). */
const isMalformed = (e: RefusedUpdateError) => e.message.startsWith('malformed');

export class Feed {
	/** Feeds that said hello and receive live changes. */
	private readonly live = new Set<Connection>();
	/** Documents whose state a connection was sent with a refusal. */
	private readonly stateSent = new WeakMap<Connection, Set<string>>();
	/** The catch-up each connection is in (a second hello starts over: the first one stops). */
	private readonly catchingUp = new WeakMap<Connection, CatchUpRun>();

	constructor(
		private readonly host: FeedHost,
		private readonly slice: CatchUpSlice = CATCH_UP_SLICE,
		/** Runs the next slice of a catch-up (a later turn of the event loop). */
		private readonly later: (fn: () => void) => void = (fn) => void setImmediate(fn)
	) {}

	receive(conn: Connection, data: Uint8Array): void {
		const m = decodeFeed(data);
		switch (m.type) {
			case FeedMsg.hello:
				this.catchUp(conn, m.since);
				break;
			case FeedMsg.push:
				if (!isValidDocName(m.doc)) throw new Error('bad document name');
				this.push(conn, m.doc, m.update);
				break;
			default:
				throw new Error(`a client may not send feed message ${m.type}`);
		}
	}

	/**
	 * A device's pending changes of one document. A refusal does not close the feed (the
	 * device's other documents keep syncing): the device is told why, with the server's
	 * state of the document when the user may read it, so it can rebuild.
	 */
	private push(conn: Connection, doc: string, update: Uint8Array): void {
		// An existing record the user may not read is refused before anything is loaded; a name
		// the server does not hold goes to its (empty) room, whose write check is the creation
		// check — the same refusal, and nothing stored — so each push is checked once.
		if (this.host.exists(doc) && !this.host.canRead(userOf(conn), doc)) {
			return this.refuse(conn, doc, new RefusedUpdateError(CloseCode.forbidden, NO_ACCESS));
		}
		const room = this.host.room(doc);
		try {
			room.applyFromFeed(conn, update, (sv) => encodeFeed({ type: FeedMsg.ack, doc, sv }));
		} catch (e) {
			if (e instanceof RefusedUpdateError && !isMalformed(e)) this.refuse(conn, doc, e);
			else throw e;
		} finally {
			this.host.release(room); // unloaded at once if the push failed; else after its ack
		}
	}

	/**
	 * The server's state goes with the first refusal of a document on a connection only: the
	 * device rebuilds from it, and later refusals (pushes already in flight) need nothing more,
	 * however large the document.
	 */
	private refuse(conn: Connection, doc: string, e: RefusedUpdateError): void {
		// After the commit of what came before: an acknowledgement waits for its commit, so a
		// refusal sent at once would overtake the acknowledgement of an earlier push of the same
		// document, and the device matches answers to its pushes by their order.
		this.host.afterCommit(() => this.sendRefusal(conn, doc, e));
	}

	private sendRefusal(conn: Connection, doc: string, e: RefusedUpdateError): void {
		const sent = this.stateSent.get(conn) ?? new Set<string>();
		this.stateSent.set(conn, sent);
		const send = !sent.has(doc) && this.host.canRead(userOf(conn), doc);
		if (send) sent.add(doc);
		const state = send ? this.host.state(doc) : new Uint8Array();
		conn.send(encodeFeed({ type: FeedMsg.refused, doc, code: e.code, reason: e.message.slice(0, 200), state }));
	}

	/**
	 * Sends every change after `since` the user may read, then caughtUp, in slices (one per
	 * turn of the event loop, CatchUpSlice). The connection receives live changes from the
	 * start, so a commit made between two slices reaches it live (before caughtUp, possibly
	 * before the catch-up sends the same document: Yjs updates apply in any order); each
	 * document is read when its turn comes, holding at least what it held at the hello. So once
	 * caughtUp(seq) arrives, the device has every change up to seq. A device stores its seq
	 * only with caughtUp: one that drops mid catch-up says hello from its old seq again.
	 *
	 * A document whose access changed after `since` is sent whole (the device may never have
	 * had it) or as removed (the device may still have it).
	 */
	private catchUp(conn: Connection, since: number): void {
		const run: CatchUpRun = {
			conn,
			since,
			seq: since,
			changes: this.host.store.changesSince(since)[Symbol.iterator]()
		};
		this.catchingUp.set(conn, run);
		this.live.add(conn);
		this.continueCatchUp(run);
	}

	private continueCatchUp(run: CatchUpRun): void {
		const { conn } = run;
		if (this.catchingUp.get(conn) !== run || !this.live.has(conn) || conn.ws.readyState !== conn.ws.OPEN) return;
		try {
			const end = performance.now() + this.slice.ms;
			for (let n = 0; ; n++) {
				if (n >= this.slice.minDocs && performance.now() >= end) return this.later(() => this.continueCatchUp(run));
				const next = run.changes.next();
				if (next.done) break;
				this.sendCaughtUpChange(run, next.value);
			}
			this.catchingUp.delete(conn);
			conn.send(encodeFeed({ type: FeedMsg.caughtUp, seq: Math.max(run.seq, this.host.store.maxSeq()) }));
		} catch (e) {
			// Outside any handler of the client's (a later turn): the device reconnects and starts over.
			console.error('sync: a catch-up failed:', e);
			this.catchingUp.delete(conn);
			conn.close(CloseCode.storageError, 'internal error');
		}
	}

	private sendCaughtUpChange(run: CatchUpRun, change: DocChange): void {
		const { conn, since } = run;
		run.seq = Math.max(run.seq, change.seq);
		const readable = this.host.canRead(userOf(conn), change.doc);
		const accessChanged = change.doc !== SETTINGS_DOC && this.host.accessChangedSeq(change.doc) > since;
		if (!readable) {
			if (accessChanged && since > 0) conn.send(encodeFeed({ type: FeedMsg.removed, doc: change.doc }));
			return;
		}
		const update =
			accessChanged && !change.whole
				? this.host.state(change.doc)
				: change.updates.length === 1
					? change.updates[0]
					: Y.mergeUpdates(change.updates);
		conn.send(encodeFeed({ type: FeedMsg.change, seq: change.seq, doc: change.doc, update }));
	}

	/**
	 * A committed update, streamed to every other feed whose user may read the document. When
	 * the commit changed who may read it, a user who gained access gets the whole document
	 * (once: it holds the commit's later updates of the document too; `first`: this update is
	 * the whole document, its first) and one who lost it is told to remove it (the pusher too).
	 */
	committed(doc: string, update: Uint8Array, seq: number, from: Connection | null, first = false): void {
		const before = this.host.takeAccessBefore(doc);
		if (this.live.size === 0) return;
		let msg: Uint8Array | null = null;
		let whole: Uint8Array | null = null;
		for (const c of this.live) {
			const user = userOf(c);
			const now = this.host.canRead(user, doc);
			const was = before === undefined ? now : canRead(user, before);
			if (now && was) {
				if (c !== from) c.send((msg ??= encodeFeed({ type: FeedMsg.change, seq, doc, update })));
			} else if (now) {
				// A new document's first update is the whole of it (an import creates thousands).
				whole ??= encodeFeed({ type: FeedMsg.change, seq, doc, update: first ? update : this.host.state(doc) });
				c.send(whole);
			} else if (was) {
				c.send(encodeFeed({ type: FeedMsg.removed, doc }));
			}
		}
	}

	remove(conn: Connection): void {
		this.live.delete(conn);
		this.catchingUp.delete(conn);
	}
}
