/**
 * [§5][§6] Seeded random convergence over real sockets (issue #4): the simulated devices of
 * tests/simulation (an admin, three staff, a second device of one of them) on real WebSockets
 * to the real server process, editing with random disconnects and access changes while the
 * operating system and the server decide the timing. The in-process suite (tests/simulation)
 * controls delivery order and audits every message as it is sent; this checks the same
 * outcome end to end: every device holds exactly the records its user may read, equal to
 * what the server stored, every acknowledged change is stored, and the invariants hold.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordAccess } from '../../src/lib/schema/access.ts';
import { SimDevice, type DeviceNet } from '../simulation/harness/device.ts';
import { checkAcknowledged, checkDevices, checkInvariants, type CommittedView } from '../simulation/harness/checks.ts';
import { randomEdit } from '../simulation/harness/edits.ts';
import { Random } from '../simulation/harness/random.ts';
import type { SimUser } from '../simulation/harness/server.ts';
import { readFromDisk } from './helpers/disk.ts';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/sync.ts';
import { socketUrl, WsLink } from './helpers/ws-link.ts';

const SEEDS = [101, 102, 103];
const EDITS_PER_DEVICE = 500;

/** Each seed on a fresh server: a device's first catch-up brings every record it may read. */
let server: TestServer | null = null;
let users: { user: SimUser; client: Client }[] = [];

async function freshServer(): Promise<void> {
	await server?.stop();
	server = await startServer({
		LOGIN_MAX_PER_ADDRESS: '10000',
		SYNC_UPGRADES_PER_ADDRESS: '10000000',
		SYNC_UPGRADES_PER_USER: '10000000'
	});
	const admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	users = [{ user: { id: await admin.userId(), role: 'admin', email: ADMIN.email }, client: admin }];
	for (const name of ['ana', 'ben', 'cleo']) {
		const email = `${name}@example.com`;
		const res = await admin.postForm('/admin/staff?/create', {
			name,
			email,
			role: 'staff',
			password: 'staff-password-1'
		});
		expect(res.status).toBe(200);
		const c = new Client(server.url);
		expect((await c.login(email, 'staff-password-1')).status).toBe(303);
		users.push({ user: { id: await c.userId(), role: 'staff', email }, client: c });
	}
}

afterAll(async () => {
	await server?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the server stored, read from its SQLite file. */
function stored(dataDir: string): CommittedView {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	const names = (db.prepare(`SELECT name FROM documents WHERE name != 'settings'`).all() as { name: string }[]).map(
		(r) => r.name
	);
	db.close();
	const { docs } = readFromDisk(dataDir, names);
	return {
		docs,
		accessOf: (name) => (docs.has(name) ? recordAccess(docs.get(name)!) : null),
		customers: () => names.filter((n) => recordAccess(docs.get(n)!) !== null)
	};
}

async function run(seed: number): Promise<string[]> {
	await freshServer();
	const { url, origin, dataDir } = server!;
	const r = new Random(seed);
	const net: DeviceNet = {
		open(device, docName) {
			const { client } = users.find((u) => u.user.id === device.user.id)!;
			const headers = { cookie: client.cookieHeader, origin };
			return new WsLink(socketUrl(url, docName), headers, docName, device);
		}
	};
	const owners = [users[0], users[1], users[2], users[3], r.pick(users.slice(1))].map((u) => u.user);
	const devices = owners.map((u, i) => new SimDevice(i, u, net, 'fixed'));
	let docs = 0;
	let contacts = 0;
	const world = {
		r,
		now: Date.now(),
		userIds: users.map((u) => u.user.id),
		newDocName: (starved: boolean) => (docs < (starved ? 8 : 4) ? `doc-${++docs}` : null),
		newContactId: () => `contact-${++contacts}`,
		badEdits: 0.03
	};
	for (const d of devices) d.connect();
	for (let step = 0; devices.some((d) => d.edits < EDITS_PER_DEVICE); step++) {
		switch (r.weighted({ edit: 1, disconnect: 0.02, reconnect: 0.06, live: 0.04 })) {
			case 'edit': {
				const d = r.pick(devices.filter((dev) => dev.edits < EDITS_PER_DEVICE));
				world.now += 1000;
				if (randomEdit(d, world) === 'none') d.edits++;
				break;
			}
			case 'disconnect': {
				const online = devices.filter((d) => d.online);
				if (online.length > 0) r.pick(online).disconnect();
				break;
			}
			case 'reconnect': {
				const offline = devices.filter((d) => !d.online);
				if (offline.length > 0) r.pick(offline).connect();
				break;
			}
			case 'live': {
				const d = r.pick(devices);
				const names = [...d.docs.keys()];
				if (names.length === 0) break;
				const name = r.pick(names);
				if (d.live.has(name)) d.closeLive(name);
				else d.openLive(name);
				break;
			}
		}
		// Let the sockets carry what was sent: sometimes at once, sometimes after a while.
		if (step % 3 === 0) await sleep(r.int(3));
	}

	// Heal: every device online until nothing is waiting and nothing has changed for a while.
	for (const d of devices) d.connect();
	const fingerprint = () =>
		devices
			.map((d) => [...d.docs].map(([n, doc]) => `${n}:${Buffer.from(Y.encodeStateVector(doc)).toString('base64')}`))
			.join('|') + devices.map((d) => `${d.pendingCount}/${d.acked.length}/${d.notSaved.length}`).join(',');
	let last = '';
	let quietSince = Date.now();
	await until(
		() => {
			for (const d of devices) if (!d.online) d.connect();
			const now = fingerprint();
			if (now !== last) [last, quietSince] = [now, Date.now()];
			const settled = devices.every((d) => d.online && d.caughtUp && d.pendingCount === 0);
			return settled && Date.now() - quietSince > 500;
		},
		30_000,
		`seed ${seed} to settle`
	);
	const view = stored(dataDir);
	const failures: string[] = [];
	checkDevices(view, devices, failures);
	checkAcknowledged(view, devices, failures);
	checkInvariants(view, failures);
	for (const d of devices) d.disconnect();
	return failures;
}

describe('[§5][§6] 5 devices with random disconnects and access changes, over real sockets', () => {
	it.each(SEEDS)(
		'seed %i: every device converges on what it may read, nothing acknowledged is lost',
		async (seed) => {
			expect(await run(seed)).toEqual([]);
		},
		120_000
	);
});
