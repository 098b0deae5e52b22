/**
 * Documents on the real server: every change is committed to SQLite before it is
 * acknowledged or relayed; a restart (even kill -9) loses nothing acknowledged; a client
 * back from a long time offline catches up; the log is compacted without losing state.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { boot, open, signIn } from './helpers/restarts.ts';
import { until } from './helpers/sync.ts';

/** Reads a document straight from the SQLite file, as another process would after a crash. */
function readFromDisk(dataDir: string, name: string): Y.Doc {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		const doc = new Y.Doc();
		const row = db.prepare('SELECT snapshot, snapshot_seq FROM documents WHERE name = ?').get(name) as
			{ snapshot: Buffer | null; snapshot_seq: number } | undefined;
		if (row?.snapshot) Y.applyUpdate(doc, row.snapshot);
		const rows = db
			.prepare('SELECT data FROM document_updates WHERE doc = ? AND seq > ? ORDER BY seq')
			.all(name, row?.snapshot_seq ?? 0) as { data: Buffer }[];
		for (const r of rows) Y.applyUpdate(doc, r.data);
		return doc;
	} finally {
		db.close();
	}
}

describe('update log in SQLite', () => {
	it('acknowledges a change only after it is committed to the SQLite file', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-ack');
		const a = open(server, c, 'cust-ack');
		await until(() => a.provider.synced, 5000, 'sync');
		const seen: boolean[] = [];
		a.acks.onAck(() => {
			// At the moment the acknowledgement arrives, the change must already be on disk.
			if (a.acks.allCommitted)
				seen.push(readFromDisk(server.dataDir, 'cust-ack').getMap('customer').get('companyName') === 'Acme');
		});
		a.doc.getMap('customer').set('companyName', 'Acme');
		await a.acks.whenCommitted();
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.every(Boolean)).toBe(true);
	});

	it('relays a change to other clients only after commit, and they see it live', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-relay');
		const a = open(server, c, 'cust-relay');
		const b = open(server, c, 'cust-relay');
		await until(() => a.provider.synced && b.provider.synced);
		let onDiskWhenRelayed: unknown = null;
		b.doc.getMap('customer').observe(() => {
			onDiskWhenRelayed = readFromDisk(server.dataDir, 'cust-relay').getMap('customer').get('phone');
		});
		a.doc.getMap('customer').set('phone', '+49 30 1234');
		await until(() => b.doc.getMap('customer').get('phone') === '+49 30 1234');
		expect(onDiskWhenRelayed).toBe('+49 30 1234');
	});

	it('loses no acknowledged change when the server is killed (SIGKILL) and restarted', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-crash');
		const a = open(server, c, 'cust-crash');
		await until(() => a.provider.synced);
		const contacts = a.doc.getMap('contacts');
		for (let i = 0; i < 200; i++) {
			a.doc.transact(() => {
				const contact = new Y.Map<string>();
				contact.set('firstName', `Person ${i}`);
				contacts.set(`contact-${i}`, contact);
			});
			if (i % 50 === 0) await new Promise((r) => setImmediate(r));
		}
		await a.acks.whenCommitted();
		a.provider.disconnect();
		const killed = await server.stop('SIGKILL');
		expect(killed).toBeNull(); // killed by the signal, no clean shutdown

		const again = await boot({}, server.dataDir);
		const c2 = await signIn(again);
		const fresh = open(again, c2, 'cust-crash');
		await until(() => fresh.provider.synced);
		await until(() => fresh.doc.getMap('contacts').size === 200, 5000, '200 contacts after restart');
		expect((fresh.doc.getMap('contacts').get('contact-199') as Y.Map<string>).get('firstName')).toBe('Person 199');
	});

	it('catches up a client that was offline while others edited, merging field by field', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-offline');
		const field = open(server, c, 'cust-offline');
		const office = open(server, c, 'cust-offline');
		await until(() => field.provider.synced && office.provider.synced);
		field.doc.getMap('customer').set('companyName', 'Müller KG');
		await field.acks.whenCommitted();
		await until(() => office.doc.getMap('customer').get('companyName') === 'Müller KG');

		field.provider.disconnect(); // the field rep drives into a dead zone
		field.doc.getMap('customer').set('phone', '+49 89 555');
		for (let i = 0; i < 100; i++) office.doc.getMap('customer').set('description', `note ${i}`);
		office.doc.getMap('customer').set('city', 'München');
		await office.acks.whenCommitted();
		expect(office.doc.getMap('customer').get('phone')).toBeUndefined(); // offline edits stayed on the device

		field.provider.connect();
		await until(() => field.doc.getMap('customer').get('city') === 'München', 5000, 'catch-up');
		await until(() => office.doc.getMap('customer').get('phone') === '+49 89 555', 5000, 'push');
		await field.acks.whenCommitted();
		expect(field.doc.getMap('customer').toJSON()).toEqual(office.doc.getMap('customer').toJSON());
		expect(field.doc.getMap('customer').toJSON()).toMatchObject({
			companyName: 'Müller KG',
			phone: '+49 89 555',
			city: 'München',
			description: 'note 99'
		});
	});

	it('compacts a long log into a snapshot and loads the same state after a restart', async () => {
		const server = await boot({ SYNC_COMPACT_AFTER: '20' });
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-compact');
		const a = open(server, c, 'cust-compact');
		await until(() => a.provider.synced);
		for (let i = 0; i < 100; i++) {
			a.doc.getMap('customer').set('description', `version ${i}`);
			await new Promise((r) => setImmediate(r));
		}
		await a.acks.whenCommitted();
		await new Promise((r) => setTimeout(r, 50)); // compaction runs right after a commit
		const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
		const row = db
			.prepare('SELECT snapshot IS NOT NULL AS has, log_count FROM documents WHERE name = ?')
			.get('cust-compact') as {
			has: number;
			log_count: number;
		};
		const logRows = (
			db.prepare('SELECT count(*) AS n FROM document_updates WHERE doc = ?').get('cust-compact') as { n: number }
		).n;
		db.close();
		expect(row.has).toBe(1);
		expect(logRows).toBeLessThan(20);
		expect(readFromDisk(server.dataDir, 'cust-compact').getMap('customer').get('description')).toBe('version 99');
		a.provider.disconnect();
		await server.stop();

		const again = await boot({}, server.dataDir);
		const fresh = open(again, await signIn(again), 'cust-compact');
		await until(() => fresh.doc.getMap('customer').get('description') === 'version 99', 5000, 'state after restart');
	});
});

describe('[§6] every change is validated before it is applied', () => {
	it('an update that breaks the schema is refused whole: not stored, not relayed, that socket closed', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-valid');
		const bad = open(server, c, 'cust-valid');
		const watcher = open(server, c, 'cust-valid');
		await until(() => bad.provider.synced && watcher.provider.synced);
		let closeCode = 0;
		bad.provider.on('connection-close', (e: CloseEvent | null) => (closeCode = e?.code ?? 0));
		bad.doc.transact(() => {
			bad.doc.getMap('customer').set('companyName', 'Fine GmbH');
			bad.doc.getMap('customer').set('isAdmin', true); // no such field
		});
		await until(() => closeCode !== 0, 5000, 'close');
		expect(closeCode).toBe(4422);
		await new Promise((r) => setTimeout(r, 100));
		expect(watcher.doc.getMap('customer').get('companyName')).toBe('cust-valid');
		const stored = readFromDisk(server.dataDir, 'cust-valid').getMap('customer').toJSON();
		expect(stored.companyName).toBe('cust-valid');
		expect(stored).not.toHaveProperty('isAdmin');
	});

	it('valid changes are projected into the customers and contacts tables in the same commit', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-projected');
		const a = open(server, c, 'cust-projected');
		await until(() => a.provider.synced);
		a.doc.transact(() => {
			a.doc.getMap('customer').set('companyName', 'Projected SARL');
			const contact = new Y.Map<string | boolean>();
			contact.set('firstName', 'Zoé');
			contact.set('lastName', 'Martin');
			contact.set('email', 'Zoe.Martin@Example.com');
			a.doc.getMap('contacts').set('k1', contact);
		});
		await a.acks.whenCommitted();
		const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
		const customer = db.prepare('SELECT company_name FROM customers WHERE id = ?').get('cust-projected');
		const contact = db.prepare('SELECT first_name, email_key, is_primary FROM contacts WHERE id = ?').get('k1');
		db.close();
		expect(customer).toEqual({ company_name: 'Projected SARL' });
		expect(contact).toEqual({ first_name: 'Zoé', email_key: 'zoe.martin@example.com', is_primary: 1 });
	});

	it('only admins change the workspace settings', async () => {
		const server = await boot();
		const admin = await signIn(server);
		const added = await admin.postForm('/admin/staff?/create', {
			name: 'Sam',
			email: 'sam@example.com',
			role: 'staff',
			password: 'sam-password'
		});
		expect(added.status).toBe(200);
		const staff = new Client(server.url);
		expect((await staff.login('sam@example.com', 'sam-password')).status).toBe(303);

		const adminDoc = open(server, admin, 'settings');
		await until(() => adminDoc.provider.synced);
		adminDoc.doc.getMap('defaultPermissions').set('invoices', true);
		await adminDoc.acks.whenCommitted();

		const staffDoc = open(server, staff, 'settings');
		await until(() => staffDoc.doc.getMap('defaultPermissions').get('invoices') === true, 5000, 'staff reads settings');
		let closeCode = 0;
		staffDoc.provider.on('connection-close', (e: CloseEvent | null) => (closeCode = e?.code ?? 0));
		staffDoc.doc.getMap('defaultPermissions').set('projects', true);
		await until(() => closeCode !== 0, 5000, 'close');
		expect(closeCode).toBe(4403);
		expect(readFromDisk(server.dataDir, 'settings').getMap('defaultPermissions').toJSON()).toEqual({ invoices: true });
	});
});

describe('[§6] invariants restored by the server after concurrent offline edits', () => {
	it('primaryContactId naming a contact deleted meanwhile is repaired to the remaining contact with the lowest id', async () => {
		const server = await boot();
		const c = await signIn(server);
		await createCustomer(server, c, 'cust-primary');
		const a = open(server, c, 'cust-primary');
		const b = open(server, c, 'cust-primary');
		await until(() => a.provider.synced && b.provider.synced);
		a.doc.transact(() => {
			a.doc.getMap('customer').set('companyName', 'Primary GmbH');
			for (const id of ['k-c', 'k-a', 'k-b']) {
				const contact = new Y.Map<string | number | null>();
				contact.set('firstName', id);
				contact.set('lastName', 'X');
				a.doc.getMap('contacts').set(id, contact);
			}
			a.doc.getMap('customer').set('primaryContactId', 'k-c');
		});
		await a.acks.whenCommitted();
		await until(() => b.doc.getMap('contacts').size === 3);

		// Offline: one device makes k-a primary; the other deletes k-a (not primary there).
		// Merged, primaryContactId names a deleted contact.
		a.provider.disconnect();
		b.provider.disconnect();
		a.doc.getMap('customer').set('primaryContactId', 'k-a');
		(b.doc.getMap('contacts').get('k-a') as Y.Map<number>).set('deletedAt', 1000);
		a.provider.connect();
		b.provider.connect();

		const repaired = (d: Y.Doc) => d.getMap('customer').get('primaryContactId') === 'k-b';
		await until(() => repaired(a.doc) && repaired(b.doc), 5000, 'the repair on both clients');
		await a.acks.whenCommitted();
		expect(readFromDisk(server.dataDir, 'cust-primary').getMap('customer').get('primaryContactId')).toBe('k-b');
	});
});
