/**
 * The server's shared state (database, auth, open sockets, rate limits) in one place.
 * The SvelteKit handler and the socket server are bundled separately, so module state
 * would be duplicated; the one instance lives on globalThis under a registered symbol and
 * both sides reach it through getContext().
 */
import type { IncomingMessage } from 'node:http';
import type { Auth } from './auth.ts';
import type { Config } from './config.ts';
import type { Health } from './health.ts';
import type { ContactCredentials } from './contact-credentials.ts';
import type { Db } from './db.ts';
import type { HistoryLog } from './history.ts';
import type { Imports } from './import/imports.ts';
import type { Mail } from './mail/mail.ts';
import type { PortalAuth } from './portal/auth.ts';
import type { AccessIndex } from './sync/access-index.ts';
import type { ServerDocs } from './sync/server-docs.ts';
import type { SyncServer } from './sync/sync-server.ts';

export interface AppContext {
	config: Config;
	db: Db;
	auth: Auth;
	sync: SyncServer;
	/** Customer documents as the server holds them, read and changed as the server (the portal): sync/server-docs.ts. */
	docs: ServerDocs;
	/** Who may read and write each record (src/lib/schema/access.ts): every endpoint asks here. */
	access: AccessIndex;
	/** Who changed which fields of which record, and when (server/history.ts). */
	history: HistoryLog;
	contacts: ContactCredentials;
	/** Templates, set-password links, the admin outbox and the delivery worker (server/mail/). */
	mail: Mail;
	/** Customer contacts in the portal: sign-in, their own sessions, "forgot password" (server/portal/). */
	portal: PortalAuth;
	/** The process's event-loop delay and memory (GET /api/health, admins). */
	health: Health;
	/** Import runs: uploads, their preview, run, report and undo (server/import/imports.ts). */
	imports: Imports;
	/** The origin browsers use for this server: PUBLIC_URL, else derived from the Host header. */
	originFor(req: IncomingMessage | Request): string;
}

const KEY = Symbol.for('fieldbook.context');
type Holder = { [KEY]?: AppContext };

export function installContext(ctx: AppContext): void {
	const g = globalThis as Holder;
	if (g[KEY] && g[KEY] !== ctx) throw new Error('a Fieldbook server context is installed already in this process');
	g[KEY] = ctx;
}

export function uninstallContext(ctx: AppContext): void {
	const g = globalThis as Holder;
	if (g[KEY] === ctx) delete g[KEY];
}

export function getContext(): AppContext {
	const ctx = (globalThis as Holder)[KEY];
	if (!ctx)
		throw new Error('Fieldbook server context is not installed: start the app with `npm start` or `npm run dev`');
	return ctx;
}
