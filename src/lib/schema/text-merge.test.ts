import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { customerMap, initCustomer, readCustomer, updateCustomer } from './customer-doc.ts';
import { describeTransaction } from './history.ts';
import { mergeText } from './text-merge.ts';

describe('long text edited by two people at once (issue #14)', () => {
	const base = 'Visits on Mondays. Parking behind the building.';
	it('keeps both changes made in different places', () => {
		const mine = 'Visits on Mondays and Fridays. Parking behind the building.';
		const theirs = 'Visits on Mondays. Parking behind the building. Ask for Anna.';
		expect(mergeText(base, mine, theirs)).toBe(
			'Visits on Mondays and Fridays. Parking behind the building. Ask for Anna.'
		);
		expect(mergeText(base, theirs, mine)).toBe(
			'Visits on Mondays and Fridays. Parking behind the building. Ask for Anna.'
		);
	});
	it('keeps their text whole and adds mine after it when both changed the same place', () => {
		const mine = 'Visits on Tuesdays. Parking behind the building.';
		const theirs = 'Visits on Wednesdays. Parking behind the building.';
		expect(mergeText(base, mine, theirs)).toBe('Visits on Wednesdays. Tuesdays. Parking behind the building.');
	});
	it('is the draft when nobody else changed the text, and theirs when the draft changed nothing', () => {
		expect(mergeText(base, 'new', base)).toBe('new');
		expect(mergeText(base, base, 'other')).toBe('other');
	});
	it('writes into a Y.Text so two devices editing offline both keep their words', () => {
		const a = new Y.Doc();
		initCustomer(a, { kind: 'company', authorId: 'u', now: 1, fields: { companyName: 'Acme', description: base } });
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(customerMap(a).get('description')).toBeInstanceOf(Y.Text);
		// Both edit offline from the same base, then sync.
		updateCustomer(
			a,
			{ description: mergeText(base, 'Visits on Mondays and Fridays. Parking behind the building.', base) },
			'u',
			2
		);
		updateCustomer(b, { description: mergeText(base, `${base} Ask for Anna.`, base) }, 'v', 3);
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const expected = 'Visits on Mondays and Fridays. Parking behind the building. Ask for Anna.';
		expect(readCustomer(a).description).toBe(expected);
		expect(readCustomer(b).description).toBe(expected);
	});
	it('History records the whole new text of each edit of a collaborative field', () => {
		const server = new Y.Doc();
		const device = new Y.Doc();
		initCustomer(device, {
			kind: 'company',
			authorId: 'u',
			now: 1,
			fields: { companyName: 'Acme', description: base }
		});
		Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
		const seen: unknown[] = [];
		server.on('afterTransaction', (tr: Y.Transaction) => seen.push(...describeTransaction(tr)));
		const sv = Y.encodeStateVector(device);
		updateCustomer(device, { description: `${base} Ask for Anna.` }, 'u', 2);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(device, sv));
		expect(seen).toContainEqual({
			record: 'customer',
			contactId: null,
			field: 'description',
			value: `${base} Ask for Anna.`
		});
	});
	it('a description stored as plain text before becomes collaborative at its next edit', () => {
		const doc = new Y.Doc();
		initCustomer(doc, { kind: 'company', authorId: 'u', now: 1, fields: { companyName: 'Acme' } });
		customerMap(doc).set('description', 'old plain text');
		expect(readCustomer(doc).description).toBe('old plain text');
		updateCustomer(doc, { description: 'old plain text, edited' }, 'u', 2);
		expect(customerMap(doc).get('description')).toBeInstanceOf(Y.Text);
		expect(readCustomer(doc).description).toBe('old plain text, edited');
	});
});
