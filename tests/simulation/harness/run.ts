/**
 * One seeded run: the real server in process, devices on a simulated network, and a
 * scheduler that picks what happens next — a message delivered on some socket (any socket,
 * so messages of different sockets and documents reorder; in order within one), a commit of
 * what the server has received, an edit, a dropped connection (everything in flight lost),
 * a reconnect, the server noticing a dropped socket, a record opened or closed live. Then the
 * run heals (every device online, every message delivered, every commit made) and is checked
 * (checks.ts). The same seed gives the same run: `SIM_SEED=<seed>` replays one.
 */
import fs from 'node:fs';
import { randomEdit, type EditKind } from './edits.ts';
import { auditSend, checkAcknowledged, checkDevices, checkInvariants, checkStore, type SendAudit } from './checks.ts';
import { SimDevice, type DeviceNet } from './device.ts';
import { Link, serverTurn } from './network.ts';
import { Random, seedRandomValues } from './random.ts';
import { InProcessServer, type SimUser } from './server.ts';

export interface RunOptions {
	seed: number;
	devices?: number;
	editsPerDevice?: number;
	/** Customer documents the devices create at most. */
	maxDocs?: number;
	/** Share of edits that the server must refuse. */
	badEdits?: number;
	/** Compact a document's log after this many updates (small: catch-up meets snapshots). */
	compactAfter?: number;
	/** How devices take refusals and acknowledgements of pushes answered late (device.ts). */
	device?: 'fixed' | 'app';
	/** Tells the run's story, event by event (for replaying a failing seed). */
	trace?: (line: string) => void;
	/** Where the run's SQLite file goes (a temp dir inside it). */
	dir?: string;
}

export interface RunReport {
	seed: number;
	edits: Record<EditKind, number>;
	/** Refusals and removals that moved local changes to "not saved", and the changes moved. */
	notSaved: number;
	notSavedChanges: number;
	/** Of those changes, ones the server had in fact committed (reported not saved, yet kept). */
	savedButNotSaved: number;
	/** Refusals of pushes already refused (ignored), and changes an acknowledgement showed saved after all. */
	staleRefusals: number;
	savedLate: number;
	acknowledged: number;
	documents: number;
	/** Documents left with no manager (concurrent removals; admins still read them). */
	noManagers: number;
	deliveries: number;
	commits: number;
	disconnects: number;
	leaks: string[];
	uncommitted: string[];
	spuriousRefusals: string[];
	failures: string[];
	ms: number;
}

/**
 * Edits per device and seed: 5 devices × 100 = 500 edits per seed, the suite's figure (200
 * seeds in about a minute and a half on the 2-vCPU VM). 500 per device is a `--edits=500` away
 * in bench/convergence.ts (about 1.3 s a seed instead of 0.4 s).
 */
export const EDITS_PER_DEVICE = 100;

const USERS: SimUser[] = [
	{ id: 'u-admin', role: 'admin', email: 'admin@example.com' },
	{ id: 'u-ana', role: 'staff', email: 'ana@example.com' },
	{ id: 'u-ben', role: 'staff', email: 'ben@example.com' },
	{ id: 'u-cleo', role: 'staff', email: 'cleo@example.com' }
];

/**
 * What the scheduler does when it does not deliver a message, by weight. A commit is the
 * server's turn of the event loop ending (it also commits before it loads a document).
 */
const ACTIONS = { edit: 1, commit: 0.2, disconnect: 0.015, reconnect: 0.06, notice: 0.04, live: 0.15 } as const;

/**
 * With n messages in flight, the next step delivers one with probability n / (n + LATENCY):
 * several are usually in flight on several sockets, and which one arrives first is random.
 */
const LATENCY = 2;

/** Everything that must not happen (empty for a good run). The count of uncommitted sends is reported, not judged. */
export function problems(report: RunReport): string[] {
	return [
		...report.failures,
		...report.leaks.map((l) => `leak: ${l}`),
		...report.spuriousRefusals.map((s) => `refused though it changed nothing: ${s}`)
	];
}

/** A RAM-backed temp dir where there is one (Linux): the runs measure the server, not the disk. */
function memoryDir(): string | undefined {
	return fs.existsSync('/dev/shm') ? '/dev/shm' : undefined;
}

export async function runSeed(opts: RunOptions): Promise<RunReport> {
	const t0 = performance.now();
	await seedRandomValues(opts.seed);
	const r = new Random(opts.seed);
	const server = InProcessServer.start(USERS, { compactAfter: opts.compactAfter ?? 40, dir: opts.dir ?? memoryDir() });
	try {
		return { ...simulate(server, r, opts), ms: Math.round(performance.now() - t0) };
	} finally {
		await server.close();
		await seedRandomValues(null);
	}
}

function simulate(server: InProcessServer, r: Random, opts: RunOptions): Omit<RunReport, 'ms'> {
	const nDevices = opts.devices ?? 5;
	const budget = opts.editsPerDevice ?? EDITS_PER_DEVICE;
	const maxDocs = opts.maxDocs ?? 4;
	const audit: SendAudit = { leaks: [], uncommitted: [] };
	server.oracle.trace = opts.trace;
	const links: Link[] = [];
	let nextLink = 1;
	const net: DeviceNet = {
		open(device, docName) {
			const link = new Link(nextLink++, docName, device.user.id, device, (l, data) =>
				auditSend(server, device.user, l, data, audit)
			);
			if (!server.sync.attach(link.socket, device.user, docName, true)) return null;
			links.push(link);
			return link;
		}
	};
	// One admin, three staff; the fifth device is a second device of a staff user.
	const owners = [USERS[0], USERS[1], USERS[2], USERS[3], r.pick(USERS.slice(1))];
	const devices = Array.from(
		{ length: nDevices },
		(_, i) => new SimDevice(i, owners[i % owners.length], net, opts.device ?? 'fixed', opts.trace)
	);
	const edits: Record<EditKind, number> = { valid: 0, bad: 0, create: 0, none: 0 };
	let docs = 0;
	let contacts = 0;
	let deliveries = 0;
	let disconnects = 0;
	let now = Date.UTC(2026, 0, 1);
	const world = {
		r,
		now,
		userIds: USERS.map((u) => u.id),
		newDocName: (starved: boolean) => (docs < (starved ? 2 * maxDocs : maxDocs) ? `doc-${++docs}` : null),
		newContactId: () => `contact-${++contacts}`,
		badEdits: opts.badEdits ?? 0.03
	};
	/** Back online, with a record or two open again (its room stays loaded while open). */
	const reconnect = (d: SimDevice) => {
		d.connect();
		const names = [...d.docs.keys()];
		for (let i = r.int(4); i > 0 && names.length > 0; i--) d.openLive(r.pick(names));
	};
	for (const d of devices) if (r.chance(0.8)) reconnect(d);

	const busy = () => {
		let n = 0;
		for (const l of links) n += l.toServer.length + l.toClient.length;
		return n;
	};
	const deliver = () => {
		const candidates = links.filter((l) => l.busy);
		if (candidates.length === 0) return false;
		const link = r.pick(candidates);
		const up = link.toServer.length > 0 && (link.toClient.length === 0 || r.chance(0.5));
		if (up) link.deliverToServer();
		else link.deliverToClient();
		deliveries++;
		return true;
	};
	const noticeOne = () => {
		const lingering = links.filter((l) => l.lingering);
		if (lingering.length > 0) r.pick(lingering).noticeLoss();
	};
	const prune = () => {
		for (let i = links.length - 1; i >= 0; i--) if (links[i].dead && !links[i].lingering) links.splice(i, 1);
	};

	for (let step = 0; devices.some((d) => d.edits < budget); step++) {
		if (step % 256 === 0) prune();
		const queued = busy();
		if (queued > 0 && r.chance(queued / (queued + LATENCY))) {
			deliver();
			continue;
		}
		switch (r.weighted(ACTIONS)) {
			case 'edit': {
				const d = r.pick(devices.filter((dev) => dev.edits < budget));
				world.now = now += 1000;
				const kind = randomEdit(d, world);
				edits[kind]++;
				if (kind === 'none') d.edits++; // nothing this device may do now: the turn counts
				break;
			}
			case 'commit':
				opts.trace?.(`commit (${server.store.maxSeq()})`);
				serverTurn(() => server.sync.queue.flush());
				break;
			case 'disconnect': {
				const online = devices.filter((d) => d.online);
				if (online.length === 0) break;
				r.pick(online).disconnect();
				disconnects++;
				break;
			}
			case 'reconnect': {
				const offline = devices.filter((d) => !d.online);
				if (offline.length > 0) reconnect(r.pick(offline));
				break;
			}
			case 'notice':
				noticeOne();
				break;
			case 'live': {
				const d = r.pick(devices);
				const names = [...d.docs.keys()];
				if (names.length === 0) break;
				// Records stay open a while (and their rooms loaded, as on a busy office day).
				const open = names.filter((n) => d.live.has(n));
				if (open.length > 0 && r.chance(0.3)) d.closeLive(r.pick(open));
				else d.openLive(r.pick(names));
				break;
			}
		}
	}

	// Heal: everyone online, everything delivered and committed, every dropped socket noticed.
	const failures: string[] = [];
	for (let round = 0; ; round++) {
		if (round > 20) {
			failures.push('the run did not settle after 20 rounds');
			break;
		}
		for (const d of devices) d.connect();
		while (deliver()) if (r.chance(0.1)) serverTurn(() => server.sync.queue.flush());
		serverTurn(() => server.sync.queue.flush());
		for (const l of links) if (l.lingering) l.noticeLoss();
		prune();
		// Settled: every push answered (checkDevices fails any change still waiting).
		if (busy() === 0 && server.sync.queue.idle) break;
	}

	checkDevices(server.oracle, devices, failures);
	const savedButNotSaved = checkAcknowledged(server.oracle, devices, failures);
	checkStore(server, failures);
	const { noManagers } = checkInvariants(server.oracle, failures);
	const notSaved = devices.flatMap((d) => d.notSaved);
	return {
		seed: opts.seed,
		edits,
		notSaved: notSaved.length,
		notSavedChanges: notSaved.reduce((n, e) => n + e.rows.length, 0),
		savedButNotSaved,
		staleRefusals: devices.reduce((n, d) => n + d.staleRefusals, 0),
		savedLate: devices.reduce((n, d) => n + d.savedLate, 0),
		acknowledged: devices.reduce((n, d) => n + d.acked.length, 0),
		documents: server.oracle.customers().length,
		noManagers,
		deliveries,
		commits: server.sync.queue.batches,
		disconnects,
		leaks: audit.leaks,
		uncommitted: audit.uncommitted,
		spuriousRefusals: devices.flatMap((d) => d.spuriousRefusals.map((s) => `device ${d.index}: ${s}`)),
		failures
	};
}
