import { describe, expect, it } from 'vitest';
import { validateContact } from '$lib/schema/customer-doc';
import { birthdayText, richDraftFrom, richToData } from './rich-draft';

describe('the contact dialog’s richer fields', () => {
	it('a stored contact round-trips through the form unchanged', () => {
		const stored = {
			email: 'a@work.example',
			emailLabel: 'work',
			'emails.1': 'a@home.example',
			'emails.1.label': 'home',
			phone: '0171 555',
			birthday: '--11-07',
			tags: 'Nobel, physics',
			doNotEmail: true,
			city: 'Paris'
		};
		const d = richDraftFrom(stored);
		expect(d.emails).toEqual([{ value: 'a@home.example', label: 'home' }]);
		expect(d.birthday).toEqual({ day: '7', month: '11', year: '' });
		expect(richToData(d, { email: stored.email, phone: stored.phone })).toMatchObject({
			...stored,
			'emails.2': null,
			phoneLabel: null,
			favourite: false,
			street: null
		});
	});

	it('a birthday without a year stays year-less; a part-typed one is refused by the schema, not guessed', () => {
		expect(birthdayText({ day: '7', month: '11', year: '' })).toBe('--11-07');
		expect(birthdayText({ day: '7', month: '11', year: '1867' })).toBe('1867-11-07');
		expect(birthdayText({ day: '', month: '', year: '' })).toBeNull();
		for (const b of [
			{ day: '7', month: '', year: '' },
			{ day: '31', month: '2', year: '' },
			{ day: 'x', month: '1', year: '' }
		]) {
			expect(validateContact({ firstName: 'A', lastName: 'B', birthday: birthdayText(b) }).birthday).toBe('invalid');
		}
	});
});
