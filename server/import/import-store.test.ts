import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db.ts';
import { ImportStore } from './import-store.ts';

let db: Db;
let store: ImportStore;

beforeEach(() => {
	db = openDatabase(':memory:');
	store = new ImportStore(db);
});
afterEach(() => db.close());

const upload = (id: string, userId: string, now: number) =>
	store.create({ id, userId, fileName: `${id}.csv`, format: 'csv', options: {}, fileBytes: 10, now });

describe('ImportStore', () => {
	it('a run is only ever its uploader’s', () => {
		upload('run-a', 'alice', Date.now());
		expect(store.get('run-a', 'alice')?.file_name).toBe('run-a.csv');
		expect(store.get('run-a', 'bob')).toBeNull();
		expect(store.start('run-a', 'bob', 'skip')).toBe(false);
		expect(store.start('run-a', 'alice', 'skip')).toBe(true);
		expect(store.start('run-a', 'alice', 'skip')).toBe(false);
	});

	it('uploads never run expire after the given time; runs that ran do not', () => {
		const day = 24 * 3600_000;
		upload('old', 'alice', Date.now() - 2 * day);
		upload('new', 'alice', Date.now());
		upload('ran', 'alice', Date.now() - 2 * day);
		store.start('ran', 'alice', 'skip');
		expect(store.readyCount('alice')).toBe(2);
		expect(store.expireReady(Date.now() - day)).toEqual(['old']);
		expect(store.get('old', 'alice')).toMatchObject({ status: 'failed', error: 'expired' });
		expect(store.readyCount('alice')).toBe(1);
		expect(store.isReady('new')).toBe(true);
	});

	it('a source key stays with the first run that met it, and goes with that run’s undo', () => {
		upload('r1', 'alice', Date.now());
		upload('r2', 'alice', Date.now());
		const target = { customerId: 'c1', contactId: 'k1' };
		store.recordRow(
			{ id: 'r1', userId: 'alice' },
			{ line: 2, outcome: 'imported', key: { key: 'e:a@x.example', target } }
		);
		store.recordRow(
			{ id: 'r2', userId: 'alice' },
			{ line: 2, outcome: 'skipped', reason: 'already_imported', key: { key: 'e:a@x.example', target } }
		);
		store.markUndone('r2');
		expect(store.keyTarget('alice', 'e:a@x.example')).toEqual(target);
		expect(store.keyTarget('bob', 'e:a@x.example')).toBeNull();
		store.markUndone('r1');
		expect(store.keyTarget('alice', 'e:a@x.example')).toBeNull();
		expect(store.get('r1', 'alice')).toMatchObject({ status: 'undone', imported: 1 });
		expect(store.report('r2', 0, 10)).toEqual([
			{ line: 2, outcome: 'skipped', reason: 'already_imported', detail: null }
		]);
	});
});
