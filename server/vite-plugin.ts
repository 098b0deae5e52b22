/**
 * `npm run dev`: Vite serves the app with hot reload; this plugin gives the dev server the
 * same shared context and /sync socket as production, on the same port.
 */
import type { Plugin } from 'vite';
import { createApp } from './app.ts';
import { parseConfig } from './config.ts';

export function fieldbookDev(): Plugin {
	return {
		name: 'fieldbook-dev-server',
		apply: (_config, env) => env.command === 'serve' && !process.env.VITEST,
		async configureServer(server) {
			const app = await createApp(parseConfig());
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
