/** One authenticated WebSocket: on one document, or (docName null) a device's background-sync feed. */
import type { WebSocket } from 'ws';
import type { CloseCode } from '../../src/lib/schema/protocol.ts';
import type { Role } from '../../src/lib/schema/staff.ts';

export class Connection {
	/** Set by a pong; a socket that misses one keep-alive round is terminated. */
	alive = true;

	constructor(
		readonly ws: WebSocket,
		readonly userId: string,
		readonly role: Role,
		readonly docName: string | null,
		/** The client asked for commit acknowledgements (`?ack=1`). */
		readonly wantsAcks: boolean
	) {}

	send(message: Uint8Array): void {
		if (this.ws.readyState !== this.ws.OPEN) return;
		this.ws.send(message, (err) => {
			if (err) this.ws.terminate();
		});
	}

	close(code: CloseCode, reason: string): void {
		if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
	}
}
