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
import {
	readContactTypes,
	readDefaultPermissions,
	readPhoneRegion,
	SETTINGS_DOC,
	type ContactType
} from '$lib/schema/settings';
import type { CountryCode } from '$lib/schema/phones';
import { readCustomFields, type CustomFieldDef } from '$lib/schema/custom-fields';
import type { PortalPermission } from '$lib/schema/records';
import type { DirectoryEntry } from '$lib/schema/staff';
import { ChangeCounter } from './change-count';
import { BackgroundSync, type FeedStatus, type RefusalOutcome } from './background-sync';
import { commandQueue, stopCommandQueues } from './commands';
import { countEvictable, evictCached, markOpened, oldestPendingAt } from './device-cache';
import { DeviceStorage, type PersistAsked } from './device-storage.svelte';
import { DeviceStore, type NotSavedEntry } from './device-store';
import { isQuotaError } from './idb';
import { LiveDoc } from './live-doc';
import { PublishThrottle } from './publish-throttle';
import { nameWaiting, type WaitingChange } from './waiting-changes';
import { summaryOf } from './summary-of';
import { cachedDirectory, fetchDirectory } from './staff-directory';

export interface WorkspaceUser {
	id: string;
	name: string;
	email: string;
	role: 'admin' | 'staff';
}

export type { WaitingChange };

export type SyncState = 'offline' | 'waiting' | 'syncing' | 'synced' | 'signed-out';

type TabMessage =
	| { type: 'changed'; docs: string[] }
	| { type: 'pending' }
	| { type: 'rebuilt'; doc: string }
	| { type: 'acknowledged'; docs: string[] }
	/** The syncing tab's state, for the other tabs' status (they run no sync of their own). */
	| { type: 'status'; status: FeedStatus; at: number | null }
	| { type: 'status?' };

export class Workspace {
	/** Every readable customer, from the device's local index. */
	// Replaced as a whole, never mutated in place: $state.raw spares proxying 10,000 records.
	summaries = $state.raw<CustomerSummary[]>([]);
	contactTypes = $state<ContactType[]>([]);
	/** Additional field definitions, removed ones included (custom-fields.ts). */
	customFields = $state.raw<CustomFieldDef[]>([]);
	defaultPermissions = $state<Record<PortalPermission, boolean> | null>(null);
	/** The workspace's default phone region (settings.ts), null when none is set. */
	phoneRegion = $state<CountryCode | null>(null);
	/** Staff names for the managers picker and manager names: the device's copy, refreshed when online. */
	staff = $state.raw<DirectoryEntry[]>([]);
	/**
	 * Changes the server has not acknowledged (on the device or only in memory): each edited
	 * field, new record or new contact once (change-count.ts), not records or storage rows.
	 */
	pendingCount = $state(0);
	/** When the oldest change still waiting for the server was made (null: none waits). */
	oldestWaitingAt = $state<number | null>(null);
	/** Persistent storage, space, and writes that failed for lack of it. */
	readonly storage = new DeviceStorage();
	/** Changes the server refused, kept with the reason (SPEC §8: nothing silently lost). */
	notSaved = $state.raw<NotSavedEntry[]>([]);
	/** Bumped per document when it was rebuilt from the server's state: open views reopen it. */
	rebuilt = $state<Record<string, number>>({});
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
	/** Documents open in this tab (a customer page, the settings). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
	private live = new Map<string, Set<LiveDoc>>();
	private staffRequest: Promise<void> | null = null;
	private readonly counter = new ChangeCounter();
	// An index, not reactive state: `summaries` is what components read.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private byId = new Map<string, CustomerSummary>();
	/** Hands `byId` to the screens as `summaries`: changes from elsewhere at most every 400 ms. */
	private readonly publisher = new PublishThrottle(() => (this.summaries = [...this.byId.values()]), 400);
	/** Another tab wrote changes: the summaries are read again, at most every 400 ms likewise. */
	private readonly reloader = new PublishThrottle(
		() =>
			void this.store
				.allSummaries()
				.then((list) => this.setSummaries(list as CustomerSummary[]))
				.catch(() => undefined), // the workspace closed meanwhile
		400
	);

	constructor(readonly user: WorkspaceUser) {}

	async init(): Promise<void> {
		this.store = await DeviceStore.open(this.user.id);
		void this.keepStorage();
		this.setSummaries((await this.store.allSummaries()) as CustomerSummary[]);
		// A page left right after an edit may have written the change but not its summary:
		// records with changes still waiting are summarised again from the device's copy.
		await this.resummarize((await this.store.pendingDocs()).filter((d) => d !== SETTINGS_DOC));
		this.staff = await cachedDirectory(this.store);
		// "Last synced" is the device's memory, not this page's: it survives a reload.
		this.lastSyncedAt = (await this.store.getMeta<number>(LAST_SYNCED)) ?? null;
		void this.refreshStaff();
		await this.refreshPending();
		this.channel = new BroadcastChannel(`fieldbook:${this.user.id}`);
		this.channel.onmessage = (e: MessageEvent<TabMessage>) => void this.onTabMessage(e.data);
		this.channel.postMessage({ type: 'status?' } satisfies TabMessage);
		this.notSaved = await this.store.notSaved();
		await this.reopenSettings();
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
				onChanged: (docs, summaries) => this.applyChanges(docs, summaries as CustomerSummary[]),
				summarize: summaryOf,
				onAcknowledged: (docs) => {
					void this.refreshPending();
					this.releaseLive(docs);
					this.channel?.postMessage({ type: 'acknowledged', docs } satisfies TabMessage);
				},
				onRefused: (doc, outcome, refusal) => this.rebuild(doc, outcome, refusal),
				onStatus: (status, at) => {
					this.setStatus(status, at);
					this.channel?.postMessage({ type: 'status', status, at } satisfies TabMessage);
				},
				onWriteFailed: (e, retry) => this.storage.writeFailed(FEED_KEY, e, retry),
				onWriteRecovered: () => this.storage.writeRecovered(FEED_KEY)
			});
			this.sync.carriedLive = (doc) => [...(this.live.get(doc) ?? [])].some((l) => l.carrying);
			this.sync.start();
		};
		if (!('locks' in navigator)) return run();
		void navigator.locks.request(`fieldbook-sync:${this.user.id}`, () => {
			run();
			return new Promise<void>((resolve) => (this.releaseLock = resolve));
		});
	}

	private setStatus(status: FeedStatus, at: number | null): void {
		this.feedStatus = status;
		if (at && at !== this.lastSyncedAt) {
			this.lastSyncedAt = at;
			// Only a hint for the status line: a full disk must not stop the sync.
			this.store.setMeta(LAST_SYNCED, at).catch(() => undefined);
		}
	}

	private async onTabMessage(m: TabMessage): Promise<void> {
		if (m.type === 'status') return this.setStatus(m.status, m.at);
		if (m.type === 'status?') {
			if (this.sync) this.channel?.postMessage({ type: 'status', status: this.feedStatus, at: this.lastSyncedAt } satisfies TabMessage);
			return;
		}
		if (m.type === 'changed' || m.type === 'acknowledged') this.releaseLive(m.docs);
		if (m.type === 'rebuilt') {
			this.discardLive(m.doc);
			if (m.doc === SETTINGS_DOC) await this.reopenSettings();
			this.notSaved = await this.store.notSaved();
			this.rebuilt[m.doc] = (this.rebuilt[m.doc] ?? 0) + 1;
		}
		if (m.type === 'changed') this.reloader.runSoon();
		if (m.type === 'rebuilt') this.reloader.runNow();
		await this.refreshPending();
		if (m.type === 'pending') this.sync?.pushPending();
	}

	/** Committed changes written by background sync, with their summaries (already stored). */
	private async applyChanges(docs: string[], summaries: CustomerSummary[]): Promise<void> {
		this.releaseLive(docs);
		for (const s of summaries) this.byId.set(s.id, s);
		if (summaries.length > 0) this.publisher.runSoon();
		this.channel?.postMessage({ type: 'changed', docs } satisfies TabMessage);
	}

	/** Rebuilds these records' summaries from the device's copies. */
	private async resummarize(docs: string[]): Promise<void> {
		const fresh: CustomerSummary[] = [];
		// One read transaction for the whole batch, not one per document.
		const stored = await this.store.loadDocs(docs.filter((d) => d !== SETTINGS_DOC));
		for (const [name, updates] of stored) {
			const s = summaryOf(name, updates);
			if (s) fresh.push(s);
		}
		if (fresh.length > 0) {
			for (const s of fresh) this.byId.set(s.id, s);
			this.publisher.runSoon();
			await this.keepSummaries(fresh);
		}
	}

	private setSummaries(list: CustomerSummary[]): void {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- see byId
		this.byId = new Map(list.map((s) => [s.id, s]));
		this.publisher.cancel();
		this.summaries = list;
	}

	async refreshPending(): Promise<void> {
		const stored = await this.counter.count(this.store, NOT_COUNTED);
		// Changes whose write failed wait in memory: they are waiting just the same (at least one each).
		const inMemory = this.storage.unwritten.filter((k) => k !== FEED_KEY && k !== SETTINGS_DOC && !stored.has(k));
		this.pendingCount = [...stored.values()].reduce((a, b) => a + b, 0) + unique(inMemory).length;
		const oldest = await oldestPendingAt(this.store);
		const failing = inMemory.length > 0 ? (this.storage.problem?.since ?? null) : null;
		this.oldestWaitingAt = oldest === null ? failing : failing === null ? oldest : Math.min(oldest, failing);
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
			this.byId.set(id, s);
			this.publisher.runNow();
			await this.keepSummaries([s]);
		}
		await this.refreshPending();
		this.sync?.pushPending();
		this.channel?.postMessage({ type: 'pending' } satisfies TabMessage);
	}

	/** Asks the server for the staff directory (one request at a time); offline, the device's copy stays. */
	refreshStaff(): Promise<void> {
		this.staffRequest ??= fetchDirectory(this.store)
			.then((list) => {
				if (list) this.staff = list;
			})
			.catch((e: unknown) => console.error('Fieldbook: keeping the staff directory failed', e))
			.finally(() => (this.staffRequest = null));
		return this.staffRequest;
	}

	summary(id: string): CustomerSummary | undefined {
		return this.byId.get(id);
	}

	/** Opens a customer document (from the device, then live once the server has it). */
	async open(id: string): Promise<LiveDoc> {
		const held = id !== SETTINGS_DOC && !(await this.store.hasCommitted(id));
		if (id !== SETTINGS_DOC) markOpened(this.store, id).catch(() => undefined); // a hint for freeing space only
		const live = await LiveDoc.open(id, this.store, this.user, {
			onAcknowledged: () => void this.refreshPending(),
			onWriteFailed: (name, e, retry) => {
				this.storage.writeFailed(name, e, retry);
				void this.refreshPending();
			},
			onWriteRecovered: (name) => void this.writeRecovered(name),
			onCarryingEnded: () => this.sync?.pushPending(),
			// The live socket refused a change: the syncing tab pushes it and gets the refusal.
			onRefused: () => {
				this.sync?.pushPending();
				this.channel?.postMessage({ type: 'pending' } satisfies TabMessage);
			}
		}, { held });
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state
		const open = this.live.get(id) ?? new Set<LiveDoc>();
		open.add(live);
		this.live.set(id, open);
		live.doc.on('destroy', () => open.delete(live));
		return live;
	}

	/**
	 * The server refused this device's changes of `doc` (or the user lost access to it): the
	 * open copies are dropped without writing, the pending changes move to "not saved" with
	 * the reason, the device copy becomes the server's state (or is deleted), and every tab
	 * reopens it.
	 */
	private async rebuild(doc: string, outcome: RefusalOutcome, refusal: { code: number; reason: string }): Promise<void> {
		this.discardLive(doc);
		const recordName = this.byId.get(doc)?.name ?? '';
		await this.store.rebuildDoc(doc, outcome, { ...refusal, recordName });
		const s = summaryOf(doc, await this.store.loadDoc(doc));
		if (s) {
			await this.store.putSummaries([s]);
			this.byId.set(doc, s);
		} else {
			await this.store.deleteSummary(doc);
			this.byId.delete(doc);
		}
		this.publisher.runNow();
		this.notSaved = await this.store.notSaved();
		await this.refreshPending();
		if (doc === SETTINGS_DOC) await this.reopenSettings();
		this.rebuilt[doc] = (this.rebuilt[doc] ?? 0) + 1;
		this.channel?.postMessage({ type: 'rebuilt', doc } satisfies TabMessage);
	}

	/** Opens the workspace settings document (again, after a rebuild) and mirrors it. */
	private async reopenSettings(): Promise<void> {
		this.settings?.destroy();
		const settings = await this.open(SETTINGS_DOC);
		this.settings = settings;
		const readSettings = () => {
			this.contactTypes = readContactTypes(settings.doc);
			this.defaultPermissions = readDefaultPermissions(settings.doc);
			this.phoneRegion = readPhoneRegion(settings.doc);
			this.customFields = readCustomFields(settings.doc);
		};
		readSettings();
		settings.doc.on('update', readSettings);
	}

	/** The server has these documents now: open copies waiting for that connect. */
	private releaseLive(docs: readonly string[]): void {
		for (const doc of docs) for (const live of this.live.get(doc) ?? []) live.release();
	}

	/** Drops this tab's open copies of `doc` without writing their queued changes. */
	private discardLive(doc: string): void {
		for (const live of this.live.get(doc) ?? []) live.discard();
		this.live.delete(doc);
	}

	async dismissNotSaved(id: number): Promise<void> {
		await this.store.dismissNotSaved(id);
		this.notSaved = await this.store.notSaved();
	}

	get settingsDoc(): Y.Doc | null {
		return this.settings?.doc ?? null;
	}

	/** Creates a company customer on this device (online or not); `managers` join its author. */
	async createCompany(fields: CustomerData, managers: readonly string[] = []): Promise<string> {
		const id = newId();
		const live = await this.open(id);
		initCustomer(live.doc, { kind: 'company', authorId: this.user.id, now: Date.now(), fields, managers });
		await live.flush().catch(keptForRetry);
		await this.recordChanged(id, live.doc);
		await live.close();
		return id;
	}

	/** Creates an individual customer with that person as its one (primary) contact (SPEC §2). */
	async createPerson(
		contact: ContactData,
		customer: CustomerData = {},
		managers: readonly string[] = []
	): Promise<string> {
		const id = newId();
		const live = await this.open(id);
		const now = Date.now();
		initCustomer(live.doc, { kind: 'person', authorId: this.user.id, now, fields: customer, managers });
		addContact(live.doc, {
			id: newId(now),
			fields: contact,
			authorId: this.user.id,
			now,
			defaultPermissions: this.defaultPermissions ?? undefined,
			primary: true
		});
		await live.flush().catch(keptForRetry);
		await this.recordChanged(id, live.doc);
		await live.close();
		return id;
	}

	/**
	 * Asks the browser to keep this device's data (see DeviceStorage): at the first sign-in of
	 * this user here, when the app runs installed and did not when last asked, or a week on.
	 */
	private async keepStorage(): Promise<void> {
		window.addEventListener('appinstalled', this.onInstalled);
		await this.storage.askWhenUseful({
			get: () => this.store.getMeta<PersistAsked>('persistAsked'),
			set: (v) => this.store.setMeta('persistAsked', v)
		});
	}

	private readonly onInstalled = () => void this.storage.requestPersist();

	/** Asks again for persistent storage (the button on the device page: a user gesture). */
	requestPersist(): Promise<boolean> {
		return this.storage.requestPersist();
	}

	/**
	 * Makes room: drops records only cached here (not open, no changes waiting, not opened in
	 * the last week; `everything`: whatever their age), then writes what failed at once.
	 * Resolves to how many were dropped. Their summaries stay; they re-sync when opened.
	 */
	async freeSpace(opts: { everything?: boolean } = {}): Promise<number> {
		const dropped = await evictCached(this.store, {
			keep: this.live.keys(),
			openedBefore: opts.everything ? Number.POSITIVE_INFINITY : undefined
		});
		this.storage.freed = dropped.length;
		this.storage.retryAll();
		await this.storage.refresh();
		return dropped.length;
	}

	/** How many records freeSpace() could drop now. */
	evictableCount(opts: { everything?: boolean } = {}): Promise<number> {
		return countEvictable(this.store, {
			keep: this.live.keys(),
			openedBefore: opts.everything ? Number.POSITIVE_INFINITY : undefined
		});
	}

	/**
	 * Every change of this user the server has not acknowledged, named: records with pending
	 * rows or changes only in memory, and queued e-mails. Shown before sign-out or clearing.
	 */
	async waitingChanges(): Promise<WaitingChange[]> {
		const docs = [...(await this.store.pendingDocs()), ...this.storage.unwritten.filter((k) => k !== FEED_KEY)];
		return nameWaiting(docs, commandQueue(this.user.id).waiting(), this.summaries, (id) => this.byId.get(id));
	}

	/** Changes of `name` that failed to be written are on the device now: carry on as after a save. */
	private async writeRecovered(name: string): Promise<void> {
		this.storage.writeRecovered(name);
		if (name !== SETTINGS_DOC) await this.resummarize([name]).catch(() => undefined);
		await this.refreshPending();
		this.sync?.pushPending();
		this.channel?.postMessage({ type: 'pending' } satisfies TabMessage);
	}

	/** Summaries are derived from the documents: failing to keep them (a full disk) loses nothing. */
	private async keepSummaries(summaries: CustomerSummary[]): Promise<void> {
		try {
			await this.store.putSummaries(summaries);
		} catch (e) {
			if (!isQuotaError(e)) throw e;
		}
	}

	destroy(): void {
		window.removeEventListener('appinstalled', this.onInstalled);
		this.publisher.cancel();
		this.reloader.cancel();
		this.sync?.stop();
		stopCommandQueues();
		this.releaseLock?.();
		this.settings?.destroy();
		this.channel?.close();
		this.store?.close();
	}
}

/** The settings document's changes are an admin's, and not shown as the record count. */
const NOT_COUNTED: ReadonlySet<string> = new Set([SETTINGS_DOC]);

/** Device meta key: when this device last had everything synced. */
const LAST_SYNCED = 'lastSyncedAt';

/** The key of background sync's failed writes in DeviceStorage (not a record). */
const FEED_KEY = 'fieldbook:feed';

/** A write that failed for lack of space stays queued and is retried (doc-persistence.ts). */
function keptForRetry(e: unknown): void {
	if (!isQuotaError(e)) throw e;
}

const unique = (names: string[]): string[] => names.filter((n, i) => names.indexOf(n) === i);
