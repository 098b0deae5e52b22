/** A raw background-sync feed client for tests: one socket, messages collected in order. */
import WebSocket from 'ws';
import { decodeFeed, encodeFeed, type FeedMessage } from '../../../src/lib/schema/feed-protocol.ts';
import { FEED_PATH } from '../../../src/lib/schema/protocol.ts';
import type { Client } from './http.ts';
import type { TestServer } from './server.ts';
import { until } from './sync.ts';

export class FeedClient {
	readonly messages: FeedMessage[] = [];
	closeCode: number | null = null;

	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data: Buffer) => this.messages.push(decodeFeed(new Uint8Array(data))));
		ws.on('close', (code) => (this.closeCode = code));
	}

	static async open(server: TestServer, client: Client): Promise<FeedClient> {
		const ws = new WebSocket(server.url.replace(/^http/, 'ws') + FEED_PATH, {
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
