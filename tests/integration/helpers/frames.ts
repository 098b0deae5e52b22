/**
 * A raw WebSocket to /sync/<doc> or /feed that sends hand-made frames, for tests of what the
 * server does with bad input. It records what arrives and how the socket ends.
 */
import WebSocket from 'ws';
import { FEED_PATH, MessageType, SYNC_PATH } from '../../../src/lib/schema/protocol.ts';
import type { Client } from './http.ts';
import type { TestServer } from './server.ts';

/** A queryAwareness message: the server answers every one with an awareness message. */
const QUERY = new Uint8Array([MessageType.queryAwareness]);

export class FrameSocket {
	readonly received: Uint8Array[] = [];
	closeCode: number | null = null;
	readonly closed: Promise<number>;
	private readonly waiters = new Set<() => void>();

	private constructor(readonly ws: WebSocket) {
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: Buffer) => {
			this.received.push(new Uint8Array(data));
			for (const w of this.waiters) w();
		});
		ws.on('error', () => {}); // a reset ends in 'close' too
		this.closed = new Promise((resolve) =>
			ws.once('close', (code) => {
				this.closeCode = code;
				resolve(code);
				for (const w of this.waiters) w();
			})
		);
	}

	/** Resolves once a received message matches, or the socket is closed; rejects after `ms`. */
	next(match: (message: Uint8Array) => boolean, ms = 5000): Promise<'message' | 'closed'> {
		return new Promise((resolve, reject) => {
			const done = (result: 'message' | 'closed') => {
				clearTimeout(timer);
				this.waiters.delete(check);
				resolve(result);
			};
			const check = () => {
				if (this.received.some(match)) done('message');
				else if (this.closeCode !== null) done('closed');
			};
			const timer = setTimeout(() => {
				this.waiters.delete(check);
				reject(new Error(`no answer within ${ms} ms`));
			}, ms);
			this.waiters.add(check);
			check();
		});
	}

	/** Opens /sync/<doc> (or the feed when doc is null); rejects with the status of a refused upgrade. */
	static open(server: TestServer, client: Client | null, doc: string | null): Promise<FrameSocket> {
		const url = server.url.replace(/^http/, 'ws') + (doc === null ? FEED_PATH : `${SYNC_PATH}/${doc}`);
		const headers: Record<string, string> = { origin: server.origin };
		if (client) headers.cookie = client.cookieHeader;
		const ws = new WebSocket(url, { headers, perMessageDeflate: false });
		return new Promise((resolve, reject) => {
			ws.once('open', () => resolve(new FrameSocket(ws)));
			ws.once('unexpected-response', (_req, res) => {
				reject(new UpgradeRefused(res.statusCode ?? 0));
				ws.terminate();
			});
			ws.once('error', reject);
		});
	}

	get open(): boolean {
		return this.ws.readyState === WebSocket.OPEN;
	}

	send(frame: Uint8Array | string): void {
		if (this.open) this.ws.send(frame);
	}

	/**
	 * Sends a queryAwareness and waits for the answer: the server has handled everything sent
	 * before it and the socket is still open. Only for document sockets.
	 */
	async roundTrip(ms = 5000): Promise<void> {
		this.received.length = 0;
		this.send(QUERY);
		if ((await this.next((m) => m[0] === MessageType.awareness, ms)) === 'closed') {
			throw new Error(`closed with ${this.closeCode}`);
		}
	}

	close(): void {
		this.ws.close();
	}
}

export class UpgradeRefused extends Error {
	constructor(readonly status: number) {
		super(`upgrade refused with HTTP ${status}`);
	}
}

/** The HTTP status of an upgrade: 101 when it opened (the socket is closed again at once). */
export async function upgradeStatus(server: TestServer, client: Client | null, doc: string | null): Promise<number> {
	try {
		(await FrameSocket.open(server, client, doc)).close();
		return 101;
	} catch (e) {
		if (e instanceof UpgradeRefused) return e.status;
		throw e;
	}
}
