/**
 * Commit acknowledgements on a y-websocket provider. y-websocket's own `synced` means
 * "sync step 2 received", not "stored"; Fieldbook's server sends the committed state vector
 * (MessageType.ack) after each commit, and a change counts as synced only once that vector
 * covers it.
 */
import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ACK_PARAM, MessageType } from '$lib/schema/protocol';

type Handler = (
	encoder: encoding.Encoder,
	decoder: decoding.Decoder,
	provider: WebsocketProvider,
	emitSynced: boolean,
	messageType: number
) => void;

/** The provider option that asks the server for acknowledgements. */
export const ackParams = { [ACK_PARAM]: '1' } as const;

export class AckTracker {
	/** The server's committed state vector, as last acknowledged. */
	committed = new Map<number, number>();
	private listeners = new Set<() => void>();

	constructor(
		readonly doc: Y.Doc,
		provider: WebsocketProvider
	) {
		const handler: Handler = (_enc, dec) => {
			this.committed = Y.decodeStateVector(decoding.readVarUint8Array(dec));
			for (const fn of this.listeners) fn();
		};
		(provider.messageHandlers as Handler[])[MessageType.ack] = handler;
	}

	/**
	 * True when everything this client made in this document is committed on the server.
	 * (Changes of other clients arrived from the server, so they are committed already; an
	 * acknowledgement may predate them, which is why they are not compared.)
	 */
	get allCommitted(): boolean {
		return covers(this.committed, this.ownState());
	}

	private ownState(): Map<number, number> {
		const clock = Y.decodeStateVector(Y.encodeStateVector(this.doc)).get(this.doc.clientID) ?? 0;
		return new Map([[this.doc.clientID, clock]]);
	}

	/** True when the server has committed every change of `clientId` up to `clock`. */
	committedUpTo(clientId: number, clock: number): boolean {
		return (this.committed.get(clientId) ?? 0) >= clock;
	}

	onAck(fn: () => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/** Resolves once the server has committed everything this client made so far. */
	whenCommitted(): Promise<void> {
		const target = this.ownState();
		return new Promise((resolve) => {
			if (covers(this.committed, target)) return resolve();
			const off = this.onAck(() => {
				if (covers(this.committed, target)) {
					off();
					resolve();
				}
			});
		});
	}
}

/** Does state vector `a` include everything in `b`? */
export function covers(a: Map<number, number>, b: Map<number, number>): boolean {
	for (const [client, clock] of b) if ((a.get(client) ?? 0) < clock) return false;
	return true;
}
