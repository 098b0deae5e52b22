import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	addManager,
	initCustomer,
	managers,
	managersMap,
	readCustomer,
	removeManager,
	primaryContactId,
	purgeAt,
	readContacts,
	restoreContact,
	setPrimaryContact,
	summarize,
	trashContact,
	trashCustomer,
	updateContact,
	updateCustomer,
	validateContact,
	validateCustomer
} from './customer-doc.ts';
import { newId } from './ids.ts';

const AUTHOR = 'user-1';

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function company(name = 'Acme GmbH'): Y.Doc {
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId: AUTHOR, now: 1000, fields: { companyName: name } });
	return doc;
}

describe('[§2] customers and contacts in one document', () => {
	it('a new customer is private and its author is its manager', () => {
		const s = summarize('c1', company())!;
		expect(s).toMatchObject({ kind: 'company', name: 'Acme GmbH', access: 'private', managers: [AUTHOR] });
	});

	it('[§2] the first contact becomes primary automatically; a second one does not', () => {
		const doc = company();
		addContact(doc, { id: 'a', fields: { firstName: 'Ada', lastName: 'Lovelace' }, authorId: AUTHOR, now: 1 });
		addContact(doc, { id: 'b', fields: { firstName: 'Bob', lastName: 'Baker' }, authorId: AUTHOR, now: 2 });
		expect(primaryContactId(doc)).toBe('a');
		// Stored, not only derived: the server has nothing to repair.
		expect(doc.getMap('customer').get('primaryContactId')).toBe('a');
		expect(readContacts(doc).map((c) => [c.id, c.primary])).toEqual([
			['a', true],
			['b', false]
		]);
	});

	it('[§2] making another contact primary unsets the previous one', () => {
		const doc = company();
		addContact(doc, { id: 'a', fields: { firstName: 'Ada', lastName: 'L' }, authorId: AUTHOR, now: 1 });
		addContact(doc, { id: 'b', fields: { firstName: 'Bob', lastName: 'B' }, authorId: AUTHOR, now: 2 });
		setPrimaryContact(doc, 'b');
		expect(
			readContacts(doc)
				.filter((c) => c.primary)
				.map((c) => c.id)
		).toEqual(['b']);
	});

	it('[§2] two devices adding a first contact offline still end with exactly one primary', () => {
		const a = company();
		const b = new Y.Doc();
		sync(a, b);
		addContact(a, { id: newId(1), fields: { firstName: 'Ann', lastName: 'A' }, authorId: AUTHOR, now: 1 });
		addContact(b, { id: newId(2), fields: { firstName: 'Ben', lastName: 'B' }, authorId: 'user-2', now: 2 });
		sync(a, b);
		const primA = readContacts(a).filter((c) => c.primary);
		const primB = readContacts(b).filter((c) => c.primary);
		expect(primA).toHaveLength(1);
		expect(primB.map((c) => c.id)).toEqual(primA.map((c) => c.id));
	});

	it('trashing the primary contact makes the remaining contact with the lowest id primary', () => {
		const doc = company();
		addContact(doc, { id: 'c', fields: { firstName: 'C', lastName: 'C' }, authorId: AUTHOR, now: 1 });
		addContact(doc, { id: 'b', fields: { firstName: 'B', lastName: 'B' }, authorId: AUTHOR, now: 2 });
		addContact(doc, { id: 'a', fields: { firstName: 'A', lastName: 'A' }, authorId: AUTHOR, now: 3 });
		trashContact(doc, 'c', 10);
		expect(primaryContactId(doc)).toBe('a');
		expect(readContacts(doc).map((c) => c.id)).not.toContain('c');
	});

	it('concurrent offline edits to different fields of one contact both survive', () => {
		const a = company();
		addContact(a, { id: 'k', fields: { firstName: 'Kim', lastName: 'Ko' }, authorId: AUTHOR, now: 1 });
		const b = new Y.Doc();
		sync(a, b);
		updateContact(a, 'k', { phone: '+49 1' }, AUTHOR, 5);
		updateContact(b, 'k', { position: 'CEO' }, 'user-2', 6);
		sync(a, b);
		for (const d of [a, b]) expect(readContacts(d)[0]).toMatchObject({ phone: '+49 1', position: 'CEO' });
	});

	it('concurrent edits to the same field end with the same value everywhere', () => {
		const a = company();
		const b = new Y.Doc();
		sync(a, b);
		updateCustomer(a, { city: 'Berlin' }, AUTHOR, 5);
		updateCustomer(b, { city: 'Hamburg' }, 'user-2', 5);
		sync(a, b);
		expect(a.getMap('customer').get('city')).toBe(b.getMap('customer').get('city'));
	});

	it('text is trimmed and an emptied field is cleared', () => {
		const doc = company();
		updateCustomer(doc, { city: '  Köln  ', phone: '   ' }, AUTHOR, 2);
		expect(doc.getMap('customer').get('city')).toBe('Köln');
		expect(doc.getMap('customer').get('phone')).toBeNull();
	});
});

describe('[§8] validation with a clear error per field', () => {
	it('a company needs a name; a person customer does not', () => {
		expect(validateCustomer({ kind: 'company', companyName: '  ' })).toEqual({ companyName: 'required' });
		expect(validateCustomer({ kind: 'person' })).toEqual({});
	});

	it('a contact needs first and last name; e-mail is optional but must be valid', () => {
		expect(validateContact({})).toEqual({ firstName: 'required', lastName: 'required' });
		expect(validateContact({ firstName: 'A', lastName: 'B', email: '' })).toEqual({});
		expect(validateContact({ firstName: 'A', lastName: 'B', email: 'not-mail' })).toEqual({ email: 'invalid_email' });
	});

	it('over-long text and wrong types are refused', () => {
		expect(validateCustomer({ kind: 'company', companyName: 'x'.repeat(201) })).toEqual({ companyName: 'too_long' });
		expect(validateContact({ firstName: 'A', lastName: 'B', doNotSendWelcome: 'yes' as unknown as boolean })).toEqual({
			doNotSendWelcome: 'invalid'
		});
		expect(validateCustomer({ kind: 'company', companyName: 'A', website: 'javascript:alert(1)' })).toEqual({
			website: 'invalid_url'
		});
	});
});

describe('ids', () => {
	it('are UUIDv7, time-ordered', () => {
		const a = newId(1_700_000_000_000);
		const b = newId(1_700_000_000_001);
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(a < b).toBe(true);
	});
});

describe('[§2] managers', () => {
	it('the author is always a manager; others chosen on create join them', () => {
		const doc = new Y.Doc();
		initCustomer(doc, { kind: 'company', authorId: AUTHOR, now: 1, managers: ['user-2', AUTHOR] });
		expect(managers(doc).sort()).toEqual([AUTHOR, 'user-2']);
	});

	it('adding a manager sets one key and stamps who changed the record; adding twice changes nothing', () => {
		const doc = company();
		addManager(doc, 'user-2', 'user-3', 5000);
		expect(managers(doc).sort()).toEqual([AUTHOR, 'user-2']);
		expect(readCustomer(doc)).toMatchObject({ updatedBy: 'user-3', updatedAt: 5000 });
		let updates = 0;
		doc.on('update', () => updates++);
		addManager(doc, 'user-2', 'user-3', 6000);
		expect(updates).toBe(0);
	});

	it('removing deletes the key; the last manager cannot be removed', () => {
		const doc = company();
		addManager(doc, 'user-2', AUTHOR, 2000);
		expect(removeManager(doc, AUTHOR, 'user-2', 3000)).toBe(true);
		expect(managersMap(doc).has(AUTHOR)).toBe(false);
		expect(managers(doc)).toEqual(['user-2']);
		expect(readCustomer(doc)).toMatchObject({ updatedBy: 'user-2', updatedAt: 3000 });
		expect(removeManager(doc, 'user-2', 'user-2', 4000)).toBe(false);
		expect(removeManager(doc, 'nobody', 'user-2', 4000)).toBe(false);
		expect(managers(doc)).toEqual(['user-2']);
	});

	it('managers assigned on two devices offline are both kept after the merge', () => {
		const a = company();
		const b = new Y.Doc();
		sync(a, b);
		addManager(a, 'user-2', AUTHOR, 2000);
		addManager(b, 'user-3', AUTHOR, 2001);
		sync(a, b);
		expect(managers(a).sort()).toEqual([AUTHOR, 'user-2', 'user-3']);
		expect(managers(b).sort()).toEqual(managers(a).sort());
		expect(summarize('c1', b)!.managers.sort()).toEqual([AUTHOR, 'user-2', 'user-3']);
	});
});

describe('[§2] the trash', () => {
	const named = (doc: Y.Doc) => doc.getMap('customer').get('primaryContactId');
	function withContacts(...ids: string[]): Y.Doc {
		const doc = company();
		ids.forEach((id, i) =>
			addContact(doc, { id, fields: { firstName: id, lastName: id }, authorId: AUTHOR, now: i + 1 })
		);
		return doc;
	}

	it('[§2] restoring the former primary contact, alone in its customer, makes it primary again', () => {
		const doc = withContacts('a');
		trashContact(doc, 'a', 10);
		expect(primaryContactId(doc)).toBeNull();
		restoreContact(doc, 'a');
		expect(named(doc)).toBe('a');
		expect(readContacts(doc).map((c) => [c.id, c.primary])).toEqual([['a', true]]);
	});

	it('[§2] the former primary restored after every other contact was trashed is primary again', () => {
		const doc = withContacts('b', 'a');
		expect(named(doc)).toBe('b');
		trashContact(doc, 'b', 10); // "a" becomes primary
		trashContact(doc, 'a', 11);
		restoreContact(doc, 'b');
		expect(named(doc)).toBe('b');
	});

	it('[§2] a stale primary field (a contact trashed on another device) is replaced on restore', () => {
		const doc = withContacts('a', 'b');
		trashContact(doc, 'b', 10);
		trashContact(doc, 'a', 11);
		// Another device's write left the field naming a trashed contact.
		doc.getMap('customer').set('primaryContactId', 'b');
		restoreContact(doc, 'a');
		expect(named(doc)).toBe('a');
		// Restoring "b" later does not take the primary from "a", which is live.
		restoreContact(doc, 'b');
		expect(named(doc)).toBe('a');
	});

	it('[§2] restoring a contact while others are live keeps the current primary', () => {
		const doc = withContacts('a', 'b', 'c');
		setPrimaryContact(doc, 'c');
		trashContact(doc, 'a', 10);
		restoreContact(doc, 'a');
		expect(named(doc)).toBe('c');
	});

	it('[§2] records are purged 30 days after they were trashed', () => {
		const day = 86_400_000;
		expect(purgeAt(Date.UTC(2026, 0, 1))).toBe(Date.UTC(2026, 0, 31));
		expect(purgeAt(5) - 5).toBe(30 * day);
	});

	it('the summary lists trashed contacts and a trashed customer', () => {
		const doc = withContacts('a', 'b');
		trashContact(doc, 'b', 42);
		trashCustomer(doc, AUTHOR, 50);
		const s = summarize('c1', doc)!;
		expect(s.deletedAt).toBe(50);
		expect(s.contacts.map((c) => c.id)).toEqual(['a']);
		expect(s.trashedContacts).toEqual([{ id: 'b', firstName: 'b', lastName: 'b', deletedAt: 42 }]);
	});

	it("[§2] the summary carries the server's duplicate e-mail flag, true only when it is set", () => {
		const doc = withContacts('a', 'b', 'c');
		const contacts = doc.getMap<Y.Map<unknown>>('contacts');
		contacts.get('a')!.set('duplicateEmail', true);
		contacts.get('b')!.set('duplicateEmail', false);
		contacts.get('c')!.set('duplicateEmail', 'yes'); // not the server's boolean: not a flag
		const flags = Object.fromEntries(summarize('c1', doc)!.contacts.map((c) => [c.id, c.duplicateEmail]));
		expect(flags).toEqual({ a: true, b: false, c: false });
	});
});
