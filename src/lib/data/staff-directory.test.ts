import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceStore } from './device-store';
import { cachedDirectory, DIRECTORY_URL, fetchDirectory, managerCandidates } from './staff-directory';

const ADA = { id: 'u-ada', name: 'Ada', active: true };
const BOB = { id: 'u-bob', name: 'Bob', active: true };
const GONE = { id: 'u-gone', name: 'Gone', active: false };

let store: DeviceStore | null = null;
afterEach(() => store?.close());

const answer =
	(status: number, body: unknown): typeof fetch =>
	(url) => {
		expect(url).toBe(DIRECTORY_URL);
		return Promise.resolve(new Response(JSON.stringify(body), { status }));
	};

describe('[§2] the staff directory works offline', () => {
	it('keeps the last answer on the device and falls back to it when the server cannot be reached', async () => {
		store = await DeviceStore.open('u-ada', new IDBFactory());
		expect(await cachedDirectory(store)).toEqual([]);
		expect(await fetchDirectory(store, answer(200, { staff: [ADA, BOB] }))).toEqual([ADA, BOB]);
		const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
		expect(await fetchDirectory(store, offline)).toBeNull();
		expect(await cachedDirectory(store)).toEqual([ADA, BOB]);
	});

	it('a refusal or a body that is no directory keeps the device copy', async () => {
		store = await DeviceStore.open('u-ada', new IDBFactory());
		await fetchDirectory(store, answer(200, { staff: [ADA] }));
		expect(await fetchDirectory(store, answer(401, { error: 'unauthorized' }))).toBeNull();
		expect(await fetchDirectory(store, answer(200, '<html>'))).toBeNull();
		expect(await cachedDirectory(store)).toEqual([ADA]);
	});

	it('offers active staff who are not managers yet, by name', () => {
		expect(managerCandidates([GONE, BOB, ADA], [])).toEqual([ADA, BOB]);
		expect(managerCandidates([GONE, BOB, ADA], ['u-ada'])).toEqual([BOB]);
	});
});
