import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	initCustomer,
	summarize,
	trashContact,
	trashCustomer,
	type CustomerSummary
} from '$lib/schema/customer-doc';
import type { CustomerKind } from '$lib/schema/records';
import { duplicateEmail, sameEmailContacts } from './duplicates';

const AUTHOR = 'user-1';

/** A customer document with contacts `[id, first, last, email]`, flagged as the server would. */
function customer(
	name: string,
	contacts: [string, string, string, string | null][],
	opts: { kind?: CustomerKind; flagged?: string[] } = {}
): Y.Doc {
	const doc = new Y.Doc();
	const kind = opts.kind ?? 'company';
	initCustomer(doc, { kind, authorId: AUTHOR, now: 1, fields: kind === 'company' ? { companyName: name } : {} });
	contacts.forEach(([id, firstName, lastName, email], i) =>
		addContact(doc, { id, fields: { firstName, lastName, email }, authorId: AUTHOR, now: i + 2 })
	);
	for (const id of opts.flagged ?? []) contactsMap(doc).get(id)!.set('duplicateEmail', true);
	return doc;
}

const summaries = (docs: Record<string, Y.Doc>): CustomerSummary[] =>
	Object.entries(docs).map(([id, doc]) => summarize(id, doc)!);

describe('[§2][§6] duplicate e-mails: the other contacts this device can open', () => {
	it('finds the other contacts with the same address, trimmed and case-insensitive, never the contact itself', () => {
		const list = summaries({
			a: customer('Acme', [['k1', 'Ann', 'One', 'ann@example.com']], { flagged: ['k1'] }),
			b: customer('Beta', [
				['k2', 'Ann', 'Two', ' ANN@Example.com'],
				['k3', 'Bob', 'Other', 'bob@example.com']
			])
		});
		expect(sameEmailContacts(list, { id: 'k1', email: 'ann@example.com' })).toEqual([
			{ contactId: 'k2', customerId: 'b', customerKind: 'company', name: 'Ann Two', customerName: 'Beta' }
		]);
		expect(sameEmailContacts(list, { id: 'k3', email: 'bob@example.com' })).toEqual([]);
	});

	it('finds a second contact in the same customer, and several others sorted by customer and name', () => {
		const list = summaries({
			z: customer('Zeta', [['k1', 'Zoe', 'Z', 'x@example.com']]),
			a: customer('Acme', [
				['k2', 'Bea', 'B', 'x@example.com'],
				['k3', 'Al', 'A', 'X@example.com']
			])
		});
		expect(sameEmailContacts(list, { id: 'k2', email: 'x@example.com' }).map((c) => c.contactId)).toEqual([
			'k3',
			'k1'
		]);
	});

	it('leaves out contacts in the trash and customers in the trash: they are not live', () => {
		const trashedContact = customer('Acme', [['k2', 'Ann', 'Two', 'ann@example.com']]);
		trashContact(trashedContact, 'k2', 10);
		const trashedCustomer = customer('Beta', [['k3', 'Ann', 'Three', 'ann@example.com']]);
		trashCustomer(trashedCustomer, AUTHOR, 10);
		const list = summaries({ a: trashedContact, b: trashedCustomer, c: customer('C', [['k1', 'A', 'O', null]]) });
		expect(sameEmailContacts(list, { id: 'k1', email: 'ann@example.com' })).toEqual([]);
	});

	it('a contact without an address shares it with nobody (an empty e-mail is never a duplicate)', () => {
		const list = summaries({ a: customer('Acme', [['k2', 'No', 'Mail', null]]) });
		expect(sameEmailContacts(list, { id: 'k1', email: '  ' })).toEqual([]);
		expect(sameEmailContacts(list, { id: 'k1', email: null })).toEqual([]);
	});

	it('tells nothing unless the server flagged the contact, even when this device sees the same address', () => {
		const list = summaries({
			a: customer('Acme', [['k1', 'Ann', 'One', 'ann@example.com']]),
			b: customer('Beta', [['k2', 'Ann', 'Two', 'ann@example.com']])
		});
		expect(duplicateEmail(list, { id: 'k1', email: 'ann@example.com' })).toBeNull();
		expect(duplicateEmail(list, { id: 'k1', email: 'ann@example.com', duplicateEmail: 'true' })).toBeNull();
		expect(duplicateEmail(list, { id: 'k1', email: 'ann@example.com', duplicateEmail: true })).toEqual({
			others: [expect.objectContaining({ contactId: 'k2', customerName: 'Beta' })],
			unreadable: false
		});
	});

	it('flagged, with no readable contact sharing the address: the other is in a record this user cannot open', () => {
		const list = summaries({ a: customer('Acme', [['k1', 'Ann', 'One', 'ann@example.com']], { flagged: ['k1'] }) });
		expect(duplicateEmail(list, { id: 'k1', email: 'ann@example.com', duplicateEmail: true })).toEqual({
			others: [],
			unreadable: true
		});
	});

	it('names an individual customer by the person', () => {
		const list = summaries({
			p: customer('', [['k2', 'Pia', 'Person', 'pia@example.com']], { kind: 'person' })
		});
		expect(sameEmailContacts(list, { id: 'k1', email: 'pia@example.com' })).toEqual([
			{ contactId: 'k2', customerId: 'p', customerKind: 'person', name: 'Pia Person', customerName: 'Pia Person' }
		]);
	});
});
