/**
 * A simulated network for the in-process server: each connection is a Link with two FIFO
 * queues (client → server, server → client), ordered within a socket as TCP is. The scheduler
 * decides which link carries its next message, so messages of different sockets and documents
 * interleave in any order; a dropped link loses everything in flight in both directions.
 *
 * The server's end is a SimSocket, which has what server/sync/connection.ts's SocketLike asks
 * of a ws WebSocket: readyState, send, close (a close frame that reaches the client, or not),
 * terminate, and the message / close events.
 */
import type { RawData } from 'ws';
import type { SocketLike } from '../../../server/sync/connection.ts';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** A close frame from the server (code and reason, as ws sends them). */
export interface CloseFrame {
	close: number;
	reason: string;
}

export type ToClient = Uint8Array | CloseFrame;

/** A device's end of one connection: simulated here, or a real WebSocket (tests/integration). */
export interface DeviceLink {
	/** The document of a document socket; null for a feed. */
	readonly docName: string | null;
	/** Sends a frame (lost when the connection is gone). */
	send(data: Uint8Array): void;
	/** The connection is lost, everything in flight with it. */
	drop(): void;
}

/** What the client end of a link does with what arrives. */
export interface LinkClient {
	onMessage(link: DeviceLink, data: Uint8Array): void;
	/** The server closed the socket (close frame or reset), or the connection failed. */
	onClose(link: DeviceLink, code: number, reason: string): void;
}

/**
 * How long each turn of the server's own work took (a frame handled, a commit flushed): on a
 * real server each is one uninterrupted stretch of its event loop, which every other client
 * waits behind (issue #9 asserts p99 < 100 ms over every seed).
 */
export const serverTurns: number[] = [];

/** Runs one turn of the server's work, timed into serverTurns. */
export function serverTurn<T>(fn: () => T): T {
	const t0 = performance.now();
	try {
		return fn();
	} finally {
		serverTurns.push(performance.now() - t0);
	}
}

/** Sees every message the server hands to a socket, as it is handed over. */
export type SendObserver = (link: Link, data: Uint8Array) => void;

export class Link implements DeviceLink {
	readonly toServer: Uint8Array[] = [];
	readonly toClient: ToClient[] = [];
	/** Dropped: carries nothing more, in either direction. */
	dead = false;
	readonly socket: SimSocket;

	constructor(
		readonly id: number,
		/** The document of a document socket; null for a feed. */
		readonly docName: string | null,
		readonly userId: string,
		readonly client: LinkClient,
		observe: SendObserver
	) {
		this.socket = new SimSocket(this, observe);
	}

	get busy(): boolean {
		return this.toServer.length > 0 || this.toClient.length > 0;
	}

	/** The client sends a frame (lost if the link was dropped). */
	send(data: Uint8Array): void {
		if (!this.dead) this.toServer.push(data);
	}

	/** Carries the oldest client → server frame. */
	deliverToServer(): void {
		const data = this.toServer.shift();
		if (data) this.socket.receive(data);
	}

	/** Carries the oldest server → client frame. */
	deliverToClient(): void {
		const frame = this.toClient.shift();
		if (frame === undefined) return;
		if (frame instanceof Uint8Array) return this.client.onMessage(this, frame);
		// The client answers the close frame; the closing handshake completes.
		this.dead = true;
		this.toServer.length = 0;
		this.client.onClose(this, frame.close, frame.reason);
		this.socket.closed();
	}

	/**
	 * The connection is lost: everything in flight is gone. The client knows at once; the
	 * server only when it notices (`noticeLoss`), and until then its sends go nowhere.
	 */
	drop(): void {
		this.dead = true;
		this.toServer.length = 0;
		this.toClient.length = 0;
	}

	/** The server notices that a dropped connection is gone. */
	noticeLoss(): void {
		this.socket.closed();
	}

	/** Dropped, and the server has not noticed yet. */
	get lingering(): boolean {
		return this.dead && this.socket.readyState !== CLOSED;
	}
}

type Listener = (...args: never[]) => void;

export class SimSocket implements SocketLike {
	readonly CONNECTING = CONNECTING;
	readonly OPEN = OPEN;
	readonly CLOSING = CLOSING;
	readyState: number = OPEN;
	binaryType: 'nodebuffer' | 'arraybuffer' | 'fragments' = 'nodebuffer';
	private readonly listeners = new Map<string, Listener[]>();

	constructor(
		private readonly link: Link,
		private readonly observe: SendObserver
	) {}

	on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
	on(event: 'close', listener: () => void): this;
	on(event: 'pong', listener: () => void): this;
	on(event: 'error', listener: (err: Error) => void): this;
	on(event: string, listener: Listener): this {
		const list = this.listeners.get(event) ?? [];
		list.push(listener);
		this.listeners.set(event, list);
		return this;
	}

	send(data: Uint8Array): void {
		if (this.readyState !== OPEN) return;
		this.observe(this.link, data);
		if (!this.link.dead) this.link.toClient.push(data);
	}

	close(code = 1000, reason = ''): void {
		if (this.readyState !== OPEN && this.readyState !== CONNECTING) return;
		this.readyState = CLOSING;
		if (!this.link.dead) this.link.toClient.push({ close: code, reason });
	}

	terminate(): void {
		if (this.readyState === CLOSED) return;
		const wasDead = this.link.dead;
		this.link.drop();
		if (!wasDead) this.link.client.onClose(this.link, 1006, 'terminated');
		this.closed();
	}

	ping(): void {
		// Keep-alive is not simulated (the sweep interval is longer than any run).
	}

	/** A frame from the client, as ws hands it over (a Buffer, binary). */
	receive(data: Uint8Array): void {
		const t0 = performance.now();
		for (const l of this.listeners.get('message') ?? [])
			(l as (d: RawData, b: boolean) => void)(Buffer.from(data), true);
		serverTurns.push(performance.now() - t0);
	}

	closed(): void {
		if (this.readyState === CLOSED) return;
		this.readyState = CLOSED;
		for (const l of this.listeners.get('close') ?? []) (l as () => void)();
	}
}
