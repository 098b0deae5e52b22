import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, PRESENCE_LIMITS } from '../../src/lib/schema/protocol.ts';
import {
	decodePresence,
	encodePresence,
	PresenceRefusedError,
	type PresenceEntry,
	recordPresence,
	screenPresence
} from './awareness-guard.ts';

interface Conn {
	userId: string;
}

const cleanup: (() => void)[] = [];
afterEach(() => {
	while (cleanup.length) cleanup.pop()!();
});

function awareness(): awarenessProtocol.Awareness {
	const a = new awarenessProtocol.Awareness(new Y.Doc());
	cleanup.push(() => a.destroy());
	return a;
}

/** The server side of one room, as Room keeps it: its awareness and who holds which client id. */
class ServerRoom {
	readonly awareness = awareness();
	readonly holders = new Map<Conn, Set<number>>();

	constructor() {
		this.awareness.setLocalState(null);
	}

	join(userId: string): Conn {
		const conn = { userId };
		this.holders.set(conn, new Set());
		return conn;
	}

	/** What Room.receive does with an awareness message; returns what was relayed (or null). */
	receive(conn: Conn, update: Uint8Array): Uint8Array | null {
		const screened = screenPresence(conn, update, this.awareness, this.holders);
		if (screened.update) awarenessProtocol.applyAwarenessUpdate(this.awareness, screened.update, conn);
		recordPresence(conn, this.holders, screened);
		return screened.update;
	}

	leave(conn: Conn): void {
		const ids = this.holders.get(conn)!;
		this.holders.delete(conn);
		awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
	}
}

const entry = (clientID: number, clock: number, state: Record<string, unknown> | null): PresenceEntry => ({
	clientID,
	clock,
	state
});
const update = (...entries: PresenceEntry[]) => encodePresence(entries);

function refusal(fn: () => unknown): PresenceRefusedError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(PresenceRefusedError);
		return e as PresenceRefusedError;
	}
	throw new Error('expected a refusal');
}

describe('decodePresence', () => {
	it('reads what y-protocols encodes', () => {
		const a = awareness();
		a.setLocalState({ user: { id: 'u1', name: 'Ana' }, editing: 'customer.phone' });
		const entries = decodePresence(awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]));
		expect(entries).toEqual([
			{ clientID: a.clientID, clock: 1, state: { user: { id: 'u1', name: 'Ana' }, editing: 'customer.phone' } }
		]);
	});

	it.each([
		['empty', new Uint8Array([])],
		['a truncated count', new Uint8Array([0x80])],
		['a count with no entries', new Uint8Array([2])],
		['a truncated string length', new Uint8Array([1, 5, 1, 0xff])],
		['a string past the end', new Uint8Array([1, 5, 1, 10, 0x7b])],
		['trailing bytes', new Uint8Array([...update(entry(5, 1, {})), 0])]
	])('[§8] refuses %s as malformed', (_what, bytes) => {
		expect(refusal(() => decodePresence(bytes)).code).toBe(CloseCode.malformed);
	});

	it.each([
		['not JSON', '{user'],
		['an array', '[1]'],
		['a number', '7'],
		['a string', '"me"'],
		[
			'nesting deeper than the limit',
			'{"a":'.repeat(PRESENCE_LIMITS.depth + 1) + '1' + '}'.repeat(PRESENCE_LIMITS.depth + 1)
		],
		['nesting 3,000 deep', '{"a":' + '['.repeat(3000) + ']'.repeat(3000) + '}']
	])('[§8] refuses a state that is %s as malformed', (_what, json) => {
		const bytes = rawUpdate(9, 1, json);
		expect(refusal(() => decodePresence(bytes)).code).toBe(CloseCode.malformed);
	});

	it('[§8] refuses a state over the size limit as too large', () => {
		const bytes = update(entry(9, 1, { note: 'x'.repeat(PRESENCE_LIMITS.stateBytes) }));
		expect(refusal(() => decodePresence(bytes)).code).toBe(CloseCode.tooLarge);
		// Parses, but JSON.stringify overflows the stack on it at every relay: refused all the same.
		const deep = rawUpdate(9, 1, '{"a":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}');
		expect(refusal(() => decodePresence(deep)).code).toBe(CloseCode.tooLarge);
	});

	it('accepts a removal (null) and an anonymous state (the stock client starts with {})', () => {
		expect(decodePresence(rawUpdate(9, 2, 'null'))).toEqual([entry(9, 2, null)]);
		expect(decodePresence(rawUpdate(9, 1, '{}'))).toEqual([entry(9, 1, {})]);
	});
});

/** An awareness update with one entry whose JSON is given as is. */
function rawUpdate(clientID: number, clock: number, json: string): Uint8Array {
	const bytes = new TextEncoder().encode(json);
	return new Uint8Array([1, ...varUint(clientID), ...varUint(clock), ...varUint(bytes.length), ...bytes]);
}

function varUint(n: number): number[] {
	const out: number[] = [];
	while (n > 0x7f) {
		out.push((n & 0x7f) | 0x80);
		n = Math.floor(n / 128);
	}
	out.push(n);
	return out;
}

describe('screenPresence', () => {
	it("[§6] relays a socket's own presence, and refuses presence that names another user", () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		expect(room.receive(ana, update(entry(11, 1, { user: { id: 'ana', name: 'Ana' } })))).not.toBeNull();
		expect(room.awareness.getStates().get(11)).toEqual({ user: { id: 'ana', name: 'Ana' } });
		expect(room.holders.get(ana)).toEqual(new Set([11]));

		const forged = update(entry(12, 1, { user: { id: 'bea', name: 'Bea' } }));
		expect(refusal(() => room.receive(ana, forged)).code).toBe(CloseCode.forbidden);
		for (const user of [null, 'bea', { name: 'Bea' }, { id: null }]) {
			expect(refusal(() => room.receive(ana, update(entry(13, 1, { user })))).code).toBe(CloseCode.forbidden);
		}
		expect(room.awareness.getStates().has(12)).toBe(false);
		expect(room.awareness.getStates().has(13)).toBe(false);
	});

	it('[§6] refuses a new state for a client id another user holds; ignores echoes of it', () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		const bea = room.join('bea');
		room.receive(bea, update(entry(20, 3, { user: { id: 'bea' } })));
		// The stock client sends back what it received, at the same clock: nothing changes.
		expect(room.receive(ana, update(entry(20, 3, { user: { id: 'bea' } })))).toBeNull();
		expect(room.receive(ana, update(entry(20, 2, { user: { id: 'ana' } })))).toBeNull();
		// A newer clock would replace Bea's presence.
		expect(refusal(() => room.receive(ana, update(entry(20, 4, { user: { id: 'ana' } })))).code).toBe(
			CloseCode.forbidden
		);
		expect(room.awareness.getStates().get(20)).toEqual({ user: { id: 'bea' } });
	});

	it("drops a removal of another socket's client (a peer timed out on the sender's side)", () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		const bea = room.join('bea');
		room.receive(bea, update(entry(20, 3, { user: { id: 'bea' } })));
		expect(room.receive(ana, update(entry(20, 3, null), entry(20, 9, null)))).toBeNull();
		expect(room.awareness.getStates().get(20)).toEqual({ user: { id: 'bea' } });
		// A removal of an id nobody holds would only grow the server's bookkeeping.
		expect(room.receive(ana, update(entry(777, 1, null)))).toBeNull();
		expect(room.awareness.meta.has(777)).toBe(false);
	});

	it('lets a socket remove its own presence; the id stays its user’s while the room is loaded', () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		room.receive(ana, update(entry(30, 1, { user: { id: 'ana' } })));
		expect(room.receive(ana, update(entry(30, 2, null)))).not.toBeNull();
		expect(room.awareness.getStates().has(30)).toBe(false);
		expect(room.holders.get(ana)).toEqual(new Set());
		room.leave(ana);
		// Free now, but not for another user: Bea cannot slip in before Ana's device reconnects.
		const bea = room.join('bea');
		expect(refusal(() => room.receive(bea, update(entry(30, 3, { user: { id: 'bea' } })))).code).toBe(
			CloseCode.forbidden
		);
		const anaAgain = room.join('ana');
		expect(room.receive(anaAgain, update(entry(30, 3, { user: { id: 'ana' } })))).not.toBeNull();
		expect(room.holders.get(anaAgain)).toEqual(new Set([30]));
	});

	it("lets the same user's new socket take over its client id from a socket not yet found dead", () => {
		const room = new ServerRoom();
		const stale = room.join('ana');
		room.receive(stale, update(entry(40, 1, { user: { id: 'ana' } })));
		const fresh = room.join('ana');
		// Reconnected with the same clock: an echo, changes nothing; the renewal takes it over.
		expect(room.receive(fresh, update(entry(40, 1, { user: { id: 'ana' } })))).toBeNull();
		expect(room.receive(fresh, update(entry(40, 2, { user: { id: 'ana' }, editing: 'x' })))).not.toBeNull();
		expect(room.holders.get(fresh)).toEqual(new Set([40]));
		expect(room.holders.get(stale)).toEqual(new Set());
		room.leave(stale); // the old socket's close no longer removes the presence
		expect(room.awareness.getStates().get(40)).toEqual({ user: { id: 'ana' }, editing: 'x' });
	});

	it("refuses the room's own client id", () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		const own = room.awareness.clientID;
		expect(refusal(() => room.receive(ana, update(entry(own, 99, { user: { id: 'ana' } })))).code).toBe(
			CloseCode.forbidden
		);
	});

	it(`refuses a socket that introduces over ${PRESENCE_LIMITS.idsPerConnection} client ids in its life`, () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		const ids = Array.from({ length: PRESENCE_LIMITS.idsPerConnection }, (_, i) => 50 + i);
		room.receive(ana, update(...ids.map((id) => entry(id, 1, { user: { id: 'ana' } }))));
		expect(room.holders.get(ana)!.size).toBe(PRESENCE_LIMITS.idsPerConnection);
		// Renewing what it holds stays fine, and so does removing it…
		expect(room.receive(ana, update(entry(50, 2, { user: { id: 'ana' } })))).not.toBeNull();
		expect(room.receive(ana, update(entry(51, 2, null)))).not.toBeNull();
		// …but a new id after that is one too many: y-protocols would remember every one of them.
		expect(refusal(() => room.receive(ana, update(entry(99, 1, {})))).code).toBe(CloseCode.tooLarge);
		// Claiming and removing in turn does not get round it.
		const churn = update(...[200, 201, 202, 203, 204].flatMap((id) => [entry(id, 1, {}), entry(id, 2, null)]));
		expect(refusal(() => room.receive(room.join('bea'), churn)).code).toBe(CloseCode.tooLarge);
		expect(room.awareness.meta.has(99)).toBe(false);
		expect(room.awareness.meta.has(200)).toBe(false);
	});

	it('judges several entries for one client in order, as y-protocols applies them', () => {
		const room = new ServerRoom();
		const ana = room.join('ana');
		const relayed = room.receive(
			ana,
			update(entry(60, 1, { user: { id: 'ana' } }), entry(60, 2, null), entry(60, 2, { user: { id: 'ana' } }))
		);
		// The last entry has the clock of the removal before it: y-protocols ignores it, so does the guard.
		expect(decodePresence(relayed!)).toEqual([entry(60, 1, { user: { id: 'ana' } }), entry(60, 2, null)]);
		expect(room.awareness.getStates().has(60)).toBe(false);
		expect(room.holders.get(ana)).toEqual(new Set());
	});

	it('[§6] two stock clients (which echo every state they receive) see each other and are never refused', () => {
		const room = new ServerRoom();
		const clients = ['ana', 'bea'].map((userId) => {
			const conn = room.join(userId);
			const a = awareness();
			return { userId, conn, a, outbox: [] as Uint8Array[] };
		});
		// As y-websocket's client: every change of its awareness, whatever its origin, goes to the server.
		for (const c of clients) {
			c.a.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
				c.outbox.push(awarenessProtocol.encodeAwarenessUpdate(c.a, [...added, ...updated, ...removed]));
			});
		}
		const pump = () => {
			for (let round = 0; round < 10; round++) {
				for (const c of clients) {
					for (const msg of c.outbox.splice(0)) {
						const relayed = room.receive(c.conn, msg);
						if (relayed)
							for (const other of clients) awarenessProtocol.applyAwarenessUpdate(other.a, relayed, 'server');
					}
				}
			}
		};
		for (const c of clients) c.a.setLocalState({ user: { id: c.userId, name: c.userId } });
		pump();
		clients[0].a.setLocalStateField('editing', 'customer.city');
		pump();
		for (const c of clients) {
			expect(c.a.getStates().get(clients[0].a.clientID)).toEqual({
				user: { id: 'ana', name: 'ana' },
				editing: 'customer.city'
			});
			expect(c.a.getStates().get(clients[1].a.clientID)).toEqual({ user: { id: 'bea', name: 'bea' } });
		}
		// Ana's side times Bea out (a throttled background tab): the removal it sends is dropped.
		awarenessProtocol.removeAwarenessStates(clients[0].a, [clients[1].a.clientID], 'timeout');
		pump();
		expect(room.awareness.getStates().has(clients[1].a.clientID)).toBe(true);
	});
});
