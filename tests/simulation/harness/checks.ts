/**
 * What must hold once a run has healed (every device reconnected, every message delivered,
 * every commit made), and what must hold of every message as the server sends it.
 */
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { covers } from '../../../src/lib/data/acks.ts';
import { canRead, sameAccess, type RecordAccess, type StaffRef } from '../../../src/lib/schema/access.ts';
import { contactsMap, customerMap, primaryContactId } from '../../../src/lib/schema/customer-doc.ts';
import { decodeFeed } from '../../../src/lib/schema/feed-protocol.ts';
import { FeedMsg, MessageType } from '../../../src/lib/schema/protocol.ts';
import { emailKey } from '../../../src/lib/schema/records.ts';
import { DEFAULT_CONTACT_TYPE_ID, SETTINGS_DOC } from '../../../src/lib/schema/settings.ts';
import type { SimDevice } from './device.ts';
import type { Link } from './network.ts';
import type { InProcessServer } from './server.ts';

/** A document's content with map keys sorted (key order follows the order items arrived in). */
export function content(doc: Y.Doc): string {
	return JSON.stringify(
		['customer', 'managers', 'contacts'].map((root) => doc.getMap(root).toJSON()),
		(_key, value: unknown) =>
			value && typeof value === 'object' && !Array.isArray(value)
				? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
				: value
	);
}

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
const sameSv = (a: Map<number, number>, b: Map<number, number>) => covers(a, b) && covers(b, a);

/** Where two state vectors differ, as `client: a≠b`. */
function svDiff(a: Map<number, number>, b: Map<number, number>): string {
	const out: string[] = [];
	for (const c of new Set([...a.keys(), ...b.keys()]))
		if ((a.get(c) ?? 0) !== (b.get(c) ?? 0)) out.push(`${c}: ${a.get(c) ?? 0}≠${b.get(c) ?? 0}`);
	return out.join(', ');
}

export interface SendAudit {
	/** A message about a document sent to a user who may not read it (committed access). */
	leaks: string[];
	/** Document content sent out before the server committed it. */
	uncommitted: string[];
}

/**
 * Audits one message as the server hands it to a socket: a message about a document goes only
 * to a user who may read it as committed at that moment, and carries only committed content.
 */
export function auditSend(
	server: InProcessServer,
	user: StaffRef,
	link: Link,
	data: Uint8Array,
	audit: SendAudit
): void {
	const m = about(link.docName, data);
	if (!m || m.doc === SETTINGS_DOC) return;
	if (!canRead(user, server.oracle.accessOf(m.doc)))
		audit.leaks.push(`${m.what} of ${m.doc} to ${user.id} (link ${link.id})`);
	const committed = server.oracle.docs.get(m.doc);
	for (const [client, clock] of m.to) {
		if (committed && Y.getState(committed.store, client) >= clock) continue;
		audit.uncommitted.push(`${m.what} of ${m.doc} to ${user.id}`);
		break;
	}
}

interface About {
	doc: string;
	what: string;
	/** Where the content it carries ends, per client (empty: it carries none). */
	to: Map<number, number>;
}

/** What a message is about, decoded once however many sockets it goes to. */
const decoded = new WeakMap<Uint8Array, About | null>();

function about(docName: string | null, data: Uint8Array): About | null {
	if (decoded.has(data)) return decoded.get(data)!;
	let out: About | null = null;
	const meta = (update: Uint8Array) => Y.parseUpdateMeta(update).to;
	if (docName === null) {
		const m = decodeFeed(data);
		if (m.type === FeedMsg.change) out = { doc: m.doc, what: 'feed change', to: meta(m.update) };
		else if (m.type === FeedMsg.refused && m.state.length > 0)
			out = { doc: m.doc, what: 'refusal state', to: meta(m.state) };
	} else {
		const dec = decoding.createDecoder(data);
		const type = decoding.readVarUint(dec);
		out = { doc: docName, what: `socket message ${type}`, to: new Map() };
		if (type === MessageType.sync) {
			const step = decoding.readVarUint(dec);
			out.what = `socket sync ${step}`;
			if (step !== syncProtocol.messageYjsSyncStep1) out.to = meta(decoding.readVarUint8Array(dec));
		}
	}
	decoded.set(data, out);
	return out;
}

/** What the server has committed: each document, and who may read it. */
export interface CommittedView {
	readonly docs: ReadonlyMap<string, Y.Doc>;
	/** The access of a customer document (null: no such customer). */
	accessOf(name: string): RecordAccess | null;
	/** Customer documents that exist. */
	customers(): string[];
}

/** Every device holds exactly what its user may read, equal to the server's committed state; nothing is left waiting. */
export function checkDevices(server: CommittedView, devices: readonly SimDevice[], failures: string[]): void {
	for (const d of devices) {
		const names = new Set([...server.customers(), ...d.docs.keys()]);
		for (const name of names) {
			if (name === SETTINGS_DOC) continue;
			const readable = canRead(d.user, server.accessOf(name));
			const mine = d.docs.get(name);
			const where = `device ${d.index} (${d.user.id}), ${name}`;
			if (readable && !mine) failures.push(`${where}: readable but not on the device`);
			if (!readable && mine) failures.push(`${where}: on the device but not readable`);
			if (!readable || !mine) continue;
			const committed = server.docs.get(name)!;
			if (mine.store.pendingStructs || mine.store.pendingDs)
				failures.push(`${where}: changes with missing dependencies`);
			if (!sameSv(sv(mine), sv(committed)))
				failures.push(`${where}: state vector differs from the server's (${svDiff(sv(mine), sv(committed))})`);
			else if (content(mine) !== content(committed)) failures.push(`${where}: content differs from the server's`);
		}
		if (d.pendingCount > 0) failures.push(`device ${d.index}: ${d.pendingCount} changes never answered`);
		// Nothing silently lost: every change made is acknowledged or kept "not saved".
		const kept = d.acked.length + d.notSaved.reduce((n, e) => n + e.rows.length, 0) + d.pendingCount;
		if (kept !== d.changesMade)
			failures.push(`device ${d.index}: ${d.changesMade} changes made, ${kept} accounted for`);
	}
}

/** Every change the server acknowledged is in its final state (inserts and deletions). */
export function checkAcknowledged(server: CommittedView, devices: readonly SimDevice[], failures: string[]): number {
	let savedButNotSaved = 0;
	const deleted = new Map<string, ReturnType<typeof Y.createDeleteSetFromStructStore>>();
	const dsOf = (name: string, doc: Y.Doc) => {
		if (!deleted.has(name)) deleted.set(name, Y.createDeleteSetFromStructStore(doc.store));
		return deleted.get(name)!;
	};
	for (const d of devices) {
		for (const row of d.acked) {
			const doc = server.docs.get(row.doc);
			if (!doc || !covers(sv(doc), row.end)) {
				failures.push(`device ${d.index}: acknowledged change ${row.id} of ${row.doc} is not on the server`);
				continue;
			}
			const ds = dsOf(row.doc, doc);
			for (const [client, ranges] of Y.decodeUpdate(row.update).ds.clients) {
				for (const { clock, len } of ranges) {
					for (let c = clock; c < clock + len; c++) {
						if (!Y.isDeleted(ds, Y.createID(client, c))) {
							failures.push(
								`device ${d.index}: acknowledged deletion ${client}:${c} in ${row.doc} is not on the server`
							);
						}
					}
				}
			}
		}
		for (const entry of d.notSaved) {
			const doc = server.docs.get(entry.doc);
			for (const row of entry.rows) if (doc && row.end.size > 0 && covers(sv(doc), row.end)) savedButNotSaved++;
		}
	}
	return savedButNotSaved;
}

/**
 * The server's own records agree with what it committed: the store (snapshot and log), the
 * access index and the SQL projection.
 */
export function checkStore(server: InProcessServer, failures: string[]): void {
	server.sync.catchUp(); // history and projection written up to everything committed
	const primaries = new Map(
		(
			server.db.prepare('SELECT id, primary_contact_id AS p FROM customers').all() as { id: string; p: string | null }[]
		).map((r) => [r.id, r.p])
	);
	for (const name of server.oracle.customers()) {
		const doc = server.oracle.docs.get(name)!;
		const stored = server.stored(name);
		if (!sameSv(sv(stored), sv(doc)) || content(stored) !== content(doc)) {
			failures.push(`${name}: the store differs from what was committed (${svDiff(sv(stored), sv(doc)) || 'content'})`);
		}
		stored.destroy();
		if (!sameAccess(server.access.get(name), server.oracle.accessOf(name)))
			failures.push(`${name}: access index differs`);
		if ((primaries.get(name) ?? null) !== primaryContactId(doc))
			failures.push(`${name}: projected primary contact differs`);
	}
}

/**
 * The invariants the server restores (SPEC §2, §6; server/sync/room.ts, email-claims.ts) hold
 * on every document it committed. Returns how many records were left without a manager.
 */
export function checkInvariants(server: CommittedView, failures: string[]): { noManagers: number } {
	let noManagers = 0;
	const liveEmails = new Map<string, number>();
	const docs = server.customers().map((name) => [name, server.docs.get(name)!] as const);
	for (const [name, doc] of docs) {
		if (server.accessOf(name)!.managers.size === 0) noManagers++;
		const named = customerMap(doc).get('primaryContactId') ?? null;
		if (named !== primaryContactId(doc))
			failures.push(`${name}: primary contact ${String(named)} is not a live contact`);
		const type = customerMap(doc).get('contactTypeId');
		if (typeof type === 'string' && type !== DEFAULT_CONTACT_TYPE_ID)
			failures.push(`${name}: unknown contact type ${type} kept`);
		if (customerMap(doc).get('deletedAt')) continue;
		for (const [, c] of contactsMap(doc)) {
			const key = emailKey(c.get('email'));
			if (key && !c.get('deletedAt')) liveEmails.set(key, (liveEmails.get(key) ?? 0) + 1);
		}
	}
	// The duplicate e-mail flag: set exactly on live contacts whose address another live contact uses.
	for (const [name, doc] of docs) {
		const customerLive = !customerMap(doc).get('deletedAt');
		for (const [id, c] of contactsMap(doc)) {
			const key = emailKey(c.get('email'));
			const shared = customerLive && !c.get('deletedAt') && key !== null && (liveEmails.get(key) ?? 0) > 1;
			if ((c.get('duplicateEmail') === true) !== shared) {
				failures.push(
					`${name}: contact ${id} duplicate e-mail flag ${String(c.get('duplicateEmail'))}, expected ${shared}`
				);
			}
		}
	}
	return { noManagers };
}
