/**
 * A simulated staff device, modelled on the app's data layer (src/lib/data): a Y.Doc per
 * document it holds, its committed snapshot and the local changes the server has not
 * acknowledged (pending rows, device-store.ts), and the newest sequence number seen. As
 * background-sync.ts does, it keeps ONE feed socket: says hello with its last sequence, pushes
 * every document's pending rows (merged, all of them, on connect and after each edit), matches
 * answers to its pushes in order (DeviceStore.acknowledge), and on FeedMsg.refused /
 * FeedMsg.removed moves the pending rows to "not saved" and rebuilds the document from the
 * server's state or its snapshot, or deletes it. As live-doc.ts does, it may keep records open
 * on document sockets (y-websocket protocol with acknowledgements); a refusal there makes the
 * feed push, whose answer brings the refusal.
 *
 * Two answers the app does not handle yet (mode 'fixed'; 'app' does as background-sync.ts does
 * today, and diverges — see the report of issue #4's convergence test):
 *   - a refusal of a push sent before an earlier refusal arrived refuses nothing new: changes
 *     made since, on the rebuilt document, were not in that push and stay pending;
 *   - an acknowledgement of a push whose changes went to "not saved" meanwhile (the record was
 *     removed, or refused while the user's access was briefly gone) shows them committed after all.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { covers } from '../../../src/lib/data/acks.ts';
import { decodeFeed, encodeFeed, type FeedMessage } from '../../../src/lib/schema/feed-protocol.ts';
import { CloseCode, FeedMsg, MessageType } from '../../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../../src/lib/schema/settings.ts';
import type { DeviceLink, LinkClient } from './network.ts';
import { describeFeed, rowsOf } from './story.ts';
import type { SimUser } from './server.ts';

/** One local change the server has not acknowledged (a DeviceStore pending row). */
export interface Row {
	id: number;
	doc: string;
	update: Uint8Array;
	/** Where its inserts end per client (device-store.ts updateEnd). */
	end: Map<number, number>;
}

/** Local changes the server refused or that the user can no longer read, kept for their author. */
export interface NotSaved {
	doc: string;
	code: number;
	reason: string;
	rows: Row[];
}

/** How a device reaches the server: a new link (null: a document socket was refused). */
export interface DeviceNet {
	open(device: SimDevice, docName: string | null): DeviceLink | null;
}

export class SimDevice implements LinkClient {
	readonly docs = new Map<string, Y.Doc>();
	/**
	 * Per document, what the server committed (DeviceStore's snapshot, kept as updates and
	 * merged once in a while, merging being the costly part): the document without its pending rows.
	 */
	private readonly committed = new Map<string, Uint8Array[]>();
	readonly pending = new Map<string, Row[]>();
	readonly notSaved: NotSaved[] = [];
	/** Rows the server acknowledged (moved into the committed snapshot). */
	readonly acked: Row[] = [];
	lastSeq = 0;
	feed: DeviceLink | null = null;
	/** The current feed's catch-up has arrived. */
	caughtUp = false;
	/** Document sockets (records open on screen). */
	readonly live = new Map<string, DeviceLink>();
	/** Edits made so far (the run gives each device a budget). */
	edits = 0;
	/** Document sockets refused though they never carried a change of this device. */
	readonly spuriousRefusals: string[] = [];
	/** Document sockets that carried changes of this device (a refusal of those may be right). */
	private readonly carried = new WeakSet<DeviceLink>();
	/** Refusals of pushes whose changes had gone to "not saved" already (ignored). */
	staleRefusals = 0;
	/** Changes moved to "not saved" that an acknowledgement then showed committed. */
	savedLate = 0;
	/** Row ids of each push per document, in order: answers come in order. */
	private sent = new Map<string, number[][]>();
	private nextRow = 1;

	constructor(
		readonly index: number,
		readonly user: SimUser,
		private readonly net: DeviceNet,
		/**
		 * 'fixed': stale refusals and late acknowledgements handled (see the header); 'app': as
		 * src/lib/data/background-sync.ts handles them today.
		 */
		private readonly mode: 'fixed' | 'app',
		/** Where a failing seed's story is told (SIM_TRACE=1). */
		private readonly trace?: (line: string) => void
	) {}

	get online(): boolean {
		return this.feed !== null;
	}

	/** Local changes made so far (every one is pending, acknowledged or "not saved"). */
	get changesMade(): number {
		return this.nextRow - 1;
	}

	get pendingCount(): number {
		let n = 0;
		for (const rows of this.pending.values()) n += rows.length;
		return n;
	}

	/** A document on the device; a new one is created empty (its first edit creates the record). */
	doc(name: string): Y.Doc {
		let doc = this.docs.get(name);
		if (!doc) {
			doc = new Y.Doc();
			this.track(name, doc);
		}
		return doc;
	}

	private track(name: string, doc: Y.Doc, committed: Uint8Array[] = []): void {
		this.docs.set(name, doc);
		this.committed.set(name, committed);
	}

	/**
	 * A local edit (one or more transactions, each a pending row), sent on the record's live
	 * socket if it is open, then the push background sync makes after it. (Only local edits are
	 * listened to: Yjs encodes an update for every transaction while anyone listens.)
	 */
	edit(name: string, change: (doc: Y.Doc) => void): void {
		const before = this.nextRow;
		const doc = this.doc(name);
		const updates: Uint8Array[] = [];
		const local = (update: Uint8Array) => updates.push(update);
		doc.on('update', local);
		try {
			change(doc);
		} finally {
			doc.off('update', local);
		}
		for (const update of updates) {
			const row: Row = { id: this.nextRow++, doc: name, update, end: Y.parseUpdateMeta(update).to };
			const rows = this.pending.get(name) ?? [];
			rows.push(row);
			this.pending.set(name, rows);
			const live = this.live.get(name);
			if (live) {
				this.carried.add(live);
				live.send(syncMessage((enc) => syncProtocol.writeUpdate(enc, update)));
			}
		}
		this.edits++;
		this.trace?.(
			`device ${this.index} edit ${name} rows ${before}..${this.nextRow - 1} client ${this.docs.get(name)?.clientID}`
		);
		this.push();
	}

	connect(): void {
		if (this.feed) return;
		const link = this.net.open(this, null)!;
		this.feed = link;
		this.caughtUp = false;
		this.sent.clear(); // unacknowledged pushes are sent again
		this.trace?.(`device ${this.index} connects, since ${this.lastSeq}`);
		link.send(encodeFeed({ type: FeedMsg.hello, since: this.lastSeq }));
		this.push();
	}

	/** The network goes: every socket of the device is dropped at once. */
	disconnect(): void {
		this.trace?.(`device ${this.index} disconnects`);
		this.feed?.drop();
		this.feed = null;
		this.caughtUp = false;
		this.sent.clear();
		for (const link of this.live.values()) link.drop();
		this.live.clear();
	}

	/** Opens a record live (a document socket); the server may refuse it. */
	openLive(name: string): void {
		const doc = this.docs.get(name);
		if (!this.feed || !doc || this.live.has(name)) return;
		const link = this.net.open(this, name);
		if (!link) return;
		this.live.set(name, link);
		if ((this.pending.get(name)?.length ?? 0) > 0) this.carried.add(link);
		link.send(syncMessage((enc) => syncProtocol.writeSyncStep1(enc, doc)));
	}

	closeLive(name: string): void {
		this.live.get(name)?.drop();
		this.live.delete(name);
	}

	/** background-sync.ts push(): every document's pending rows, merged, oldest document first. */
	private push(): void {
		const feed = this.feed;
		if (!feed) return;
		for (const [doc, rows] of this.pending) {
			if (rows.length === 0) continue;
			feed.send(encodeFeed({ type: FeedMsg.push, doc, update: Y.mergeUpdates(rows.map((r) => r.update)) }));
			this.trace?.(`device ${this.index} -> push ${doc} rows ${rows.map((r) => r.id).join(',')}`);
			this.sent.set(doc, [...(this.sent.get(doc) ?? []), rows.map((r) => r.id)]);
		}
	}

	onMessage(link: DeviceLink, data: Uint8Array): void {
		if (link === this.feed) this.receiveFeed(decodeFeed(data));
		else if (link.docName !== null && this.live.get(link.docName) === link) this.receiveLive(link.docName, data);
	}

	onClose(link: DeviceLink, code: number, reason: string): void {
		if (link === this.feed) {
			this.feed = null;
			this.caughtUp = false;
			this.sent.clear();
			return;
		}
		const name = link.docName;
		if (name === null || this.live.get(name) !== link) return;
		this.live.delete(name);
		// live-doc.ts: a refused change makes background sync push the document's pending rows;
		// the feed's answer carries the refusal and the server's state.
		if (code === CloseCode.forbidden || code === CloseCode.invalidUpdate) {
			if (!this.carried.has(link) && reason !== 'access revoked')
				this.spuriousRefusals.push(`${name}: ${code} ${reason}`);
			this.push();
		}
	}

	private receiveFeed(m: FeedMessage): void {
		if (this.trace) this.trace(`device ${this.index} <- ${describeFeed(m)} pending ${rowsOf(this.pending, m)}`);
		switch (m.type) {
			case FeedMsg.change: {
				if (m.doc === SETTINGS_DOC) break;
				this.applyCommitted(m.doc, m.update);
				// background-sync.ts: the sequence advances with live changes only once caught up
				// and with nothing waiting ("synced").
				if (this.caughtUp && this.pendingCount === 0) this.lastSeq = Math.max(this.lastSeq, m.seq);
				break;
			}
			case FeedMsg.caughtUp:
				this.lastSeq = Math.max(this.lastSeq, m.seq);
				this.caughtUp = true;
				break;
			case FeedMsg.ack: {
				const answered = this.sent.get(m.doc)?.shift() ?? [];
				this.acknowledge(m.doc, Y.decodeStateVector(m.sv), answered);
				if (this.mode === 'fixed') this.savedAfterAll(m.doc, answered);
				break;
			}
			case FeedMsg.refused: {
				// Only a connection's first refusal of a document carries the server's state; without
				// one the device keeps its committed snapshot (device-store.ts rebuildDoc).
				const to = m.state.length > 0 ? m.state : 'snapshot';
				if (this.mode === 'app') {
					this.sent.delete(m.doc);
					this.rebuild(m.doc, to, m.code, m.reason);
					break;
				}
				// Answers come in push order. A refusal of a push whose changes all went to "not saved"
				// already (a push sent before an earlier refusal arrived) says nothing new; changes made
				// since on the rebuilt document were not in it.
				const answered = this.sent.get(m.doc)?.shift() ?? [];
				const pendingIds = new Set((this.pending.get(m.doc) ?? []).map((r) => r.id));
				if (answered.length > 0 && !answered.some((id) => pendingIds.has(id))) {
					this.staleRefusals++;
					break;
				}
				this.rebuild(m.doc, to, m.code, m.reason);
				break;
			}
			case FeedMsg.removed:
				if (this.mode === 'app') this.sent.delete(m.doc);
				this.rebuild(m.doc, 'remove', CloseCode.forbidden, 'access revoked');
				break;
		}
	}

	private receiveLive(name: string, data: Uint8Array): void {
		const doc = this.docs.get(name);
		if (!doc) return;
		const dec = decoding.createDecoder(data);
		const type = decoding.readVarUint(dec);
		if (type === MessageType.ack) {
			this.acknowledge(name, Y.decodeStateVector(decoding.readVarUint8Array(dec)), []);
			return;
		}
		if (type !== MessageType.sync) return; // presence: not simulated
		const step = decoding.readVarUint(dec);
		const payload = decoding.readVarUint8Array(dec);
		if (step === syncProtocol.messageYjsSyncStep1) {
			const reply = syncMessage((enc) => {
				encoding.writeVarUint(enc, syncProtocol.messageYjsSyncStep2);
				encoding.writeVarUint8Array(enc, Y.encodeStateAsUpdate(doc, payload));
			});
			const live = this.live.get(name)!;
			if ((this.pending.get(name)?.length ?? 0) > 0) this.carried.add(live);
			live.send(reply);
		} else this.applyCommitted(name, payload);
	}

	/** An update from the server: committed state, into the document and its snapshot. */
	private applyCommitted(name: string, update: Uint8Array): void {
		Y.applyUpdate(this.doc(name), update);
		this.addCommitted(name, [update]);
	}

	private addCommitted(name: string, updates: Uint8Array[]): void {
		const list = this.committed.get(name)!;
		list.push(...updates);
		if (list.length > 512) this.committed.set(name, [Y.mergeUpdates(list)]);
	}

	/**
	 * An acknowledged push whose changes had gone to "not saved" (its refusal or the record's
	 * removal arrived first, and the server then accepted an earlier-sent copy, e.g. after the
	 * user's access came back): they are committed, so they are the document's again.
	 */
	private savedAfterAll(name: string, answered: readonly number[]): void {
		const ids = new Set(answered);
		for (const entry of this.notSaved) {
			if (entry.doc !== name) continue;
			const saved = entry.rows.filter((r) => ids.has(r.id));
			if (saved.length === 0) continue;
			entry.rows = entry.rows.filter((r) => !ids.has(r.id));
			this.acked.push(...saved);
			this.savedLate += saved.length;
			if (this.docs.has(name)) for (const r of saved) this.applyCommitted(name, r.update);
		}
		for (let i = this.notSaved.length - 1; i >= 0; i--)
			if (this.notSaved[i].rows.length === 0) this.notSaved.splice(i, 1);
	}

	/** DeviceStore.acknowledge: rows the committed vector covers (or sent in the acknowledged push). */
	private acknowledge(name: string, committed: Map<number, number>, sentIds: readonly number[]): void {
		const rows = this.pending.get(name);
		if (!rows) return;
		const sent = new Set(sentIds);
		const take = new Set<Row>();
		let laterCovered = false;
		for (let i = rows.length - 1; i >= 0; i--) {
			const row = rows[i];
			const covered = sent.has(row.id) || (row.end.size > 0 ? covers(committed, row.end) : laterCovered);
			if (covered && row.end.size > 0) laterCovered = true;
			if (covered) take.add(row);
		}
		if (take.size === 0) return;
		const taken = rows.filter((r) => take.has(r));
		this.acked.push(...taken);
		this.addCommitted(
			name,
			taken.map((r) => r.update)
		);
		const left = rows.filter((r) => !take.has(r));
		if (left.length > 0) this.pending.set(name, left);
		else this.pending.delete(name);
	}

	/**
	 * workspace.svelte.ts rebuild(): pending rows to "not saved", the document replaced by the
	 * server's state, reopened from its committed snapshot, or deleted.
	 */
	private rebuild(name: string, to: Uint8Array | 'snapshot' | 'remove', code: number, reason: string): void {
		const rows = this.pending.get(name) ?? [];
		if (rows.length > 0) this.notSaved.push({ doc: name, code, reason, rows });
		this.pending.delete(name);
		this.closeLive(name);
		const snapshot = this.committed.get(name) ?? [];
		this.docs.get(name)?.destroy();
		this.docs.delete(name);
		this.committed.delete(name);
		if (to === 'remove' || (to === 'snapshot' && snapshot.length === 0)) return;
		const base = to === 'snapshot' ? Y.mergeUpdates(snapshot) : to;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, base);
		this.track(name, doc, [base]);
	}
}

function syncMessage(write: (enc: encoding.Encoder) => void): Uint8Array {
	const enc = encoding.createEncoder();
	encoding.writeVarUint(enc, MessageType.sync);
	write(enc);
	return encoding.toUint8Array(enc);
}
