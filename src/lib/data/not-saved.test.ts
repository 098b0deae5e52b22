import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateContact, updateCustomer } from '$lib/schema/customer-doc';
import { describeNotSaved } from './not-saved';

describe('describeNotSaved', () => {
	it('lists the last value of each field the refused updates changed, naming contacts from the device copy', () => {
		const doc = new Y.Doc();
		initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Acme' } });
		addContact(doc, { id: 'k1', fields: { firstName: 'Ada', lastName: 'L' }, authorId: 'u1', now: 2 });
		const base = Y.encodeStateAsUpdate(doc);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		updateCustomer(doc, { city: 'Graz' }, 'u1', 3);
		updateCustomer(doc, { city: 'Wien' }, 'u1', 4);
		updateContact(doc, 'k1', { email: 'ada@example.com' }, 'u1', 5);
		doc.getMap('customer').set('access', 'public-read');

		const { changes, contacts } = describeNotSaved({ base, updates });
		expect(changes.map((c) => [c.record, c.contactId, c.field, c.value])).toEqual([
			['customer', null, 'city', 'Wien'],
			['contact', 'k1', 'email', 'ada@example.com'],
			['customer', null, 'access', 'public-read']
		]);
		expect(contacts.map((c) => c.firstName)).toEqual(['Ada']);
	});

	it('a refused creation lists the new record with its fields', () => {
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'New Co' } });
		const { changes } = describeNotSaved({ base: null, updates });
		expect(changes.map((c) => c.field)).toContain('companyName');
		expect(changes.find((c) => c.field === 'companyName')?.value).toBe('New Co');
	});
});
