import { describe, expect, it } from 'vitest';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { emptyDraft, type ImportDraft } from '../../src/lib/schema/import-fields.ts';
import { companyKey, planRecords, sourceKey, websiteOf } from './to-records.ts';

const draft = (d: Partial<ImportDraft>): ImportDraft => ({ ...emptyDraft(), ...d });

describe('planRecords', () => {
	it('[13.2] a person with a company is a contact of that company keeping every labelled value, name part, birthday, tags and notes', () => {
		const r = planRecords(
			draft({
				namePrefix: 'Dr.',
				firstName: 'Lena',
				middleName: 'M.',
				lastName: 'Vogt',
				nameSuffix: 'PhD',
				department: 'Einkauf',
				company: 'Nordwind GmbH',
				emails: [
					{ value: 'lena@nordwind.example', label: 'work' },
					{ value: 'lena@home.example', label: 'home' }
				],
				phones: [
					{ value: '0421 555', label: 'work', e164: '+49421555', ext: null },
					{ value: '+49 171 555 ext. 4', label: 'mobile', e164: '+49171555', ext: '4' }
				],
				websites: [{ value: 'nordwind.example', label: null }],
				address: { street: 'Hafen 1', city: 'Bremen', state: '', postalCode: '28197', country: 'Deutschland' },
				notes: 'met at the fair',
				tags: ['Kunden', 'VIP', 'kunden'],
				birthday: { year: null, month: 4, day: 15 },
				externalId: ' c-17 '
			}),
			'google-legacy'
		);
		expect(r).toEqual({
			ok: true,
			plan: {
				kind: 'contact',
				company: 'Nordwind GmbH',
				contact: {
					namePrefix: 'Dr.',
					firstName: 'Lena',
					middleName: 'M.',
					lastName: 'Vogt',
					department: 'Einkauf',
					email: 'lena@nordwind.example',
					emailLabel: 'work',
					'emails.1': 'lena@home.example',
					'emails.1.label': 'home',
					phone: '0421 555',
					phoneLabel: 'work',
					'phones.1': '+49 171 555 ext. 4',
					'phones.1.label': 'mobile',
					birthday: '--04-15',
					tags: 'Kunden, VIP',
					'externalIds.google': 'c-17',
					notes: 'met at the fair',
					street: 'Hafen 1',
					city: 'Bremen',
					postalCode: '28197',
					country: 'DE',
					doNotSendWelcome: true
				},
				companyFields: {
					street: 'Hafen 1',
					city: 'Bremen',
					postalCode: '28197',
					country: 'DE',
					website: 'https://nordwind.example'
				},
				notKept: ['nameSuffix']
			}
		});
	});

	it('[13.2] up to five e-mails and phones are kept, the rest listed; without a layout the external id stays the source key only', () => {
		const emails = Array.from({ length: 7 }, (_, i) => ({ value: `a${i}@x.example`, label: null }));
		const r = planRecords(draft({ firstName: 'A', lastName: 'B', emails, externalId: '42' }));
		if (!r.ok || r.plan.kind === 'company') throw new Error('planned');
		expect(r.plan.contact['emails.4']).toBe('a4@x.example');
		expect(Object.keys(r.plan.contact).some((k) => k.startsWith('externalIds.'))).toBe(false);
		expect(r.plan.notKept).toEqual(['emails']);
		expect(sourceKey('salesforce', draft({ externalId: '42' }))).toBe('x:salesforce:42');
	});

	it('[13.4] a card from Fieldbook’s own export keeps its UID as the source key, not as an external id on the record', () => {
		const own = planRecords(draft({ firstName: 'A', lastName: 'B', externalId: 'urn:fieldbook:contact:c-1' }), 'vcard');
		if (!own.ok || own.plan.kind === 'company') throw new Error('planned');
		expect(Object.keys(own.plan.contact).some((k) => k.startsWith('externalIds.'))).toBe(false);
		expect(sourceKey('vcard', draft({ externalId: 'urn:fieldbook:contact:c-1' }))).toBe(
			'x:vcard:urn:fieldbook:contact:c-1'
		);
		const other = planRecords(draft({ firstName: 'A', lastName: 'B', externalId: 'urn:uuid:4fbe8971' }), 'vcard');
		if (!other.ok || other.plan.kind === 'company') throw new Error('planned');
		expect(other.plan.contact['externalIds.vcard']).toBe('urn:uuid:4fbe8971');
	});

	it('[13.2] a birthday with a year stays whole; a company row keeps its labelled e-mails and phones', () => {
		const r = planRecords(
			draft({ firstName: 'A', lastName: 'B', birthday: { year: 1980, month: 4, day: 5 } }),
			'vcard'
		);
		expect(r).toMatchObject({ ok: true, plan: { contact: { birthday: '1980-04-05' } } });
		const company = planRecords(
			draft({
				kind: 'company',
				company: 'Fjord Fisk AS',
				emails: [
					{ value: 'post@fjord.example', label: 'work' },
					{ value: 'sales@fjord.example', label: 'other' }
				]
			})
		);
		expect(company).toMatchObject({
			ok: true,
			plan: { customer: { email: 'post@fjord.example', emailLabel: 'work', 'emails.1': 'sales@fjord.example' } }
		});
	});

	it('a malformed second e-mail or a birthday no calendar has refuses the row with its field', () => {
		expect(
			planRecords(
				draft({
					firstName: 'A',
					lastName: 'B',
					emails: [
						{ value: 'a@x.example', label: null },
						{ value: 'not mail', label: null }
					]
				})
			)
		).toEqual({ ok: false, field: 'emails.1' });
		expect(planRecords(draft({ firstName: 'A', lastName: 'B', birthday: { year: 1981, month: 2, day: 29 } }))).toEqual({
			ok: false,
			field: 'birthday'
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

describe('planRecords: additional fields', () => {
	const def = (d: Partial<CustomFieldDef> & Pick<CustomFieldDef, 'id' | 'appliesTo' | 'type'>): CustomFieldDef => ({
		label: d.id,
		order: 0,
		required: false,
		options: [],
		removedAt: null,
		...d
	});
	const DEFS = [
		def({ id: 'shoe', appliesTo: 'person', type: 'number', label: 'Shoe size' }),
		def({ id: 'tier', appliesTo: 'company', type: 'select', options: ['Gold'] }),
		def({ id: 'vip', appliesTo: 'person', type: 'checkbox' }),
		def({ id: 'old', appliesTo: 'person', type: 'text', label: 'Old', removedAt: 1 })
	];
	const plan = (d: Partial<ImportDraft>) => {
		const r = planRecords(draft(d), 'custom', DEFS);
		if (!r.ok) throw new Error(r.field);
		return r.plan;
	};

	it('person fields go on the contact, company fields on the company the row makes; cells read as the type', () => {
		const p = plan({ firstName: 'A', lastName: 'B', company: 'Acme', custom: { shoe: '43', tier: 'Gold', vip: 'ja' } });
		expect(p.kind === 'contact' && p.contact).toMatchObject({ 'custom.shoe': 43, 'custom.vip': true });
		expect(p.kind === 'contact' && p.companyFields).toMatchObject({ 'custom.tier': 'Gold' });
		const c = plan({ kind: 'company', company: 'Acme', custom: { tier: 'Gold' } });
		expect(c.kind === 'company' && c.customer).toMatchObject({ 'custom.tier': 'Gold' });
	});

	it('a cell that does not read as the type is kept as written; a field not defined, removed or of the other kind is reported', () => {
		const p = plan({ firstName: 'A', lastName: 'B', custom: { shoe: 'groß', old: 'x', nope: 'y', tier: 'Gold' } });
		expect(p.kind === 'person' && p.contact).toMatchObject({ 'custom.shoe': 'groß' });
		expect(p.kind === 'person' && Object.keys(p.contact).filter((k) => k.startsWith('custom.'))).toEqual([
			'custom.shoe'
		]);
		expect(p.notKept).toEqual(['Old', 'custom', 'tier']);
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
