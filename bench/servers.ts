/**
 * The two servers bench/sync-compare.ts measures, each in its own process on loopback, behind
 * one interface: Fieldbook (the real server/index.ts with a fresh SQLite file, signed in as a
 * staff user so every permission check runs) and the reference y-websocket server
 * (@y/websocket-server 0.1.1's own bin: in memory, no auth, no persistence).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { decodeFeed, encodeFeed } from '../src/lib/schema/feed-protocol.ts';
import { FEED_PATH, FeedMsg, SYNC_PATH } from '../src/lib/schema/protocol.ts';
import { Client } from '../tests/integration/helpers/http.ts';
import { RawSyncClient } from '../tests/integration/helpers/raw-sync.ts';
import { killOnExit, procStats, root, sleep, startServer, within } from './harness.ts';

export interface BenchServer {
	name: string;
	pid: number;
	/** The socket URL of a document. */
	docUrl(doc: string): string;
	/** What a signed-in browser sends with an upgrade (none for the reference). */
	headers: Record<string, string>;
	/** Creates documents (`inits[i]` is the creating update of `names[i]`) the way the server expects. */
	createDocs(names: string[], inits: Uint8Array[]): Promise<void>;
	cpuMs(): number;
	memory(): { rss: number; peak: number };
	stop(): Promise<void>;
}

const ADMIN = { email: 'sync-bench-admin@example.com', password: 'sync bench admin password' };
const STAFF = { email: 'sync.bench@example.com', password: 'sync bench staff password', name: 'Sync Bench' };
const ENV = {
	ADMIN_EMAIL: ADMIN.email,
	ADMIN_PASSWORD: ADMIN.password,
	// Thousands of sockets from one address as one user: far over what the limits allow a real client.
	LOGIN_MAX_PER_ADDRESS: '10000',
	SYNC_UPGRADES_PER_ADDRESS: '10000000',
	SYNC_UPGRADES_PER_USER: '10000000',
	// The 50 clients are one staff user standing for 50 people: each real user has sockets and a
	// byte budget of their own, so the per-user caps are raised to what 50 users would have.
	SYNC_MAX_SOCKETS_PER_USER: '100000',
	SYNC_BYTES_PER_USER_PER_SEC: String(50 * 1024 * 1024)
};

/**
 * A Fieldbook data directory with an admin and a signed-in staff user and no documents,
 * copied for every run: each run starts on a fresh file, yet with the same user id (which
 * the edits carry as manager and author) and the same session cookie.
 */
export class FieldbookTemplate {
	private constructor(
		private readonly dataDir: string,
		readonly authorId: string,
		private readonly cookie: string
	) {}

	static async create(): Promise<FieldbookTemplate> {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-sync-template-'));
		const server = await startServer(dataDir, ENV);
		try {
			const admin = new Client(server.url);
			if ((await admin.login(ADMIN.email, ADMIN.password)).status !== 303) throw new Error('admin sign-in failed');
			const created = await admin.postForm('/admin/staff?/create', { ...STAFF, role: 'staff' });
			if (created.status !== 200) throw new Error(`creating the staff account answered ${created.status}`);
			const authorId = await admin.staffId(STAFF.email);
			const staff = new Client(server.url);
			if ((await staff.login(STAFF.email, STAFF.password)).status !== 303) throw new Error('staff sign-in failed');
			return new FieldbookTemplate(dataDir, authorId, staff.cookieHeader);
		} finally {
			await server.stop();
		}
	}

	/** Fieldbook on a copy of the template; its sockets ask for acknowledgements (`?ack=1`) as the app's do. */
	async start(): Promise<BenchServer> {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-sync-bench-'));
		fs.cpSync(this.dataDir, dataDir, { recursive: true });
		const server = await startServer(dataDir, ENV);
		const ws = server.url.replace(/^http/, 'ws');
		const headers = { cookie: this.cookie, origin: new URL(server.url).origin };
		return {
			name: 'Fieldbook',
			pid: server.pid,
			docUrl: (doc) => `${ws}${SYNC_PATH}/${doc}?ack=1`,
			headers,
			createDocs: (names, inits) => createThroughFeed(ws + FEED_PATH, headers, names, inits),
			cpuMs: server.cpuMs,
			memory: server.memory,
			async stop() {
				await server.stop();
				fs.rmSync(dataDir, { recursive: true, force: true });
			}
		};
	}

	dispose(): void {
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}

/**
 * The reference y-websocket server: @y/websocket-server 0.1.1's own `y-websocket` bin, as
 * shipped, under plain node (its own ws 6 among its dependencies), in memory: no auth, and
 * no persistence (YPERSISTENCE and CALLBACK_URL unset).
 */
export async function startReference(): Promise<BenchServer> {
	const require = createRequire(import.meta.url);
	const pkgFile = require.resolve('@y/websocket-server/package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin: Record<string, string> };
	const bin = path.join(path.dirname(pkgFile), pkg.bin['y-websocket']);
	// The bin reads its port from PORT and would print "port 0" for a free one: pick one first.
	const port = await freePort();
	const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port) };
	const child = spawn(process.execPath, [bin], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	killOnExit(child);
	let output = '';
	child.stderr.on('data', (d: Buffer) => (output += d.toString()));
	await within(
		30_000,
		'reference server start',
		new Promise<void>((resolve, reject) => {
			child.stdout.on('data', (d: Buffer) => {
				output += d.toString();
				if (/running at/.test(output)) resolve();
			});
			child.once('exit', (code) => reject(new Error(`the reference server exited (${code}):\n${output}`)));
		})
	);
	const stats = procStats(child.pid!);
	return {
		name: 'reference',
		pid: child.pid!,
		docUrl: (doc) => `ws://127.0.0.1:${port}/${doc}`,
		headers: {},
		createDocs: (names, inits) => createOverSockets((doc) => `ws://127.0.0.1:${port}/${doc}`, names, inits),
		cpuMs: stats.cpuMs,
		memory: stats.memory,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise<void>((r) => child.once('exit', () => r()));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/**
 * Fieldbook creates a customer from its first update pushed over the background-sync feed (a
 * /sync upgrade needs an existing record), as the app does; each push is acknowledged after
 * its commit.
 */
async function createThroughFeed(
	url: string,
	headers: Record<string, string>,
	names: string[],
	inits: Uint8Array[]
): Promise<void> {
	const ws = new WebSocket(url, { headers, perMessageDeflate: false });
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	let acked = 0;
	let closed: number | null = null;
	ws.on('message', (data: Buffer) => {
		if (decodeFeed(new Uint8Array(data)).type === FeedMsg.ack) acked++;
	});
	ws.on('close', (code) => (closed = code));
	ws.send(encodeFeed({ type: FeedMsg.hello, since: 0 }));
	names.forEach((doc, i) => ws.send(encodeFeed({ type: FeedMsg.push, doc, update: inits[i] })));
	const end = Date.now() + 60_000;
	while (acked < names.length) {
		if (closed !== null) throw new Error(`Fieldbook closed the feed (code ${closed}) while creating documents`);
		if (Date.now() > end) throw new Error(`${acked} of ${names.length} documents created after 60 s`);
		await sleep(5);
	}
	ws.close();
}

/** The reference creates a document when a socket opens it; each creation is awaited (its echo). */
async function createOverSockets(docUrl: (doc: string) => string, names: string[], inits: Uint8Array[]): Promise<void> {
	for (let i = 0; i < names.length; i += 100) {
		await Promise.all(
			names.slice(i, i + 100).map(async (doc, j) => {
				let echoed = false;
				const c = await RawSyncClient.connect({ url: docUrl(doc), onRelay: () => (echoed = true) });
				c.sendUpdate(inits[i + j]);
				const end = Date.now() + 30_000;
				while (!echoed) {
					if (Date.now() > end) throw new Error(`the reference did not create ${doc}`);
					await sleep(2);
				}
				c.close();
			})
		);
	}
}

async function freePort(): Promise<number> {
	const probe = net.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as net.AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}
