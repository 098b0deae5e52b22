import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, trashCustomer, updateContact, updateCustomer } from '$lib/schema/customer-doc';
import { countChanges } from './change-count';

/** A committed company and a way to record the local updates made on top of it. */
function committed(): { doc: Y.Doc; snapshot: Uint8Array; local: Uint8Array[] } {
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Lindenhof' } });
	addContact(doc, { id: 'c1', fields: { firstName: 'Ada', lastName: 'Brandt' }, authorId: 'u1', now: 1 });
	const snapshot = Y.encodeStateAsUpdate(doc);
	const local: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => local.push(u));
	return { doc, snapshot, local };
}

describe('[§5] the waiting count counts changes, not records or rows (issue #14 item 7)', () => {
	it('counts each edited field once, however often it was retyped, without the stamps', () => {
		const { doc, snapshot, local } = committed();
		updateCustomer(doc, { city: 'Augsbur' }, 'u1', 2);
		updateCustomer(doc, { city: 'Augsburg' }, 'u1', 3);
		updateCustomer(doc, { phone: '+49 821 1' }, 'u1', 4);
		updateContact(doc, 'c1', { position: 'Buyer' }, 'u1', 5);
		expect(local.length).toBeGreaterThan(3);
		expect(countChanges(snapshot, local)).toBe(3);
	});

	it('a new record is one change, a new contact is one change (with its primary mark), a deletion is one', () => {
		const fresh = new Y.Doc();
		const updates: Uint8Array[] = [];
		fresh.on('update', (u: Uint8Array) => updates.push(u));
		initCustomer(fresh, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'New', city: 'Ulm' } });
		expect(countChanges(null, updates)).toBe(1);

		const empty = new Y.Doc();
		initCustomer(empty, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Empty' } });
		const base = Y.encodeStateAsUpdate(empty);
		const added: Uint8Array[] = [];
		empty.on('update', (u: Uint8Array) => added.push(u));
		addContact(empty, { id: 'c9', fields: { firstName: 'Jo', lastName: 'Kim', phone: '1' }, authorId: 'u1', now: 2 });
		expect(countChanges(base, added)).toBe(1);

		const { doc, snapshot, local } = committed();
		trashCustomer(doc, 'u1', 9);
		expect(countChanges(snapshot, local)).toBe(1);
	});

	it('nothing pending is nothing waiting', () => {
		expect(countChanges(null, [])).toBe(0);
	});
});
