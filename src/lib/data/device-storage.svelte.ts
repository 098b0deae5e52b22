/**
 * How safe this device's data is: whether the browser keeps the storage (persistent), how
 * much is used and free, and which changes wait in memory because writing them failed.
 *
 * Without persistent storage Chromium may evict a site's data under storage pressure, and
 * Safari deletes script-writable storage after 7 days without use unless the app is on the
 * Home Screen (webkit.org, "Full Third-Party Cookie Blocking and More", 2020). Chromium grants
 * `persist()` without a prompt to installed and much-used sites; Firefox asks the user. So the
 * request is made when it is most likely to be granted and means most: at the first sign-in
 * on this device, whenever the app runs installed, on `appinstalled`, and from the button on
 * the device page — not on every start (Firefox would ask every time).
 */
import { isQuotaError } from './idb';

/** After how long a waiting change is called out as at risk, by default (a device setting). */
export const DEFAULT_STALE_AFTER_MS = 24 * 3_600_000;
export const STALE_AFTER_CHOICES = [3_600_000, 4 * 3_600_000, DEFAULT_STALE_AFTER_MS, 3 * 86_400_000] as const;
const STALE_KEY = 'fieldbook:stale-after-ms';

/** When this device last asked for persistent storage, and whether the app ran installed then. */
export interface PersistAsked {
	at: number;
	installed: boolean;
}

/** What the device page and the alerts show. */
export interface StorageProblem {
	/** The device had no room (QuotaExceededError); otherwise another storage failure. */
	full: boolean;
	since: number;
}

interface StorageApi {
	persist?: () => Promise<boolean>;
	persisted?: () => Promise<boolean>;
	estimate?: () => Promise<StorageEstimate>;
}

export class DeviceStorage {
	/** null: the browser does not tell (no StorageManager), or not asked yet. */
	persisted = $state<boolean | null>(null);
	usage = $state<number | null>(null);
	quota = $state<number | null>(null);
	installed = $state(false);
	/** Set while some changes could not be written to the device. */
	problem = $state<StorageProblem | null>(null);
	/** Names of records whose changes wait in memory because writing them failed. */
	unwritten = $state.raw<string[]>([]);
	/** Records dropped by the last "free space" (null: none yet). */
	freed = $state<number | null>(null);
	staleAfterMs = $state(DEFAULT_STALE_AFTER_MS);

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping; `unwritten` is the state
	private retries = new Map<string, () => void>();

	constructor(private readonly api: StorageApi | undefined = globalThis.navigator?.storage) {
		this.staleAfterMs = readStaleAfter();
	}

	/** Whether the app runs installed (standalone window, or on iOS's Home Screen). */
	static runsInstalled(): boolean {
		if (typeof window === 'undefined') return false;
		const ios = (navigator as Navigator & { standalone?: boolean }).standalone === true;
		return ios || window.matchMedia?.('(display-mode: standalone)').matches === true;
	}

	/** Reads persistence and the estimate; never throws (older browsers lack the API). */
	async refresh(): Promise<void> {
		this.installed = DeviceStorage.runsInstalled();
		try {
			if (this.api?.persisted) this.persisted = await this.api.persisted();
			if (this.api?.estimate) {
				const { usage, quota } = await this.api.estimate();
				this.usage = usage ?? null;
				this.quota = quota ?? null;
			}
		} catch (e) {
			console.error('Fieldbook: reading the storage estimate failed', e);
		}
	}

	/** Asks the browser to keep this site's storage; resolves to whether it will. */
	async requestPersist(): Promise<boolean> {
		if (!this.api?.persist) return false;
		try {
			this.persisted = await this.api.persist();
		} catch (e) {
			console.error('Fieldbook: asking for persistent storage failed', e);
		}
		await this.refresh();
		return this.persisted === true;
	}

	/**
	 * Asks for persistent storage when it is useful and likely granted (see the file comment):
	 * never asked for this user here, installed now but not then, or a week on.
	 */
	async askWhenUseful(meta: {
		get: () => Promise<PersistAsked | undefined>;
		set: (v: PersistAsked) => Promise<void>;
	}): Promise<void> {
		await this.refresh();
		if (this.persisted !== false) return;
		const asked = await meta.get();
		if (asked && asked.installed === this.installed && Date.now() - asked.at < 7 * 86_400_000) return;
		await this.requestPersist();
		await meta.set({ at: Date.now(), installed: this.installed }).catch(() => undefined);
	}

	/** Something of `key` could not be written; `retry` tries it again. */
	writeFailed(key: string, error: unknown, retry: () => void): void {
		this.retries.set(key, retry);
		if (!this.unwritten.includes(key)) this.unwritten = [...this.unwritten, key];
		const full = isQuotaError(error);
		if (!this.problem || (full && !this.problem.full)) this.problem = { full, since: this.problem?.since ?? Date.now() };
	}

	/** What failed for `key` is written now. */
	writeRecovered(key: string): void {
		this.retries.delete(key);
		this.unwritten = this.unwritten.filter((k) => k !== key);
		if (this.unwritten.length === 0) this.problem = null;
	}

	/** Tries every failed write again now (after space was freed). */
	retryAll(): void {
		for (const retry of [...this.retries.values()]) retry();
	}

	setStaleAfter(ms: number): void {
		this.staleAfterMs = ms;
		try {
			localStorage.setItem(STALE_KEY, String(ms));
		} catch {
			// a full disk can refuse this too; the choice holds for this session
		}
	}
}

function readStaleAfter(): number {
	try {
		const v = Number(globalThis.localStorage?.getItem(STALE_KEY));
		return Number.isFinite(v) && v > 0 ? v : DEFAULT_STALE_AFTER_MS;
	} catch {
		return DEFAULT_STALE_AFTER_MS;
	}
}
