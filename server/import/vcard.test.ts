import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportDraft } from '../../src/lib/schema/import-fields.ts';
import { parseVcards } from './vcard.ts';
import { decodeQuotedPrintable, unfold, parseProperty } from './vcard-lines.ts';

const file = (name: string) => fs.readFileSync(new URL(`../../tests/fixtures/import/${name}`, import.meta.url));

function read(name: string) {
	const { version, cards } = parseVcards(file(name));
	const drafts = cards.flatMap((c) => (c.kind === 'draft' ? [c.draft] : []));
	const refused = cards.flatMap((c) => (c.kind === 'refused' ? [{ line: c.line, reason: c.reason }] : []));
	const by = (name: string): ImportDraft => {
		const d = drafts.find((x) => x.lastName === name || x.company === name);
		if (!d) throw new Error(`no card ${name}`);
		return d;
	};
	return { version, cards, drafts, refused, by };
}

describe('vCard import', () => {
	it('iOS (3.0): grouped EMAIL with X-ABLabel, year-less BDAY, ADR, escaped NOTE, base64 PHOTO, company card', () => {
		const { version, by } = read('ios.vcf');
		expect(version).toBe('3.0');
		const j = by('Weiß');
		expect(j).toMatchObject({
			kind: 'contact',
			namePrefix: 'Dr.',
			firstName: 'Jürgen',
			company: 'Brauerei Weiß GmbH',
			department: 'Vertrieb',
			position: 'Geschäftsführer',
			birthday: { year: null, month: 4, day: 15 },
			notes: 'Met at the fair in Köln.\nPrefers calls before 10, not after.',
			address: {
				street: 'Hauptstraße 5',
				city: 'Fürstenfeldbruck',
				state: 'Bayern',
				postalCode: '82256',
				country: 'Deutschland'
			}
		});
		expect(j.emails).toEqual([
			{ value: 'juergen.weiss@brauerei-weiss.example', label: 'other' },
			{ value: 'jw@mail.example', label: 'home' }
		]);
		expect(j.phones).toEqual([
			{ value: '+49 171 2345678', label: 'mobile', e164: '+491712345678', ext: null },
			{ value: '08141 123456', label: 'work', e164: '+498141123456', ext: null }
		]);
		expect(j.photo?.type).toBe('image/jpeg');
		expect([...(j.photo?.bytes.subarray(0, 2) ?? [])]).toEqual([0xff, 0xd8]); // a JPEG's first bytes
		const cafe = by('Café Zur Linde');
		expect(cafe).toMatchObject({ kind: 'company', firstName: '', lastName: '' });
		expect(cafe.phones[0]).toMatchObject({ label: 'main', e164: '+49891234567' });
	});

	it('Google/Android (3.0): folded lines joined, CATEGORIES, bad e-mail and empty cards refused with their line', () => {
		const { by, refused } = read('google.vcf');
		const m = by('Lefèvre');
		expect(m.notes).toBe(
			'Une très longue note qui dépasse largement les soixante-quinze octets d’une ligne, et qui a donc été pliée par l’exportateur.'
		);
		expect(m.birthday).toEqual({ year: null, month: 4, day: 15 });
		expect(m.tags).toEqual(['Clients', 'Salon 2026']); // Google's "myContacts" is no tag anyone chose
		expect(m.emails.map((e) => e.label)).toEqual(['home', 'work']);
		expect(m.websites).toEqual([{ value: 'https://lefevre.example', label: null }]);
		expect(refused).toEqual([
			{ line: 14, reason: 'bad_email' },
			{ line: 20, reason: 'no_name' }
		]);
	});

	it('Outlook (2.1, Windows-1252): quoted-printable with soft line breaks and CHARSET, bare TYPE words', () => {
		const { version, by } = read('outlook-2.1.vcf');
		expect(version).toBe('2.1');
		const k = by('Müller');
		expect(k).toMatchObject({
			firstName: 'Klaus',
			company: 'Müller Maschinenbau AG',
			department: 'Einkauf',
			position: 'Leiter Einkauf',
			birthday: { year: 1965, month: 3, day: 21 },
			notes: 'Rückruf erbeten, am liebsten vormittags.\r\nZweite Zeile mit äöüß und €.',
			address: { street: 'Lindenweg 4\r\nHinterhaus', city: 'München', postalCode: '80331', country: 'Deutschland' },
			emails: [{ value: 'k.mueller@mueller-mb.example', label: null }]
		});
		expect(k.phones.map((p) => [p.label, p.e164])).toEqual([
			['work', '+49891234560'],
			['mobile', '+491719876543'],
			['fax', '+498912345699']
		]);
		const z = by('Łukasiewicz');
		expect(z.firstName).toBe('Zoë');
		expect(z.photo?.type).toBe('image/jpeg');
	});

	it('4.0: KIND:org, TEL as tel: URI with ext, quoted TYPE list, --MMDD birthday, data: URI photo, UID', () => {
		const { version, by } = read('rfc6350-4.0.vcf');
		expect(version).toBe('4.0');
		const s = by("O'Brien");
		expect(s).toMatchObject({
			namePrefix: 'Ms.',
			middleName: 'Máire',
			birthday: { year: null, month: 6, day: 30 },
			tags: ['key account', 'ireland'],
			externalId: 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1',
			address: { street: '1 Grand Canal Square', city: 'Dublin', postalCode: 'D02 P820', country: 'Ireland' }
		});
		expect(s.phones).toEqual([
			{ value: '+353-1-234-5678 ext. 102', label: 'work', e164: '+35312345678', ext: '102' },
			{ value: '+353-87-123-4567', label: 'mobile', e164: '+353871234567', ext: null }
		]);
		expect(s.photo?.type).toBe('image/png');
		expect([...(s.photo?.bytes.subarray(1, 4) ?? [])]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
		expect(by('Nordlicht GmbH')).toMatchObject({ kind: 'company', websites: [{ value: 'https://nordlicht.example' }] });
	});

	it('garbage and half cards give no crash and no card', () => {
		expect(parseVcards(Buffer.from('hello\nworld')).cards).toEqual([]);
		expect(parseVcards(Buffer.from('BEGIN:VCARD\nFN:Only Begin\n')).cards).toEqual([]);
		expect(parseVcards(Buffer.from('END:VCARD\nEND:VCARD\nBEGIN:VCARD\nN:A;B\nEND:VCARD')).cards).toHaveLength(1);
	});
});

describe('vCard lines', () => {
	it('unfolds folded lines and joins quoted-printable soft breaks, keeping the start line', () => {
		expect(unfold('NOTE:a\r\n b\r\nTEL:1')).toEqual([
			{ text: 'NOTE:ab', line: 1 },
			{ text: 'TEL:1', line: 3 }
		]);
		expect(unfold('NOTE;QUOTED-PRINTABLE:a=\r\nb=\r\nc\r\nX:1')[0]).toEqual({
			text: 'NOTE;QUOTED-PRINTABLE:abc',
			line: 1
		});
	});

	it('reads groups, quoted parameter values with : and ;, and 2.1 bare parameters', () => {
		const p = parseProperty('item1.TEL;TYPE="work,voice";LABEL="a:b;c":tel:+1', 1);
		expect(p).toMatchObject({ group: 'item1', name: 'TEL', value: 'tel:+1' });
		expect(p?.params.get('TYPE')).toEqual(['work', 'voice']);
		expect(parseProperty('TEL;WORK;VOICE:1', 1)?.params.get('TYPE')).toEqual(['WORK', 'VOICE']);
		expect(parseProperty('not a property', 1)).toBeNull();
	});

	it('decodes quoted-printable bytes', () => {
		expect(Buffer.from(decodeQuotedPrintable('M=C3=BCller=3D')).toString('utf8')).toBe('Müller=');
	});
});
