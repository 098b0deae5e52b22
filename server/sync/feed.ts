/**
 * Background sync over one socket per device (protocol in src/lib/schema/protocol.ts,
 * FEED_PATH): catch-up since the device's last sequence number, live changes after that,
 * and batched pushes of the device's offline changes, acknowledged after commit.
 */
import * as Y from 'yjs';
import { decodeFeed, encodeFeed } from '../../src/lib/schema/feed-protocol.ts';
import { FeedMsg, isValidDocName } from '../../src/lib/schema/protocol.ts';
import type { Connection } from './connection.ts';
import type { DocStore } from './doc-store.ts';
import type { Room } from './room.ts';

export interface FeedHost {
	store: DocStore;
	/** The loaded room of a document, loading it when needed. */
	room(name: string): Room;
	/** Unloads the room if nothing uses it any more. */
	release(room: Room): void;
	/** May this user read the document? (Per-record access comes with the access rules.) */
	canRead(userId: string, doc: string): boolean;
}

export class Feed {
	/** Feeds that said hello and receive live changes. */
	private readonly live = new Set<Connection>();

	constructor(private readonly host: FeedHost) {}

	receive(conn: Connection, data: Uint8Array): void {
		const m = decodeFeed(data);
		switch (m.type) {
			case FeedMsg.hello:
				this.catchUp(conn, m.since);
				break;
			case FeedMsg.push: {
				if (!isValidDocName(m.doc)) throw new Error('bad document name');
				const room = this.host.room(m.doc);
				try {
					room.applyFromFeed(conn, m.update, (sv) => encodeFeed({ type: FeedMsg.ack, doc: m.doc, sv }));
				} finally {
					this.host.release(room); // unloaded at once if the push failed; else after its ack
				}
				break;
			}
			default:
				throw new Error(`a client may not send feed message ${m.type}`);
		}
	}

	/**
	 * Sends every change after `since`, then caughtUp, then registers for live changes, all
	 * in one synchronous turn: no commit can fall between the catch-up and the live stream.
	 */
	private catchUp(conn: Connection, since: number): void {
		let seq = since;
		for (const change of this.host.store.changesSince(since)) {
			seq = Math.max(seq, change.seq);
			if (!this.host.canRead(conn.userId, change.doc)) continue;
			const update = change.updates.length === 1 ? change.updates[0] : Y.mergeUpdates(change.updates);
			conn.send(encodeFeed({ type: FeedMsg.change, seq: change.seq, doc: change.doc, update }));
		}
		seq = Math.max(seq, this.host.store.maxSeq());
		conn.send(encodeFeed({ type: FeedMsg.caughtUp, seq }));
		this.live.add(conn);
	}

	/** A committed update: streamed to every other feed whose user may read the document. */
	committed(doc: string, update: Uint8Array, seq: number, from: Connection | null): void {
		if (this.live.size === 0) return;
		const msg = encodeFeed({ type: FeedMsg.change, seq, doc, update });
		for (const c of this.live) if (c !== from && this.host.canRead(c.userId, doc)) c.send(msg);
	}

	remove(conn: Connection): void {
		this.live.delete(conn);
	}
}
