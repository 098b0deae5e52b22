/**
 * [§2][§6] Portal sessions: their own table and token checks, sliding expiry within an
 * absolute lifetime, and the end of a session at the first request after its contact is
 * deleted, its customer is deleted, its e-mail changes, its password is set again, or its
 * address becomes shared.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSessionToken, sessionIdFromToken } from '../sessions.ts';
import { PortalSessionStore } from './sessions.ts';
import { portalFixture, type PortalFixture } from './test-factory.ts';

const DAY = 24 * 3600 * 1000;
const TTL = 7 * DAY;
const MAX = 30 * DAY;

let f: PortalFixture;
let t: number;
let store: PortalSessionStore;

beforeEach(async () => {
	f = portalFixture();
	t = Date.UTC(2026, 0, 1);
	store = new PortalSessionStore(f.db, () => t, TTL, MAX);
	f.customer('c1', 'Acme');
	f.contact('k1', 'c1', 'Ann@Example.com', { perm_invoices: 1, language: 'de' });
	await f.password('k1', 'portal-password-1', 100);
});
afterEach(() => f.close());

function signIn(): string {
	const token = generateSessionToken();
	store.create(token, { contactId: 'k1', customerId: 'c1', emailKey: 'ann@example.com', credentialAt: 100 });
	return token;
}

const rows = () => f.db.prepare('SELECT count(*) FROM portal_sessions').pluck().get();

describe('portal sessions', () => {
	it('store only the SHA-256 of the token and give back the contact as the projection holds it', () => {
		const token = signIn();
		expect(f.db.prepare('SELECT id FROM portal_sessions').pluck().get()).toBe(sessionIdFromToken(token));
		expect(JSON.stringify(f.db.prepare('SELECT * FROM portal_sessions').all())).not.toContain(token);
		const found = store.validate(token);
		expect(found?.session).toMatchObject({ contactId: 'k1', customerId: 'c1', expiresAt: t + TTL });
		expect(found?.contact).toMatchObject({
			id: 'k1',
			customerId: 'c1',
			customerName: 'Acme',
			firstName: 'Ann',
			language: 'de',
			permissions: {
				invoices: true,
				estimates: false,
				contracts: false,
				proposals: false,
				support: false,
				projects: false
			}
		});
	});

	it.each([
		['undefined', undefined],
		['a number', 42],
		['an array', ['x']],
		['an empty string', ''],
		['a token of the wrong alphabet', 'A'.repeat(32)],
		['a token one character short', 'a'.repeat(31)],
		['a guessed well-formed token', 'a'.repeat(32)],
		['a staff-style token never issued here', generateSessionToken()]
	])('refuse %s', (_what, token) => {
		signIn();
		expect(store.validate(token)).toBeNull();
		expect(rows()).toBe(1);
	});

	it('slide within the second half of their life, never past the absolute lifetime', () => {
		const token = signIn();
		t += TTL / 2 - 1;
		expect(store.validate(token)?.session.expiresAt).toBe(Date.UTC(2026, 0, 1) + TTL);
		t += 2;
		expect(store.validate(token)?.session.expiresAt).toBe(t + TTL);
		for (let i = 0; i < 10; i++) {
			t += TTL - 1000;
			if (!store.validate(token)) break;
		}
		expect(t).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1) + MAX);
		expect(store.validate(token)).toBeNull();
		expect(rows()).toBe(0);
	});

	it('expire when unused for the sliding period', () => {
		const token = signIn();
		t += TTL;
		expect(store.validate(token)).toBeNull();
		expect(rows()).toBe(0);
	});

	it.each([
		['the contact is deleted', () => f.update('contacts', 'k1', { deleted_at: 5 })],
		['its customer is deleted', () => f.update('customers', 'c1', { deleted_at: 5 })],
		[
			'its e-mail changes',
			() => f.update('contacts', 'k1', { email: 'new@example.com', email_key: 'new@example.com' })
		],
		['its e-mail is removed', () => f.update('contacts', 'k1', { email: null, email_key: null })],
		['its password is set again', () => f.password('k1', 'portal-password-2', 200)],
		['its password is removed', () => f.db.prepare("DELETE FROM contact_credentials WHERE contact_id = 'k1'").run()],
		['the contact is gone from the projection', () => f.db.prepare("DELETE FROM contacts WHERE id = 'k1'").run()],
		['its address is flagged as a duplicate', () => f.update('contacts', 'k1', { duplicate_email: 1 })],
		['another live contact takes the same address', () => f.contact('k2', 'c1', ' ANN@example.com ')]
	])('end at the next request when %s', async (_what, change) => {
		const token = signIn();
		expect(store.validate(token)).not.toBeNull();
		await change();
		expect(store.validate(token)).toBeNull();
		expect(rows()).toBe(0);
	});

	it('survive what does not touch the sign-in: a name, a permission, the language, a deleted namesake', () => {
		const token = signIn();
		f.update('contacts', 'k1', { first_name: 'Anna', perm_invoices: 0, perm_support: 1, language: null });
		f.contact('k3', 'c1', 'ann@example.com', { deleted_at: 9 });
		const found = store.validate(token);
		expect(found?.contact.firstName).toBe('Anna');
		expect(found?.contact.permissions).toMatchObject({ invoices: false, support: true });
		expect(found?.contact.language).toBeNull();
	});

	it('deleteExpired removes sessions past their expiry or lifetime and keeps the rest', () => {
		signIn();
		t += TTL - 1;
		const later = signIn();
		t += 1;
		expect(store.deleteExpired()).toBe(1);
		expect(rows()).toBe(1);
		t += MAX;
		expect(store.deleteExpired()).toBe(1);
		expect(store.validate(later)).toBeNull();
	});
});
