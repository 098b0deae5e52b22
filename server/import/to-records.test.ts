import { describe, expect, it } from 'vitest';
import { emptyDraft, type ImportDraft } from '../../src/lib/schema/import-fields.ts';
import { companyKey, planRecords, sourceKey, websiteOf } from './to-records.ts';

const draft = (d: Partial<ImportDraft>): ImportDraft => ({ ...emptyDraft(), ...d });

describe('planRecords', () => {
	it('a person with a company is a contact of that company; what no record holds is listed, not dropped', () => {
		const r = planRecords(
			draft({
				firstName: 'Lena',
				lastName: 'Vogt',
				middleName: 'M.',
				company: 'Nordwind GmbH',
				emails: [
					{ value: 'lena@nordwind.example', label: 'work' },
					{ value: 'lena@home.example', label: 'home' }
				],
				phones: [{ value: '0421 555', label: 'work', e164: null, ext: null }],
				websites: [{ value: 'nordwind.example', label: null }],
				address: { street: 'Hafen 1', city: 'Bremen', state: '', postalCode: '28197', country: 'Deutschland' },
				notes: 'met at the fair',
				tags: ['Kunden'],
				birthday: { year: null, month: 4, day: 15 }
			})
		);
		expect(r).toEqual({
			ok: true,
			plan: {
				kind: 'contact',
				company: 'Nordwind GmbH',
				contact: {
					firstName: 'Lena',
					lastName: 'Vogt',
					email: 'lena@nordwind.example',
					phone: '0421 555',
					doNotSendWelcome: true
				},
				companyFields: {
					street: 'Hafen 1',
					city: 'Bremen',
					postalCode: '28197',
					country: 'DE',
					website: 'https://nordwind.example'
				},
				notKept: ['middleName', 'birthday', 'tags', 'emails', 'notes']
			}
		});
	});

	it('a person without a company is an individual customer holding the notes; a company row has no contact', () => {
		const person = planRecords(draft({ firstName: 'Rosa', lastName: 'Almeida', notes: 'VIP' }));
		expect(person).toMatchObject({
			ok: true,
			plan: { kind: 'person', customer: { kind: 'person', description: 'VIP' } }
		});
		const company = planRecords(
			draft({ kind: 'company', company: 'Fjord Fisk AS', websites: [{ value: 'ftp://x.example', label: null }] })
		);
		expect(company).toEqual({
			ok: true,
			plan: { kind: 'company', customer: { kind: 'company', companyName: 'Fjord Fisk AS' }, notKept: ['website'] }
		});
	});

	it('a value past a record limit refuses the row with its field', () => {
		expect(planRecords(draft({ firstName: 'A', lastName: 'B', position: 'x'.repeat(101) }))).toEqual({
			ok: false,
			field: 'position'
		});
	});
});

describe('source keys and company names', () => {
	it('external id first, then e-mail, then the content', () => {
		const d = draft({ firstName: 'Ann', lastName: 'Lee', emails: [{ value: ' Ann@X.example', label: null }] });
		expect(sourceKey('salesforce', { ...d, externalId: '003A1' })).toBe('x:salesforce:003A1');
		expect(sourceKey('google', d)).toBe('e:ann@x.example');
		const a = sourceKey('google', draft({ firstName: 'Ann', lastName: 'Lee' }));
		expect(a).toMatch(/^h:[0-9a-f]{32}$/);
		expect(sourceKey('outlook', draft({ firstName: 'ANN', lastName: 'Lée' }))).toBe(a);
		expect(sourceKey('google', draft({ firstName: 'Ann', lastName: 'Leo' }))).not.toBe(a);
	});

	it('company names compare without case, accents and extra spaces', () => {
		expect(companyKey('  ÉCOLE  Dupré ')).toBe(companyKey('ecole dupre'));
		expect(companyKey('Acme')).not.toBe(companyKey('Acme Inc'));
	});

	it('websites: a scheme is added to a bare domain; other schemes and words are not websites', () => {
		expect(websiteOf('www.example.com')).toBe('https://www.example.com');
		expect(websiteOf('http://example.com/a')).toBe('http://example.com/a');
		expect(websiteOf('javascript:alert(1)')).toBeNull();
		expect(websiteOf('see notes')).toBeNull();
	});
});
