/**
 * Every open /sync and /feed socket, by user and by session: what a socket's frames go
 * through before a room or the feed sees them (the user's byte budget, error containment),
 * keep-alive, and closing all of a user's or a session's sockets when access ends.
 *
 * Error containment (issue #9): a frame's handler may refuse it (RefusedUpdateError,
 * PresenceRefusedError: that socket closes with the refusal's code) or fail to decode it
 * (4400); anything else is a fault of ours, logged, and still only that socket closes.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { RawData } from 'ws';
import { CloseCode, MessageType } from '../../src/lib/schema/protocol.ts';
import { PresenceRefusedError } from './awareness-guard.ts';
import type { Connection } from './connection.ts';
import { MalformedMessageError, UnknownMessageError } from './room.ts';
import { SessionGuard, type SessionLookup } from './session-guard.ts';
import { ByteBudget, Inbox } from './throttle.ts';
import { RefusedUpdateError } from './write-rules.ts';

export interface SocketsOptions {
	sessions: SessionLookup;
	keepaliveMs: number;
	budget?: { bytesPerSecond: number; burstBytes: number };
}

export class Sockets {
	private readonly byUser = new Map<string, Set<Connection>>();
	private readonly sessionGuard: SessionGuard;
	private readonly budget: ByteBudget;
	private readonly keepalive: NodeJS.Timeout;
	/** An empty awareness update: a message the stock client counts as traffic, changing nothing. */
	private readonly ping: Uint8Array;
	private closing = false;

	constructor(opts: SocketsOptions) {
		this.sessionGuard = new SessionGuard(opts.sessions);
		this.budget = new ByteBudget({
			bytesPerSecond: opts.budget?.bytesPerSecond ?? 1024 * 1024,
			burstBytes: opts.budget?.burstBytes ?? 2 * 1024 * 1024,
			maxWaitMs: 30_000
		});
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, MessageType.awareness);
		// Destroyed at once: an Awareness runs a timer that would keep the process alive.
		const empty = new awarenessProtocol.Awareness(new Y.Doc());
		encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(empty, []));
		empty.destroy();
		this.ping = encoding.toUint8Array(enc);
		this.keepalive = setInterval(() => this.sweep(), opts.keepaliveMs);
		this.keepalive.unref();
	}

	/** Open sockets of a user. */
	of(userId: string): number {
		return this.byUser.get(userId)?.size ?? 0;
	}

	get count(): number {
		let n = 0;
		for (const s of this.byUser.values()) n += s.size;
		return n;
	}

	/** Tracks a socket and wires its frames (budgeted, errors contained) and its close. */
	register(conn: Connection, onMessage: (data: Uint8Array) => void, onClose: () => void): void {
		const userConns = this.byUser.get(conn.userId) ?? new Set();
		userConns.add(conn);
		this.byUser.set(conn.userId, userConns);
		this.sessionGuard.add(conn);
		const ws = conn.ws;
		ws.binaryType = 'nodebuffer';
		const handle = (data: Uint8Array) => {
			// Once a socket is refused, nothing more it sent is handled (ws still delivers frames
			// until the closing handshake ends).
			if (this.closing || ws.readyState !== ws.OPEN) return;
			try {
				onMessage(data);
			} catch (e) {
				if (e instanceof RefusedUpdateError || e instanceof PresenceRefusedError) {
					conn.close(e.code, e.message.slice(0, 120));
				} else {
					if (!isDecodingError(e)) logUnexpected(e);
					conn.close(CloseCode.malformed, 'malformed message');
				}
			}
		};
		const inbox = new Inbox(this.budget, conn.userId, ws, handle, () =>
			conn.close(CloseCode.overBudget, 'over the sync budget, slow down')
		);
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (this.closing || ws.readyState !== ws.OPEN) return;
			if (!isBinary) return conn.close(CloseCode.malformed, 'binary frames only');
			inbox.receive(toBytes(data));
		});
		ws.on('pong', () => (conn.alive = true));
		ws.on('error', () => {
			// For a protocol error ws has sent its close frame already (1009 for a frame over
			// maxPayload): a moment for the peer to read the code, then the socket goes regardless.
			if (ws.readyState === ws.CLOSING) setTimeout(() => ws.terminate(), 1000).unref();
			else ws.terminate();
		});
		ws.on('close', () => {
			inbox.close();
			this.sessionGuard.remove(conn);
			userConns.delete(conn);
			if (userConns.size === 0) this.byUser.delete(conn.userId);
			onClose();
		});
	}

	/** A session ended: its sockets close (4401). */
	sessionEnded(sessionId: string): void {
		this.sessionGuard.ended(sessionId);
	}

	/** Closes every socket of a user (a password reset, deactivation). */
	closeUser(userId: string, code: CloseCode, reason: string): number {
		const conns = this.byUser.get(userId);
		if (!conns) return 0;
		for (const c of conns) c.close(code, reason);
		return conns.size;
	}

	/**
	 * Keep-alive: the stock client drops a socket silent for 30 s, and browsers cannot see
	 * ws pings, so idle sockets get an empty awareness message; a socket that did not answer
	 * the previous ping, and is not working through a backlog, is dead and terminated
	 * (Connection.keepAlive).
	 */
	private sweep(): void {
		for (const conns of this.byUser.values()) {
			for (const c of conns) {
				if (!c.keepAlive()) {
					c.ws.terminate();
					continue;
				}
				c.ws.ping();
				// Document sockets speak y-websocket, whose client needs a message it can see;
				// feed sockets are Fieldbook's own and the ping frame is enough.
				if (c.docName !== null) c.send(this.ping);
			}
		}
	}

	/** Stops handling frames and closes every socket (1001: the server is going away). */
	close(): void {
		this.closing = true;
		clearInterval(this.keepalive);
		this.sessionGuard.close();
		for (const conns of this.byUser.values())
			for (const c of conns) c.close(CloseCode.goingAway, 'server shutting down');
	}
}

/** A copy: a view on ws's pooled buffer would let a bad length read a neighbour's bytes. */
function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	return new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : data);
}

/** Errors of bytes that do not decode: lib0 and the protocol throw plain Errors, ours are typed. */
function isDecodingError(e: unknown): boolean {
	return (
		e instanceof MalformedMessageError ||
		e instanceof UnknownMessageError ||
		(e instanceof Error && e.constructor === Error)
	);
}

let unexpectedLogged = 0;
let unexpectedWindow = 0;
/** At most 20 a minute: a client provoking one on purpose cannot flood the log. */
function logUnexpected(e: unknown): void {
	const now = Date.now();
	if (now - unexpectedWindow > 60_000) {
		unexpectedWindow = now;
		unexpectedLogged = 0;
	}
	if (++unexpectedLogged <= 20) console.error('sync: unexpected error in a socket handler (socket closed):', e);
}
