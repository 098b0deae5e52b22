/**
 * A raw background-sync feed client for tests: one socket, messages collected in order. It
 * asks for bundles as the app does (`?bundle=1`) and keeps each bundled message on its own;
 * `frames` counts the frames that carried them.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeFeed, type FeedMessage } from '../../../src/lib/schema/feed-protocol.ts';
import { BUNDLE_PARAM, FEED_PATH } from '../../../src/lib/schema/protocol.ts';
import type { Client } from './http.ts';
import type { TestServer } from './server.ts';
import { until } from './sync.ts';

export class FeedClient {
	readonly messages: FeedMessage[] = [];
	frames = 0;
	closeCode: number | null = null;

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data: Buffer) => {
			this.frames++;
			this.messages.push(...decodeFrame(new Uint8Array(data)));
		});
		ws.on('close', (code) => (this.closeCode = code));
	}

	static async open(server: TestServer, client: Client, opts: { bundles?: boolean } = {}): Promise<FeedClient> {
		const query = opts.bundles === false ? '' : `?${BUNDLE_PARAM}=1`;
		const ws = new WebSocket(server.url.replace(/^http/, 'ws') + FEED_PATH + query, {
			headers: { cookie: client.cookieHeader, origin: server.origin }
		});
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		return new FeedClient(ws);
	}

	send(m: FeedMessage): void {
		this.ws.send(encodeFeed(m));
	}

	of<T extends FeedMessage['type']>(type: T): Extract<FeedMessage, { type: T }>[] {
		return this.messages.filter((m): m is Extract<FeedMessage, { type: T }> => m.type === type);
	}

	async waitFor<T extends FeedMessage['type']>(type: T, count = 1): Promise<Extract<FeedMessage, { type: T }>[]> {
		await until(() => this.of(type).length >= count, 5000, `${count} feed message(s) of type ${type}`);
		return this.of(type);
	}

	close(): void {
		this.ws.close();
	}
}
