/**
 * An honest staff client that keeps editing one customer while a test attacks the server,
 * measuring what its user would notice: the time from each edit to the server's commit
 * acknowledgement. A server whose event loop stalls shows it here first (issue #9: "the
 * event-loop lag of honest clients", asserted at p99 < 100 ms during the fuzz tests).
 */
import * as Y from 'yjs';
import { updateCustomer } from '../../../src/lib/schema/customer-doc.ts';
import { SYNC_PATH } from '../../../src/lib/schema/protocol.ts';
import type { Client } from './http.ts';
import { RawSyncClient } from './raw-sync.ts';
import type { TestServer } from './server.ts';
import { until } from './sync.ts';

export interface HonestEditor {
	/** Edit→acknowledgement times so far (ms). */
	readonly latencies: number[];
	/** Edits acknowledged so far. */
	acked(): number;
	/** Stops editing; resolves when the last edit is acknowledged. */
	stop(): Promise<void>;
	/** Latency percentile (0..100) of what was measured. */
	percentile(p: number): number;
	doc: Y.Doc;
}

export async function honestEditor(
	server: TestServer,
	client: Client,
	docName: string,
	base: Uint8Array,
	opts: { everyMs?: number } = {}
): Promise<HonestEditor> {
	const userId = await client.userId();
	const doc = new Y.Doc();
	Y.applyUpdate(doc, base);
	const latencies: number[] = [];
	let pending: { clock: number; at: number } | null = null;
	let acked = 0;
	const raw = await RawSyncClient.connect({
		url: `${server.url.replace(/^http/, 'ws')}${SYNC_PATH}/${docName}?ack=1`,
		headers: { cookie: client.cookieHeader, origin: server.origin },
		doc,
		onAck: (sv) => {
			if (pending && (sv.get(doc.clientID) ?? 0) >= pending.clock) {
				latencies.push(performance.now() - pending.at);
				pending = null;
				acked++;
			}
		}
	});
	await until(() => raw.synced, 5000, 'honest client synced');
	let n = 0;
	let stopped = false;
	const timer = setInterval(() => {
		if (stopped || pending || raw.closeCode !== null) return;
		const at = performance.now();
		updateCustomer(doc, { city: `City ${++n}` }, userId, Date.now());
		pending = { clock: Y.getState(doc.store, doc.clientID), at };
	}, opts.everyMs ?? 20);
	return {
		latencies,
		doc,
		acked: () => acked,
		async stop() {
			stopped = true;
			clearInterval(timer);
			await until(() => pending === null || raw.closeCode !== null, 10_000, 'the last honest edit acknowledged');
			if (raw.closeCode !== null) throw new Error(`the honest socket closed with ${raw.closeCode}`);
			raw.close();
		},
		percentile(p: number) {
			const sorted = [...latencies].sort((a, b) => a - b);
			return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
		}
	};
}

/** The server's event-loop delay (GET /api/health, admins): what every client waits behind. */
export interface LoopDelay {
	p50: number;
	p99: number;
	max: number;
	samples: number;
}

/** Starts a new measuring window of the server's event-loop delay. */
export async function resetLoopDelay(admin: Client): Promise<void> {
	const res = await admin.request('/api/health', { method: 'DELETE' });
	if (res.status !== 204) throw new Error(`/api/health answered ${res.status}`);
}

/** The server's event-loop delay since the last reset. */
export async function loopDelay(admin: Client): Promise<LoopDelay> {
	const res = await admin.request('/api/health', { headers: { accept: 'application/json' } });
	if (res.status !== 200) throw new Error(`/api/health answered ${res.status}`);
	return ((await res.json()) as { eventLoop: LoopDelay }).eventLoop;
}
