/**
 * History and the projection (and the mails it decides) are written after the acknowledgement
 * (server/sync/derived.ts, issue #15). The real server, with SYNC_DERIVED_LAG_MS holding the
 * derived work back, is killed (SIGKILL) right after its acknowledgements, before any of it
 * was written; on restart the projection, history and outbox are complete, and no mail is
 * queued twice. Reads over HTTP never see a projection behind an acknowledged edit.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src/lib/schema/history.ts';
import { createCustomer } from './helpers/records.ts';
import { staffUser } from './helpers/staff.ts';
import { boot, open, signIn } from './helpers/restarts.ts';
import { until } from './helpers/sync.ts';

/** Derived work waits an hour unless something reads it. */
const HELD_BACK = { SYNC_DERIVED_LAG_MS: '3600000' };

interface OnDisk {
	companyName: string | null;
	/** Seqs of the document's logged updates that have no history row. */
	unrecorded: number[];
	managerMails: number;
	welcomeMails: number;
	watermark: number;
	lastSeq: number;
}

/** What the SQLite file holds, read by another process as after a crash. */
function onDisk(dataDir: string, doc: string): OnDisk {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		const one = (sql: string, ...args: unknown[]) =>
			db
				.prepare(sql)
				.pluck()
				.get(...args);
		return {
			companyName: (one('SELECT company_name FROM customers WHERE id = ?', doc) as string | undefined) ?? null,
			unrecorded: db
				.prepare(
					`SELECT seq FROM document_updates u WHERE doc = ? AND user_id IS NOT NULL
					 AND NOT EXISTS (SELECT 1 FROM history h WHERE h.doc = u.doc AND h.seq = u.seq) ORDER BY seq`
				)
				.pluck()
				.all(doc) as number[],
			managerMails: one(
				"SELECT count(*) FROM outbox WHERE kind = 'manager_assigned' AND customer_id = ?",
				doc
			) as number,
			welcomeMails: one("SELECT count(*) FROM outbox WHERE kind = 'welcome' AND customer_id = ?", doc) as number,
			watermark: one('SELECT seq FROM derived_watermark') as number,
			lastSeq: one('SELECT max(last_seq) FROM documents') as number
		};
	} finally {
		db.close();
	}
}

describe('derived tables after the acknowledgement', () => {
	it('a kill -9 right after the acknowledgements loses no history, projection or mail, and queues none twice', async () => {
		const stamp = Date.now();
		const doc = `derived-${stamp}`;
		const server = await boot(HELD_BACK);
		const admin = await signIn(server);
		const bob = await staffUser(server, admin, `bob-${stamp}@example.com`);
		const bobId = await bob.userId();
		await createCustomer(server, admin, doc, {
			contacts: { [`k-${stamp}`]: { firstName: 'Ann', email: `ann-${stamp}@example.com` } }
		});

		const a = open(server, admin, doc);
		await until(() => a.provider.synced, 5000, 'sync');
		const customer = a.doc.getMap('customer');
		customer.set('companyName', 'Renamed GmbH');
		a.doc.getMap('managers').set(bobId, true);
		for (let i = 0; i < 20; i++) customer.set('city', `City ${i}`);
		await a.acks.whenCommitted();

		const before = onDisk(server.dataDir, doc);
		expect(before.companyName, 'the derived work was still held back when killed').toBe(doc);
		expect(before.unrecorded.length).toBeGreaterThan(0);
		expect(before.managerMails).toBe(0);
		expect(before.watermark).toBeLessThan(before.lastSeq);
		a.provider.disconnect();
		expect(await server.stop('SIGKILL')).toBeNull();

		const again = await boot({}, server.dataDir);
		const after = onDisk(again.dataDir, doc);
		expect(after.companyName).toBe('Renamed GmbH');
		expect(after.unrecorded, 'every acknowledged update has its history').toEqual([]);
		expect(after.managerMails).toBe(1);
		expect(after.welcomeMails).toBe(1);
		expect(after.watermark).toBe(after.lastSeq);

		// The history as staff see it names the rename, by the admin.
		const admin2 = await signIn(again);
		const page = (await (await admin2.request(`/api/customers/${doc}/history`)).json()) as HistoryPage;
		const renamed = page.entries.find((e) =>
			e.changes.some((c) => c.field === 'companyName' && c.value === 'Renamed GmbH')
		);
		expect(renamed?.author?.id).toBe(await admin2.userId());

		// Killed again at once: nothing is derived twice.
		expect(await again.stop('SIGKILL')).toBeNull();
		const third = await boot({}, server.dataDir);
		const last = onDisk(third.dataDir, doc);
		expect(last.managerMails).toBe(1);
		expect(last.welcomeMails).toBe(1);
		expect(last.unrecorded).toEqual([]);
	});

	it('a request right after an acknowledgement reads the edit, however long derived work may wait', async () => {
		const doc = `derived-read-${Date.now()}`;
		const server = await boot(HELD_BACK);
		const admin = await signIn(server);
		await createCustomer(server, admin, doc);
		const a = open(server, admin, doc);
		await until(() => a.provider.synced, 5000, 'sync');
		a.doc.getMap('customer').set('companyName', 'Seen at once');
		await a.acks.whenCommitted();
		const page = (await (await admin.request(`/api/customers/${doc}/history`)).json()) as HistoryPage;
		expect(page.entries.some((e) => e.changes.some((c) => c.value === 'Seen at once'))).toBe(true);
		expect(onDisk(server.dataDir, doc).companyName).toBe('Seen at once');
	});
});
