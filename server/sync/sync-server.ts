/**
 * The /sync and /feed WebSocket endpoints, composed: upgrades are decided in upgrade.ts (a
 * refused upgrade never becomes a socket), open sockets kept in sockets.ts, what a commit does
 * beyond the update log in commit-effects.ts; here is the room registry (one Room per loaded
 * document, the settings pinned) and the wiring between them.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import { WebSocketServer } from 'ws';
import { CloseCode, isValidDocName } from '../../src/lib/schema/protocol.ts';
import type { SessionStore } from '../sessions.ts';
import { Connection, type SocketLike } from './connection.ts';
import { CommitQueue } from './commit-queue.ts';
import type { DocStore } from './doc-store.ts';
import { Feed } from './feed.ts';
import { Room } from './room.ts';
import type { StaffRef } from '../../src/lib/schema/access.ts';
import { contactTypesMap, readDefaultPermissions, SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import type { PortalPermission } from '../../src/lib/schema/records.ts';
import type { AccessIndex } from './access-index.ts';
import type { HistoryLog } from '../history.ts';
import type { EmailClaims } from '../email-claims.ts';
import type { Touched } from '../projection.ts';
import type { UpgradeLimits } from './upgrade-limits.ts';
import { CommitEffects } from './commit-effects.ts';
import { Sockets } from './sockets.ts';
import { ServerDocs } from './server-docs.ts';
import {
	decideUpgrade,
	guardSocket,
	refuseUpgrade,
	type UpgradeDecision,
	type UpgradeGate,
	type UpgradeTarget
} from './upgrade.ts';

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
	/** Open sockets per user; an upgrade over it gets HTTP 429 (default 200). */
	maxSocketsPerUser?: number;
	/** A staff user's name in the directory (presence shows it, not what a client claims). */
	nameOf?: (userId: string) => string | null;
	/** Contacts one customer may hold, the trash included (default 1000). */
	maxContacts?: number;
	/** Sync bytes per user per second, and the burst (throttle.ts); default 1 MB/s, 2 MB. */
	budget?: { bytesPerSecond: number; burstBytes: number };
}

export class SyncServer {
	private readonly wss: WebSocketServer;
	private readonly rooms = new Map<string, Room>();
	private readonly sockets: Sockets;
	private closing = false;
	readonly queue: CommitQueue;
	private readonly feed: Feed;
	/** The settings room, kept loaded (see settings()). */
	private settingsRoom: Room | null = null;
	private readonly effects: CommitEffects;
	private readonly gate: UpgradeGate;
	/** Customer documents read and changed by the server itself (the portal): server-docs.ts. */
	readonly docs: ServerDocs;

	constructor(private readonly opts: SyncServerOptions) {
		this.sockets = new Sockets({ sessions: opts.sessions, keepaliveMs: opts.keepaliveMs, budget: opts.budget });
		// Every way a session ends closes its sockets (a reset or deactivation: all the user's).
		opts.sessions.onEnded((end) => {
			if ('sessionId' in end) this.sockets.sessionEnded(end.sessionId);
			else this.sockets.closeUser(end.userId, CloseCode.unauthorized, 'session ended');
		});
		this.gate = {
			sessions: opts.sessions,
			upgradeLimits: opts.upgradeLimits,
			expectedOrigin: opts.expectedOrigin,
			canRead: (user, doc) => opts.access.canRead(user, doc),
			socketsOf: (userId) => this.sockets.of(userId),
			maxSocketsPerUser: opts.maxSocketsPerUser ?? 200
		};
		this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes });
		this.effects = new CommitEffects({
			access: opts.access,
			history: opts.history,
			emails: opts.emails,
			project: opts.project,
			loaded: (name) => this.rooms.get(name),
			room: (name) => this.room(name),
			afterCommit: (fn) => this.queue.afterCommit(fn),
			closing: () => this.closing
		});
		// Projections are written in the same transaction as the updates they derive from.
		this.queue = new CommitQueue(opts.store, (docs, batch, seqs) => this.effects.run(docs, batch, seqs));
		this.feed = new Feed({
			store: opts.store,
			room: (name) => this.room(name),
			release: (room) => {
				if (room.idle) this.drop(room);
			},
			canRead: (user, doc) => opts.access.canRead(user, doc),
			exists: (doc) => opts.access.exists(doc) || (this.rooms.get(doc)?.exists ?? false),
			accessChangedSeq: (doc) => opts.access.changedSeq(doc),
			accessBefore: (doc) => this.effects.accessBefore(doc),
			state: (doc) => this.state(doc),
			afterCommit: (fn) => this.queue.afterCommit(fn)
		});
		this.docs = new ServerDocs({
			room: (name) => this.room(name),
			release: (room) => {
				if (room.idle) this.drop(room);
			},
			afterCommit: (fn) => this.queue.afterCommit(fn),
			closing: () => this.closing
		});
		this.settings(); // loaded now, not in the middle of another document's update
	}

	/**
	 * Returns false when the request is not ours (another handler, e.g. Vite's HMR, may take
	 * it). Never throws: whatever the request holds, it is answered or refused on its own.
	 */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		guardSocket(socket);
		let decision: UpgradeDecision;
		try {
			decision = decideUpgrade(req, this.gate);
		} catch (e) {
			console.error('sync: upgrade refused after an unexpected error:', e);
			decision = { kind: 'refuse', status: 400, text: 'Bad Request' };
		}
		if (decision.kind === 'not-ours') return false;
		if (decision.kind === 'refuse') {
			refuseUpgrade(socket, decision.status, decision.text);
			return true;
		}
		const { target } = decision;
		try {
			this.wss.handleUpgrade(req, socket, head, (ws) => this.attachTarget(ws, target));
		} catch (e) {
			console.error('sync: upgrade failed:', e);
			socket.destroy();
		}
		return true;
	}

	private attachTarget(ws: SocketLike, t: UpgradeTarget): void {
		try {
			if (t.docName === null) this.acceptFeed(ws, t.user, t.sessionId);
			else this.accept(ws, t.user, t.sessionId, t.docName, t.wantsAcks);
		} catch (e) {
			console.error('sync: could not open a socket:', e);
			ws.close(CloseCode.storageError, 'internal error');
		}
	}

	/**
	 * Attaches a socket of an authenticated user, as an upgrade does once its session, origin,
	 * rate limits and document name have passed: a feed (docName null) or a document socket,
	 * which is not attached (false) when the user may not read the document. The seam through
	 * which tests/simulation connects clients over a simulated network.
	 */
	attach(socket: SocketLike, user: StaffRef, docName: string | null, wantsAcks: boolean): boolean {
		if (docName === null) {
			this.acceptFeed(socket, user, null);
			return true;
		}
		if (!isValidDocName(docName) || !this.opts.access.canRead(user, docName)) return false;
		this.accept(socket, user, null, docName, wantsAcks);
		return true;
	}

	/** The loaded room of a document, loaded from the store when needed. */
	private room(name: string): Room {
		let room = this.rooms.get(name);
		if (!room) {
			// A room unloaded a moment ago may still have updates in the queue: commit them
			// first so the fresh copy loads every change. Only then: flushing for every load
			// made each new document of an import its own transaction (bench/import.ts).
			if (this.queue.holds(name)) this.queue.flush();
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
				contactTypeExists: (id) => contactTypesMap(this.settings().doc).has(id),
				limits: { maxContacts: this.opts.maxContacts ?? 1000 },
				nameOf: this.opts.nameOf
			});
			this.rooms.set(name, room);
		}
		return room;
	}

	private accept(ws: SocketLike, user: StaffRef, sessionId: string | null, docName: string, wantsAcks: boolean): void {
		const conn = new Connection(ws, user, sessionId, docName, wantsAcks);
		const room = this.room(docName);
		this.sockets.register(
			conn,
			(data) => room.receive(conn, data),
			() => {
				room.leave(conn);
				if (room.idle) this.drop(room);
			}
		);
		room.join(conn);
	}

	private acceptFeed(ws: SocketLike, user: StaffRef, sessionId: string | null): void {
		const conn = new Connection(ws, user, sessionId, null, true);
		this.sockets.register(
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

	/** The workspace's portal permissions for new contacts (SPEC §2), as the server holds them. */
	defaultPermissions(): Record<PortalPermission, boolean> {
		return readDefaultPermissions(this.settings().doc);
	}

	/** The whole committed document (for a device that gains access or must rebuild). */
	private state(doc: string): Uint8Array {
		const room = this.rooms.get(doc);
		if (room) return Y.encodeStateAsUpdate(room.doc);
		const stored = this.opts.store.load(doc);
		if (!stored || stored.updates.length === 0) return new Uint8Array();
		return stored.updates.length === 1 ? stored.updates[0] : Y.mergeUpdates(stored.updates);
	}

	/** Unloads a document from memory (idle, or broken by a storage failure). */
	private drop(room: Room): void {
		if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
		room.destroy();
	}

	get loadedDocuments(): number {
		return this.rooms.size;
	}

	/** Closes every socket of a user (a password reset, deactivation). */
	closeUser(userId: string, code: CloseCode, reason: string): number {
		return this.sockets.closeUser(userId, code, reason);
	}

	get connectionCount(): number {
		return this.sockets.count;
	}

	async close(): Promise<void> {
		this.closing = true;
		this.sockets.close();
		this.queue.close(); // commit what was received; nothing accepted is left behind
		// Loaded documents (the settings are pinned) run presence timers: unloaded, so that a
		// server closed in-process (tests) lets the process exit.
		for (const room of [...this.rooms.values()]) this.drop(room);
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}
}
