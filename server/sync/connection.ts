/** One authenticated WebSocket: on one document, or (docName null) a device's background-sync feed. */
import type { RawData } from 'ws';
import type { CloseCode } from '../../src/lib/schema/protocol.ts';
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
	/** Set by a pong; a socket that misses one keep-alive round is terminated. */
	alive = true;
	/** Writes are held until the end of this turn (see send). */
	private corked = false;

	readonly userId: string;
	readonly role: Role;

	constructor(
		readonly ws: SocketLike,
		user: StaffRef,
		/** The session that opened the socket (null: attached in-process, the simulation). */
		readonly sessionId: string | null,
		readonly docName: string | null,
		/** The client asked for commit acknowledgements (`?ack=1`). */
		readonly wantsAcks: boolean
	) {
		this.userId = user.id;
		this.role = user.role;
	}

	/**
	 * Sends one message. Messages sent in the same turn of the event loop (a commit's relays,
	 * acknowledgements and feed changes) go out in one write: the TCP socket is corked at the
	 * first and uncorked when the turn ends, so a socket costs one system call per commit, not
	 * one per message (issue #15).
	 */
	send(message: Uint8Array): void {
		if (this.ws.readyState !== this.ws.OPEN) return;
		const raw = (this.ws as unknown as Corkable)._socket;
		if (raw && !this.corked) {
			this.corked = true;
			raw.cork();
			process.nextTick(() => {
				this.corked = false;
				raw.uncork();
			});
		}
		this.ws.send(message, (err) => {
			if (err) this.ws.terminate();
		});
	}

	close(code: CloseCode, reason: string): void {
		if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
	}
}
