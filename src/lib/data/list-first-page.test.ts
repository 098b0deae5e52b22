import { describe, expect, it } from 'vitest';
import { FIRST_ROWS, keepFirstPage, readFirstPage } from './list-first-page';

function memory(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
	const data = new Map<string, string>();
	return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const row = (i: number) => ({ id: `c${i}`, customerId: `c${i}`, name: `Firma ${i}`, city: 'Łódź' });
const types = [{ id: 'lead', name: 'Lead', order: 1 }];

describe('a list’s first page kept on the device', () => {
	it('gives back the first rows, the counts and what the rows are shown with, per user and list', () => {
		const s = memory();
		const rows = Array.from({ length: 100 }, (_, i) => row(i));
		keepFirstPage(s, 'u1', 'companies', { total: 10_000, inPage: 100, rows, types, phoneRegion: 'DE' });
		const page = readFirstPage<ReturnType<typeof row>>(s, 'u1', 'companies');
		expect(page?.total).toBe(10_000);
		expect(page?.inPage).toBe(100);
		expect(page?.rows).toEqual(rows.slice(0, FIRST_ROWS));
		expect(page?.types).toEqual(types);
		expect(page?.phoneRegion).toBe('DE');
		expect(readFirstPage(s, 'u2', 'companies')).toBeNull();
		expect(readFirstPage(s, 'u1', 'persons')).toBeNull();
	});

	it('ignores what it cannot read or what this app did not write, and survives a full storage', () => {
		const s = memory();
		const put = (v: unknown) => s.data.set('fieldbook:first-page:companies:u1', typeof v === 'string' ? v : JSON.stringify(v));
		const good = { total: 2, inPage: 2, rows: [row(1), row(2)], types, phoneRegion: null };
		for (const bad of [
			'{nope',
			'null',
			'[]',
			{ ...good, total: -1 },
			{ ...good, inPage: 3 },
			{ ...good, total: '2' },
			{ ...good, rows: [row(1), { id: 5, customerId: 'x', name: 'y' }] },
			{ ...good, rows: [row(1), row(2), row(3)] },
			{ ...good, types: [null] },
			{ ...good, rows: 'c1' }
		]) {
			put(bad);
			expect(readFirstPage(s, 'u1', 'companies'), JSON.stringify(bad)).toBeNull();
		}
		put({ ...good, phoneRegion: 7 });
		expect(readFirstPage(s, 'u1', 'companies')?.phoneRegion).toBeNull();
		const full = {
			setItem: () => {
				throw new Error('QuotaExceededError');
			}
		};
		expect(() => keepFirstPage(full, 'u1', 'companies', good)).not.toThrow();
	});
});
