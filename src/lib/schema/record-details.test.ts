import { describe, expect, it } from 'vitest';
import { valueFields } from './contact-values.ts';
import { contactDraft, detailsOf, parseDetails, phonesWithE164 } from './record-details.ts';
import { vcardOf } from './vcard-write.ts';

const fields = {
	firstName: 'Marie',
	lastName: 'Curie',
	position: 'Director',
	...valueFields('email', [
		{ value: 'marie@lab.example', label: 'work' },
		{ value: 'marie@home.example', label: 'home' }
	]),
	...valueFields('phone', [
		{ value: '01 44 27 00 00 poste 12', label: 'work' },
		{ value: '06 12 34 56 78', label: 'mobile' }
	]),
	namePrefix: 'Mme',
	middleName: 'Salomea',
	department: 'Radium Institute',
	birthday: '--11-07',
	tags: 'Nobel, physics',
	notes: 'Two prizes; one in physics.',
	favourite: true,
	doNotCall: true,
	street: '1 rue Pierre et Marie Curie',
	city: 'Paris',
	postalCode: '75005',
	country: 'FR',
	'externalIds.google': 'people/c1'
};

describe('record details', () => {
	it('read once from the fields, and back from the projection JSON unchanged', () => {
		const d = detailsOf(fields);
		expect(d).toMatchObject({
			emails: [
				{ value: 'marie@lab.example', label: 'work' },
				{ value: 'marie@home.example', label: 'home' }
			],
			birthday: '--11-07',
			tags: ['Nobel', 'physics'],
			favourite: true,
			doNotEmail: false,
			doNotCall: true,
			address: { city: 'Paris', country: 'FR' },
			externalIds: { google: 'people/c1' }
		});
		expect(parseDetails(JSON.stringify(d))).toEqual(d);
		expect(parseDetails('{not json')).toEqual(detailsOf({}));
		expect(detailsOf({ birthday: '2026-02-30' }).birthday).toBeNull();
	});

	it('[13.2] as vCard 4.0: N with prefix and middle name, ORG with department, typed EMAIL and TEL, --MMDD, CATEGORIES, NOTE, ADR', () => {
		const card = vcardOf(contactDraft(fields, detailsOf(fields), 'Institut Curie', null));
		for (const line of [
			'FN:Mme Marie Salomea Curie',
			'N:Curie;Marie;Salomea;Mme;',
			'ORG:Institut Curie;Radium Institute',
			'TITLE:Director',
			'EMAIL;TYPE=work;PREF=1:marie@lab.example',
			'EMAIL;TYPE=home:marie@home.example',
			// National numbers read in the contact's country (France); the extension kept.
			'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+33144270000;ext=12',
			'TEL;VALUE=uri;TYPE=cell:tel:+33612345678',
			'BDAY:--1107',
			'CATEGORIES:Nobel,physics',
			'NOTE:Two prizes\\; one in physics.',
			'ADR:;;1 rue Pierre et Marie Curie;Paris;;75005;FR'
		]) {
			expect(card).toContain(`\r\n${line}\r\n`);
		}
	});

	it('a phone whose country is unknown stays text', () => {
		const f = { firstName: 'A', lastName: 'B', phone: '0171 555' };
		expect(vcardOf(contactDraft(f, detailsOf(f), '', null))).toContain('TEL;VALUE=text;PREF=1:0171 555\r\n');
	});
});

describe('phonesWithE164 and the workspace default region', () => {
	it('a phone typed nationally gets its E.164 form from the record’s country, else the workspace’s region', () => {
		const phones = [{ value: '030 1234567', label: 'work' as const }];
		expect(phonesWithE164(phones, null)[0].e164).toBeNull();
		expect(phonesWithE164(phones, null, 'DE')[0].e164).toBe('+49301234567');
		// The record's own country wins: read as Austrian, not German.
		expect(phonesWithE164([{ value: '01 5880000', label: null }], 'AT', 'DE')[0].e164).toBe('+4315880000');
	});
});
