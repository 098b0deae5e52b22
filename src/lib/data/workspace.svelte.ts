/**
 * The signed-in user's workspace on this device: the local index of record summaries (lists
 * and search work offline), the settings document, the sync state, and the customers open
 * on screen. All of it lives in one IndexedDB database per user.
 */
import * as Y from 'yjs';
import {
	addContact,
	initCustomer,
	summarize,
	type ContactData,
	type CustomerData,
	type CustomerSummary
} from '$lib/schema/customer-doc';
import { newId } from '$lib/schema/ids';
import { readContactTypes, readDefaultPermissions, SETTINGS_DOC, type ContactType } from '$lib/schema/settings';
import type { PortalPermission } from '$lib/schema/records';
import { BackgroundSync, type FeedStatus } from './background-sync';
import { commandQueue, stopCommandQueues } from './commands';
import { DeviceStore } from './device-store';
import { LiveDoc } from './live-doc';

export interface WorkspaceUser {
	id: string;
	name: string;
	email: string;
	role: 'admin' | 'staff';
}

export type SyncState = 'offline' | 'waiting' | 'syncing' | 'synced' | 'signed-out';

type TabMessage = { type: 'changed'; docs: string[] } | { type: 'pending' };

export class Workspace {
	/** Every readable customer, from the device's local index. */
	// Replaced as a whole, never mutated in place: $state.raw spares proxying 10,000 records.
	summaries = $state.raw<CustomerSummary[]>([]);
	contactTypes = $state<ContactType[]>([]);
	defaultPermissions = $state<Record<PortalPermission, boolean> | null>(null);
	/** Records with local changes the server has not acknowledged. */
	pendingCount = $state(0);
	feedStatus = $state<FeedStatus>('offline');
	lastSyncedAt = $state<number | null>(null);
	ready = $state(false);

	readonly syncState: SyncState = $derived.by(() => {
		if (this.feedStatus === 'signed-out') return 'signed-out';
		if (this.feedStatus === 'offline' || this.feedStatus === 'connecting') return this.pendingCount > 0 ? 'waiting' : 'offline';
		if (this.pendingCount > 0 || this.feedStatus === 'syncing') return 'syncing';
		return 'synced';
	});

	private store!: DeviceStore;
	private sync: BackgroundSync | null = null;
	private settings: LiveDoc | null = null;
	private channel: BroadcastChannel | null = null;
	private releaseLock: (() => void) | null = null;
	// An index, not reactive state: `summaries` is what components read.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private byId = new Map<string, CustomerSummary>();

	constructor(readonly user: WorkspaceUser) {}

	async init(): Promise<void> {
		this.store = await DeviceStore.open(this.user.id);
		this.setSummaries((await this.store.allSummaries()) as CustomerSummary[]);
		await this.refreshPending();
		this.channel = new BroadcastChannel(`fieldbook:${this.user.id}`);
		this.channel.onmessage = (e: MessageEvent<TabMessage>) => void this.onTabMessage(e.data);
		this.settings = await LiveDoc.open(SETTINGS_DOC, this.store, this.user, () => void this.refreshPending());
		const readSettings = () => {
			this.contactTypes = readContactTypes(this.settings!.doc);
			this.defaultPermissions = readDefaultPermissions(this.settings!.doc);
		};
		readSettings();
		this.settings.doc.on('update', readSettings);
		this.startBackgroundSync();
		// Queued commands (set-password e-mails) wait until this device's changes reached the server.
		commandQueue(this.user.id).setReady(() => this.pendingCount === 0);
		this.ready = true;
	}

	/**
	 * Background sync runs in one tab per device: the tab that holds the Web Lock. When it
	 * closes, the next tab waiting for the lock takes over.
	 */
	private startBackgroundSync(): void {
		const run = () => {
			this.sync = new BackgroundSync(this.store, {
				onChanged: (docs) => this.applyChanges(docs),
				onAcknowledged: () => void this.refreshPending(),
				onStatus: (status, at) => {
					this.feedStatus = status;
					if (at) this.lastSyncedAt = at;
				}
			});
			this.sync.start();
		};
		if (!('locks' in navigator)) return run();
		void navigator.locks.request(`fieldbook-sync:${this.user.id}`, () => {
			run();
			return new Promise<void>((resolve) => (this.releaseLock = resolve));
		});
	}

	private async onTabMessage(m: TabMessage): Promise<void> {
		if (m.type === 'changed') {
			const summaries = (await this.store.allSummaries()) as CustomerSummary[];
			this.setSummaries(summaries);
		}
		await this.refreshPending();
		if (m.type === 'pending') this.sync?.pushPending();
	}

	/** Committed changes written by background sync: rebuild those records' summaries. */
	private async applyChanges(docs: string[]): Promise<void> {
		const fresh: CustomerSummary[] = [];
		// One read transaction for the whole batch, not one per document.
		const stored = await this.store.loadDocs(docs.filter((d) => d !== SETTINGS_DOC));
		for (const [name, updates] of stored) {
			// A guid spares Yjs making a random UUID per document (~60 µs each in Chromium).
			const doc = new Y.Doc({ guid: name });
			for (const u of updates) Y.applyUpdate(doc, u);
			const s = summarize(name, doc);
			doc.destroy();
			if (s) fresh.push(s);
		}
		if (fresh.length > 0) {
			await this.store.putSummaries(fresh);
			for (const s of fresh) this.byId.set(s.id, s);
			this.summaries = [...this.byId.values()];
		}
		this.channel?.postMessage({ type: 'changed', docs } satisfies TabMessage);
	}

	private setSummaries(list: CustomerSummary[]): void {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- see byId
		this.byId = new Map(list.map((s) => [s.id, s]));
		this.summaries = list;
	}

	async refreshPending(): Promise<void> {
		this.pendingCount = (await this.store.pendingDocs()).filter((d) => d !== SETTINGS_DOC).length;
		// A live document's own acknowledgement may have emptied the queue: let the feed say so.
		if (this.pendingCount === 0) {
			this.sync?.recheck();
			commandQueue(this.user.id).poke();
		}
	}

	/** A local edit of an open record: update its summary and tell the syncing tab. */
	async recordChanged(id: string, doc: Y.Doc): Promise<void> {
		const s = summarize(id, doc);
		if (s) {
			await this.store.putSummaries([s]);
			this.byId.set(id, s);
			this.summaries = [...this.byId.values()];
		}
		await this.refreshPending();
		this.sync?.pushPending();
		this.channel?.postMessage({ type: 'pending' } satisfies TabMessage);
	}

	summary(id: string): CustomerSummary | undefined {
		return this.byId.get(id);
	}

	/** Opens a customer document (from the device, then live). */
	open(id: string): Promise<LiveDoc> {
		return LiveDoc.open(id, this.store, this.user, () => void this.refreshPending());
	}

	get settingsDoc(): Y.Doc | null {
		return this.settings?.doc ?? null;
	}

	/** Creates a company customer on this device (online or not). */
	async createCompany(fields: CustomerData): Promise<string> {
		const id = newId();
		const live = await this.open(id);
		initCustomer(live.doc, { kind: 'company', authorId: this.user.id, now: Date.now(), fields });
		await live.flush();
		await this.recordChanged(id, live.doc);
		await live.close();
		return id;
	}

	/** Creates an individual customer with that person as its one (primary) contact (SPEC §2). */
	async createPerson(contact: ContactData, customer: CustomerData = {}): Promise<string> {
		const id = newId();
		const live = await this.open(id);
		const now = Date.now();
		initCustomer(live.doc, { kind: 'person', authorId: this.user.id, now, fields: customer });
		addContact(live.doc, {
			id: newId(now),
			fields: contact,
			authorId: this.user.id,
			now,
			defaultPermissions: this.defaultPermissions ?? undefined,
			primary: true
		});
		await live.flush();
		await this.recordChanged(id, live.doc);
		await live.close();
		return id;
	}

	destroy(): void {
		this.sync?.stop();
		stopCommandQueues();
		this.releaseLock?.();
		this.settings?.destroy();
		this.channel?.close();
		this.store?.close();
	}
}
