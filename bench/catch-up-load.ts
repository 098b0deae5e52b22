/**
 * Other users' edits while a fresh device catches up (issue #15 item 3): the server's catch-up
 * of every document must be sliced so that edit → visible stays fast for everyone else.
 *
 * On `docs.length` existing records, a writer and a reader socket each (raw y-protocols
 * clients on /sync, `?ack=1` as the app opens them, signed in as the admin in another session);
 * each writer edits its record at `perDocPerSec` (open loop, one field as updateCustomer does),
 * and the time from the edit to its arrival at the reader is recorded — first for a few seconds
 * alone, then for as long as a fresh device's catch-up (a Node feed client with
 * permessage-deflate, hello from 0 to caughtUp, bench/feed-wire.ts) runs beside them.
 */
import * as Y from 'yjs';
import { updateCustomer } from '../src/lib/schema/customer-doc.ts';
import { SYNC_PATH } from '../src/lib/schema/protocol.ts';
import { firstStructId, RawSyncClient } from '../tests/integration/helpers/raw-sync.ts';
import { catchUp, signIn, type CatchUp } from './feed-wire.ts';
import { median, ms, percentile, secs, sleep, type Row } from './harness.ts';

interface Pair {
	doc: Y.Doc;
	writer: RawSyncClient;
	reader: RawSyncClient;
}

interface Phase {
	latencies: number[];
	/** Edits never seen by their reader when the phase ended. */
	missing: number;
}

const IDLE_MS = 4_000;

export async function catchUpLoad(opts: {
	base: string;
	account: { email: string; password: string };
	authorId: string;
	docs: readonly string[];
	perDocPerSec: number;
	serverCpuMs: () => number;
	customers: number;
	targetMs: number;
}): Promise<{ row: Row; edits: number }> {
	const cookie = await signIn(opts.base, opts.account);
	const ws = opts.base.replace(/^http/, 'ws');
	const headers = { cookie, origin: opts.base };
	/** When each edit was made, by its first struct (client, clock). */
	const sentAt = new Map<string, number>();
	let phase: Phase = { latencies: [], missing: 0 };
	const pairs: Pair[] = [];
	for (const name of opts.docs) {
		const doc = new Y.Doc({ guid: name });
		const url = `${ws}${SYNC_PATH}/${name}?ack=1`;
		const writer = await RawSyncClient.connect({ url, headers, doc });
		const reader = await RawSyncClient.connect({
			url,
			headers,
			onRelay: (update, at) => {
				const id = firstStructId(update);
				const key = id && `${id.client}:${id.clock}`;
				const t = key ? sentAt.get(key) : undefined;
				if (t === undefined) return;
				sentAt.delete(key!);
				phase.latencies.push(at - t);
			}
		});
		pairs.push({ doc, writer, reader });
	}
	const start = Date.now();
	while (!pairs.every((p) => p.writer.synced && p.reader.synced)) {
		if (Date.now() - start > 30_000) throw new Error('bench: the editing sockets did not sync in 30 s');
		await sleep(20);
	}

	let edits = 0;
	let k = 0;
	const edit = (p: Pair) => {
		const key = `${p.doc.clientID}:${Y.getState(p.doc.store, p.doc.clientID)}`;
		sentAt.set(key, performance.now());
		updateCustomer(p.doc, { city: `Catch-up ${k++}` }, opts.authorId, Date.now());
		edits++;
	};
	// Open loop: each record edited every 1/perDocPerSec s, the records staggered.
	const period = 1000 / opts.perDocPerSec;
	const timers = pairs.map((p, i) => {
		let timer: ReturnType<typeof setInterval> | null = null;
		const first = setTimeout(
			() => {
				edit(p);
				timer = setInterval(() => edit(p), period);
			},
			(i * period) / pairs.length
		);
		return () => {
			clearTimeout(first);
			if (timer) clearInterval(timer);
		};
	});
	const endPhase = async (): Promise<Phase> => {
		const ended = phase;
		phase = { latencies: [], missing: 0 };
		await sleep(500); // edits in flight land in the phase they were made in
		ended.missing = sentAt.size;
		sentAt.clear();
		return ended;
	};

	let during: Phase;
	let fresh: CatchUp;
	try {
		await sleep(IDLE_MS);
		const idle = await endPhase();
		fresh = await catchUp(opts.base, cookie, true, opts.serverCpuMs);
		during = await endPhase();
		const p99 = percentile(during.latencies, 99);
		const describe = (ph: Phase) =>
			`p50 ${ms(median(ph.latencies))}, p95 ${ms(percentile(ph.latencies, 95))}, p99 ${ms(percentile(ph.latencies, 99))}, ` +
			`max ${ms(Math.max(...ph.latencies))} (${ph.latencies.length.toLocaleString('en')} edits${ph.missing ? `, ${ph.missing} never seen` : ''})`;
		return {
			edits,
			row: {
				measure: `Other users' edit → visible p99 during a fresh ${opts.customers.toLocaleString('en')}-customer catch-up`,
				value: ms(p99),
				target: `≤ ${opts.targetMs} ms`,
				met: p99 <= opts.targetMs && during.missing === 0 ? 'yes' : '**no**',
				notes:
					`${pairs.length} records, each edited ${opts.perDocPerSec}×/s on a /sync socket and watched on another (open loop), ` +
					`while a fresh device's catch-up (Node feed client, permessage-deflate) ran: ${secs(fresh.ms)}, ` +
					`${fresh.frames.toLocaleString('en')} frames, server CPU ${secs(fresh.serverCpuMs)}; edit → visible at the other socket: ` +
					`${describe(during)}; the same edits for ${secs(IDLE_MS)} before it, alone: ${describe(idle)}`
			}
		};
	} finally {
		for (const stop of timers) stop();
		for (const p of pairs) {
			p.writer.ws.close();
			p.reader.ws.close();
		}
	}
}
