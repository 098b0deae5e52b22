/**
 * One shared document and the sockets that have it open, speaking the y-websocket
 * protocol (sync step 1/2 and updates, awareness). Updates are applied to the server's
 * copy and relayed to every other connection of the room.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType } from '../../src/lib/schema/protocol.ts';
import type { Connection } from './connection.ts';

/** Transaction origin of updates that came from a connection (tagged so relays skip the sender). */
interface RemoteOrigin {
	kind: 'remote';
	conn: Connection;
}

export class Room {
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly conns = new Map<Connection, Set<number>>();

	constructor(readonly name: string) {
		this.doc = new Y.Doc({ gc: true });
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			const enc = encoding.createEncoder();
			encoding.writeVarUint(enc, MessageType.sync);
			syncProtocol.writeUpdate(enc, update);
			const msg = encoding.toUint8Array(enc);
			const from = (origin as RemoteOrigin | null)?.kind === 'remote' ? (origin as RemoteOrigin).conn : null;
			for (const c of this.conns.keys()) if (c !== from) c.send(msg);
		});
		this.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
				const changed = added.concat(updated, removed);
				const conn = origin as Connection | null;
				const ids = conn ? this.conns.get(conn) : undefined;
				if (ids) {
					for (const id of added) ids.add(id);
					for (const id of removed) ids.delete(id);
				}
				const enc = encoding.createEncoder();
				encoding.writeVarUint(enc, MessageType.awareness);
				encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
				const msg = encoding.toUint8Array(enc);
				for (const c of this.conns.keys()) c.send(msg);
			}
		);
	}

	join(conn: Connection): void {
		this.conns.set(conn, new Set());
		// Sync step 1 from the server, and the current awareness states.
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, MessageType.sync);
		syncProtocol.writeSyncStep1(enc, this.doc);
		conn.send(encoding.toUint8Array(enc));
		const states = this.awareness.getStates();
		if (states.size > 0) {
			const a = encoding.createEncoder();
			encoding.writeVarUint(a, MessageType.awareness);
			encoding.writeVarUint8Array(a, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]));
			conn.send(encoding.toUint8Array(a));
		}
	}

	leave(conn: Connection): void {
		const ids = this.conns.get(conn);
		this.conns.delete(conn);
		if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
	}

	/** Handles one binary message; throws on a frame that does not decode. */
	receive(conn: Connection, data: Uint8Array): void {
		const dec = decoding.createDecoder(data);
		const type = decoding.readVarUint(dec);
		switch (type) {
			case MessageType.sync:
				this.receiveSync(conn, dec);
				break;
			case MessageType.awareness: {
				const update = decoding.readVarUint8Array(dec);
				assertFullyRead(dec);
				awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
				break;
			}
			case MessageType.queryAwareness: {
				const enc = encoding.createEncoder();
				encoding.writeVarUint(enc, MessageType.awareness);
				encoding.writeVarUint8Array(
					enc,
					awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])
				);
				conn.send(encoding.toUint8Array(enc));
				break;
			}
			default:
				throw new UnknownMessageError(type);
		}
	}

	/**
	 * Sync step 1, step 2 and updates, decoded here rather than by y-protocols'
	 * readSyncMessage: Y.applyUpdate swallows a malformed update (it logs and carries on),
	 * so every update is decoded first and a bad one throws, closing that connection.
	 */
	private receiveSync(conn: Connection, dec: decoding.Decoder): void {
		const type = decoding.readVarUint(dec);
		const payload = decoding.readVarUint8Array(dec);
		assertFullyRead(dec);
		switch (type) {
			case syncProtocol.messageYjsSyncStep1: {
				Y.decodeStateVector(payload);
				const enc = encoding.createEncoder();
				encoding.writeVarUint(enc, MessageType.sync);
				syncProtocol.writeSyncStep2(enc, this.doc, payload);
				conn.send(encoding.toUint8Array(enc));
				break;
			}
			case syncProtocol.messageYjsSyncStep2:
			case syncProtocol.messageYjsUpdate: {
				Y.decodeUpdate(payload); // throws on a truncated or malformed update
				const origin: RemoteOrigin = { kind: 'remote', conn };
				Y.applyUpdate(this.doc, payload, origin);
				break;
			}
			default:
				throw new UnknownMessageError(type);
		}
	}

	get empty(): boolean {
		return this.conns.size === 0;
	}

	destroy(): void {
		this.awareness.destroy();
		this.doc.destroy();
	}
}

/** lib0 reads past the end of a buffer without throwing; a frame must be exactly one message. */
function assertFullyRead(dec: decoding.Decoder): void {
	if (dec.pos !== dec.arr.length) throw new MalformedMessageError();
}

export class MalformedMessageError extends Error {
	constructor() {
		super('truncated message or trailing bytes');
	}
}

export class UnknownMessageError extends Error {
	constructor(readonly type: number) {
		super(`unknown message type ${type}`);
	}
}
