import { describe, expect, it } from 'vitest';
import { exportFile, exportSearch, parseExportQuery } from './export-query.ts';

const parse = (s: string) => parseExportQuery(new URLSearchParams(s));

describe('export query', () => {
	it('reads the list filters, with defaults', () => {
		expect(parse('')).toEqual({
			ok: true,
			value: { q: '', type: null, mine: false, sort: 'name-asc', delimiter: ',', custom: {} }
		});
		expect(parse('q=%20Wei%C3%9F%20&type=abc_1&manager=mine&sort=updated&delimiter=semicolon')).toEqual({
			ok: true,
			value: { q: 'Weiß', type: 'abc_1', mine: true, sort: 'updated', delimiter: ';', custom: {} }
		});
		expect(parse('utm_source=x').ok).toBe(true); // unknown parameters are no harm
	});

	it('[§8] garbage is refused, naming the parameter', () => {
		expect(parse('sort=DROP TABLE')).toEqual({ ok: false, param: 'sort' });
		expect(parse('manager=everyone')).toEqual({ ok: false, param: 'manager' });
		expect(parse('type=../../etc')).toEqual({ ok: false, param: 'type' });
		expect(parse('delimiter=%7C')).toEqual({ ok: false, param: 'delimiter' });
		expect(parse('delimiter=constructor')).toEqual({ ok: false, param: 'delimiter' });
		expect(parse(`q=${'x'.repeat(201)}`)).toEqual({ ok: false, param: 'q' });
		expect(parse('q=a%00b')).toEqual({ ok: false, param: 'q' });
		expect(parse('q=a&q=b')).toEqual({ ok: false, param: 'q' });
		expect(parse('cf.tier=a%00b')).toEqual({ ok: false, param: 'cf' });
	});

	it('file names: only the four exports', () => {
		expect(exportFile('contacts.csv')).toEqual({ list: 'contacts', format: 'csv' });
		expect(exportFile('companies.vcf')).toEqual({ list: 'companies', format: 'vcf' });
		for (const n of ['contacts.xlsx', 'users.csv', 'contacts.csv.exe', '']) expect(exportFile(n)).toBeNull();
	});

	it('a page builds the query it reads back', () => {
		const value = {
			q: 'Łódź 030',
			type: 'x1',
			mine: true,
			sort: 'name-desc',
			delimiter: ';',
			custom: { tier: 'Gold & Co', vip: 'yes' }
		} as const;
		expect(parse(exportSearch(value).slice(1))).toEqual({ ok: true, value });
		expect(exportSearch({})).toBe('');
	});
});
