/**
 * Builds the server from a Config: database, auth, sync endpoint, and (when given) the
 * SvelteKit handler, all on one HTTP server, one port, one origin.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Auth } from './auth.ts';
import type { Config } from './config.ts';
import { type AppContext, installContext, uninstallContext } from './context.ts';
import { openDatabase, type Db } from './db.ts';
import { startCheckpointer } from './checkpointer.ts';
import { ContactCredentials } from './contact-credentials.ts';
import { decideManagerMails, decideWelcomeMails } from './outbox.ts';
import { EmailClaims } from './email-claims.ts';
import { HistoryLog } from './history.ts';
import { Imports } from './import/imports.ts';
import { handleImportUpload, isImportUpload } from './import/upload.ts';
import { Health } from './health.ts';
import { Mail } from './mail/mail.ts';
import { PortalAuth } from './portal/auth.ts';
import { PORTAL_SESSION_MAX_AGE_MS } from './portal/sessions.ts';
import { Modules } from './modules/modules.ts';
import { projectCustomer } from './projection.ts';
import { AccessIndex } from './sync/access-index.ts';
import { SqliteDocStore } from './sync/doc-store.ts';
import { recoverDerived } from './sync/derived-recovery.ts';
import { SETTINGS_DOC } from '../src/lib/schema/settings.ts';
import { SyncServer, type SyncServerOptions } from './sync/sync-server.ts';
import { UpgradeLimits } from './sync/upgrade-limits.ts';
import { CloseCode } from '../src/lib/schema/protocol.ts';
import { screenRequest } from './request-guard.ts';

/**
 * adapter-node must know the public origin for SvelteKit's CSRF check; it reads ORIGIN (or
 * a protocol header) when its handler module loads, and without either assumes https.
 * With PUBLIC_URL, that is the origin. Without it, the origin is http:// + the Host header
 * (loopback or LAN), told through a header this server sets on every request itself, so
 * no client can choose it.
 */
const PROTOCOL_HEADER = 'x-fieldbook-protocol';

export function configureAdapterEnv(config: Config): void {
	if (config.publicUrl) process.env.ORIGIN = config.publicUrl.origin;
	else process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
}

export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

export interface App {
	ctx: AppContext;
	close(): Promise<void>;
}

/**
 * What is derived from a customer document, inside a transaction (the commit's or the one right
 * after it: sync/derived.ts): the SQL mirror and the mails it calls for. Shared with the in-process convergence simulation (tests/simulation).
 */
export function projectDocument(db: Db, modules = new Modules(db)): SyncServerOptions['project'] {
	return (name, doc, by, touched) => {
		if (name === SETTINGS_DOC) return;
		// Before projectCustomer: it compares the document's managers with the projected ones.
		if (touched.managers) decideManagerMails(db, name, doc, by ?? undefined);
		projectCustomer(db, name, doc, touched);
		if (touched.contacts) decideWelcomeMails(db, name, doc);
		// After the contacts: a notification flag changed in the same batch already counts.
		if (touched.modules) modules.project(name, doc, by, touched.modules);
	};
}

/** Opens the database and creates the shared context (no network yet). */
export async function createApp(config: Config): Promise<App> {
	const db = openDatabase(path.join(config.dataDir, 'fieldbook.sqlite'));
	// WAL checkpoints (and their fsyncs) in a thread of their own, not in a commit (checkpointer.ts).
	const checkpointer = startCheckpointer(db);
	const auth = new Auth(db, config);
	const originFor = (req: http.IncomingMessage | Request) => {
		if (config.publicUrl) return config.publicUrl.origin;
		const host = req instanceof Request ? req.headers.get('host') : req.headers.host;
		return `http://${host ?? `${config.host}:${config.port}`}`;
	};
	const history = new HistoryLog(db);
	const modules = new Modules(db);
	const store = new SqliteDocStore(db);
	// What was acknowledged but not yet derived when the server last stopped: derived now,
	// before anything reads the projection (the access index loads from it).
	const recovered = recoverDerived({ db, store, history, project: projectDocument(db, modules) });
	if (recovered.updates > 0)
		console.log(`Derived history and projection of ${recovered.updates} updates (${recovered.documents} documents).`);
	const access = new AccessIndex(db);
	const sync = new SyncServer({
		access,
		history,
		emails: new EmailClaims(db),
		sessions: auth.sessions,
		expectedOrigin: originFor,
		maxMessageBytes: config.syncMaxMessageBytes,
		upgradeLimits: new UpgradeLimits({
			perAddress: config.syncUpgradesPerAddress,
			perUser: config.syncUpgradesPerUser,
			windowMs: config.syncUpgradeWindowMs,
			addressHeader: config.addressHeader,
			xffDepth: config.xffDepth
		}),
		keepaliveMs: config.syncKeepaliveMs,
		maxSocketsPerUser: config.syncMaxSocketsPerUser,
		nameOf: (userId) => auth.users.get(userId)?.name ?? null,
		maxContacts: config.syncMaxContacts,
		budget: {
			bytesPerSecond: config.syncBytesPerUserPerSec,
			burstBytes: Math.max(2 * config.syncBytesPerUserPerSec, config.syncMaxMessageBytes)
		},
		store,
		db,
		derivedLagMs: config.syncDerivedLagMs,
		compactAfter: config.syncCompactAfter,
		project: projectDocument(db, modules)
	});
	auth.onAccessRevoked((userId) => sync.closeUser(userId, CloseCode.unauthorized, 'account deactivated'));
	const ctx: AppContext = {
		config,
		db,
		auth,
		sync,
		docs: sync.docs,
		access,
		history,
		contacts: new ContactCredentials(db, (user, customer) => access.canWrite(user, customer)),
		mail: new Mail(db, config),
		portal: new PortalAuth(db, {
			limits: config,
			sessions: { maxAgeMs: Math.min(PORTAL_SESSION_MAX_AGE_MS, config.sessionMaxAgeMs) },
			queued: () => ctx.mail.kick()
		}),
		health: new Health(),
		imports: new Imports({
			db,
			docs: sync.docs,
			access,
			dataDir: config.dataDir,
			maxContacts: config.syncMaxContacts,
			defaultPermissions: () => sync.defaultPermissions(),
			phoneRegion: () => sync.phoneRegion()
		}),
		originFor
	};
	installContext(ctx);
	// A staff password set with an e-mailed link ends every session of that user (and closes their sockets).
	ctx.mail.links.onStaffPasswordSet((userId) => auth.sessions.invalidateUser(userId));
	ctx.mail.start();
	modules.attach({
		afterCommit: (fn) => sync.queue.afterCommit(fn),
		// Numbers and overdue marks as the server's own change; a document gone or a server
		// closing leaves it to the next sweep.
		change: (doc, fn) => void sync.docs.change(doc, fn).catch(() => {}),
		mailQueued: () => ctx.mail.kick()
	});
	modules.start();

	if (config.adminEmail && config.adminPassword)
		await auth.bootstrapAdmin(config.adminEmail, config.adminPassword, config.adminName);
	const cleanup = setInterval(() => {
		auth.sessions.deleteExpired();
		ctx.portal.sessions.deleteExpired();
		ctx.imports.sweep();
	}, 3600_000);
	cleanup.unref();

	let closed: Promise<void> | null = null;
	return {
		ctx,
		close() {
			closed ??= (async () => {
				clearInterval(cleanup);
				ctx.imports.close();
				modules.stop();
				ctx.health.close();
				await sync.close();
				await ctx.mail.stop();
				uninstallContext(ctx);
				await checkpointer.stop();
				db.close();
			})();
			return closed;
		}
	};
}

export interface RunningServer {
	app: App;
	server: http.Server;
	/** The URL users open: PUBLIC_URL, or the listening address. */
	url: string;
	/** Where this process listens (http://HOST:PORT with the real port). */
	listenUrl: string;
	close(): Promise<void>;
}

/** Starts the HTTP server with the SvelteKit handler and the /sync socket on one port. */
export async function startServer(config: Config, handler: NodeHandler | null): Promise<RunningServer> {
	const app = await createApp(config);
	const server = http.createServer((req, res) => {
		const notFound = () => {
			res.statusCode = 404;
			res.end('Not found');
		};
		if (!config.publicUrl) req.headers[PROTOCOL_HEADER] = 'http';
		// Nothing a client sends may throw out of here and stop the process (issue #9): what
		// SvelteKit cannot take is answered before it sees it (request-guard.ts).
		const refused = screenRequest(req);
		if (refused !== null) {
			res.writeHead(refused, { 'content-type': 'text/plain', connection: 'close' });
			res.end(refused === 414 ? 'URI Too Long' : 'Bad Request');
			return;
		}
		// Whatever a request reads, history and projection include every acknowledged edit.
		app.ctx.sync.catchUp();
		// The import upload streams its body to disk past adapter-node's body limit (upload.ts).
		if (isImportUpload(req)) return void handleImportUpload(app.ctx, req, res);
		try {
			if (handler) handler(req, res, notFound);
			else notFound();
		} catch (e) {
			console.error('http: request failed:', e);
			if (!res.headersSent) res.statusCode = 500;
			res.end();
		}
	});
	server.on('upgrade', (req, socket, head) => {
		if (!app.ctx.sync.handleUpgrade(req, socket, head)) socket.destroy();
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const host = config.host.includes(':') ? `[${config.host}]` : config.host;
	const listenUrl = `http://${host}:${port}`;
	const url = config.publicUrl?.origin ?? listenUrl;
	app.ctx.mail.setOrigin(url);

	let closing: Promise<void> | null = null;
	return {
		app,
		server,
		url,
		listenUrl,
		close() {
			closing ??= (async () => {
				// Stop accepting, let requests in flight finish (5 s at most), then flush and close.
				const done = new Promise<void>((resolve) => server.close(() => resolve()));
				server.closeIdleConnections();
				const force = setTimeout(() => server.closeAllConnections(), 5000);
				await app.close();
				await done;
				clearTimeout(force);
			})();
			return closing;
		}
	};
}
