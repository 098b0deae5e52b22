import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { DecodeStream, Decoder, decodeBytes, sniffNonAscii } from './decode.ts';

const TEXT = 'Vorname;Nachname;Ort\r\nJürgen;Weiß;Köln – “Dom”\r\nZoë;Łukasiewicz;€uro\r\n';

/** Feeds `bytes` in pieces of `size` and joins what comes out. */
function inPieces(bytes: Buffer, size: number) {
	const d = new Decoder();
	const out: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) out.push(...d.write(bytes.subarray(i, i + size)));
	out.push(...d.end());
	return { text: Buffer.concat(out).toString('utf8'), info: d.info };
}

describe('decode: which encoding', () => {
	it('UTF-8 with and without BOM', () => {
		expect(decodeBytes(Buffer.from('\uFEFF' + TEXT))).toMatchObject({
			text: TEXT,
			info: { encoding: 'utf-8', bom: true }
		});
		expect(decodeBytes(Buffer.from(TEXT))).toMatchObject({ text: TEXT, info: { encoding: 'utf-8', bom: false } });
	});

	it('UTF-16 LE and BE with a BOM (Excel "Unicode text"), and LE without one', () => {
		const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
		expect(decodeBytes(le)).toMatchObject({ text: TEXT, info: { encoding: 'utf-16le', bom: true } });
		const be = iconv.encode(TEXT, 'utf16be', { addBOM: true });
		expect(decodeBytes(be)).toMatchObject({ text: TEXT, info: { encoding: 'utf-16be', bom: true } });
		expect(decodeBytes(Buffer.from(TEXT, 'utf16le'))).toMatchObject({ text: TEXT, info: { encoding: 'utf-16le' } });
	});

	it('bytes that are not UTF-8 are Windows-1252 (€, “”, umlauts), not Latin-1', () => {
		const cp = iconv.encode(TEXT.replace('Ł', 'L'), 'win1252');
		const { text, info } = decodeBytes(cp);
		expect(info.encoding).toBe('windows-1252');
		expect(text).toBe(TEXT.replace('Ł', 'L'));
		expect(text).toContain('€uro');
		expect(text).toContain('“Dom”');
	});

	it('the choice waits for the first non-ASCII byte, however late it comes', () => {
		const ascii = 'a;b\r\n'.repeat(50_000);
		const cp = Buffer.concat([Buffer.from(ascii), iconv.encode('Müller;Straße\r\n', 'win1252')]);
		const { text, info } = inPieces(cp, 4096);
		expect(info.encoding).toBe('windows-1252');
		expect(text.endsWith('Müller;Straße\r\n')).toBe(true);
		expect(text.length).toBe(ascii.length + 'Müller;Straße\r\n'.length);
	});

	it('a UTF-8 character split across chunks, at every position, decodes whole', () => {
		const bytes = Buffer.from(TEXT);
		for (const size of [1, 2, 3, 5, 7]) expect(inPieces(bytes, size).text, `pieces of ${size}`).toBe(TEXT);
		const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
		expect(inPieces(le, 3).text).toBe(TEXT);
	});

	it('a UTF-8 file with a broken byte later keeps UTF-8 and counts the replacement', () => {
		const bytes = Buffer.concat([Buffer.from('Jürgen\n'), Buffer.from([0x41, 0xff, 0x42]), Buffer.from('\n')]);
		const { text, info } = decodeBytes(bytes);
		expect(info.encoding).toBe('utf-8');
		expect(text).toBe('Jürgen\nA\uFFFDB\n');
		expect(info.replaced).toBe(1);
	});

	it('a forced encoding is used as given', () => {
		const { text, info } = decodeBytes(Buffer.from('Jürgen'), 'windows-1252');
		expect(info.encoding).toBe('windows-1252');
		expect(text).toBe('JÃ¼rgen');
	});

	it('sniffNonAscii: invalid lead, bad continuation, overlong, unfinished', () => {
		expect(sniffNonAscii(Buffer.from('abc'))).toBe('undecided');
		expect(sniffNonAscii(Buffer.from([0xe4, 0x62]))).toBe('windows-1252'); // "äb" in 1252
		expect(sniffNonAscii(Buffer.from([0xc0, 0xaf]))).toBe('windows-1252'); // overlong "/"
		expect(sniffNonAscii(Buffer.from([0xc3]))).toBe('undecided');
		expect(sniffNonAscii(Buffer.from('ä'))).toBe('utf-8');
	});
});

describe('DecodeStream', () => {
	it('streams: text comes out before the file ends, in bounded pieces', async () => {
		const row = 'Jürgen;Weiß;Köln\r\n';
		const rows = 20_000;
		let first = -1;
		let pulled = 0;
		async function* source() {
			for (let i = 0; i < rows / 100; i++) {
				pulled++;
				yield Buffer.from(row.repeat(100));
			}
		}
		const s = Readable.from(source()).pipe(new DecodeStream());
		let total = 0;
		let biggest = 0;
		for await (const chunk of s as AsyncIterable<Buffer>) {
			if (first === -1) first = pulled;
			total += chunk.length;
			biggest = Math.max(biggest, chunk.length);
		}
		expect(first).toBeLessThan(rows / 100);
		expect(total).toBe(Buffer.byteLength(row) * rows);
		expect(biggest).toBeLessThan(64 * 1024);
		expect(s instanceof DecodeStream && s.info.encoding).toBe('utf-8');
	});
});
