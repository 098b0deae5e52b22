import { describe, expect, it } from 'vitest';
import type { ContactRecord } from '$lib/schema/customer-doc';
import { contactName, sortContacts } from './contact-order';

const contact = (id: string, firstName: string, lastName: string, primary = false): ContactRecord => ({
	id,
	firstName,
	lastName,
	primary
});

describe('contacts on the customer page', () => {
	it('the primary comes first, then the others by name as shown', () => {
		const sorted = sortContacts([
			contact('1', 'zoe', 'Adams'),
			contact('2', 'Mia', 'Zed', true),
			contact('3', 'Émile', 'Roux'),
			contact('4', 'Anna', 'Young'),
			contact('5', 'emil', 'Berg')
		]);
		expect(sorted.map(contactName)).toEqual(['Mia Zed', 'Anna Young', 'emil Berg', 'Émile Roux', 'zoe Adams']);
	});

	it('equal names keep a stable order by id; numbers sort by value', () => {
		const sorted = sortContacts([
			contact('b', 'Kim', 'Ko'),
			contact('a', 'Kim', 'Ko'),
			contact('c', 'Team 10', ''),
			contact('d', 'Team 9', '')
		]);
		expect(sorted.map((c) => c.id)).toEqual(['a', 'b', 'd', 'c']);
	});
});
