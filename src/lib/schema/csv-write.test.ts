import { describe, expect, it } from 'vitest';
import { csvField, csvOf, neutralise } from './csv-write.ts';

describe('CSV export', () => {
	it('UTF-8 with BOM, CRLF, the chosen delimiter, quoting where needed', () => {
		const rows = [
			{ name: 'Jürgen Weiß', note: 'says "hi"; twice' },
			{ name: 'Ana, Silva', note: 'line one\nline two' }
		];
		const cols = [
			{ header: 'Name', value: (r: (typeof rows)[number]) => r.name },
			{ header: 'Note', value: (r: (typeof rows)[number]) => r.note }
		];
		expect(csvOf(cols, rows, ',')).toBe(
			'\uFEFFName,Note\r\nJürgen Weiß,"says ""hi""; twice"\r\n"Ana, Silva","line one\nline two"\r\n'
		);
		expect(csvOf(cols, rows, ';')).toBe(
			'\uFEFFName;Note\r\nJürgen Weiß;"says ""hi""; twice"\r\nAna, Silva;"line one\nline two"\r\n'
		);
	});

	it('[CWE-1236] cells a spreadsheet would evaluate get an apostrophe; plain numbers do not', () => {
		for (const cell of ['=1+1', '+49 30 1234567', '-2+3', '@SUM(A1)', '\t=cmd', '\r=cmd', '=HYPERLINK("http://x")']) {
			expect(neutralise(cell), JSON.stringify(cell)).toBe(`'${cell}`);
		}
		for (const cell of ['-5', '+3.2', '42', 'Ana', 'a=b', '']) expect(neutralise(cell)).toBe(cell);
		expect(csvField('=1+1', ',')).toBe("'=1+1");
		expect(csvField('=SUM(1,2)', ',')).toBe('"\'=SUM(1,2)"');
	});

	it('empty and missing values are empty fields; leading spaces are kept by quoting', () => {
		expect(csvField(null, ',')).toBe('');
		expect(csvField(undefined, ',')).toBe('');
		expect(csvField(' x', ',')).toBe('" x"');
		expect(csvField(7, ';')).toBe('7');
	});
});
