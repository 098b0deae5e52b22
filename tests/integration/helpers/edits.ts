/** Edits as staff make them in the app (its schema functions, valid values only), for durability tests. */
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	initCustomer,
	trashContact,
	updateContact,
	updateCustomer,
	type CustomerData
} from '../../../src/lib/schema/customer-doc.ts';
import { newId } from '../../../src/lib/schema/ids.ts';
import type { Device } from './devices.ts';

const CITIES = ['München', 'Łódź', 'Lyon', 'Porto', 'Leeds', 'Zürich'];

/** mulberry32 (the same generator as bench/data.ts): a seed gives the same trials. */
export function makeRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A small field edit, as the app makes them (schema functions, valid values only). */
export function randomEdit(r: () => number, device: Device, name: string, authorId: string, n: number): void {
	device.edit(name, (doc) => {
		const now = Date.now();
		const contacts = [...contactsMap(doc).entries()].filter(([, m]) => !m.get('deletedAt')).map(([id]) => id);
		const x = r();
		if (x < 0.55 || contacts.length === 0) {
			const fields: CustomerData[] = [
				{ phone: `+49 30 ${100_000 + n}` },
				{ city: CITIES[n % CITIES.length] },
				{ description: `visit ${n} by device ${device.id}` },
				{ website: `https://example.com/${n}` },
				{ postalCode: String(10_000 + (n % 90_000)) }
			];
			updateCustomer(doc, fields[Math.floor(r() * fields.length)], authorId, now);
		} else if (x < 0.85) {
			const id = contacts[Math.floor(r() * contacts.length)];
			updateContact(doc, id, r() < 0.5 ? { phone: `+44 20 ${n}` } : { position: `Buyer ${n}` }, authorId, now);
		} else if (x < 0.95 || contacts.length < 2) {
			addContact(doc, { id: newId(), fields: { firstName: 'Zoë', lastName: `Nowak ${n}` }, authorId, now });
		} else {
			trashContact(doc, contacts[Math.floor(r() * contacts.length)], now);
		}
	});
}

/** A new company with one contact, as "New company" makes it. */
export function newCustomer(authorId: string, name: string): Y.Doc {
	const doc = new Y.Doc();
	const now = Date.now();
	initCustomer(doc, { kind: 'company', authorId, now, fields: { companyName: name } });
	addContact(doc, { id: newId(), fields: { firstName: 'Ana', lastName: 'Silva' }, authorId, now });
	return doc;
}
