/**
 * Richer contacts (issue #13 item 2) at the sync validator: labelled e-mails and phones in
 * fixed slots, name parts, a birthday with or without a year, tags, flags, an address, and
 * external ids that only the server writes. Malformed and forged values are refused.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { valueFields } from '../../src/lib/schema/contact-values.ts';
import { addContact, contactsMap, customerMap, initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { validateUpdate } from './validate.ts';
import { checkWrite, RefusedUpdateError } from './write-rules.ts';

const ANA = { id: 'ana', role: 'staff' as const };

/** A stored company with contact k1, and a device's copy of it; `diff` is what the device changed since. */
function stored() {
	const server = new Y.Doc();
	initCustomer(server, { kind: 'company', authorId: ANA.id, now: 1, fields: { companyName: 'Acme' } });
	addContact(server, { id: 'k1', fields: { firstName: 'Kim', lastName: 'Ito' }, authorId: ANA.id, now: 3 });
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const sv = Y.encodeStateVector(client);
	return { server, client, diff: () => Y.encodeStateAsUpdate(client, sv) };
}

const verdict = (fields: Record<string, unknown>, where: 'contact' | 'customer' = 'contact') => {
	const { server, client, diff } = stored();
	client.transact(() => {
		const m = where === 'contact' ? contactsMap(client).get('k1')! : customerMap(client);
		for (const [k, v] of Object.entries(fields)) (m as Y.Map<unknown>).set(k, v);
	});
	return validateUpdate(server, diff(), 'customer', undefined, { writer: ANA.id });
};

describe('[§6] richer contacts: the validator accepts the new fields', () => {
	it('two labelled e-mails and phones, name parts, a year-less birthday, tags, flags, an address', () => {
		expect(
			verdict({
				...valueFields('email', [
					{ value: 'kim@work.example', label: 'work' },
					{ value: 'kim@home.example', label: 'home' }
				]),
				...valueFields('phone', [
					{ value: '+49 89 123 ext. 4', label: 'work' },
					{ value: '0171 555', label: 'mobile' }
				]),
				namePrefix: 'Dr.',
				middleName: 'Maria',
				department: 'Einkauf',
				birthday: '--04-15',
				notes: 'Met at the fair.\nLikes tea.',
				tags: 'VIP, Kunden',
				favourite: true,
				doNotEmail: true,
				doNotCall: false,
				street: 'Hafen 1',
				city: 'Bremen',
				postalCode: '28197',
				country: 'DE'
			})
		).toEqual({ ok: true });
		expect(verdict({ birthday: '1981-02-29' })).toEqual({ ok: false, reason: expect.stringMatching(/invalid/) });
		expect(verdict({ birthday: '1984-02-29' })).toEqual({ ok: true });
		expect(verdict({ birthday: '--02-29' })).toEqual({ ok: true });
	});

	it('a company holds labelled extra e-mails and phones too', () => {
		expect(
			verdict({ 'emails.1': 'sales@acme.example', 'emails.1.label': 'work', phoneLabel: 'main' }, 'customer')
		).toEqual({ ok: true });
	});
});

describe('[§6] richer contacts: malformed values are refused', () => {
	it.each([
		['emails.1', 'not an e-mail'],
		['emails.1.label', 'boss'],
		['emailLabel', 7],
		['phones.4', 'x'.repeat(51)],
		['birthday', '2026-02-30'],
		['birthday', '--13-01'],
		['birthday', '15.04.1980'],
		['birthday', 19800415],
		['tags', 'x'.repeat(1001)],
		['doNotEmail', 'yes'],
		['favourite', 1],
		['namePrefix', 'x'.repeat(51)],
		['notes', { html: '<b>' }]
	])('%s = %j', (key, value) => {
		expect(verdict({ [key]: value }).ok).toBe(false);
	});

	it('slots past the fifth value, slot 0 and unknown sources are unknown keys', () => {
		for (const key of ['emails.5', 'emails.0', 'phones.1.e164', 'externalIds.myspace', 'emails.1.label.x']) {
			expect(verdict({ [key]: 'a' })).toEqual({ ok: false, reason: expect.stringMatching(/unknown key/) });
		}
	});
});

describe('[§6] external ids are the server’s', () => {
	it('a device cannot set or change one; the server can', () => {
		const { server, client, diff } = stored();
		contactsMap(client).get('k1')!.set('externalIds.salesforce', '003A1');
		let refused: unknown = null;
		try {
			checkWrite(server, 'c1', ANA, diff(), true);
		} catch (e) {
			refused = e;
		}
		expect(refused).toBeInstanceOf(RefusedUpdateError);
		expect((refused as Error).message).toMatch(/server only/);

		contactsMap(server).get('k1')!.set('externalIds.salesforce', '003A1');
		expect(contactsMap(server).get('k1')!.get('externalIds.salesforce')).toBe('003A1');
	});
});
