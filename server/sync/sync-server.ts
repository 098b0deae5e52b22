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
import { WebSocketServer, type RawData } from 'ws';
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
import { Connection, type SocketLike } from './connection.ts';
import { CommitQueue, type QueuedUpdate } from './commit-queue.ts';
import type { DocStore } from './doc-store.ts';
import { Feed } from './feed.ts';
import { Room } from './room.ts';
import { RefusedUpdateError } from './write-rules.ts';
import type { Role } from '../../src/lib/schema/staff.ts';
import type { RecordAccess, StaffRef } from '../../src/lib/schema/access.ts';
import { contactTypesMap, SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { AccessIndex } from './access-index.ts';
import type { HistoryLog } from '../history.ts';
import type { EmailClaims } from '../email-claims.ts';
import { touchedBy, type Touched } from '../projection.ts';
import type { FieldChange } from '../../src/lib/schema/history.ts';
import { contactsMap } from '../../src/lib/schema/customer-doc.ts';
import { PresenceRefusedError } from './awareness-guard.ts';
import type { UpgradeLimits } from './upgrade-limits.ts';

export interface SyncServerOptions {
	sessions: SessionStore;
	/** The origin browsers must send in the Origin header, given the request (Host-derived when no PUBLIC_URL). */
	expectedOrigin: (req: IncomingMessage) => string;
	maxMessageBytes: number;
	keepaliveMs: number;
	store: DocStore;
	/** Compact a document's log into a snapshot once it holds this many updates. */
	compactAfter: number;
	/**
	 * Keeps derived SQL tables in step with a document; runs inside the commit transaction.
	 * `by`: the user whose update is the batch's last one of this document (null: the server's).
	 */
	project: (name: string, doc: Y.Doc, by: string | null, touched: Touched) => void;
	/** Who may read and write each document, kept in step by every commit. */
	access: AccessIndex;
	/** Who changed which fields, recorded in the commit of the change. */
	history?: HistoryLog;
	/** The duplicate e-mail rule across documents (server/email-claims.ts). */
	emails?: EmailClaims;
	/** Upgrades per address and per user (HTTP 429 over them). */
	upgradeLimits: UpgradeLimits;
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
	/** The settings room, kept loaded (see settings()). */
	private settingsRoom: Room | null = null;
	/** Documents whose readers the commit being delivered changed, with who could read them before. */
	private accessChanges = new Map<string, RecordAccess | null>();

	constructor(private readonly opts: SyncServerOptions) {
		this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes });
		// Projections are written in the same transaction as the updates they derive from.
		this.queue = new CommitQueue(opts.store, (docs, batch, seqs) => this.withinCommit(docs, batch, seqs));
		this.feed = new Feed({
			store: opts.store,
			room: (name) => this.room(name),
			release: (room) => {
				if (room.idle) this.drop(room);
			},
			canRead: (user, doc) => opts.access.canRead(user, doc),
			exists: (doc) => opts.access.exists(doc) || (this.rooms.get(doc)?.exists ?? false),
			accessChangedSeq: (doc) => opts.access.changedSeq(doc),
			accessBefore: (doc) => (this.accessChanges.has(doc) ? this.accessChanges.get(doc)! : undefined),
			state: (doc) => this.state(doc),
			afterCommit: (fn) => this.queue.afterCommit(fn)
		});
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, MessageType.awareness);
		// Destroyed at once: an Awareness runs a timer that would keep the process alive.
		const empty = new awarenessProtocol.Awareness(new Y.Doc());
		encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(empty, []));
		empty.destroy();
		this.ping = encoding.toUint8Array(enc);
		this.settings(); // loaded now, not in the middle of another document's update
		this.keepalive = setInterval(() => this.sweep(), opts.keepaliveMs);
		this.keepalive.unref();
	}

	/**
	 * Inside the commit transaction of a batch: its history rows, the derived tables of each
	 * document (only the parts the batch touched), e-mail claims, and the access index. Users
	 * who lost read access have their live sockets closed now, before the batch is relayed (a
	 * turn later would be too late); should the commit fail, the rooms break and close anyway.
	 */
	private withinCommit(docs: Set<string>, batch: QueuedUpdate[], seqs: number[]): void {
		const { opts } = this;
		this.accessChanges = new Map();
		const now = Date.now();
		const changes = new Map<string, FieldChange[] | null>();
		const authors = new Map<string, string | null>();
		batch.forEach((u, i) => {
			if (u.changes) opts.history?.record(u.doc, u.userId, now, u.changes, seqs[i]);
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
			const room = this.rooms.get(name);
			if (!room) continue;
			const touched = touchedBy(changes.get(name) ?? null);
			const emails = opts.emails && name !== SETTINGS_DOC && touched.emails ? opts.emails : null;
			const heldBefore = emails ? emails.keysOf(name) : [];
			opts.project(name, room.doc, authors.get(name) ?? null, touched);
			if (name === SETTINGS_DOC) continue;
			if (emails) {
				emailDocs.add(name);
				for (const key of emails.settle(name, heldBefore)) emailKeys.add(key);
			}
			const changed = opts.access.update(name, room.doc);
			if (changed) this.accessChanges.set(name, changed.before);
		}
		if (this.accessChanges.size > 0) this.enforceAccess(this.accessChanges);
		if (emailDocs.size > 0) this.queue.afterCommit(() => this.restoreEmailFlags(emailDocs, emailKeys));
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
		// Rate limits (upgrade-limits.ts): per address before anything is looked up, per user
		// right after the session; either way before any document is touched.
		if (!this.opts.upgradeLimits.admitAddress(req)) return refuse(429, 'Too Many Requests');
		// Origin first: a page on another site must not ride on the user's cookie (CSWSH).
		if (req.headers.origin !== this.opts.expectedOrigin(req)) return refuse(403, 'Forbidden origin');
		const token = readCookie(req.headers.cookie, SESSION_COOKIE);
		const auth = token ? this.opts.sessions.validate(token) : null;
		if (!auth) return refuse(401, 'Unauthorized');
		if (!this.opts.upgradeLimits.admitUser(auth.user.id)) return refuse(429, 'Too Many Requests');
		if (isFeed) {
			this.wss.handleUpgrade(req, socket, head, (ws) => this.acceptFeed(ws, auth.user.id, auth.user.role));
			return true;
		}
		// Names are plain [A-Za-z0-9_-]: anything percent-encoded or nested is refused as it stands.
		const docName = url.pathname.slice(SYNC_PATH.length + 1);
		if (!isValidDocName(docName)) return refuse(400, 'Bad document name');
		// A record the user may not read and a name that does not exist get the same answer,
		// and neither loads anything. New records are created through the feed's push.
		if (!this.opts.access.canRead(auth.user, docName)) return refuse(403, 'Forbidden');

		const wantsAcks = url.searchParams.get(ACK_PARAM) === '1';
		this.wss.handleUpgrade(req, socket, head, (ws) =>
			this.accept(ws, auth.user.id, auth.user.role, docName, wantsAcks)
		);
		return true;
	}

	/**
	 * Attaches a socket of an authenticated user, as an upgrade does once its session, origin,
	 * rate limits and document name have passed: a feed (docName null) or a document socket,
	 * which is not attached (false) when the user may not read the document. The seam through
	 * which tests/simulation connects clients over a simulated network.
	 */
	attach(socket: SocketLike, user: StaffRef, docName: string | null, wantsAcks: boolean): boolean {
		if (docName === null) {
			this.acceptFeed(socket, user.id, user.role);
			return true;
		}
		if (!isValidDocName(docName) || !this.opts.access.canRead(user, docName)) return false;
		this.accept(socket, user.id, user.role, docName, wantsAcks);
		return true;
	}

	/** The loaded room of a document, loaded from the store when needed. */
	private room(name: string): Room {
		let room = this.rooms.get(name);
		if (!room) {
			// A room unloaded a moment ago may still have updates in the queue: commit them
			// first so the fresh copy loads every change.
			this.queue.flush();
			// That flush ran after-commit steps, which may have loaded this very document (the
			// duplicate e-mail flags) and changed it: a second copy would lack that change, and
			// its next compaction would drop it from the store.
			room = this.rooms.get(name);
		}
		if (!room) {
			room = new Room(name, {
				store: this.opts.store,
				queue: this.queue,
				compactAfter: this.opts.compactAfter,
				onBroken: (broken) => {
					// The failed commit's access changes were rolled back with it.
					this.opts.access.reload(broken.name);
					this.drop(broken);
				},
				onCommitted: (r, update, seq, from) => this.feed.committed(r.name, update, seq, from),
				onReleased: (r) => {
					if (r.idle) this.drop(r);
				},
				contactTypeExists: (id) => contactTypesMap(this.settings().doc).has(id)
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
			// Once a socket is refused, nothing more it sent is handled (ws still delivers frames
			// until the closing handshake ends).
			if (this.closing || ws.readyState !== ws.OPEN) return;
			if (!isBinary) return conn.close(CloseCode.malformed, 'binary frames only');
			try {
				onMessage(toBytes(data));
			} catch (e) {
				if (e instanceof RefusedUpdateError || e instanceof PresenceRefusedError) {
					conn.close(e.code, e.message.slice(0, 120));
				} else conn.close(CloseCode.malformed, 'malformed message');
			}
		});
		ws.on('pong', () => (conn.alive = true));
		ws.on('error', () => {
			// For a protocol error ws has sent its close frame already (1009 for a frame over
			// maxPayload): a moment for the peer to read the code, then the socket goes regardless.
			if (ws.readyState === ws.CLOSING) setTimeout(() => ws.terminate(), 1000).unref();
			else ws.terminate();
		});
		ws.on('close', () => {
			userConns.delete(conn);
			if (userConns.size === 0) this.byUser.delete(conn.userId);
			onClose();
		});
	}

	private accept(ws: SocketLike, userId: string, role: Role, docName: string, wantsAcks: boolean): void {
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

	private acceptFeed(ws: SocketLike, userId: string, role: Role): void {
		const conn = new Connection(ws, userId, role, null, true);
		this.register(
			conn,
			(data) => this.feed.receive(conn, data),
			() => this.feed.remove(conn)
		);
	}

	/** The workspace settings, kept loaded (every customer update may ask about its contact types). */
	private settings(): Room {
		// Loaded again only if it was dropped (a storage failure broke it).
		if (this.settingsRoom && this.rooms.get(SETTINGS_DOC) === this.settingsRoom) return this.settingsRoom;
		const room = this.room(SETTINGS_DOC);
		room.holds++;
		this.settingsRoom = room;
		return room;
	}

	/** The whole committed document (for a device that gains access or must rebuild). */
	private state(doc: string): Uint8Array {
		const room = this.rooms.get(doc);
		if (room) return Y.encodeStateAsUpdate(room.doc);
		const stored = this.opts.store.load(doc);
		if (!stored || stored.updates.length === 0) return new Uint8Array();
		return stored.updates.length === 1 ? stored.updates[0] : Y.mergeUpdates(stored.updates);
	}

	/**
	 * In a commit that changed who may read documents: live sockets of users who lost read
	 * access are closed (their feeds are told to remove the document as the commit is delivered).
	 */
	private enforceAccess(changes: Map<string, RecordAccess | null>): void {
		for (const doc of changes.keys()) {
			const room = this.rooms.get(doc);
			if (!room) continue;
			for (const c of room.conns.keys()) {
				if (!this.opts.access.canRead({ id: c.userId, role: c.role }, doc))
					c.close(CloseCode.forbidden, 'access revoked');
			}
		}
	}

	/**
	 * After a commit: contacts whose "duplicate e-mail" flag no longer matches the truth get
	 * it set or cleared by the server, in whichever document they are (loaded if needed).
	 */
	private restoreEmailFlags(docs: Set<string>, keys: Set<string>): void {
		if (this.closing || !this.opts.emails) return;
		for (const { doc, contactId, duplicate } of this.opts.emails.flagsToChange(docs, keys)) {
			const room = this.room(doc);
			room.serverChange((d) => {
				const contact = contactsMap(d).get(contactId);
				if (contact && (contact.get('duplicateEmail') === true) !== duplicate) contact.set('duplicateEmail', duplicate);
			});
		}
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
		// Loaded documents (the settings are pinned) run presence timers: unloaded, so that a
		// server closed in-process (tests) lets the process exit.
		for (const room of [...this.rooms.values()]) this.drop(room);
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
