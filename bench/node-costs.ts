/**
 * CPU costs of the app's own functions on the seeded workspace, measured in Node (the same V8
 * as Chromium, no DOM, no IndexedDB): what the server's catch-up spends per document, what
 * workspace.applyChanges spends per document besides IndexedDB, and what the list index and
 * each search keystroke cost. They explain the browser figures; they are not targets.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import * as Y from 'yjs';
import { SqliteDocStore } from '../server/sync/doc-store.ts';
import { companyRows, personRows } from '../src/lib/data/search.ts';
import { summaryOf } from '../src/lib/data/summary-of.ts';
import { summarize, type CustomerSummary } from '../src/lib/schema/customer-doc.ts';
import { SETTINGS_DOC } from '../src/lib/schema/settings.ts';
import { median, ms, percentile } from './harness.ts';

export function nodeCosts(dataDir: string, queries: string[]): string[] {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		const store = new SqliteDocStore(db);
		let t0 = performance.now();
		const merged: { doc: string; update: Uint8Array }[] = [];
		for (const c of store.changesSince(0)) {
			if (c.doc === SETTINGS_DOC) continue;
			merged.push({ doc: c.doc, update: c.updates.length === 1 ? c.updates[0] : Y.mergeUpdates(c.updates) });
		}
		const catchUp = performance.now() - t0;

		t0 = performance.now();
		const summaries: CustomerSummary[] = [];
		for (const { doc: name, update } of merged) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, update);
			const s = summarize(name, doc);
			doc.destroy();
			if (s) summaries.push(s);
		}
		const summarizing = performance.now() - t0;

		// What the device does per document now (DeviceStore.putCommittedMany's derive): a guid, no merge.
		t0 = performance.now();
		for (const { doc: name, update } of merged) summaryOf(name, [update]);
		const deriving = performance.now() - t0;

		t0 = performance.now();
		const clone = structuredClone(summaries);
		const cloning = performance.now() - t0;

		t0 = performance.now();
		companyRows(summaries);
		const companyIndex = performance.now() - t0;
		t0 = performance.now();
		const all = personRows(summaries);
		const personIndex = performance.now() - t0;

		const perKey: number[] = [];
		for (const q of queries) {
			const prefixes = [...q].map((_, i) => q.slice(0, i + 1));
			for (const text of [...prefixes, ...prefixes.reverse().slice(1), '']) {
				t0 = performance.now();
				personRows(summaries, { text }).slice(0, 100);
				perKey.push(performance.now() - t0);
			}
		}
		const n = merged.length;
		return [
			`Server catch-up, reading and merging every document's updates (Feed.catchUp without sending): ${ms(catchUp)} for ${n.toLocaleString('en')} documents`,
			`Applying each document to a fresh \`new Y.Doc()\` and summarize(): ${ms(summarizing)} (${((summarizing / n) * 1000).toFixed(0)} µs per document); ` +
				`the same as the device's catch-up does it now (summaryOf: a guid, inside putCommittedMany without IndexedDB), measured second (warm): ${ms(deriving)} (${((deriving / n) * 1000).toFixed(0)} µs per document)`,
			`structuredClone of all ${summaries.length.toLocaleString('en')} summaries (≈ what IndexedDB's getAll deserialises on an offline start): ${ms(cloning)} (${clone.length} objects)`,
			`List index build on first render (fold every searchable field, Intl.Collator sort): companies ${ms(companyIndex)}, persons (${all.length.toLocaleString('en')} rows) ${ms(personIndex)}`,
			`personRows() per keystroke over ${all.length.toLocaleString('en')} rows, same keys as the browser run: p50 ${ms(median(perKey))}, p95 ${ms(percentile(perKey, 95))}, max ${ms(Math.max(...perKey))}`
		];
	} finally {
		db.close();
	}
}
