/**
 * A customer document open on screen: kept on the device (IndexedDB) and connected live
 * through the stock y-websocket client, with presence (who views, which field they edit).
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, SYNC_PATH } from '$lib/schema/protocol';
import { AckTracker, ackParams } from './acks';
import { backoff } from './background-sync';
import type { DeviceStore } from './device-store';
import { bindDoc, type DocBinding } from './doc-persistence';

export interface Presence {
	clientId: number;
	userId: string;
	name: string;
	color: string;
	/** The field being edited, e.g. "customer.phone" or "contact.<id>.email". */
	editing: string | null;
	/** In a long text being edited: where their caret is (unchecked JSON; readers validate it). */
	caret: unknown;
}

export interface LiveDocEvents {
	/** The server's acknowledgement moved local changes to committed. */
	onAcknowledged?: () => void;
	/** The live socket refused a change of this document (closed 4403 or 4422). */
	onRefused?: (name: string) => void;
	/**
	 * Writing local changes to the device failed (a full disk): they stay in memory and are
	 * retried (`retry` tries at once, after space was freed). Also after the doc was closed.
	 */
	onWriteFailed?: (name: string, error: unknown, retry: () => void) => void;
	/** The changes that failed to be written are on the device now. */
	onWriteRecovered?: (name: string) => void;
	/** The live socket stopped carrying this document's edits (see `carrying`): background sync pushes what it left unacknowledged. */
	onCarryingEnded?: (name: string) => void;
}

export interface LiveDocUser {
	id: string;
	name: string;
}

export class LiveDoc {
	readonly doc: Y.Doc;
	readonly provider: WebsocketProvider;
	readonly acks: AckTracker;
	private binding: DocBinding | null = null;
	private retry: ReturnType<typeof setTimeout> | null = null;
	private attempt = 0;
	private closed = false;
	private held = false;

	private constructor(
		readonly name: string,
		private readonly store: DeviceStore,
		user: LiveDocUser,
		private readonly events: LiveDocEvents
	) {
		this.doc = new Y.Doc({ guid: name });
		this.provider = new WebsocketProvider(syncUrl(), name, this.doc, {
			connect: false,
			params: ackParams,
			// Multiple tabs of one user sync through the server, so every tab's edits are acknowledged.
			disableBc: true
		});
		this.acks = new AckTracker(this.doc, this.provider);
		// Through the binding: a change still queued for IndexedDB must not miss its ack.
		this.acks.onAck(() => void this.binding?.acknowledge(this.acks.committed).then(() => events.onAcknowledged?.()));
		this.provider.awareness.setLocalStateField('user', { id: user.id, name: user.name, color: colorFor(user.id) });
		this.provider.on('status', ({ status }: { status: string }) => {
			if (status === 'connected') {
				this.attempt = 0;
				// Others may still hold this client's presence from before the drop, at the same
				// version, and ignore a resend at that version (seen as ~15 s without presence):
				// a fresh version is taken at once.
				this.provider.awareness.setLocalState({ ...this.provider.awareness.getLocalState() });
			}
			if (status === 'disconnected') events.onCarryingEnded?.(name);
			if (status === 'disconnected' && !this.closed && navigator.onLine) this.reconnectLater();
		});
		this.provider.on('connection-close', (e: CloseEvent | null) => {
			// 4400–4499: a refusal that retrying cannot fix (signed out, no access).
			if (!e || e.code < 4400 || e.code >= 4500) return;
			this.provider.disconnect();
			// A refused change (no access, read only, invalid): background sync pushes the
			// document's pending changes, gets the refusal with the server's state, and the
			// workspace rebuilds the document and keeps the change in "not saved".
			if (e.code === CloseCode.forbidden || e.code === CloseCode.invalidUpdate) {
				void this.flush().then(() => this.events.onRefused?.(this.name));
			}
		});
		window.addEventListener('online', this.onOnline);
		window.addEventListener('offline', this.onOffline);
	}

	/**
	 * `held`: the server does not have the document yet (made on this device, or not synced
	 * in): its socket would be refused, so it connects on release(), once background sync has
	 * it committed.
	 */
	static async open(
		name: string,
		store: DeviceStore,
		user: LiveDocUser,
		events: LiveDocEvents = {},
		opts: { held?: boolean } = {}
	): Promise<LiveDoc> {
		const live = new LiveDoc(name, store, user, events);
		live.held = opts.held ?? false;
		live.binding = await bindDoc(store, name, live.doc, {
			remoteOrigin: live.provider,
			onError: (e) => events.onWriteFailed?.(name, e, () => live.binding?.retry()),
			onRecovered: () => events.onWriteRecovered?.(name)
		});
		if (navigator.onLine && !live.held) live.provider.connect();
		return live;
	}

	/** The server has the document now: connect (see `held`). */
	release(): void {
		if (!this.held) return;
		this.held = false;
		if (!this.closed && navigator.onLine) this.provider.connect();
	}

	/**
	 * The live socket is connected and synced: it carries this document's edits to the server,
	 * which acknowledges them on it, so background sync does not push them a second time (each
	 * edit is validated once, on one path). Once it stops (a drop, a refusal, the record
	 * closed), onCarryingEnded lets background sync push whatever is still unacknowledged.
	 */
	get carrying(): boolean {
		return !this.closed && this.provider.wsconnected && this.provider.synced;
	}

	/** Presence of the others viewing this record. */
	others(): Presence[] {
		const out: Presence[] = [];
		for (const [clientId, state] of this.provider.awareness.getStates()) {
			if (clientId === this.doc.clientID) continue;
			const u = state.user as { id?: string; name?: string; color?: string } | undefined;
			if (!u?.id) continue;
			out.push({
				clientId,
				userId: u.id,
				name: u.name ?? '',
				color: u.color ?? '#666',
				editing: typeof state.editing === 'string' ? state.editing : null,
				caret: state.caret ?? null
			});
		}
		return out;
	}

	setEditing(field: string | null): void {
		// A caret belongs to the field it was in: a new field (or none) clears it.
		const state = this.provider.awareness.getLocalState();
		if (!state || (state.editing === field && state.caret == null)) return;
		this.provider.awareness.setLocalState({ ...state, editing: field, caret: null });
	}

	/** Where this user's caret is in the long text being edited (shown to the others). */
	setCaret(caret: unknown): void {
		this.provider.awareness.setLocalStateField('caret', caret);
	}

	/**
	 * The stock client retries at 100 ms·2ⁿ (capped at 2.5 s) with no jitter, so every
	 * device would reconnect at the same instant after a server restart; take over with a
	 * jittered backoff instead.
	 */
	private reconnectLater(): void {
		this.provider.disconnect();
		if (this.retry) clearTimeout(this.retry);
		this.retry = setTimeout(() => {
			this.retry = null;
			if (!this.closed && !this.held && navigator.onLine) this.provider.connect();
		}, backoff(this.attempt++));
	}

	/** The browser went offline: drop the socket at once (an open socket can outlive the network). */
	private readonly onOffline = () => this.provider.disconnect();
	private readonly onOnline = () => {
		this.attempt = 0;
		if (!this.closed && !this.held) this.provider.connect();
	};

	/** Waits until every local change is written to the device. */
	async flush(): Promise<void> {
		await this.binding?.flush();
	}

	/**
	 * Writes what is left to the device, then disconnects and frees the document. A write that
	 * fails stays queued in the binding and is retried after the document is gone (the
	 * workspace was told through onWriteFailed), so closing never loses it.
	 */
	async close(): Promise<void> {
		await this.binding?.whenIdle();
		this.destroy();
	}

	/**
	 * Drops the document without writing anything more to the device (its local changes were
	 * refused and the device copy is rebuilt from the server's state); it must be reopened.
	 */
	discard(): void {
		this.binding?.discard();
		this.destroy();
	}

	destroy(): void {
		if (this.closed) return;
		this.closed = true;
		if (this.retry) clearTimeout(this.retry);
		window.removeEventListener('online', this.onOnline);
		window.removeEventListener('offline', this.onOffline);
		void this.binding?.unbind();
		this.provider.destroy();
		this.doc.destroy();
		this.events.onCarryingEnded?.(this.name);
	}
}

export function syncUrl(loc: Location = location): string {
	return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${SYNC_PATH}`;
}

/** A stable colour per user for presence marks (WCAG AA on white). */
export function colorFor(userId: string): string {
	const colors = ['#1f6feb', '#b35900', '#8250df', '#1a7f37', '#cf222e', '#0969da', '#9a6700', '#bf3989'];
	let h = 0;
	for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return colors[h % colors.length];
}
