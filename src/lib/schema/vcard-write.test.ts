import { describe, expect, it } from 'vitest';
import { emptyDraft, type ImportDraft } from './import-fields.ts';
import { decodeParam, escapeText, foldLine, quoteParam, vcardOf, vcardsOf } from './vcard-write.ts';

const ana = (): ImportDraft => ({
	...emptyDraft(),
	namePrefix: 'Dr.',
	firstName: 'Ana',
	lastName: 'Silva; Souza',
	company: 'Acme, Inc.',
	department: 'Sales',
	position: 'Head of Sales',
	emails: [
		{ value: 'ana@acme.example', label: 'work' },
		{ value: 'ana@home.example', label: 'home' }
	],
	phones: [
		{ value: '030 1234567 ext. 12', label: 'work', e164: '+49301234567', ext: '12' },
		{ value: 'ask reception', label: null, e164: null, ext: null }
	],
	address: { street: 'Hauptstraße 5\nHinterhaus', city: 'Berlin', state: '', postalCode: '10115', country: 'Germany' },
	birthday: { year: null, month: 4, day: 15 },
	notes: 'Line one\nLine two, with comma; and semicolon \\ backslash',
	tags: ['VIP', 'Messe, 2026']
});

describe('vCard 4.0 export', () => {
	it('writes the fields with RFC 6350 escaping, CRLF, and a year-less birthday as --MMDD', () => {
		const v = vcardOf(ana(), { uid: 'urn:uuid:1' });
		expect(v.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
		expect(v.endsWith('END:VCARD\r\n')).toBe(true);
		expect(v.replace(/\r\n /g, '')).toContain('N:Silva\\; Souza;Ana;;Dr.;\r\n');
		expect(v).toContain('FN:Dr. Ana Silva\\; Souza\r\n');
		expect(v).toContain('ORG:Acme\\, Inc.;Sales\r\n');
		expect(v).toContain('TITLE:Head of Sales\r\n');
		expect(v).toContain('EMAIL;TYPE=work;PREF=1:ana@acme.example\r\n');
		expect(v).toContain('TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+49301234567;ext=12\r\n');
		expect(v).toContain('TEL;VALUE=text:ask reception\r\n');
		expect(v).toContain('ADR:;;Hauptstraße 5\\nHinterhaus;Berlin;;10115;Germany\r\n');
		expect(v).toContain('BDAY:--0415\r\n');
		expect(v).toContain('CATEGORIES:VIP,Messe\\, 2026\r\n');
		expect(v.replace(/\r\n /g, '')).toContain(
			'NOTE:Line one\\nLine two\\, with comma\\; and semicolon \\\\ backslash\r\n'
		);
		expect(v).toContain('UID:urn:uuid:1\r\n');
		expect(v).not.toMatch(/[^\r]\n/); // every line break is CRLF
	});

	it('a company is KIND:org with its name as FN and no N', () => {
		const v = vcardOf({ ...emptyDraft(), kind: 'company', company: 'Nordlicht GmbH' });
		expect(v).toContain('KIND:org\r\nFN:Nordlicht GmbH\r\n');
		expect(v).not.toContain('\r\nN:');
	});

	it('a photo is a data: URI', () => {
		const v = vcardOf({ ...ana(), photo: { type: 'image/png', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]) } });
		expect(v.replace(/\r\n /g, '')).toContain('PHOTO:data:image/png;base64,iVBORw==\r\n');
	});

	it('several contacts make one file', () => {
		const v = vcardsOf([{ draft: ana() }, { draft: { ...ana(), firstName: 'Bea' } }]);
		expect(v.match(/BEGIN:VCARD/g)).toHaveLength(2);
	});
});

describe('folding', () => {
	it('no line is longer than 75 octets, and no character is split', () => {
		const line = 'NOTE:' + 'Zürich–Łódź ✓ 😀 '.repeat(20);
		const folded = foldLine(line);
		for (const l of folded.split('\r\n')) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
		expect(
			folded
				.split('\r\n')
				.slice(1)
				.every((l) => l.startsWith(' '))
		).toBe(true);
		expect(folded.replace(/\r\n /g, '')).toBe(line);
		expect(folded).not.toContain('\uFFFD');
	});

	it('a short line stays as it is', () => {
		expect(foldLine('FN:Ana')).toBe('FN:Ana');
		expect(escapeText('a,b;c\\d\r\ne')).toBe('a\\,b\\;c\\\\d\\ne');
	});
});

describe('additional fields (issue #13 item 4)', () => {
	const unfolded = (v: string) => v.replace(/\r\n /g, '');

	it('writes each value as X-FIELDBOOK-FIELD with the field id and its label, the value escaped', () => {
		const v = vcardOf(
			{ ...ana(), custom: { shoe_size: '42', 'Notes-2': 'first line\nsecond; third', empty: '  ' } },
			{ customLabels: { shoe_size: 'Shoe size', 'Notes-2': 'Say "hi"; ok: ^caret' } }
		);
		expect(v).toContain('X-FIELDBOOK-FIELD;X-ID=shoe_size;X-LABEL="Shoe size":42\r\n');
		expect(unfolded(v)).toContain(
			`X-FIELDBOOK-FIELD;X-ID=Notes-2;X-LABEL="Say ^'hi^'; ok: ^^caret":first line\\nsecond\\; third\r\n`
		);
		// An empty value is not written at all.
		expect(v).not.toContain('X-ID=empty');
	});

	it('a field without a known label is written with its id only; an id a property cannot carry is left out', () => {
		const v = vcardOf({ ...ana(), custom: { abc: 'x', 'bad id;X-ID=evil': 'y' } });
		expect(v).toContain('X-FIELDBOOK-FIELD;X-ID=abc:x\r\n');
		expect(v).not.toContain('evil');
	});

	it('vcardsOf passes the labels to every card', () => {
		const v = vcardsOf([{ draft: { ...ana(), custom: { a: '1' } } }, { draft: { ...ana(), custom: { a: '2' } } }], {
			a: 'Level'
		});
		expect(v.match(/X-FIELDBOOK-FIELD;X-ID=a;X-LABEL="Level":\d/g)).toHaveLength(2);
	});

	it('a parameter value is quoted with RFC 6868 caret encoding, and decodes back', () => {
		const label = 'Größe "EU"\n^ und; mehr: ja';
		const q = quoteParam(label);
		expect(q).toBe(`"Größe ^'EU^'^n^^ und; mehr: ja"`);
		expect(decodeParam(q.slice(1, -1))).toBe(label);
	});
});
