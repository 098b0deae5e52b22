/**
 * Seeds a fresh Fieldbook data directory with a workspace for the benchmark, through the
 * server's own modules: the admin and two staff accounts (Auth), the settings document, and
 * N companies with three contacts each, every update validated as the sync server validates
 * it, appended to the document log (SqliteDocStore.append) and projected into the SQL tables
 * (projectCustomer, decideWelcomeMails) in the same transaction, as the server's commit does.
 *
 *   node --import tsx bench/seed.ts --dir /tmp/fieldbook-bench --customers 10000
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { Auth } from '../server/auth.ts';
import { openDatabase } from '../server/db.ts';
import { decideWelcomeMails } from '../server/outbox.ts';
import { projectCustomer } from '../server/projection.ts';
import { SqliteDocStore, type AppendedUpdate } from '../server/sync/doc-store.ts';
import { validateUpdate, type DocKind } from '../server/sync/validate.ts';
import { customerMap, primaryContactId } from '../src/lib/schema/customer-doc.ts';
import { addContactType, SETTINGS_DOC, setDefaultPermission } from '../src/lib/schema/settings.ts';
import type { PortalPermission } from '../src/lib/schema/records.ts';
import { buildCustomer, CONTACT_TYPES, customerRecipe, DEFAULT_PERMISSIONS, makeRandom } from './data.ts';

export const BENCH_ADMIN = { email: 'bench-admin@example.com', password: 'bench admin password 1' } as const;

export interface SeedOptions {
	dataDir: string;
	customers: number;
	contactsPerCustomer?: number;
	/** PRNG seed: the same seed gives the same names, cities and phones (ids are fresh UUIDv7s). */
	seed?: number;
	/** Customers per SQLite transaction. */
	batch?: number;
}

export interface SeedResult {
	dataDir: string;
	adminId: string;
	customers: number;
	contacts: number;
	updates: number;
	updateBytes: number;
	sqliteBytes: number;
	ms: number;
}

/** A document as the server holds it: each update validated, then applied (Room does the same). */
function serverCopy(name: string, updates: Uint8Array[], kind: DocKind): Y.Doc {
	const doc = new Y.Doc({ gc: true });
	for (const u of updates) {
		const verdict = validateUpdate(doc, u, kind);
		if (!verdict.ok) throw new Error(`seed: the server would refuse an update of ${name}: ${verdict.reason}`);
		Y.applyUpdate(doc, u);
	}
	// The server repairs a customer whose named primary contact differs from the effective one
	// (Room.restoreInvariants) as its own change when it loads the room: the app never leaves
	// one like that, and neither may the seed.
	if (kind === 'customer' && customerMap(doc).get('primaryContactId') !== primaryContactId(doc)) {
		throw new Error(`seed: ${name} names no valid primary contact`);
	}
	return doc;
}

export async function seed(opts: SeedOptions): Promise<SeedResult> {
	const started = performance.now();
	const perCustomer = opts.contactsPerCustomer ?? 3;
	const batchSize = opts.batch ?? 500;
	if (fs.existsSync(opts.dataDir) && fs.readdirSync(opts.dataDir).length > 0) {
		throw new Error(`seed: ${opts.dataDir} is not empty; seed a fresh directory`);
	}
	const file = path.join(opts.dataDir, 'fieldbook.sqlite');
	const db = openDatabase(file);
	try {
		const auth = new Auth(db, { loginMaxPerAccount: 10, loginMaxPerAddress: 50, loginWindowMs: 900_000 });
		if (!(await auth.bootstrapAdmin(BENCH_ADMIN.email, BENCH_ADMIN.password))) throw new Error('seed: accounts exist');
		const admin = auth.users.findForLogin(BENCH_ADMIN.email)?.user;
		if (!admin) throw new Error('seed: the admin account was not created');
		const staff = [admin.id];
		for (const name of ['Bea Bench', 'Cai Bench']) {
			const r = await auth.createStaff({
				name,
				email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
				role: 'staff',
				password: 'bench staff password 1'
			});
			if (!r.ok) throw new Error(`seed: could not create ${name}`);
			staff.push(r.user.id);
		}

		const store = new SqliteDocStore(db);
		let updates = 0;
		let updateBytes = 0;

		// The settings document: contact types and one default portal permission, as an admin sets them.
		const settings = new Y.Doc();
		const settingsUpdates: Uint8Array[] = [];
		settings.on('update', (u: Uint8Array) => settingsUpdates.push(u));
		for (const t of CONTACT_TYPES) addContactType(settings, t.id, t.name);
		for (const [p, on] of Object.entries(DEFAULT_PERMISSIONS))
			setDefaultPermission(settings, p as PortalPermission, on);
		serverCopy(SETTINGS_DOC, settingsUpdates, 'settings').destroy();
		store.append(settingsUpdates.map((data) => ({ doc: SETTINGS_DOC, data, userId: admin.id })));
		updates += settingsUpdates.length;

		const random = makeRandom(opts.seed ?? 20_240_917);
		const end = Date.now() - 86_400_000;
		for (let from = 0; from < opts.customers; from += batchSize) {
			const rows: AppendedUpdate[] = [];
			const docs: [string, Y.Doc][] = [];
			for (let i = from; i < Math.min(opts.customers, from + batchSize); i++) {
				const recipe = customerRecipe(random, i, opts.customers, end, perCustomer);
				// Most records are the admin's; the rest belong to the two staff members.
				const author = i % 10 < 7 ? staff[0] : staff[1 + (i % 2)];
				const built = buildCustomer(recipe, author);
				built.doc.destroy();
				docs.push([recipe.id, serverCopy(recipe.id, built.updates, 'customer')]);
				for (const data of built.updates) {
					rows.push({ doc: recipe.id, data, userId: author });
					updateBytes += data.byteLength;
				}
			}
			const now = Date.now();
			store.append(rows, () => {
				for (const [name, doc] of docs) {
					projectCustomer(db, name, doc);
					decideWelcomeMails(db, name, doc, now);
				}
			});
			for (const [, doc] of docs) doc.destroy();
			updates += rows.length;
		}
		const counts = db
			.prepare('SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM contacts) AS contacts')
			.get() as { customers: number; contacts: number };
		if (counts.customers !== opts.customers || counts.contacts !== opts.customers * perCustomer) {
			throw new Error(`seed: projected ${counts.customers} customers and ${counts.contacts} contacts`);
		}
		db.pragma('wal_checkpoint(TRUNCATE)');
		return {
			dataDir: opts.dataDir,
			adminId: admin.id,
			customers: counts.customers,
			contacts: counts.contacts,
			updates,
			updateBytes,
			sqliteBytes: fs.statSync(file).size,
			ms: performance.now() - started
		};
	} finally {
		db.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { values } = parseArgs({
		options: { dir: { type: 'string' }, customers: { type: 'string', default: '10000' } }
	});
	if (!values.dir) {
		console.error('usage: node --import tsx bench/seed.ts --dir <empty dir> [--customers 10000]');
		process.exit(2);
	}
	const result = await seed({ dataDir: path.resolve(values.dir), customers: Number(values.customers) });
	console.log(JSON.stringify(result, null, 2));
	console.log(`Sign in as ${BENCH_ADMIN.email} / ${BENCH_ADMIN.password}`);
}
