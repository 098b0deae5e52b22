import { describe, expect, it } from 'vitest';
import type { CustomerSummary } from '$lib/schema/customer-doc';
import { trashItems } from './trash';

const DAY = 86_400_000;

function summary(id: string, over: Partial<CustomerSummary> = {}): CustomerSummary {
	return {
		id,
		kind: 'company',
		name: `Company ${id}`,
		email: null,
		phone: null,
		city: null,
		contactTypeId: null,
		access: 'private',
		managers: ['u1'],
		deletedAt: null,
		updatedAt: 1,
		contacts: [],
		...over
	};
}

describe('[§2] the Trash page', () => {
	const me = { id: 'u1', role: 'staff' as const };

	it('lists trashed customers and trashed contacts of live customers, newest first, with the purge date', () => {
		const items = trashItems(
			[
				summary('a', { deletedAt: 10 * DAY }),
				summary('b', { trashedContacts: [{ id: 'k', firstName: 'Kim', lastName: 'Ko', deletedAt: 12 * DAY }] }),
				// The contacts of a trashed customer come back with it: not listed apart.
				summary('c', {
					deletedAt: 5 * DAY,
					trashedContacts: [{ id: 'x', firstName: 'X', lastName: 'Y', deletedAt: 4 * DAY }]
				}),
				summary('d')
			],
			me
		);
		expect(items.map((i) => [i.kind, i.key, i.name, i.customerName])).toEqual([
			['contact', 'k', 'Kim Ko', 'Company b'],
			['customer', 'a', 'Company a', 'Company a'],
			['customer', 'c', 'Company c', 'Company c']
		]);
		expect(items[0].purgeAt).toBe(42 * DAY);
		expect(items[1].purgeAt - items[1].deletedAt).toBe(30 * DAY);
	});

	it('[§2] offers Restore only to who may write the record', () => {
		const items = trashItems(
			[
				summary('mine', { deletedAt: 3 }),
				summary('read', { deletedAt: 2, access: 'public-read', managers: ['u2'] }),
				summary('write', { deletedAt: 1, access: 'public-write', managers: ['u2'] })
			],
			me
		);
		expect(items.map((i) => [i.key, i.canRestore])).toEqual([
			['mine', true],
			['read', false],
			['write', true]
		]);
		expect(
			trashItems([summary('read', { deletedAt: 2, access: 'public-read', managers: ['u2'] })], {
				id: 'u9',
				role: 'admin'
			})[0].canRestore
		).toBe(true);
	});

	it('summaries kept before trashed contacts were summarised list what they have', () => {
		expect(trashItems([summary('old')], me)).toEqual([]);
	});
});
