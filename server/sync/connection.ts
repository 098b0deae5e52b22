/** One authenticated WebSocket: on one document, or (docName null) a device's background-sync feed. */
import type { RawData } from 'ws';
import { encodeBundle } from '../../src/lib/schema/feed-protocol.ts';
import { FEED_BUNDLE_BYTES, type CloseCode } from '../../src/lib/schema/protocol.ts';
import type { Role } from '../../src/lib/schema/staff.ts';
import type { StaffRef } from '../../src/lib/schema/access.ts';

/**
 * What the server uses of a socket; ws's WebSocket is one. Also the seam through which the
 * convergence simulation (tests/simulation) attaches clients over a simulated network.
 */
export interface SocketLike {
	readonly readyState: number;
	readonly CONNECTING: number;
	readonly OPEN: number;
	readonly CLOSING: number;
	binaryType: 'nodebuffer' | 'arraybuffer' | 'fragments';
	send(data: Uint8Array, cb?: (err?: Error) => void): void;
	close(code?: number, reason?: string): void;
	terminate(): void;
	ping(): void;
	/** Stop and restart reading from the peer (ws has both; the simulation's sockets need not). */
	pause?(): void;
	resume?(): void;
	on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
	on(event: 'close', listener: () => void): this;
	on(event: 'pong', listener: () => void): this;
	on(event: 'error', listener: (err: Error) => void): this;
}

/** The TCP socket under a ws WebSocket (ws keeps it as `_socket`; the simulation's sockets have none). */
type Corkable = { _socket?: { cork(): void; uncork(): void } };

export class Connection {
	/** Set by a pong; a socket that misses one keep-alive round is terminated (keepAlive). */
	alive = true;
	/** Writes are held until the end of this turn (see send). */
	private inTurn = false;
	/** A bundling feed's messages of this turn, not yet sent. */
	private outbox: Uint8Array[] = [];
	private outboxBytes = 0;
	/** Messages handed to ws and not yet written to the TCP socket. */
	private queued = 0;
	/** Messages ws wrote since the keep-alive's last round. */
	private written = 0;

	readonly userId: string;
	readonly role: Role;

	constructor(
		readonly ws: SocketLike,
		user: StaffRef,
		/** The session that opened the socket (null: attached in-process, the simulation). */
		readonly sessionId: string | null,
		readonly docName: string | null,
		/** The client asked for commit acknowledgements (`?ack=1`). */
		readonly wantsAcks: boolean,
		/** A feed that asked for FeedMsg.bundle frames (`?bundle=1`). */
		readonly bundles = false
	) {
		this.userId = user.id;
		this.role = user.role;
	}

	/**
	 * Sends one message. Messages sent in the same turn of the event loop (a commit's relays,
	 * acknowledgements and feed changes) go out in one write: the TCP socket is corked at the
	 * first and uncorked when the turn ends, so a socket costs one system call per commit, not
	 * one per message (issue #15). A feed that asked for bundles gets them as FeedMsg.bundle
	 * frames (protocol.ts): one frame per turn, or per FEED_BUNDLE_BYTES of a long catch-up.
	 */
	send(message: Uint8Array): void {
		if (this.ws.readyState !== this.ws.OPEN) return;
		if (!this.inTurn) this.startTurn();
		if (!this.bundles) return this.write(message);
		this.outbox.push(message);
		this.outboxBytes += message.length;
		if (this.outboxBytes >= FEED_BUNDLE_BYTES) this.sendOutbox();
	}

	private startTurn(): void {
		this.inTurn = true;
		const raw = (this.ws as unknown as Corkable)._socket;
		raw?.cork();
		process.nextTick(() => {
			this.inTurn = false;
			this.sendOutbox();
			raw?.uncork();
		});
	}

	private sendOutbox(): void {
		const messages = this.outbox;
		if (messages.length === 0) return;
		this.outbox = [];
		this.outboxBytes = 0;
		if (this.ws.readyState !== this.ws.OPEN) return;
		this.write(messages.length === 1 ? messages[0] : encodeBundle(messages));
	}

	private write(frame: Uint8Array): void {
		this.queued++;
		this.ws.send(frame, (err) => {
			this.queued--;
			if (err) this.ws.terminate();
			else this.written++;
		});
	}

	/**
	 * One keep-alive round: false when the peer is gone — it did not answer the last ping, and
	 * nothing of a backlog of ours was written since. A socket still working through such a
	 * backlog is not dead: ws sends a ping only after the messages queued before it (with
	 * permessage-deflate, after compressing them), so a device whose catch-up takes longer than
	 * a round answers late while its messages keep being written. Terminating it made the device
	 * reconnect and start the catch-up again. A dead peer's backlog stops being written once
	 * the TCP send buffer is full, and it is terminated a round later.
	 */
	keepAlive(): boolean {
		const draining = this.queued > 0 && this.written > 0;
		this.written = 0;
		if (!this.alive && !draining) return false;
		this.alive = false;
		return true;
	}

	close(code: CloseCode, reason: string): void {
		if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
	}
}
