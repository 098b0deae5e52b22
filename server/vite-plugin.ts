/**
 * `npm run dev`: Vite serves the app with hot reload; this plugin gives the dev server the
 * same shared context and /sync socket as production, on the same port.
 */
import type { Plugin } from 'vite';
import { createApp, type App } from './app.ts';
import { handleImportUpload, isImportUpload } from './import/upload.ts';

const DEV_APP = Symbol.for('fieldbook.dev-app');
import { parseConfig } from './config.ts';

export function fieldbookDev(): Plugin {
	return {
		name: 'fieldbook-dev-server',
		apply: (_config, env) => env.command === 'serve' && !process.env.VITEST,
		async configureServer(server) {
			// Vite restarts the dev server when server/ changes: close the previous app first
			// (one context, one database handle per process).
			const holder = globalThis as { [DEV_APP]?: App };
			await holder[DEV_APP]?.close();
			const app = await createApp(parseConfig());
			holder[DEV_APP] = app;
			// The import upload is served before SvelteKit, as in production (server/import/upload.ts).
			server.middlewares.use((req, res, next) => {
				if (isImportUpload(req)) void handleImportUpload(app.ctx, req, res);
				else next();
			});
			const http = server.httpServer;
			if (!http) return;
			// Vite's own HMR socket shares this server: only /sync is ours.
			http.on('upgrade', (req, socket, head) => void app.ctx.sync.handleUpgrade(req, socket, head));
			http.on('close', () => void app.close());
			http.once('listening', () => {
				if (app.ctx.auth.needsSetup()) {
					const token = app.ctx.auth.issueSetupToken();
					const addr = server.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
					console.log(`  Fieldbook: create the first admin at ${addr}setup?token=${token}`);
				}
			});
		}
	};
}
