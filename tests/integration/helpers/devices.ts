/**
 * Simulated staff devices for durability tests: each keeps its documents in memory (as a
 * device keeps them in IndexedDB), edits them online or offline, and remembers which of its
 * own changes the server has acknowledged (acknowledgements come only after the SQLite
 * commit). Two kinds, as the app has them:
 *   - SyncDevice: one live socket per open document (`/sync/<doc>?ack=1`, the y-websocket
 *     protocol plus MessageType.ack), as a customer open on screen;
 *   - FeedDevice: one background-sync socket (`/feed`): catch-up since its last sequence,
 *     live changes, and pushes of local changes acknowledged per document (FeedMsg.ack).
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeFrame, encodeFeed, type FeedMessage } from '../../../src/lib/schema/feed-protocol.ts';
import { BUNDLE_PARAM, FEED_PATH, FeedMsg, SYNC_PATH } from '../../../src/lib/schema/protocol.ts';
import { RawSyncClient } from './raw-sync.ts';

/** Where devices connect: the server's ws:// base and the headers of a signed-in browser. */
export interface Endpoint {
	ws: string;
	headers: Record<string, string>;
}

/** One local change: this device's client id in `doc` reached `clock` (exclusive end) with it. */
export interface DeviceEdit {
	doc: string;
	client: number;
	clock: number;
}

export abstract class Device {
	readonly docs = new Map<string, Y.Doc>();
	readonly edits: DeviceEdit[] = [];
	/** Per document: how far the server has acknowledged this device's own changes (its clock). */
	readonly acked = new Map<string, number>();

	constructor(readonly id: number) {}

	/** Keeps `doc` on the device under `name` (it is sent at the next connect). */
	track(name: string, doc: Y.Doc): void {
		this.docs.set(name, doc);
		this.watch(name, doc);
	}

	/** Makes a local change and records it; works offline as well as online. */
	edit(name: string, change: (doc: Y.Doc) => void): void {
		const doc = this.docs.get(name)!;
		const before = Y.getState(doc.store, doc.clientID);
		change(doc);
		const after = Y.getState(doc.store, doc.clientID);
		if (after > before) this.edits.push({ doc: name, client: doc.clientID, clock: after });
	}

	ownClock(name: string): number {
		const doc = this.docs.get(name)!;
		return Y.getState(doc.store, doc.clientID);
	}

	/** Every own change is acknowledged by the server. */
	get allCommitted(): boolean {
		for (const name of this.docs.keys()) if ((this.acked.get(name) ?? 0) < this.ownClock(name)) return false;
		return true;
	}

	/** Own changes the server has acknowledged. */
	ackedEdits(): DeviceEdit[] {
		return this.edits.filter((e) => (this.acked.get(e.doc) ?? 0) >= e.clock);
	}

	protected noteAck(name: string, sv: Map<number, number>): void {
		const doc = this.docs.get(name);
		if (!doc) return;
		const clock = sv.get(doc.clientID) ?? 0;
		if (clock > (this.acked.get(name) ?? 0)) this.acked.set(name, clock);
	}

	protected abstract watch(name: string, doc: Y.Doc): void;
	/** Connects and hands over what the server lacks; rejects when the server cannot be reached. */
	abstract connect(at: Endpoint): Promise<void>;
	/** Drops every socket at once, as a lost connection would. */
	abstract disconnect(): void;
	/** Connected, with the server's state received. */
	abstract get online(): boolean;
	/** No socket of this device is still open. */
	abstract get closed(): boolean;
}

export class SyncDevice extends Device {
	private readonly sockets = new Map<string, RawSyncClient>();

	protected watch(): void {
		// RawSyncClient sends the doc's local changes while its socket is open.
	}

	async connect(at: Endpoint): Promise<void> {
		this.disconnect();
		const opened = await Promise.allSettled(
			[...this.docs].map(([name, doc]) =>
				RawSyncClient.connect({
					url: `${at.ws}${SYNC_PATH}/${name}?ack=1`,
					headers: at.headers,
					doc,
					onAck: (sv) => this.noteAck(name, sv)
				}).then((c) => this.sockets.set(name, c))
			)
		);
		const failed = opened.find((r) => r.status === 'rejected');
		if (failed) {
			this.disconnect();
			throw (failed as PromiseRejectedResult).reason;
		}
	}

	disconnect(): void {
		for (const c of this.sockets.values()) c.terminate();
		this.sockets.clear();
	}

	get online(): boolean {
		if (this.sockets.size < this.docs.size) return false;
		for (const c of this.sockets.values()) if (!c.open || !c.synced) return false;
		return true;
	}

	get closed(): boolean {
		for (const c of this.sockets.values()) if (c.closeCode === null) return false;
		return true;
	}
}

export class FeedDevice extends Device {
	private ws: WebSocket | null = null;
	/** The newest global sequence this device has seen after a catch-up. */
	private lastSeq = 0;
	private caughtUp = false;
	/** Per document: the server's committed state vector from its last acknowledgement. */
	private readonly serverState = new Map<string, Uint8Array>();

	protected watch(name: string, doc: Y.Doc): void {
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== this) this.push(name, update);
		});
	}

	private push(doc: string, update: Uint8Array): void {
		if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeFeed({ type: FeedMsg.push, doc, update }));
	}

	async connect(at: Endpoint): Promise<void> {
		this.disconnect();
		const ws = new WebSocket(`${at.ws}${FEED_PATH}?${BUNDLE_PARAM}=1`, {
			headers: at.headers,
			perMessageDeflate: false
		});
		await new Promise<void>((resolve, reject) => {
			ws.once('error', reject);
			ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
			ws.once('open', () => resolve());
		}).catch((e: unknown) => {
			ws.removeAllListeners();
			ws.on('error', () => {});
			ws.terminate();
			throw e;
		});
		ws.removeAllListeners('error');
		ws.on('error', () => {});
		this.ws = ws;
		this.caughtUp = false;
		ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
		ws.send(encodeFeed({ type: FeedMsg.hello, since: this.lastSeq }));
		// What the server may lack: everything after its last acknowledged state, for every
		// document with unacknowledged own changes (the app keeps these as pending updates).
		for (const [name, doc] of this.docs) {
			if ((this.acked.get(name) ?? 0) >= this.ownClock(name)) continue;
			this.push(name, Y.encodeStateAsUpdate(doc, this.serverState.get(name)));
		}
	}

	/** A frame, as the app takes it: a bundle's messages in order. */
	private receive(data: Uint8Array): void {
		for (const m of decodeFrame(data)) this.handle(m);
	}

	private handle(m: FeedMessage): void {
		switch (m.type) {
			case FeedMsg.change: {
				const doc = this.docs.get(m.doc);
				if (doc) Y.applyUpdate(doc, m.update, this);
				if (this.caughtUp) this.lastSeq = Math.max(this.lastSeq, m.seq);
				break;
			}
			case FeedMsg.caughtUp:
				this.lastSeq = Math.max(this.lastSeq, m.seq);
				this.caughtUp = true;
				break;
			case FeedMsg.ack:
				this.serverState.set(m.doc, m.sv);
				this.noteAck(m.doc, Y.decodeStateVector(m.sv));
				break;
		}
	}

	disconnect(): void {
		this.ws?.terminate();
		this.ws = null;
		this.caughtUp = false;
	}

	get online(): boolean {
		return this.ws?.readyState === WebSocket.OPEN && this.caughtUp;
	}

	get closed(): boolean {
		return !this.ws || this.ws.readyState === WebSocket.CLOSED;
	}
}
