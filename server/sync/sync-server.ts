/**
 * The /sync and /feed WebSocket endpoints, composed: upgrades are decided in upgrade.ts (a
 * refused upgrade never becomes a socket), open sockets kept in sockets.ts, loaded documents
 * in rooms.ts (the room registry), what a commit does beyond the update log in
 * commit-effects.ts, what is derived from the log after the acknowledgement in derived.ts,
 * background sync in feed.ts; here is the wiring between them.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import { WebSocketServer } from 'ws';
import { CloseCode, isValidDocName } from '../../src/lib/schema/protocol.ts';
import type { SessionStore } from '../sessions.ts';
import { Connection, type SocketLike } from './connection.ts';
import type { CommitQueue } from './commit-queue.ts';
import { commitPipeline } from './commit-pipeline.ts';
import type { AccessStep } from './commit/access-step.ts';
import { loadDoc, type DocStore } from './doc-store.ts';
import type { Derived } from './derived.ts';
import { Feed, type CatchUpSlice } from './feed.ts';
import { Rooms } from './rooms.ts';
import type { StaffRef } from '../../src/lib/schema/access.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import type { PortalPermission } from '../../src/lib/schema/records.ts';
import { readPhoneRegion } from '../../src/lib/schema/settings.ts';
import type { AccessIndex } from './access-index.ts';
import type { Db } from '../db.ts';
import type { HistoryLog } from '../history.ts';
import type { EmailClaims } from '../email-claims.ts';
import type { Touched } from '../projection.ts';
import type { UpgradeLimits } from './upgrade-limits.ts';
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
	/** The database the store and the derived tables live in (derived.ts writes in its own transactions). */
	db: Db;
	/**
	 * How long history and projection may wait after the commit they follow (derived.ts; default
	 * 0: right after each commit). Readers catch up first (`catchUp`).
	 */
	derivedLagMs?: number;
	/** Compact a document's log into a snapshot once it holds this many updates. */
	compactAfter: number;
	/**
	 * Keeps derived SQL tables in step with a document, in a transaction (the commit's, or the
	 * derived work's after it). `by`: the author named for the changes (null: the server).
	 */
	project: (name: string, doc: Y.Doc, by: string | null, touched: Touched) => void;
	/** Who may read and write each document, kept in step by every commit. */
	access: AccessIndex;
	/** Who changed which fields, recorded right after the commit of the change (derived.ts). */
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
	/** How a background-sync catch-up is sliced over turns of the event loop (feed.ts; tests make it fine). */
	catchUpSlice?: CatchUpSlice;
}

/**
 * permessage-deflate (RFC 7692) on background-sync sockets (issue #15 item 3): a fresh device's
 * catch-up is one frame per document, thousands of similar Yjs updates, which compress well
 * with the context kept between frames (a fresh 10,000-customer sync: see the bench). Document
 * sockets carry one small edit per frame and stay uncompressed (no zlib state per socket).
 * Level 1 and memLevel 7: most of the ratio for a fraction of the CPU; each feed socket holds
 * about 130 kB of zlib state. Frames under the threshold go as they are. Inflated messages are
 * held to maxPayload like any other (a compressed bomb is refused, not expanded).
 */
const FEED_DEFLATE = {
	zlibDeflateOptions: { level: 1, memLevel: 7 },
	threshold: 256,
	concurrencyLimit: 4
} as const;

export class SyncServer {
	/** Document sockets: small frames, many per user; uncompressed. */
	private readonly wss: WebSocketServer;
	/** Background-sync sockets, one per device: permessage-deflate (FEED_DEFLATE). */
	private readonly feedWss: WebSocketServer;
	private readonly rooms: Rooms;
	private readonly sockets: Sockets;
	private closing = false;
	readonly queue: CommitQueue;
	private readonly feed: Feed;
	/** The commit step that keeps the access index; background sync asks it who could read a document before. */
	private readonly access: AccessStep;
	/** History and projection, written after the acknowledgement (derived.ts). */
	readonly derived: Derived;
	private readonly gate: UpgradeGate;
	/** Customer documents read and changed by the server itself (the portal): server-docs.ts. */
	readonly docs: ServerDocs;

	constructor(private readonly opts: SyncServerOptions) {
		this.rooms = new Rooms({
			store: opts.store,
			queue: () => this.queue,
			compactAfter: opts.compactAfter,
			whenDerived: (fn) => this.derived.whenDerived(fn),
			// The failed commit's access changes were rolled back with it: read again as stored.
			onBroken: (name) => {
				let stored: Y.Doc | null | undefined;
				try {
					stored = loadDoc(opts.store, name);
				} catch {
					stored = undefined; // the store failing too: the projection, as it is
				}
				opts.access.reload(name, stored);
			},
			onCommitted: (r, update, seq, from, first) => this.feed.committed(r.name, update, seq, from, first),
			maxContacts: opts.maxContacts ?? 1000,
			nameOf: opts.nameOf
		});
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
		this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes, perMessageDeflate: false });
		this.feedWss = new WebSocketServer({
			noServer: true,
			maxPayload: opts.maxMessageBytes,
			perMessageDeflate: FEED_DEFLATE
		});
		const commit = commitPipeline({ ...opts, rooms: this.rooms, closing: () => this.closing });
		this.queue = commit.queue;
		this.derived = commit.derived;
		this.access = commit.access;
		this.feed = new Feed(
			{
				store: opts.store,
				room: (name) => this.rooms.room(name),
				release: (room) => this.rooms.release(room),
				canRead: (user, doc) => opts.access.canRead(user, doc),
				exists: (doc) => opts.access.exists(doc) || (this.rooms.loaded(doc)?.exists ?? false),
				accessChangedSeq: (doc) => opts.access.changedSeq(doc),
				takeAccessBefore: (doc) => this.access.takeAccessBefore(doc),
				state: (doc) => this.rooms.state(doc),
				afterCommit: (fn) => this.queue.afterCommit(fn)
			},
			opts.catchUpSlice
		);
		this.docs = new ServerDocs({
			room: (name) => this.rooms.room(name),
			release: (room) => this.rooms.release(room),
			// Whoever awaits a server change may read the projection next: derived right after its commit.
			afterCommit: (fn) => {
				this.derived.hurry();
				this.queue.afterCommit(fn);
			},
			closing: () => this.closing
		});
		this.rooms.settings(); // loaded now, not in the middle of another document's update
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
			const wss = target.docName === null ? this.feedWss : this.wss;
			wss.handleUpgrade(req, socket, head, (ws) => this.attachTarget(ws, target));
		} catch (e) {
			console.error('sync: upgrade failed:', e);
			socket.destroy();
		}
		return true;
	}

	private attachTarget(ws: SocketLike, t: UpgradeTarget): void {
		try {
			if (t.docName === null) this.acceptFeed(ws, t.user, t.sessionId, t.bundles === true);
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

	private accept(ws: SocketLike, user: StaffRef, sessionId: string | null, docName: string, wantsAcks: boolean): void {
		const conn = new Connection(ws, user, sessionId, docName, wantsAcks);
		const room = this.rooms.room(docName);
		this.sockets.register(
			conn,
			(data) => room.receive(conn, data),
			() => {
				room.leave(conn);
				this.rooms.release(room);
			}
		);
		room.join(conn);
	}

	private acceptFeed(ws: SocketLike, user: StaffRef, sessionId: string | null, bundles = false): void {
		const conn = new Connection(ws, user, sessionId, null, true, bundles);
		this.sockets.register(
			conn,
			(data) => this.feed.receive(conn, data),
			() => this.feed.remove(conn)
		);
	}

	/**
	 * Commits what is pending and writes what is derived from it (history, projection, mails):
	 * called before reading the derived tables (every HTTP request). Cheap when nothing is owed.
	 */
	catchUp(): void {
		this.derived.catchUp();
	}

	/** The workspace's portal permissions for new contacts (SPEC §2), as the server holds them. */
	defaultPermissions(): Record<PortalPermission, boolean> {
		return this.rooms.defaultPermissions();
	}

	/** The workspace's default phone region (settings.ts), as the server holds it. */
	phoneRegion(): CountryCode | null {
		return readPhoneRegion(this.rooms.settings().doc);
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
		this.derived.close(); // and what it derives
		// Loaded documents (the settings are pinned) run presence timers: unloaded, so that a
		// server closed in-process (tests) lets the process exit.
		this.rooms.dropAll();
		await Promise.all([this.wss, this.feedWss].map((w) => new Promise<void>((resolve) => w.close(() => resolve()))));
	}
}
