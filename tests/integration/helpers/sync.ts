/** Y.Doc clients on the real /sync endpoint through the stock y-websocket client. */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { AckTracker, ackParams } from '../../../src/lib/data/acks.ts';
import type { Client } from './http.ts';
import type { TestServer } from './server.ts';

export interface SyncClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	acks: AckTracker;
	destroy(): void;
}

export function connect(server: TestServer, client: Client, room: string, doc = new Y.Doc()): SyncClient {
	const headers = { cookie: client.cookieHeader, origin: server.origin };
	class AuthedWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	// Node 20 has no global WebSocket (hence the polyfill) but has BroadcastChannel, which
	// would let two providers in one process sync past the server (hence disableBc).
	const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + '/sync', room, doc, {
		WebSocketPolyfill: AuthedWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: ackParams
	});
	const acks = new AckTracker(doc, provider);
	return {
		doc,
		provider,
		acks,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const tick = () => {
			if (cond()) return resolve();
			if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${what}`));
			setTimeout(tick, 10);
		};
		tick();
	});
}
