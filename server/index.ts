/**
 * Fieldbook's one process: the built SvelteKit app (adapter-node handler) and the /sync
 * WebSocket endpoint on one port. Run with `npm start` (which builds first when needed).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { configureAdapterEnv, startServer, type NodeHandler } from './app.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function loadConfig(): Config {
	try {
		return parseConfig();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(`Fieldbook cannot start: ${e.message}`);
			process.exit(1);
		}
		throw e;
	}
}

async function main(): Promise<void> {
	const config = loadConfig();
	configureAdapterEnv(config); // before the handler module loads
	const handlerFile = path.join(root, 'build', 'handler.js');
	const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };

	const running = await startServer(config, handler);
	const { auth } = running.app.ctx;
	const listening = running.url === running.listenUrl ? '' : ` (listening on ${running.listenUrl})`;
	console.log(`Fieldbook is running at ${running.url}${listening}`);
	console.log(`Data: ${config.dataDir}`);
	if (auth.needsSetup()) {
		const token = auth.issueSetupToken();
		console.log(
			`No accounts yet. Create the first admin account here (the link works once, for 24 hours;\n  a restart prints a new one):`
		);
		console.log(`  ${running.url}/setup?token=${token}`);
	} else if (config.adminEmail) {
		console.log(`Sign in at ${running.url}/login as ${config.adminEmail} with ADMIN_PASSWORD.`);
	} else {
		console.log(`Sign in at ${running.url}/login with your staff account.`);
	}
	if (!config.smtpUrl) console.log('SMTP_URL is not set: e-mail stays in the outbox (admin view).');

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: shutting down`);
		running.close().then(
			() => process.exit(0),
			(e: unknown) => {
				console.error(e);
				process.exit(1);
			}
		);
	};
	// A safety net, not a handler: every path a client reaches screens its input and catches
	// its errors (README "Security"); should a library still reject unseen, one request fails
	// and is logged loudly — the tests fail on this line — and everyone else carries on.
	process.on('unhandledRejection', (e) => console.error('fieldbook: unhandled rejection (the process carries on):', e));
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
	console.error('Fieldbook failed to start:', e);
	process.exit(1);
});
