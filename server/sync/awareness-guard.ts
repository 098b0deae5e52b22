/**
 * Presence (y-protocols awareness: who views a document, which field they edit) is relayed
 * to everyone who has the document open, so the server makes each socket speak for itself
 * only (SPEC §6: the server's authority; issue #4 "awareness that claims another user's id").
 *
 * - An update is decoded strictly: varUint count, then per client varUint clientID, varUint
 *   clock, varString JSON state; no trailing bytes. A state is null (the client is gone) or a
 *   JSON object at most PRESENCE_LIMITS.depth deep and stateBytes long. Deeper JSON parses,
 *   but JSON.stringify overflows the stack on it: it would throw at every later relay, and at
 *   the join of every socket after it.
 * - Only entries that change the server's copy are judged (y-protocols' rule: a newer clock,
 *   or a removal at the same clock). The stock y-websocket client sends every state it
 *   receives straight back to the server, other users' included, at the clock it got them
 *   at; those change nothing and are left out without a word.
 * - A state with a `user` must name the socket's own user (`user.id`). That is all the
 *   presence of a read-only viewer needs: it is relayed like anyone's, under their identity.
 *   The name others see is the staff directory's (`nameOf`), whatever the client wrote
 *   (issue #9: a user appeared to others as "Alice (Admin)").
 * - A client id is held by the socket that introduced it, and belongs to that socket's user
 *   for as long as the room is loaded. Another socket of the same user may take it over (a
 *   device reconnected before the server noticed its old socket was dead); another user's
 *   socket may never set it, not even while it is free between a close and a reconnect; nor
 *   may anyone set the room's own id. A removal of a client id the sender does not hold is
 *   dropped: the stock client sends one when a peer times out on its side, and only the
 *   peer's own socket says whether the peer is there.
 * - One socket introduces at most PRESENCE_LIMITS.idsPerConnection client ids in its life (the
 *   stock client: one). y-protocols remembers every id it has seen until the room unloads, so
 *   this bounds what a socket can make the room keep.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseCode, PRESENCE_LIMITS } from '../../src/lib/schema/protocol.ts';

export interface PresenceEntry {
	clientID: number;
	clock: number;
	/** null: the client is gone. */
	state: Record<string, unknown> | null;
}

/** What the rules read of the room's y-protocols Awareness. */
export interface AwarenessView {
	/** The room's own client id (it never has presence of its own). */
	readonly clientID: number;
	readonly meta: ReadonlyMap<number, { clock: number }>;
	readonly states: ReadonlyMap<number, unknown>;
}

/** Presence the server will not relay; the socket is closed with `code`. */
export class PresenceRefusedError extends Error {
	constructor(
		readonly code: CloseCode,
		reason: string
	) {
		super(reason);
	}
}

const malformed = (reason: string) => new PresenceRefusedError(CloseCode.malformed, `malformed presence: ${reason}`);

/** Decodes an awareness update; throws PresenceRefusedError unless it is exactly well-formed. */
export function decodePresence(update: Uint8Array): PresenceEntry[] {
	const d = decoding.createDecoder(update);
	const entries: PresenceEntry[] = [];
	try {
		const count = decoding.readVarUint(d);
		for (let i = 0; i < count; i++) {
			const clientID = decoding.readVarUint(d);
			const clock = decoding.readVarUint(d);
			const start = d.pos;
			const json = decoding.readVarString(d);
			if (d.pos - start > PRESENCE_LIMITS.stateBytes) {
				throw new PresenceRefusedError(CloseCode.tooLarge, `a presence state over ${PRESENCE_LIMITS.stateBytes} bytes`);
			}
			entries.push({ clientID, clock, state: parseState(json) });
		}
	} catch (e) {
		if (e instanceof PresenceRefusedError) throw e;
		throw malformed('truncated');
	}
	if (d.pos !== update.length) throw malformed('trailing bytes');
	return entries;
}

function parseState(json: string): Record<string, unknown> | null {
	let state: unknown;
	try {
		state = JSON.parse(json);
	} catch {
		throw malformed('a state is not JSON');
	}
	if (state === null) return null;
	if (!isObject(state)) throw malformed('a state is not a JSON object');
	if (!withinDepth(state, PRESENCE_LIMITS.depth)) throw malformed(`a state nested over ${PRESENCE_LIMITS.depth} deep`);
	return state;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Recursion bounded by `depth`, so this check itself cannot overflow. */
function withinDepth(v: unknown, depth: number): boolean {
	if (typeof v !== 'object' || v === null) return true;
	if (depth === 0) return false;
	for (const child of Object.values(v)) if (!withinDepth(child, depth - 1)) return false;
	return true;
}

export function encodePresence(entries: readonly PresenceEntry[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const { clientID, clock, state } of entries) {
		encoding.writeVarUint(e, clientID);
		encoding.writeVarUint(e, clock);
		encoding.writeVarString(e, JSON.stringify(state));
	}
	return encoding.toUint8Array(e);
}

/**
 * What the rules remember of a room beyond its awareness and its sockets: whose each client id
 * is, and how many ids each socket introduced. Kept under the room's awareness, so it goes
 * with the room.
 */
interface Ledger {
	owner: Map<number, string>;
	introduced: WeakMap<object, number>;
}
const ledgers = new WeakMap<AwarenessView, Ledger>();

function ledgerOf(awareness: AwarenessView): Ledger {
	let ledger = ledgers.get(awareness);
	if (!ledger) {
		ledger = { owner: new Map(), introduced: new WeakMap() };
		ledgers.set(awareness, ledger);
	}
	return ledger;
}

export interface ScreenedPresence {
	/** The entries to apply and relay, re-encoded; null when nothing is left. */
	update: Uint8Array | null;
	/** Client ids the sender holds from now on (new, or taken over from its own user's socket). */
	claimed: number[];
	/** Client ids the sender removed. */
	released: number[];
}

/**
 * Judges an awareness update from `conn` against the room's awareness and who holds which
 * client id (`holders`: every socket of the room with the client ids it holds).
 * Throws PresenceRefusedError when the socket must be closed.
 */
export function screenPresence<C extends { readonly userId: string }>(
	conn: C,
	update: Uint8Array,
	awareness: AwarenessView,
	holders: ReadonlyMap<C, ReadonlySet<number>>,
	/** The user's name in the staff directory (null: unknown, the name is dropped). */
	nameOf?: (userId: string) => string | null
): ScreenedPresence {
	const entries = decodePresence(update);
	const kept: PresenceEntry[] = [];
	const claimed: number[] = [];
	const released: number[] = [];
	const mine = new Set(holders.get(conn));
	const ledger = ledgerOf(awareness);
	let introduced = ledger.introduced.get(conn) ?? 0;
	/** Clocks and presence as the entries before this one left them (several may name one client). */
	const seen = new Map<number, { clock: number; present: boolean }>();

	for (const entry of entries) {
		const { clientID, clock, state } = entry;
		const before = seen.get(clientID) ?? {
			clock: awareness.meta.get(clientID)?.clock ?? 0,
			present: awareness.states.has(clientID)
		};
		const changes = before.clock < clock || (before.clock === clock && state === null && before.present);
		if (!changes) continue; // an echo, or stale: y-protocols would ignore it too

		if (state === null) {
			if (!mine.has(clientID)) continue; // a peer timed out on the sender's side; not its call
			mine.delete(clientID);
			released.push(clientID);
		} else {
			const user = state.user;
			if (user !== undefined && !(isObject(user) && user.id === conn.userId)) {
				throw new PresenceRefusedError(CloseCode.forbidden, "presence may carry only its own user's identity");
			}
			if (isObject(user) && nameOf) {
				const name = nameOf(conn.userId);
				entry.state = { ...state, user: name === null ? { ...user, name: undefined } : { ...user, name } };
			}
			const owner = ledger.owner.get(clientID);
			if (clientID === awareness.clientID || (owner !== undefined && owner !== conn.userId)) {
				throw new PresenceRefusedError(CloseCode.forbidden, "presence of another user's client");
			}
			if (!mine.has(clientID)) {
				if (++introduced > PRESENCE_LIMITS.idsPerConnection) {
					throw new PresenceRefusedError(
						CloseCode.tooLarge,
						`presence for over ${PRESENCE_LIMITS.idsPerConnection} clients from one socket`
					);
				}
				mine.add(clientID);
				claimed.push(clientID);
			}
		}
		seen.set(clientID, { clock, present: state !== null });
		kept.push(entry);
	}
	// Nothing was refused: the room applies the update next.
	ledger.introduced.set(conn, introduced);
	for (const id of claimed) ledger.owner.set(id, conn.userId);
	return { update: kept.length > 0 ? encodePresence(kept) : null, claimed, released };
}

/** Records what screenPresence decided, once the update is applied: who holds which client id. */
export function recordPresence<C>(conn: C, holders: ReadonlyMap<C, Set<number>>, screened: ScreenedPresence): void {
	const mine = holders.get(conn);
	if (!mine) return;
	for (const id of screened.claimed) {
		for (const [c, ids] of holders) if (c !== conn) ids.delete(id);
		mine.add(id);
	}
	for (const id of screened.released) mine.delete(id);
}
