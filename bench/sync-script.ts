/**
 * What bench/sync-load.ts replays against each server: who has which document open (Layout)
 * and the edits (Script), made once with the app's own schema functions (initCustomer;
 * updateCustomer: one field plus updatedBy/updatedAt, ~100 bytes) so that both servers get
 * exactly the same updates, byte for byte, in the same order.
 */
import * as Y from 'yjs';
import { initCustomer, updateCustomer, type CustomerData } from '../src/lib/schema/customer-doc.ts';
import { newId } from '../src/lib/schema/ids.ts';

/** Who has which document open, and edits it there. */
export interface Layout {
	name: string;
	clients: number;
	docs: number;
	sockets: { client: number; doc: number; writes: boolean }[];
}

/** Every client has the one document open and edits it: each edit is visible to clients − 1 others. */
export function oneDocument(clients: number): Layout {
	const sockets = Array.from({ length: clients }, (_, client) => ({ client, doc: 0, writes: true }));
	return { name: `${clients} clients on 1 document`, clients, docs: 1, sockets };
}

/** Each client edits its own share of the documents; the next client has them open too and sees each edit. */
export function spread(clients: number, docs: number): Layout {
	const sockets: Layout['sockets'] = [];
	for (let doc = 0; doc < docs; doc++) {
		const owner = doc % clients;
		sockets.push({ client: owner, doc, writes: true }, { client: (owner + 1) % clients, doc, writes: false });
	}
	return { name: `${clients} clients over ${docs.toLocaleString('en')} documents`, clients, docs, sockets };
}

const CITIES = ['München', 'Łódź', 'Lyon', 'Porto', 'Leeds', 'Zürich'];

/** One writing socket's edits, made on its own Y.Doc (which starts from the document's creation). */
export class Writer {
	readonly updates: Uint8Array[] = [];
	/** First clock of each update → its index (how a relayed update is recognised). */
	readonly index = new Map<number, number>();
	private readonly gen = new Y.Doc();

	constructor(
		readonly socket: number,
		readonly doc: number,
		init: Uint8Array,
		private readonly authorId: string
	) {
		Y.applyUpdate(this.gen, init);
		this.gen.on('update', (u: Uint8Array) => this.updates.push(u));
	}

	get client(): number {
		return this.gen.clientID;
	}

	/** Makes edits until there are `n`. */
	ensure(n: number): void {
		while (this.updates.length < n) {
			const k = this.updates.length;
			const fields: CustomerData[] = [
				{ phone: `+49 30 ${1_000_000 + k}` },
				{ city: `${CITIES[k % CITIES.length]} ${k}` },
				{ postalCode: String(10_000 + k) },
				{ street: `Hauptstraße ${k}` }
			];
			this.index.set(Y.getState(this.gen.store, this.gen.clientID), k);
			updateCustomer(this.gen, fields[k % fields.length], this.authorId, Date.now());
		}
	}
}

export class Script {
	readonly names: string[];
	readonly inits: Uint8Array[];
	readonly writers: Writer[] = [];

	constructor(
		readonly layout: Layout,
		authorId: string
	) {
		this.names = Array.from({ length: layout.docs }, () => newId());
		this.inits = this.names.map((_, i) => {
			const doc = new Y.Doc();
			initCustomer(doc, { kind: 'company', authorId, now: Date.now(), fields: { companyName: `Bench ${i} GmbH` } });
			return Y.encodeStateAsUpdate(doc);
		});
		layout.sockets.forEach((s, i) => {
			if (s.writes) this.writers.push(new Writer(i, s.doc, this.inits[s.doc], authorId));
		});
	}

	/** Makes the edits ahead of the runs, so that no server's run pays for making them. */
	prepare(totalEdits: number): void {
		const each = Math.ceil(totalEdits / this.writers.length);
		for (const w of this.writers) w.ensure(each);
	}
}
