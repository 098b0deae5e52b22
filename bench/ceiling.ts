/**
 * The physical limit of the sync workload on this machine: the same updates the servers got
 * (bench/sync-script.ts, in the same interleaved order) applied with Y.applyUpdate to one
 * in-memory document each and appended to SQLite through the server's own store
 * (SqliteDocStore.append, the real schema and pragmas from server/db.ts) in one transaction per
 * batch, in this process, with no network, no validation, no permission checks, no projection
 * and no relaying. No server can beat it; Fieldbook's throughput is reported as a fraction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { openDatabase } from '../server/db.ts';
import { SqliteDocStore, type AppendedUpdate } from '../server/sync/doc-store.ts';
import type { Script } from './sync-script.ts';

export interface Ceiling {
	updates: number;
	batch: number;
	/** Y.applyUpdate and the SQLite append, per second. */
	perSec: number;
	/** Each alone, per second. */
	applyPerSec: number;
	appendPerSec: number;
}

/** The updates in the order a fair server would see them: the creations, then round-robin over the writers. */
function interleave(script: Script, limit: number): { doc: number; data: Uint8Array }[] {
	const out = script.inits.map((data, doc) => ({ doc, data }));
	const longest = Math.max(...script.writers.map((w) => w.updates.length));
	for (let k = 0; k < longest && out.length < limit; k++) {
		for (const w of script.writers) if (k < w.updates.length) out.push({ doc: w.doc, data: w.updates[k] });
	}
	return out.slice(0, limit);
}

export function measureCeiling(script: Script, opts: { updates: number; batch?: number }): Ceiling {
	const batch = opts.batch ?? 500;
	const updates = interleave(script, opts.updates);
	const rows: AppendedUpdate[] = updates.map((u) => ({ doc: script.names[u.doc], data: u.data, userId: null }));

	const apply = () => {
		const docs = script.names.map(() => new Y.Doc({ gc: true }));
		const t0 = performance.now();
		for (const u of updates) Y.applyUpdate(docs[u.doc], u.data);
		const ms = performance.now() - t0;
		for (const d of docs) d.destroy();
		return ms;
	};
	const store = (withApply: boolean) => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-ceiling-'));
		const db = openDatabase(path.join(dir, 'fieldbook.sqlite'));
		try {
			const docs = script.names.map(() => new Y.Doc({ gc: true }));
			const s = new SqliteDocStore(db);
			const t0 = performance.now();
			for (let i = 0; i < rows.length; i += batch) {
				if (withApply)
					for (let j = i; j < Math.min(rows.length, i + batch); j++)
						Y.applyUpdate(docs[updates[j].doc], updates[j].data);
				s.append(rows.slice(i, i + batch));
			}
			const ms = performance.now() - t0;
			for (const d of docs) d.destroy();
			return ms;
		} finally {
			db.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};

	apply(); // warm-up: the first pass pays for compiling Yjs's hot paths
	const applyMs = apply();
	const appendMs = store(false);
	const bothMs = store(true);
	const n = updates.length;
	return {
		updates: n,
		batch,
		perSec: (n / bothMs) * 1000,
		applyPerSec: (n / applyMs) * 1000,
		appendPerSec: (n / appendMs) * 1000
	};
}
