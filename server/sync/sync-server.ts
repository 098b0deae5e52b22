/**
 * The /sync WebSocket endpoint. An upgrade is authenticated with the session cookie and
 * its Origin checked before any document is looked at or created; a refused upgrade gets
 * a plain HTTP status and never becomes a socket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
	ACK_PARAM,
	CloseCode,
	FEED_PATH,
	isValidDocName,
	MessageType,
	SYNC_PATH
} from '../../src/lib/schema/protocol.ts';
import type { SessionStore } from '../sessions.ts';
import { SESSION_COOKIE } from '../sessions.ts';
import { Connection } from './connection.ts';
import { CommitQueue } from './commit-queue.ts';
import type { DocStore } from './doc-store.ts';
import { Feed } from './feed.ts';
import { RefusedUpdateError, Room } from './room.ts';
import type { Role } from '../../src/lib/schema/staff.ts';

export interface SyncServerOptions {
	sessions: SessionStore;
	/** The origin browsers must send in the Origin header, given the request (Host-derived when no PUBLIC_URL). */
	expectedOrigin: (req: IncomingMessage) => string;
	maxMessageBytes: number;
	keepaliveMs: number;
	store: DocStore;
	/** Compact a document's log into a snapshot once it holds this many updates. */
	compactAfter: number;
	/** Keeps derived SQL tables in step with a document; runs inside the commit transaction. */
	project: (name: string, doc: Y.Doc) => void;
}

export class SyncServer {
	private readonly wss: WebSocketServer;
	private readonly rooms = new Map<string, Room>();
	private readonly byUser = new Map<string, Set<Connection>>();
	private closing = false;
	private readonly keepalive: NodeJS.Timeout;
	/** An empty awareness update: a message the stock client counts as traffic, changing nothing. */
	private readonly ping: Uint8Array;
	readonly queue: CommitQueue;
	private readonly feed: Feed;

	constructor(private readonly opts: SyncServerOptions) {
		this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes });
		// Projections are written in the same transaction as the updates they derive from.
		this.queue = new CommitQueue(opts.store, (docs) => {
			for (const name of docs) {
				const room = this.rooms.get(name);
				if (room) opts.project(name, room.doc);
			}
		});
		this.feed = new Feed({
			store: opts.store,
			room: (name) => this.room(name),
			release: (room) => {
				if (room.idle) this.drop(room);
			},
			canRead: () => true
		});
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, MessageType.awareness);
		encoding.writeVarUint8Array(
			enc,
			awarenessProtocol.encodeAwarenessUpdate(new awarenessProtocol.Awareness(new Y.Doc()), [])
		);
		this.ping = encoding.toUint8Array(enc);
		this.keepalive = setInterval(() => this.sweep(), opts.keepaliveMs);
		this.keepalive.unref();
	}

	/** Returns false when the request is not ours (another handler, e.g. Vite's HMR, may take it). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = new URL(req.url ?? '/', 'http://x');
		const isFeed = url.pathname === FEED_PATH;
		if (!isFeed && url.pathname !== SYNC_PATH && !url.pathname.startsWith(SYNC_PATH + '/')) return false;

		const refuse = (status: number, text: string): true => {
			socket.end(
				`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`
			);
			return true;
		};
		// Origin first: a page on another site must not ride on the user's cookie (CSWSH).
		if (req.headers.origin !== this.opts.expectedOrigin(req)) return refuse(403, 'Forbidden origin');
		const token = readCookie(req.headers.cookie, SESSION_COOKIE);
		const auth = token ? this.opts.sessions.validate(token) : null;
		if (!auth) return refuse(401, 'Unauthorized');
		if (isFeed) {
			this.wss.handleUpgrade(req, socket, head, (ws) => this.acceptFeed(ws, auth.user.id, auth.user.role));
			return true;
		}
		// Names are plain [A-Za-z0-9_-]: anything percent-encoded or nested is refused as it stands.
		const docName = url.pathname.slice(SYNC_PATH.length + 1);
		if (!isValidDocName(docName)) return refuse(400, 'Bad document name');

		const wantsAcks = url.searchParams.get(ACK_PARAM) === '1';
		this.wss.handleUpgrade(req, socket, head, (ws) =>
			this.accept(ws, auth.user.id, auth.user.role, docName, wantsAcks)
		);
		return true;
	}

	/** The loaded room of a document, loaded from the store when needed. */
	private room(name: string): Room {
		let room = this.rooms.get(name);
		if (!room) {
			// A room unloaded a moment ago may still have updates in the queue: commit them
			// first so the fresh copy loads every change.
			this.queue.flush();
			room = new Room(name, {
				store: this.opts.store,
				queue: this.queue,
				compactAfter: this.opts.compactAfter,
				onBroken: (broken) => this.drop(broken),
				onCommitted: (r, update, seq, from) => this.feed.committed(r.name, update, seq, from),
				onReleased: (r) => {
					if (r.idle) this.drop(r);
				}
			});
			this.rooms.set(name, room);
		}
		return room;
	}

	/** Tracks a socket per user (closing all of a user's sockets at deactivation) and wires the basics. */
	private register(conn: Connection, onMessage: (data: Uint8Array) => void, onClose: () => void): void {
		const userConns = this.byUser.get(conn.userId) ?? new Set();
		userConns.add(conn);
		this.byUser.set(conn.userId, userConns);
		const ws = conn.ws;
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (this.closing) return;
			if (!isBinary) return conn.close(CloseCode.malformed, 'binary frames only');
			try {
				onMessage(toBytes(data));
			} catch (e) {
				if (e instanceof RefusedUpdateError) conn.close(e.code, e.message.slice(0, 120));
				else conn.close(CloseCode.malformed, 'malformed message');
			}
		});
		ws.on('pong', () => (conn.alive = true));
		ws.on('error', () => ws.terminate());
		ws.on('close', () => {
			userConns.delete(conn);
			if (userConns.size === 0) this.byUser.delete(conn.userId);
			onClose();
		});
	}

	private accept(ws: WebSocket, userId: string, role: Role, docName: string, wantsAcks: boolean): void {
		const conn = new Connection(ws, userId, role, docName, wantsAcks);
		const room = this.room(docName);
		this.register(
			conn,
			(data) => room.receive(conn, data),
			() => {
				room.leave(conn);
				if (room.idle) this.drop(room);
			}
		);
		room.join(conn);
	}

	private acceptFeed(ws: WebSocket, userId: string, role: Role): void {
		const conn = new Connection(ws, userId, role, null, true);
		this.register(
			conn,
			(data) => this.feed.receive(conn, data),
			() => this.feed.remove(conn)
		);
	}

	/** Unloads a document from memory (idle, or broken by a storage failure). */
	private drop(room: Room): void {
		if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
		room.destroy();
	}

	get loadedDocuments(): number {
		return this.rooms.size;
	}

	/** Closes every socket of a user (sign-out everywhere, deactivation). */
	closeUser(userId: string, code: CloseCode, reason: string): number {
		const conns = this.byUser.get(userId);
		if (!conns) return 0;
		for (const c of conns) c.close(code, reason);
		return conns.size;
	}

	get connectionCount(): number {
		let n = 0;
		for (const s of this.byUser.values()) n += s.size;
		return n;
	}

	/**
	 * Keep-alive: the stock client drops a socket silent for 30 s, and browsers cannot see
	 * ws pings, so idle sockets get an empty awareness message; a socket that did not answer
	 * the previous ping is dead and terminated.
	 */
	private sweep(): void {
		for (const conns of this.byUser.values()) {
			for (const c of conns) {
				if (!c.alive) {
					c.ws.terminate();
					continue;
				}
				c.alive = false;
				c.ws.ping();
				// Document sockets speak y-websocket, whose client needs a message it can see;
				// feed sockets are Fieldbook's own and the ping frame is enough.
				if (c.docName !== null) c.send(this.ping);
			}
		}
	}

	async close(): Promise<void> {
		this.closing = true;
		clearInterval(this.keepalive);
		this.queue.close(); // commit what was received; nothing accepted is left behind
		for (const conns of this.byUser.values())
			for (const c of conns) c.close(CloseCode.goingAway, 'server shutting down');
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}
}

/** A copy: a view on ws's pooled buffer would let a bad length read a neighbour's bytes. */
function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	return new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : data);
}

export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const i = part.indexOf('=');
		if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
	}
	return null;
}
