import { describe, expect, it } from 'vitest';
import type { CustomerSummary } from '$lib/schema/customer-doc';
import { overview } from './overview';

function summary(id: string, over: Partial<CustomerSummary> = {}): CustomerSummary {
	return {
		id,
		kind: 'company',
		name: id,
		email: null,
		phone: null,
		city: null,
		contactTypeId: null,
		access: 'public-read',
		managers: ['someone'],
		deletedAt: null,
		updatedAt: 1,
		contacts: [],
		...over
	};
}
const contact = (id: string) => ({
	id,
	firstName: id,
	lastName: '',
	email: null,
	phone: null,
	position: null,
	primary: false
});

describe('the Overview', () => {
	const summaries = [
		summary('Zeta', { managers: ['me'], contacts: [contact('z1'), contact('z2')] }),
		summary('alpha', { managers: ['me', 'you'] }),
		summary('Bob Person', { kind: 'person', contacts: [contact('b1')] }),
		summary('Gone', { managers: ['me'], deletedAt: 5, contacts: [contact('g1')] }),
		summary('Kept', { trashedContacts: [{ id: 't', firstName: 'T', lastName: 'T', deletedAt: 3 }] })
	];

	it('my customers by name; counts as the lists and the Trash count them', () => {
		const o = overview(summaries, 'me', []);
		expect(o.mine.map((s) => s.id)).toEqual(['alpha', 'Zeta']);
		expect(o).toMatchObject({ mineCount: 2, companies: 3, persons: 3, trash: 2 });
	});

	it('recently opened in the order opened, without records trashed or no longer on the device', () => {
		const recent = [
			{ id: 'Kept', at: 9 },
			{ id: 'Gone', at: 8 },
			{ id: 'unknown', at: 7 },
			{ id: 'Zeta', at: 6 }
		];
		expect(overview(summaries, 'me', recent).recent.map((s) => s.id)).toEqual(['Kept', 'Zeta']);
		expect(overview(summaries, 'me', recent, { limit: 1 }).recent.map((s) => s.id)).toEqual(['Kept']);
	});
});
