import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { CsvFileError, detectDelimiter, openCsv, type CsvRecord } from './csv.ts';

async function all(bytes: Buffer | string, opts = {}) {
	const csv = await openCsv(Readable.from([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]), opts);
	const out: CsvRecord[] = [];
	for await (const r of csv.records) out.push(r);
	return { ...csv, out };
}

describe('detectDelimiter', () => {
	it('finds , ; and tab from the first lines', () => {
		expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
		expect(detectDelimiter('Vorname;Nachname;Ort\nJürgen;Weiß;Köln\n')).toBe(';');
		expect(detectDelimiter('First\tLast\nAna\tSilva\n')).toBe('\t');
	});

	it('ignores delimiters inside quotes, also across a quoted line break', () => {
		expect(detectDelimiter('Name;Notiz\n"Müller, Hans";"a, b,\nc, d"\nX;Y\n')).toBe(';');
		expect(detectDelimiter('"a;b",c\n"d;e",f\n')).toBe(',');
	});

	it('a comma in text does not beat a consistent semicolon', () => {
		const sample = 'Name;Firma;Ort\nMüller, Hans;ACME, Inc;Köln\nSchmidt;Beta;Bonn\nWeiß;Gamma;Ulm\n';
		expect(detectDelimiter(sample)).toBe(';');
	});

	it('a single column file falls back to ,', () => {
		expect(detectDelimiter('email\na@example.com\n')).toBe(',');
	});
});

describe('openCsv', () => {
	it('gives each record the line it starts on, with quoted line breaks and empty lines', async () => {
		const { out, delimiter } = await all('a;b\r\n"x\r\ny";2\r\n\r\n"say ""hi""";3\r\n');
		expect(delimiter).toBe(';');
		expect(out).toEqual([
			{ line: 1, cells: ['a', 'b'] },
			{ line: 2, cells: ['x\ny', '2'] },
			{ line: 4, cells: [''] },
			{ line: 5, cells: ['say "hi"', '3'] }
		]);
	});

	it('reads a Windows-1252 file with ; (Excel in a German locale)', async () => {
		const { out, decoding, delimiter } = await all(
			iconv.encode('Vorname;Straße\r\nJürgen;Königsallee 1\r\n', 'win1252')
		);
		expect(delimiter).toBe(';');
		expect(decoding.encoding).toBe('windows-1252');
		expect(out[1].cells).toEqual(['Jürgen', 'Königsallee 1']);
	});

	it('mixed line endings and stray quotes inside unquoted fields do not break rows', async () => {
		const { out } = await all('a,b\n5" Monitor,2\r\nc,d\r');
		expect(out.map((r) => r.cells)).toEqual([
			['a', 'b'],
			['5" Monitor', '2'],
			['c', 'd']
		]);
	});

	it('a CRLF split between two chunks is one line break', async () => {
		const csv = await openCsv(Readable.from([Buffer.from('a,b\r'), Buffer.from('\nc,d\r'), Buffer.from('e,f')]));
		const out: CsvRecord[] = [];
		for await (const r of csv.records) out.push(r);
		expect(out).toEqual([
			{ line: 1, cells: ['a', 'b'] },
			{ line: 2, cells: ['c', 'd'] },
			{ line: 3, cells: ['e', 'f'] }
		]);
	});

	it('the delimiter the user picks wins over detection', async () => {
		const { out } = await all('a;b,c\n1;2,3\n', { delimiter: ',' });
		expect(out[0].cells).toEqual(['a;b', 'c']);
	});

	it('an unclosed quote is a file error naming the line, not a crash', async () => {
		await expect(all('a,b\n1,2\n"never closed,3\n4,5\n')).rejects.toMatchObject({ code: 'unclosed_quote', line: 3 });
	});

	it('an empty file and a binary file are refused clearly', async () => {
		await expect(all('  \r\n')).rejects.toBeInstanceOf(CsvFileError);
		await expect(all(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0, 0, 0, 0x08, 0, 0, 0]))).rejects.toMatchObject({
			code: 'not_csv'
		});
	});

	it('streams a file larger than the sample, record by record', async () => {
		const row = 'Ana;Silva;ana@example.com\n';
		async function* chunks() {
			yield Buffer.from('First;Last;Email\n');
			for (let i = 0; i < 100; i++) yield Buffer.from(row.repeat(100));
		}
		const csv = await openCsv(chunks());
		let n = 0;
		let last = 0;
		for await (const r of csv.records) {
			n++;
			last = r.line;
		}
		expect(n).toBe(10_001);
		expect(last).toBe(10_001);
	});
});
