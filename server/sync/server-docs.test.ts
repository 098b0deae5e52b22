/**
 * ServerDocs (issue #12): the portal reads customer documents as the server holds them and
 * changes them as the server, answered only once the change is committed; rooms are loaded
 * for the call and unloaded after. Real Room, CommitQueue and SQLite store; no sockets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type Db } from '../db.ts';
import { CommitQueue } from './commit-queue.ts';
import { SqliteDocStore, type DocStore } from './doc-store.ts';
import { Room } from './room.ts';
import { DocUnavailableError, ServerDocs } from './server-docs.ts';

let db: Db;
let store: DocStore;
let queue: CommitQueue;
let rooms: Map<string, Room>;
let docs: ServerDocs;
let failing: boolean;

beforeEach(() => {
	db = openDatabase(':memory:');
	const real = new SqliteDocStore(db);
	failing = false;
	store = {
		load: (n) => real.load(n),
		append: (u, w) => {
			if (failing) throw new Error('disk full');
			return real.append(u, w);
		},
		compact: (n, s, q) => real.compact(n, s, q),
		changesSince: (s) => real.changesSince(s),
		maxSeq: () => real.maxSeq()
	};
	queue = new CommitQueue(store);
	rooms = new Map();
	const release = (room: Room) => {
		if (room.idle && rooms.get(room.name) === room) {
			rooms.delete(room.name);
			room.destroy();
		}
	};
	docs = new ServerDocs({
		room: (name) => {
			let room = rooms.get(name);
			if (!room) {
				queue.flush();
				room = new Room(name, {
					store,
					queue,
					compactAfter: 1000,
					onBroken: (r) => {
						rooms.delete(r.name);
						r.destroy();
					},
					onCommitted: () => {},
					onReleased: release
				});
				rooms.set(name, room);
			}
			return room;
		},
		release,
		afterCommit: (fn) => queue.afterCommit(fn),
		closing: () => false
	});
	// A customer document the server holds.
	const d = new Y.Doc();
	d.getMap('customer').set('companyName', 'Acme');
	store.append([{ doc: 'acme', data: Y.encodeStateAsUpdate(d), userId: null }]);
});
afterEach(() => {
	queue.close();
	db.close();
});

/** The document as the store holds it. */
function stored(name: string): Y.Doc {
	const d = new Y.Doc();
	for (const u of store.load(name)?.updates ?? []) Y.applyUpdate(d, u);
	return d;
}

describe('ServerDocs', () => {
	it('reads a held document and unloads it after; a document not held, garbage or the settings read as null', async () => {
		expect(await docs.read('acme', (d) => d.getMap('customer').get('companyName'))).toBe('Acme');
		expect(rooms.size).toBe(0);
		for (const name of ['nobody', 'settings', '', '../acme', 'x'.repeat(10_000), 'ü']) {
			expect(await docs.read(name, () => 'read')).toBeNull();
		}
		expect(rooms.size).toBe(0);
	});

	it('a change resolves once committed, with what the function returned; the room is unloaded after', async () => {
		const result = await docs.change('acme', (d) => {
			d.getMap('customer').set('city', 'Berlin');
			return 'done';
		});
		expect(result).toBe('done');
		// Durable when the promise resolves: the store holds it.
		expect(stored('acme').getMap('customer').get('city')).toBe('Berlin');
		expect(rooms.size).toBe(0);
		expect(await docs.read('acme', (d) => d.getMap('customer').get('city'))).toBe('Berlin');
	});

	it('a change that writes nothing resolves too', async () => {
		expect(await docs.change('acme', () => 42)).toBe(42);
	});

	it('never creates a document: a change to one the server does not hold is refused, nothing stored', async () => {
		await expect(docs.change('nobody', (d) => d.getMap('customer').set('x', 1))).rejects.toBeInstanceOf(
			DocUnavailableError
		);
		await expect(docs.change('settings', () => 1)).rejects.toBeInstanceOf(DocUnavailableError);
		expect(store.load('nobody')).toBeNull();
		expect(rooms.size).toBe(0);
	});

	it('a failed commit rejects (never a false "done") and the room is dropped', async () => {
		failing = true;
		await expect(docs.change('acme', (d) => d.getMap('customer').set('city', 'Lost'))).rejects.toBeInstanceOf(
			DocUnavailableError
		);
		failing = false;
		expect(rooms.size).toBe(0);
		expect(await docs.read('acme', (d) => d.getMap('customer').get('city') ?? null)).toBeNull();
	});

	it('a function that throws rejects with its error and does not keep the room loaded', async () => {
		await expect(
			docs.change('acme', () => {
				throw new Error('decided against it');
			})
		).rejects.toThrow('decided against it');
		await new Promise((r) => setImmediate(r));
		expect(rooms.size).toBe(0);
	});

	it('creates a document for a staff user (an import): stored, that user its author; a held name or the settings refused', async () => {
		const authors: (string | null)[] = [];
		const append = store.append.bind(store);
		store.append = (u, w) => {
			authors.push(...u.map((x) => x.userId));
			return append(u, w);
		};
		const made = await docs.create(
			'fresh',
			(d) => {
				d.getMap('customer').set('companyName', 'Fresh');
				return 'made';
			},
			'user-1'
		);
		expect(made).toBe('made');
		expect(stored('fresh').getMap('customer').get('companyName')).toBe('Fresh');
		expect(rooms.size).toBe(0);
		// Held from now on: a change reaches it, made for another user.
		await docs.change('fresh', (d) => d.getMap('customer').set('city', 'Oslo'), 'user-2');
		expect(authors).toEqual(['user-1', 'user-2']);
		await expect(docs.create('acme', (d) => d.getMap('customer').set('x', 1), 'user-1')).rejects.toBeInstanceOf(
			DocUnavailableError
		);
		await expect(docs.create('settings', () => 1, 'user-1')).rejects.toBeInstanceOf(DocUnavailableError);
		expect(stored('acme').getMap('customer').get('x')).toBeUndefined();
	});
});
