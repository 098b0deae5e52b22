/**
 * A raw y-websocket protocol client for one document socket (ws + y-protocols), much lighter
 * than WebsocketProvider: no awareness, no reconnect, no BroadcastChannel. It answers the
 * server's sync step 1 from a local Y.Doc (or with an empty update when it keeps none), sends
 * the doc's local changes while open, applies what arrives, and reports Fieldbook's commit
 * acknowledgements (MessageType.ack, asked for with `?ack=1`). It speaks to Fieldbook's /sync
 * and to the reference y-websocket server alike; benchmarks use it so that many sockets in one
 * process cost little next to the server they measure.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType } from '../../../src/lib/schema/protocol.ts';

export interface RawSyncOptions {
	url: string;
	/** Cookie and Origin for Fieldbook; none for the reference server. */
	headers?: Record<string, string>;
	/** The local copy: answers sync step 1, receives the server's updates, and its local changes are sent. */
	doc?: Y.Doc;
	/** Every update the server sends after the handshake (sync message "update"), when it arrived (performance.now()). */
	onRelay?: (update: Uint8Array, at: number) => void;
	/** Fieldbook's acknowledgement: the document's committed state vector. */
	onAck?: (sv: Map<number, number>) => void;
	onClose?: (code: number) => void;
}

/** An empty update (no structs, no deletions): the sync step 2 of a client that holds nothing. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

export class RawSyncClient {
	/** The server's sync step 2 arrived: this socket has the document. */
	synced = false;
	/** The close code once closed. */
	closeCode: number | null = null;
	private readonly onLocalUpdate?: (update: Uint8Array, origin: unknown) => void;

	private constructor(
		readonly ws: WebSocket,
		private readonly opts: RawSyncOptions
	) {
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
		ws.on('close', (code) => {
			this.closeCode = code;
			if (this.onLocalUpdate) opts.doc?.off('update', this.onLocalUpdate);
			opts.onClose?.(code);
		});
		const doc = opts.doc;
		if (doc) {
			this.onLocalUpdate = (update, origin) => {
				if (origin !== this) this.sendUpdate(update);
			};
			doc.on('update', this.onLocalUpdate);
		}
		this.send((enc) => {
			encoding.writeVarUint(enc, MessageType.sync);
			encoding.writeVarUint(enc, syncProtocol.messageYjsSyncStep1);
			encoding.writeVarUint8Array(enc, doc ? Y.encodeStateVector(doc) : EMPTY_STATE_VECTOR);
		});
	}

	/** Opens the socket; rejects when the server refuses the upgrade or cannot be reached. */
	static connect(opts: RawSyncOptions): Promise<RawSyncClient> {
		const ws = new WebSocket(opts.url, { headers: opts.headers, perMessageDeflate: false });
		return new Promise((resolve, reject) => {
			const fail = (e: unknown) => {
				ws.removeAllListeners();
				ws.on('error', () => {});
				ws.terminate();
				reject(e instanceof Error ? e : new Error(String(e)));
			};
			ws.once('error', fail);
			ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
			ws.once('open', () => {
				ws.off('error', fail);
				ws.on('error', () => {}); // a reset after a server crash ends in 'close'
				resolve(new RawSyncClient(ws, opts));
			});
		});
	}

	get open(): boolean {
		return this.ws.readyState === WebSocket.OPEN;
	}

	/** Sends one update (sync message "update"); dropped when the socket is not open. */
	sendUpdate(update: Uint8Array): void {
		this.send((enc) => {
			encoding.writeVarUint(enc, MessageType.sync);
			syncProtocol.writeUpdate(enc, update);
		});
	}

	close(): void {
		this.ws.close();
	}

	/** Drops the socket at once, as a lost connection would (no closing handshake). */
	terminate(): void {
		this.ws.terminate();
	}

	private send(write: (enc: encoding.Encoder) => void): void {
		if (!this.open) return;
		const enc = encoding.createEncoder();
		write(enc);
		this.ws.send(encoding.toUint8Array(enc));
	}

	private receive(data: Uint8Array): void {
		const at = performance.now();
		const dec = decoding.createDecoder(data);
		const type = decoding.readVarUint(dec);
		if (type === MessageType.ack) {
			this.opts.onAck?.(Y.decodeStateVector(decoding.readVarUint8Array(dec)));
			return;
		}
		if (type !== MessageType.sync) return; // awareness (keep-alives included): not used here
		const step = decoding.readVarUint(dec);
		const payload = decoding.readVarUint8Array(dec);
		const doc = this.opts.doc;
		switch (step) {
			case syncProtocol.messageYjsSyncStep1:
				this.send((enc) => {
					encoding.writeVarUint(enc, MessageType.sync);
					encoding.writeVarUint(enc, syncProtocol.messageYjsSyncStep2);
					encoding.writeVarUint8Array(enc, doc ? Y.encodeStateAsUpdate(doc, payload) : EMPTY_UPDATE);
				});
				break;
			case syncProtocol.messageYjsSyncStep2:
				if (doc) Y.applyUpdate(doc, payload, this);
				this.synced = true;
				break;
			case syncProtocol.messageYjsUpdate:
				this.opts.onRelay?.(payload, at);
				if (doc) Y.applyUpdate(doc, payload, this);
				break;
		}
	}
}

/**
 * The id of an update's first struct (client, clock), read from the update's header without
 * decoding it: enough to tell which edit a relayed update is (update format v1: number of
 * clients, then per client the number of structs, the client id and the first clock).
 */
export function firstStructId(update: Uint8Array): { client: number; clock: number } | null {
	const dec = decoding.createDecoder(update);
	if (decoding.readVarUint(dec) === 0) return null;
	decoding.readVarUint(dec); // structs of this client
	const client = decoding.readVarUint(dec);
	return { client, clock: decoding.readVarUint(dec) };
}
