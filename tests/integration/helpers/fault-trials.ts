/**
 * The fault harness: the real server process is killed with SIGKILL at random moments while
 * devices (helpers/devices.ts; half on live /sync sockets, half on the /feed background sync)
 * push the edits they made offline and keep editing, then restarted on the same data
 * directory. After every kill, before the restart, the SQLite file is checked as another
 * process would find it: `PRAGMA integrity_check`, and every change the server had
 * acknowledged must be in it. After the restart every device reconnects, and the trial ends
 * when every change of every device is acknowledged and all devices hold the same documents,
 * which must equal what the file holds.
 *
 * Used by tests/integration/durability-faults.test.ts (3 trials, correctness only) and by
 * `npm run bench` (bench/faults.ts: 20 trials, `--trials=100` for more, with timings).
 */
import fs from 'node:fs';
import * as Y from 'yjs';
import { newId } from '../../../src/lib/schema/ids.ts';
import { Device, FeedDevice, SyncDevice, type Endpoint } from './devices.ts';
import { content, readFromDisk } from './disk.ts';
import { makeRandom, newCustomer, randomEdit } from './edits.ts';
import { Client } from './http.ts';
import { ADMIN, startServer, type TestServer } from './server.ts';

export interface FaultOptions {
	trials: number;
	devices?: number;
	/** Documents every device shares with others (each device works on two of them). */
	sharedDocs?: number;
	/** The kill falls uniformly in [0, maxKillMs] after the devices start reconnecting. */
	maxKillMs?: number;
	/** Each device makes about one edit per this many ms while online. */
	editEveryMs?: number;
	seed?: number;
	/** A trial that has not converged by then ends the run (reported, not thrown). */
	convergeTimeoutMs?: number;
	log?: (line: string) => void;
}

export interface TrialResult {
	trial: number;
	/** When the kill came, after the devices started reconnecting. */
	killAfterMs: number;
	/** Edits made this trial (offline, then online until the kill). */
	edits: number;
	/** Of those, acknowledged before the kill. */
	acked: number;
	/** Of those, in the file after the kill (acknowledged or not yet). */
	onDisk: number;
	/** Acknowledged edits (of any trial so far) missing from the file after the kill … */
	lost: number;
	/** … of this many checked. */
	checked: number;
	integrity: string;
	/** Kill to the restarted server listening. */
	restartMs: number;
	/** Kill to every device's changes acknowledged and every device holding the same documents (NaN: never). */
	convergeMs: number;
	converged: boolean;
	/** After convergence: edits of any device missing from the file, and documents differing from it. */
	missing: number;
	differing: number;
}

export interface FaultReport {
	trials: TrialResult[];
	devices: number;
	documents: number;
	edits: number;
	/** After a clean stop at the end. */
	finalIntegrity: string;
	finalMissing: number;
	finalDiffering: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runFaultTrials(opts: FaultOptions): Promise<FaultReport> {
	const nDevices = opts.devices ?? 50;
	const nShared = opts.sharedDocs ?? 10;
	const maxKillMs = opts.maxKillMs ?? 1500;
	const editEveryMs = opts.editEveryMs ?? 100;
	const convergeTimeout = opts.convergeTimeoutMs ?? 30_000;
	const log = opts.log ?? (() => {});
	const r = makeRandom(opts.seed ?? 4242);
	// Fifty devices reconnecting after every kill, from one address as one user: far more sign-ins
	// and upgrades than the rate limits allow a real client, and the sockets and bytes of fifty.
	const env = {
		LOGIN_MAX_PER_ADDRESS: '10000',
		SYNC_UPGRADES_PER_ADDRESS: '10000000',
		SYNC_UPGRADES_PER_USER: '10000000',
		SYNC_MAX_SOCKETS_PER_USER: '100000',
		SYNC_BYTES_PER_USER_PER_SEC: String(50 * 1024 * 1024)
	};

	let server: TestServer | null = await startServer(env, { keepData: true });
	const dataDir = server.dataDir;
	try {
		// One staff account (not an admin: every permission check runs), one session for all devices.
		const admin = new Client(server.url);
		if ((await admin.login(ADMIN.email, ADMIN.password)).status !== 303) throw new Error('admin sign-in failed');
		const email = 'field.rep@example.com';
		const password = 'field rep password 1';
		const added = await admin.postForm('/admin/staff?/create', { name: 'Field Rep', email, role: 'staff', password });
		if (added.status !== 200) throw new Error(`creating the staff account answered ${added.status}`);
		const authorId = await admin.staffId(email);
		const staff = new Client(server.url);
		if ((await staff.login(email, password)).status !== 303) throw new Error('staff sign-in failed');
		const endpoint = (s: TestServer): Endpoint => ({
			ws: s.url.replace(/^http/, 'ws'),
			headers: { cookie: staff.cookieHeader, origin: s.origin }
		});

		const devices: Device[] = [];
		const trackers = new Map<string, Device[]>();
		const track = (d: Device, name: string, doc: Y.Doc) => {
			d.track(name, doc);
			trackers.set(name, [...(trackers.get(name) ?? []), d]);
		};
		// New customers are created through the background-sync feed (a /sync upgrade needs an
		// existing record): one device creates the shared ones, as the app would after "New company".
		const creator = new FeedDevice(-1);
		const shared = Array.from({ length: nShared }, (_, i) => {
			const name = newId();
			creator.track(name, newCustomer(authorId, `Shared ${i} GmbH`));
			return { name, init: Y.encodeStateAsUpdate(creator.docs.get(name)!) };
		});
		await creator.connect(endpoint(server));
		const created = Date.now() + 10_000;
		while (!creator.allCommitted) {
			if (Date.now() > created) throw new Error('the shared customers were not created within 10 s');
			await sleep(5);
		}
		creator.disconnect();
		for (let i = 0; i < nDevices; i++) {
			const d = i % 2 === 0 ? new SyncDevice(i) : new FeedDevice(i);
			const a = i % nShared;
			const b = (a + 1 + ((i >> 1) % (nShared - 1))) % nShared;
			for (const s of [shared[a], shared[b]]) {
				const doc = new Y.Doc();
				Y.applyUpdate(doc, s.init);
				track(d, s.name, doc);
			}
			devices.push(d);
		}

		const converged = () => {
			for (const d of devices) if (!d.online || !d.allCommitted) return false;
			for (const [name, ds] of trackers) {
				if (ds.length < 2) continue;
				const first = Y.encodeStateVector(ds[0].docs.get(name)!);
				for (const d of ds.slice(1))
					if (!Buffer.from(Y.encodeStateVector(d.docs.get(name)!)).equals(first)) return false;
			}
			return true;
		};
		const reconnectAll = async (s: TestServer, spreadMs: number) => {
			await Promise.all(
				devices.map(async (d) => {
					await sleep(r() * spreadMs);
					for (let attempt = 0; ; attempt++) {
						try {
							return await d.connect(endpoint(s));
						} catch (e) {
							if (attempt >= 50) throw e;
							await sleep(50 + r() * 100);
						}
					}
				})
			);
		};
		const waitConverged = async (): Promise<boolean> => {
			const end = Date.now() + convergeTimeout;
			while (!converged()) {
				if (Date.now() > end) return false;
				await sleep(20);
			}
			return true;
		};
		const verify = () => {
			const { docs, integrity } = readFromDisk(dataDir, trackers.keys());
			let missing = 0;
			let differing = 0;
			for (const d of devices)
				for (const e of d.edits) if (Y.getState(docs.get(e.doc)!.store, e.client) < e.clock) missing++;
			for (const [name, ds] of trackers) {
				const disk = content(docs.get(name)!);
				if (ds.some((d) => content(d.docs.get(name)!) !== disk)) differing++;
			}
			return { integrity, missing, differing };
		};

		await reconnectAll(server, 200);
		if (!(await waitConverged())) throw new Error(`the devices did not sync within ${convergeTimeout} ms`);
		log(`${nDevices} devices on ${nShared} shared documents, in sync`);

		const results: TrialResult[] = [];
		let n = 0;
		for (let trial = 1; trial <= opts.trials; trial++) {
			const firstEdit = new Map(devices.map((d) => [d, d.edits.length]));
			// Offline: every device drops its sockets and edits; now and then a background-sync
			// device adds a customer (pushed, and so created, when it is back online).
			for (const d of devices) d.disconnect();
			for (const d of devices) {
				if (d instanceof FeedDevice && r() < 0.2)
					track(d, newId(), newCustomer(authorId, `Offline ${trial}-${d.id} SARL`));
				const names = [...d.docs.keys()];
				const count = 1 + Math.floor(r() * 5);
				for (let k = 0; k < count; k++) randomEdit(r, d, names[Math.floor(r() * names.length)], authorId, n++);
			}

			// Back online, staggered over 300 ms, editing on; the kill falls somewhere in there.
			const live = server;
			let editing = true;
			// A connect the kill cuts short fails; the device reconnects after the restart.
			const connecting = devices.map(async (d) => {
				await sleep(r() * 300);
				if (editing) await d.connect(endpoint(live)).catch(() => {});
			});
			const editor = (async () => {
				while (editing) {
					await sleep(10);
					for (const d of devices) {
						if (!editing || r() > 10 / editEveryMs) continue;
						const names = [...d.docs.keys()];
						randomEdit(r, d, names[Math.floor(r() * names.length)], authorId, n++);
					}
				}
			})();
			const killAfterMs = Math.round(r() * maxKillMs);
			await sleep(killAfterMs);
			editing = false;
			await editor;
			const killedAt = performance.now();
			await server.stop('SIGKILL');
			server = null;
			await Promise.all(connecting);
			const end = Date.now() + 10_000;
			while (devices.some((d) => !d.closed)) {
				if (Date.now() > end) throw new Error('sockets still open 10 s after the kill');
				await sleep(5);
			}

			// The file as the crash left it: intact, and holding everything acknowledged.
			const { docs, integrity } = readFromDisk(dataDir, trackers.keys());
			const onDiskOf = (e: { doc: string; client: number; clock: number }) =>
				Y.getState(docs.get(e.doc)!.store, e.client) >= e.clock;
			const ackedSoFar = devices.flatMap((d) => d.ackedEdits());
			const lost = ackedSoFar.filter((e) => !onDiskOf(e)).length;
			const mine = devices.flatMap((d) => d.edits.slice(firstEdit.get(d)));
			const acked = devices.flatMap((d) => d.ackedEdits().filter((e) => d.edits.indexOf(e) >= firstEdit.get(d)!));

			server = await startServer(env, { dataDir, keepData: true });
			const restartMs = performance.now() - killedAt;
			await reconnectAll(server, 200);
			const ok = await waitConverged();
			const convergeMs = ok ? performance.now() - killedAt : NaN;
			const after = verify();
			const result: TrialResult = {
				trial,
				killAfterMs,
				edits: mine.length,
				acked: acked.length,
				onDisk: mine.filter(onDiskOf).length,
				lost,
				checked: ackedSoFar.length,
				integrity,
				restartMs,
				convergeMs,
				converged: ok,
				missing: after.missing,
				differing: after.differing
			};
			results.push(result);
			log(
				`trial ${trial}: kill at +${killAfterMs} ms; ${result.edits} edits, ${result.acked} acknowledged, ` +
					`${result.onDisk} on disk; lost ${lost}; integrity ${integrity}; restart ${Math.round(restartMs)} ms, ` +
					(ok ? `converged ${Math.round(convergeMs)} ms after the kill` : `NOT converged in ${convergeTimeout} ms`)
			);
			// Devices that cannot converge leave nothing sound to run further trials on.
			if (!ok) break;
		}

		for (const d of devices) d.disconnect();
		await server.stop('SIGTERM');
		server = null;
		const final = verify();
		return {
			trials: results,
			devices: nDevices,
			documents: trackers.size,
			edits: devices.reduce((s, d) => s + d.edits.length, 0),
			finalIntegrity: final.integrity,
			finalMissing: final.missing,
			finalDiffering: final.differing
		};
	} finally {
		await server?.stop('SIGKILL');
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}
