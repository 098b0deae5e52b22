/**
 * The simulated devices of tests/simulation (harness/device.ts) on real WebSockets: each
 * connection is a ws socket to the real server process, with the session cookie and Origin a
 * signed-in browser sends. A refused upgrade (no access to the record) arrives as a close.
 */
import WebSocket from 'ws';
import { FEED_PATH, SYNC_PATH } from '../../../src/lib/schema/protocol.ts';
import type { DeviceLink, LinkClient } from '../../simulation/harness/network.ts';

export class WsLink implements DeviceLink {
	private readonly ws: WebSocket;
	/** Frames sent before the socket opened. */
	private waiting: Uint8Array[] | null = [];
	private dropped = false;

	constructor(
		url: string,
		headers: Record<string, string>,
		readonly docName: string | null,
		private readonly client: LinkClient
	) {
		this.ws = new WebSocket(url, { headers, perMessageDeflate: false });
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('open', () => {
			for (const data of this.waiting ?? []) this.ws.send(data);
			this.waiting = null;
		});
		this.ws.on('message', (data: Buffer) => {
			if (!this.dropped) client.onMessage(this, new Uint8Array(data));
		});
		this.ws.on('unexpected-response', (_req, res) => {
			this.ws.terminate();
			this.closed(1006, `upgrade refused: ${res.statusCode}`);
		});
		this.ws.on('close', (code, reason) => this.closed(code, reason.toString()));
		this.ws.on('error', () => {}); // a refused upgrade or a reset ends in a close
	}

	send(data: Uint8Array): void {
		if (this.dropped) return;
		if (this.waiting) this.waiting.push(data);
		else if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
	}

	drop(): void {
		this.dropped = true;
		this.ws.terminate();
	}

	private closed(code: number, reason: string): void {
		if (this.dropped) return;
		this.dropped = true;
		this.client.onClose(this, code, reason);
	}
}

/** The URL of a feed (docName null) or document socket, asking for acknowledgements. */
export function socketUrl(serverUrl: string, docName: string | null): string {
	const base = serverUrl.replace(/^http/, 'ws');
	return docName === null ? base + FEED_PATH : `${base}${SYNC_PATH}/${docName}?ack=1`;
}
