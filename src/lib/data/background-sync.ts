/**
 * Background sync of every document the user may read, over ONE socket per device
 * (FEED_PATH): catch-up since the last sequence number seen, live changes after that, and
 * batched pushes of changes made offline. Only one tab of a device runs it (Web Locks);
 * the others learn of changes through BroadcastChannel.
 */
import * as Y from 'yjs';
import { decodeFrame, encodeFeed, type FeedMessage } from '$lib/schema/feed-protocol';
import { BUNDLE_PARAM, FEED_PATH, FeedMsg } from '$lib/schema/protocol';
import { SETTINGS_DOC } from '$lib/schema/settings';
import type { DeviceStore, Summary } from './device-store';

/** What becomes of a refused document on the device. */
export type RefusalOutcome =
	| { remove: true }
	/** state: the server's copy to take; null: keep the device's committed copy. */
	| { remove: false; state: Uint8Array | null };

export type FeedStatus = 'offline' | 'connecting' | 'syncing' | 'synced' | 'signed-out';

export interface BackgroundSyncEvents {
	/**
	 * Committed changes arrived for these documents, already written to the device store with
	 * the summaries `summarize` made of them (in the same transaction). Awaited before the
	 * sequence number advances: the local index never lags what lastSeq claims.
	 */
	onChanged(docs: string[], summaries: Summary[]): Promise<void>;
	/** A document's summary for the local index from its state (snapshot, then pending changes). */
	summarize?(name: string, state: Uint8Array[]): Summary | null;
	/** The server acknowledged pending changes of these documents. */
	onAcknowledged(docs: string[]): void;
	/**
	 * The server refused this device's changes of a document (`rebuild`: its state to rebuild
	 * from, or the device's committed copy), or the user lost read access (`remove`). Must move
	 * the pending changes to "not saved" and rebuild the document before resolving.
	 */
	onRefused(doc: string, outcome: RefusalOutcome, refusal: { code: number; reason: string }): Promise<void>;
	onStatus(status: FeedStatus, lastSyncedAt: number | null): void;
	/**
	 * Writing to the device failed (a full disk). Committed changes are kept in memory and
	 * written again later (`retry` tries at once); nothing advances past them meanwhile.
	 */
	onWriteFailed?(error: unknown, retry: () => void): void;
	/** Incoming changes that failed to be written are on the device now. */
	onWriteRecovered?(): void;
}

/** Reconnect backoff with full jitter: a server restart is not met by every device at once. */
export function backoff(attempt: number, random = Math.random): number {
	const cap = Math.min(30_000, 500 * 2 ** attempt);
	return Math.round(cap / 2 + random() * (cap / 2));
}

export class BackgroundSync {
	private ws: WebSocket | null = null;
	private attempt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private stopped = false;
	private status: FeedStatus = 'offline';
	private lastSyncedAt: number | null = null;
	/** Incoming changes are written in batches: one IndexedDB transaction per burst. */
	private incoming: { doc: string; update: Uint8Array; seq: number }[] = [];
	private flushing: Promise<void> | null = null;
	private caughtUpSeq: number | null = null;
	/** This connection's catch-up is written to the device; until then it is not "synced". */
	private caughtUp = false;
	private pushing = false;
	private pushAgain = false;
	/** Row ids of each push per document, in order: the server acknowledges pushes in order. */
	private sent = new Map<string, number[][]>();
	/** Refusals and removals are handled one after another. */
	private refusals: Promise<void> = Promise.resolve();
	/** Set while incoming changes could not be written: retried after this delay. */
	private writeRetry: ReturnType<typeof setTimeout> | null = null;
	private writeFailing = false;
	private writeRetryMs = 1000;

	constructor(
		private readonly store: DeviceStore,
		private readonly events: BackgroundSyncEvents,
		private readonly url: string = feedUrl()
	) {}

	/**
	 * Documents whose edits a live socket of this tab carries now (LiveDoc.carrying): their
	 * pending changes are not pushed here too, so the server validates each edit once. Asked
	 * at each push; when a live socket stops carrying, pushPending() is called.
	 */
	carriedLive: (doc: string) => boolean = () => false;

	start(): void {
		this.stopped = false;
		window.addEventListener('online', this.onOnline);
		window.addEventListener('offline', this.onOffline);
		if (navigator.onLine) this.connect();
		else this.setStatus('offline');
	}

	stop(): void {
		this.stopped = true;
		window.removeEventListener('online', this.onOnline);
		window.removeEventListener('offline', this.onOffline);
		if (this.timer) clearTimeout(this.timer);
		if (this.writeRetry) clearTimeout(this.writeRetry);
		this.ws?.close();
		this.ws = null;
	}

	/** Writes incoming changes that failed to be written, now (space was freed). */
	retryWrites(): void {
		if (this.writeRetry) clearTimeout(this.writeRetry);
		this.writeRetry = null;
		this.writeRetryMs = 1000;
		this.scheduleFlush();
	}

	/** Pushes pending changes now (after a local edit, or when another tab wrote some). */
	pushPending(): void {
		void this.push();
	}

	private readonly onOnline = () => {
		this.attempt = 0;
		this.connect();
	};

	/** The browser says we are offline: drop the socket now rather than wait for a timeout. */
	private readonly onOffline = () => {
		this.ws?.close();
		this.ws = null;
		this.caughtUp = false;
		this.setStatus('offline');
	};

	private connect(): void {
		if (this.stopped || this.ws) return;
		this.setStatus('connecting');
		const ws = new WebSocket(this.url);
		ws.binaryType = 'arraybuffer';
		this.ws = ws;
		ws.onopen = () => {
			this.caughtUp = false;
			this.attempt = 0;
			this.setStatus('syncing');
			void this.hello(ws);
		};
		ws.onmessage = (e: MessageEvent<ArrayBuffer>) => this.receive(new Uint8Array(e.data));
		ws.onclose = (e) => {
			if (this.ws === ws) {
				this.ws = null;
				this.caughtUp = false;
			}
			this.sent.clear(); // unacknowledged pushes are sent again on the next connection
			// 4401: the session ended (expired while offline, signed out elsewhere). Pending
			// changes stay on the device; the app asks the user to sign in again.
			if (e.code === 4401 || e.code === 1008) return this.setStatus('signed-out');
			if (this.stopped) return;
			this.setStatus(navigator.onLine ? 'connecting' : 'offline');
			if (navigator.onLine) void this.retryUnlessSignedOut();
		};
	}

	/**
	 * A refused upgrade reaches the browser as a bare close (1006) with no status, so when a
	 * connection fails, ask whether the session still exists before trying again.
	 */
	private async retryUnlessSignedOut(): Promise<void> {
		try {
			const res = await fetch('/api/session', { headers: { accept: 'application/json' } });
			if (res.status === 401) return this.setStatus('signed-out');
		} catch {
			// the server is unreachable: retry below
		}
		if (!this.stopped && !this.ws) this.timer = setTimeout(() => this.connect(), backoff(this.attempt++));
	}

	private async hello(ws: WebSocket): Promise<void> {
		const since = ((await this.store.getMeta('lastSeq')) as number | undefined) ?? 0;
		if (ws !== this.ws) return;
		send(ws, { type: FeedMsg.hello, since });
		await this.push();
	}

	/** Sends every pending update, oldest first; the server acknowledges per document. */
	private async push(): Promise<void> {
		if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
		// Asked again meanwhile (a live socket stopped carrying a document this push skipped): once more after it.
		if (this.pushing) {
			this.pushAgain = true;
			return;
		}
		this.pushing = true;
		this.pushAgain = false;
		try {
			// Settings first: a customer may use a contact type the same device just added.
			const docs = (await this.store.pendingDocs()).sort((a, b) => Number(b === SETTINGS_DOC) - Number(a === SETTINGS_DOC));
			for (const doc of docs) {
				if (this.carriedLive(doc)) continue;
				const rows = await this.store.pendingUpdates(doc);
				if (rows.length === 0 || !this.ws || this.ws.readyState !== WebSocket.OPEN) continue;
				send(this.ws, { type: FeedMsg.push, doc, update: Y.mergeUpdates(rows.map((r) => r.update)) });
				this.sent.set(doc, [...(this.sent.get(doc) ?? []), rows.map((r) => r.id)]);
			}
		} finally {
			this.pushing = false;
		}
		if (this.pushAgain) await this.push();
	}

	/** One frame: a message, or a bundle of them (handled in order). */
	private receive(data: Uint8Array): void {
		let messages;
		try {
			messages = decodeFrame(data);
		} catch (e) {
			console.error('Fieldbook: unreadable sync message; reconnecting', e);
			this.ws?.close();
			return;
		}
		for (const m of messages) this.handle(m);
	}

	private handle(m: FeedMessage): void {
		switch (m.type) {
			case FeedMsg.change:
				this.incoming.push({ doc: m.doc, update: m.update, seq: m.seq });
				this.scheduleFlush();
				break;
			case FeedMsg.caughtUp:
				this.caughtUpSeq = m.seq;
				this.scheduleFlush();
				break;
			case FeedMsg.refused:
			case FeedMsg.removed: {
				// The server answers a document's pushes in order: this refusal is for the oldest one
				// in flight. A removal ends them all.
				const pushed = m.type === FeedMsg.refused ? this.sent.get(m.doc)?.shift() : undefined;
				if (m.type === FeedMsg.removed) this.sent.delete(m.doc);
				const refusal =
					m.type === FeedMsg.refused ? { code: m.code, reason: m.reason } : { code: 4403, reason: ACCESS_REVOKED };
				const outcome: RefusalOutcome =
					m.type === FeedMsg.removed
						? { remove: true }
						: { remove: false, state: m.state.length > 0 ? m.state : null };
				// In order with incoming changes: a change of this document already queued lands first.
				this.refusals = this.refusals.then(async () => {
					while (this.flushing) await this.flushing;
					try {
						// A later push that repeated changes an earlier refusal already moved to "not
						// saved" is refused again: nothing of it is pending any more, and the edits
						// made since (on the rebuilt document) must not follow it there.
						if (pushed && !(await this.store.hasPending(m.doc, pushed))) return;
						await this.events.onRefused(m.doc, outcome, refusal);
						await this.markSyncedIfIdle();
					} catch (e) {
						console.error('Fieldbook: rebuilding a refused document failed', e);
					}
				});
				break;
			}
			case FeedMsg.ack: {
				const sent = this.sent.get(m.doc)?.shift() ?? [];
				// Failing to write it (a full disk) keeps the rows pending: they are pushed and
				// acknowledged again on the next connection.
				this.store.acknowledge(m.doc, Y.decodeStateVector(m.sv), { sent }).then(
					() => {
						this.events.onAcknowledged([m.doc]);
						void this.markSyncedIfIdle();
					},
					(e: unknown) => this.events.onWriteFailed?.(e, () => this.retryWrites())
				);
				break;
			}
		}
	}

	private scheduleFlush(): void {
		if (this.flushing) return;
		this.flushing = (async () => {
			// Let a burst of messages arrive, then write them in one transaction.
			await new Promise((r) => setTimeout(r, 0));
			while (this.incoming.length > 0 || this.caughtUpSeq !== null) {
				const batch = this.incoming;
				this.incoming = [];
				const caughtUp = this.caughtUpSeq;
				this.caughtUpSeq = null;
				if (batch.length > 0) {
					let summaries: Summary[];
					try {
						summaries = await this.store.putCommittedMany(
							batch.map(({ doc, update }) => ({ name: doc, update })),
							this.events.summarize
						);
					} catch (e) {
						// Nothing of the batch was written: keep it, in order, and do not move lastSeq.
						this.incoming = batch.concat(this.incoming);
						this.caughtUpSeq ??= caughtUp;
						this.writeFailing = true;
						this.events.onWriteFailed?.(e, () => this.retryWrites());
						this.writeRetry ??= setTimeout(() => {
							this.writeRetry = null;
							this.writeRetryMs = Math.min(30_000, this.writeRetryMs * 2);
							this.scheduleFlush();
						}, this.writeRetryMs);
						return;
					}
					if (this.writeFailing) {
						this.writeFailing = false;
						this.writeRetryMs = 1000;
						this.events.onWriteRecovered?.();
					}
					await this.events.onChanged([...new Set(batch.map((c) => c.doc))], summaries);
				}
				const seq = Math.max(caughtUp ?? 0, ...batch.map((c) => c.seq));
				const known = ((await this.store.getMeta('lastSeq')) as number | undefined) ?? 0;
				if (seq > known && (caughtUp !== null || this.status === 'synced')) await this.store.setMeta('lastSeq', seq);
				if (caughtUp !== null) {
					this.caughtUp = true;
					await this.markSyncedIfIdle();
				}
			}
		})()
			// lastSeq not moved: what was not finished comes again with the next catch-up.
			.catch((e: unknown) => console.error('Fieldbook: keeping synced changes on this device failed', e))
			.finally(() => {
				this.flushing = null;
			});
	}

	/** Re-evaluates synced / syncing (after changes were acknowledged elsewhere). */
	recheck(): void {
		void this.markSyncedIfIdle();
	}

	private async markSyncedIfIdle(): Promise<void> {
		const ws = this.ws;
		if (!ws || !this.caughtUp) return;
		const pending = await this.store.pendingDocs();
		// The socket may have gone meanwhile (the browser went offline): then this says nothing.
		if (this.ws !== ws || !this.caughtUp) return;
		if (pending.length === 0) {
			this.lastSyncedAt = Date.now();
			this.setStatus('synced');
		} else this.setStatus('syncing');
	}

	private setStatus(s: FeedStatus): void {
		this.status = s;
		this.events.onStatus(s, this.lastSyncedAt);
	}
}

/** lib0 encodes into a plain ArrayBuffer; the DOM typings want to be told so. */
function send(ws: WebSocket, m: FeedMessage): void {
	ws.send(encodeFeed(m) as Uint8Array<ArrayBuffer>);
}

/** The reason kept in "not saved" for changes to a record the user can no longer read. */
export const ACCESS_REVOKED = 'access revoked';

export function feedUrl(loc: Location = location): string {
	return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${FEED_PATH}?${BUNDLE_PARAM}=1`;
}
