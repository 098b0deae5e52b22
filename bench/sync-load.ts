/**
 * The sync workload of bench/sync-compare.ts: many sockets in ONE Node process (raw y-protocols
 * clients, tests/integration/helpers/raw-sync.ts: nothing decoded but the header of each
 * relayed update, so the client side stays cheap next to the server it measures) replay the
 * edits of a Script (bench/sync-script.ts) and time when each becomes visible to the other
 * sockets on its document.
 *
 * Two loads per server: closed loop (each client keeps `window` edits in flight and sends the
 * next as soon as one is visible everywhere: the most the server sustains) and open loop (a
 * fixed rate per client, the same for both servers: latency at a load both can carry).
 */
import { firstStructId, RawSyncClient } from '../tests/integration/helpers/raw-sync.ts';
import { sleep } from './harness.ts';
import type { BenchServer } from './servers.ts';
import type { Layout, Script } from './sync-script.ts';

/** Latencies in 50 µs buckets up to 10 s: recording costs nothing, percentiles are exact to 50 µs. */
class Histogram {
	private readonly buckets = new Uint32Array(200_000);
	count = 0;
	add(ms: number): void {
		this.buckets[Math.min(this.buckets.length - 1, Math.max(0, Math.floor(ms * 20)))]++;
		this.count++;
	}
	percentile(p: number): number {
		if (this.count === 0) return NaN;
		const rank = Math.ceil((p / 100) * this.count);
		let seen = 0;
		for (let i = 0; i < this.buckets.length; i++) {
			seen += this.buckets[i];
			if (seen >= rank) return (i + 1) / 20;
		}
		return Infinity;
	}
}

export interface PhaseResult {
	/** Edits visible to every other socket on their document, per second. */
	editsPerSec: number;
	/** Relayed updates received by the clients, per second. */
	deliveriesPerSec: number;
	edits: number;
	/** Server CPU time (user + system) per edit, µs. */
	cpuPerEditUs: number;
	/** Share of one core the client process used. */
	clientCores: number;
	serverCores: number;
	latency: { p50: number; p95: number; p99: number; samples: number };
}

export interface LoadResult {
	closed: PhaseResult;
	open: PhaseResult;
	rssIdle: number;
	rss: number;
	peak: number;
	sockets: number;
	/** Creating the documents, and connecting every socket until each has its document. */
	createMs: number;
	connectMs: number;
}

export interface LoadOptions {
	warmupMs: number;
	closedMs: number;
	openMs: number;
	/** Edits in flight per client in the closed loop. */
	window: number;
	/** Edits per second per client in the open loop. */
	ratePerClient: number;
}

/** Runs the script against one server: create the documents, connect, closed loop, open loop. */
export function runLoad(server: BenchServer, script: Script, opts: LoadOptions): Promise<LoadResult> {
	return new LoadRun(server, script, opts).run();
}

interface LoadClient {
	/** Indexes of its writers (script.writers), edited in turn. */
	writers: number[];
	next: number;
	inflight: number;
}

class LoadRun {
	private readonly layout: Layout;
	/** Per writer: edits sent, when each was sent, and how many sockets have yet to see each. */
	private readonly sent: number[];
	private readonly sentAt: number[][];
	private readonly remaining: number[][];
	private readonly byClient: Map<number, number>;
	/** Per document: the sockets that have it open. */
	private readonly receivers: number[];
	private readonly clients: LoadClient[];
	private readonly sockets: RawSyncClient[] = [];
	private hist = new Histogram();
	private completed = 0;
	private deliveries = 0;
	private closedLoop = false;
	private failure: Error | null = null;
	private stopping = false;

	constructor(
		private readonly server: BenchServer,
		private readonly script: Script,
		private readonly opts: LoadOptions
	) {
		const layout = (this.layout = script.layout);
		this.sent = script.writers.map(() => 0);
		this.sentAt = script.writers.map(() => []);
		this.remaining = script.writers.map(() => []);
		this.byClient = new Map(script.writers.map((w, i) => [w.client, i]));
		this.receivers = new Array<number>(layout.docs).fill(0);
		for (const s of layout.sockets) this.receivers[s.doc]++;
		this.clients = Array.from({ length: layout.clients }, () => ({ writers: [], next: 0, inflight: 0 }));
		script.writers.forEach((w, i) => this.clients[layout.sockets[w.socket].client].writers.push(i));
	}

	async run(): Promise<LoadResult> {
		const rssIdle = this.server.memory().rss;
		const t0 = performance.now();
		await this.server.createDocs(this.script.names, this.script.inits);
		const createMs = performance.now() - t0;
		try {
			await this.connect();
			const connectMs = performance.now() - t0 - createMs;
			await this.phase(this.opts.warmupMs, () => this.closed());
			const closed = await this.phase(this.opts.closedMs, () => this.closed());
			const open = await this.phase(this.opts.openMs, () => this.open());
			const mem = this.server.memory();
			return { closed, open, rssIdle, rss: mem.rss, peak: mem.peak, sockets: this.sockets.length, createMs, connectMs };
		} finally {
			this.stopping = true;
			for (const s of this.sockets) s.terminate();
		}
	}

	/** Every socket, 100 upgrades at a time, until each has received its document. */
	private async connect(): Promise<void> {
		const all = this.layout.sockets;
		for (let i = 0; i < all.length; i += 100) {
			const batch = await Promise.allSettled(
				all.slice(i, i + 100).map((s, j) =>
					RawSyncClient.connect({
						url: this.server.docUrl(this.script.names[s.doc]),
						headers: this.server.headers,
						onRelay: (u, at) => this.onRelay(i + j, u, at),
						onClose: (code) => {
							if (!this.stopping) this.failure ??= new Error(`${this.server.name} closed a socket (code ${code})`);
						}
					})
				)
			);
			for (const r of batch) if (r.status === 'fulfilled') this.sockets.push(r.value);
			const refused = batch.find((r) => r.status === 'rejected');
			if (refused) throw (refused as PromiseRejectedResult).reason;
		}
		await until(() => this.sockets.every((s) => s.synced), 30_000, 'every socket to receive its document');
	}

	private sendNext(c: LoadClient): void {
		const wi = c.writers[c.next++ % c.writers.length];
		const w = this.script.writers[wi];
		const k = this.sent[wi]++;
		w.ensure(k + 1);
		this.remaining[wi][k] = this.receivers[w.doc] - 1;
		c.inflight++;
		this.sentAt[wi][k] = performance.now();
		this.sockets[w.socket].sendUpdate(w.updates[k]);
	}

	private onRelay(socket: number, update: Uint8Array, at: number): void {
		const id = firstStructId(update);
		const wi = id ? this.byClient.get(id.client) : undefined;
		if (wi === undefined) return;
		const w = this.script.writers[wi];
		if (w.socket === socket) return; // the reference echoes an update to its sender too
		const k = w.index.get(id!.clock);
		if (k === undefined) return;
		this.deliveries++;
		this.hist.add(at - this.sentAt[wi][k]);
		if (--this.remaining[wi][k] > 0) return;
		this.completed++;
		const c = this.clients[this.layout.sockets[w.socket].client];
		c.inflight--;
		if (this.closedLoop) this.sendNext(c);
	}

	/** Runs a load for `ms`, then waits until every edit sent is visible everywhere. */
	private async phase(ms: number, load: () => () => void): Promise<PhaseResult> {
		this.hist = new Histogram();
		this.completed = 0;
		this.deliveries = 0;
		const cpu0 = this.server.cpuMs();
		const own0 = process.cpuUsage();
		const t0 = performance.now();
		const stop = load();
		await sleep(ms);
		stop();
		const elapsed = performance.now() - t0;
		const cpu = this.server.cpuMs() - cpu0;
		const own = process.cpuUsage(own0);
		const done = this.completed;
		const delivered = this.deliveries;
		await until(
			() => this.failure !== null || this.clients.every((c) => c.inflight === 0),
			30_000,
			'edits in flight to become visible'
		);
		if (this.failure) throw this.failure;
		const p = (q: number) => this.hist.percentile(q);
		return {
			editsPerSec: (done / elapsed) * 1000,
			deliveriesPerSec: (delivered / elapsed) * 1000,
			edits: done,
			cpuPerEditUs: (cpu / done) * 1000,
			clientCores: (own.user + own.system) / 1000 / elapsed,
			serverCores: cpu / elapsed,
			latency: { p50: p(50), p95: p(95), p99: p(99), samples: this.hist.count }
		};
	}

	/** Closed loop: every client keeps `window` edits in flight. */
	private closed(): () => void {
		this.closedLoop = true;
		for (const c of this.clients) while (c.inflight < this.opts.window) this.sendNext(c);
		return () => (this.closedLoop = false);
	}

	/** Open loop: every client sends `ratePerClient` edits per second, the clients evenly staggered. */
	private open(): () => void {
		const every = 1000 / this.opts.ratePerClient;
		const start = performance.now();
		const due = this.clients.map((_, i) => start + (i / this.clients.length) * every);
		let running = true;
		const tick = () => {
			if (!running) return;
			const now = performance.now();
			this.clients.forEach((c, i) => {
				for (; due[i] <= now; due[i] += every) this.sendNext(c);
			});
			setTimeout(tick, 1);
		};
		tick();
		return () => (running = false);
	}
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(2);
	}
}
