/**
 * [§2][§8] Set-password links (issue #11 item 5) on a real SQLite file: 48 h with an injected
 * clock, one use, 100 concurrent uses → exactly one success, and every way a link dies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContactCredentials } from '../../server/contact-credentials.ts';
import { openDatabase, type Db } from '../../server/db.ts';
import { LINK_TTL_MS, SetPasswordLinks } from '../../server/mail/set-password-links.ts';

let dir: string;
let db: Db;
let now: number;
let links: SetPasswordLinks;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-links-'));
	db = openDatabase(path.join(dir, 'db.sqlite'));
	db.prepare("INSERT INTO customers (id, kind, company_name) VALUES ('c1', 'company', 'Acme')").run();
	db.prepare(
		`INSERT INTO contacts (id, customer_id, first_name, last_name, email, email_key, is_primary, language)
		 VALUES ('k1', 'c1', 'Ann', 'Lee', 'ann@example.com', 'ann@example.com', 1, 'pl')`
	).run();
	now = 1_000_000;
	links = new SetPasswordLinks(db, () => now);
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

const hash = () =>
	db.prepare("SELECT password_hash FROM contact_credentials WHERE contact_id = 'k1'").pluck().get() as
		string | undefined;

describe('[§2] set-password links', () => {
	it('work for 48 hours (clock injected), then say "expired"', () => {
		const token = links.issue('k1', 'ann@example.com', 1);
		expect(links.check(token)).toMatchObject({ ok: true, contactId: 'k1', locale: 'pl' });
		now += LINK_TTL_MS - 1;
		expect(links.check(token).ok).toBe(true);
		now += 1;
		expect(links.check(token)).toEqual({ ok: false, reason: 'expired' });
	});

	it('set the password with the staff rules and argon2id, once; a second use says "used"', async () => {
		const token = links.issue('k1', 'ann@example.com', 1);
		expect(await links.use(token, 'short')).toEqual({ ok: false, reason: 'too_short' });
		expect(await links.use(token, 'x'.repeat(1025))).toEqual({ ok: false, reason: 'too_long' });
		expect(await links.use(token, ['a', 'b'])).toEqual({ ok: false, reason: 'not_text' });
		expect(hash()).toBeUndefined();
		expect(await links.use(token, 'portal-password-1')).toEqual({ ok: true, contactId: 'k1' });
		expect(hash()).toMatch(/^\$argon2id\$/);
		expect(await links.use(token, 'portal-password-2')).toEqual({ ok: false, reason: 'used' });
		expect(links.check(token)).toEqual({ ok: false, reason: 'used' });
	});

	it('100 concurrent uses of one link: exactly one succeeds', async () => {
		const token = links.issue('k1', 'ann@example.com', 1);
		const results = await Promise.all(
			Array.from({ length: 100 }, (_, i) => links.use(token, `concurrent-password-${i}`))
		);
		const won = results.filter((r) => r.ok);
		expect(won).toHaveLength(1);
		expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(99);
		expect(db.prepare('SELECT count(*) FROM set_password_tokens WHERE used_at IS NOT NULL').pluck().get()).toBe(1);
	});

	it('a newer link, an e-mail change, the contact deleted and a password set by staff kill older links', async () => {
		const older = links.issue('k1', 'ann@example.com', 1);
		const resend = links.issue('k1', 'ann@example.com', 1); // the same mail sent again after a crash: both live
		expect(links.check(older).ok).toBe(true);
		const newer = links.issue('k1', 'ann@example.com', 2);
		expect(links.check(older)).toEqual({ ok: false, reason: 'invalid' });
		expect(links.check(resend)).toEqual({ ok: false, reason: 'invalid' });
		expect(links.check(newer).ok).toBe(true);

		db.prepare("UPDATE contacts SET email = 'new@example.com', email_key = 'new@example.com' WHERE id = 'k1'").run();
		expect(links.check(newer)).toEqual({ ok: false, reason: 'invalid' });
		db.prepare("UPDATE contacts SET email = 'ann@example.com', email_key = 'ann@example.com' WHERE id = 'k1'").run();
		expect(links.check(newer).ok).toBe(true);

		db.prepare("UPDATE customers SET deleted_at = 5 WHERE id = 'c1'").run();
		expect(links.check(newer)).toEqual({ ok: false, reason: 'invalid' });
		db.prepare("UPDATE customers SET deleted_at = NULL WHERE id = 'c1'").run();

		const staff = new ContactCredentials(db, () => true);
		expect(await staff.setPassword('k1', 'set-by-staff-1', { id: 'u1', role: 'admin' })).toEqual({ ok: true });
		expect(links.check(newer)).toEqual({ ok: false, reason: 'invalid' });
		expect(await links.use(newer, 'portal-password-1')).toEqual({ ok: false, reason: 'invalid' });
	});

	it('using one copy of a resent mail kills the other copy', async () => {
		const a = links.issue('k1', 'ann@example.com', 7);
		const b = links.issue('k1', 'ann@example.com', 7);
		expect(await links.use(b, 'portal-password-1')).toMatchObject({ ok: true });
		expect(links.check(a)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('forged, guessed and malformed tokens: "invalid", nothing thrown, nothing stored', async () => {
		links.issue('k1', 'ann@example.com', 1);
		for (const bad of [undefined, null, 42, {}, [], '', 'x', 'A'.repeat(43), 'A'.repeat(44), '../../etc', '\r\n']) {
			expect(links.check(bad)).toEqual({ ok: false, reason: 'invalid' });
			expect(await links.use(bad, 'portal-password-1')).toEqual({ ok: false, reason: 'invalid' });
			expect(() => links.renew(bad)).not.toThrow();
		}
		expect(hash()).toBeUndefined();
		expect(db.prepare("SELECT count(*) FROM outbox WHERE kind = 'set_password'").pluck().get()).toBe(0);
	});

	it('"send me a new link" from an expired link queues one new mail per old link', () => {
		const token = links.issue('k1', 'ann@example.com', 1);
		now += LINK_TTL_MS;
		links.renew(token);
		links.renew(token);
		expect(db.prepare("SELECT contact_id, to_email FROM outbox WHERE kind = 'set_password'").all()).toEqual([
			{ contact_id: 'k1', to_email: 'ann@example.com' }
		]);
	});
});

describe('[§2] staff links (issue #14 item 9): the same mechanism, a staff user as holder', () => {
	beforeEach(() => {
		db.prepare(
			`INSERT INTO users (id, email, name, role, password_hash, active, locale, created_at, updated_at)
			 VALUES ('u1', 'bo@staff.test', 'Bo', 'staff', 'old-hash', 1, 'de', 1, 1)`
		).run();
	});
	const userHash = () => db.prepare("SELECT password_hash FROM users WHERE id = 'u1'").pluck().get();

	it('100 concurrent uses set the password once and announce it once; the contact of the same id is untouched', async () => {
		const ended: string[] = [];
		links.onStaffPasswordSet((id) => ended.push(id));
		const contactLink = links.issue('u1', 'bo@staff.test', 1); // a contact link of the same id: another holder
		const token = links.issue('u1', 'bo@staff.test', 2, 'staff');
		expect(links.check(token)).toEqual({ ok: true, holder: 'staff', userId: 'u1', locale: 'de', firstName: 'Bo' });
		const results = await Promise.all(
			Array.from({ length: 100 }, (_, i) => links.use(token, `concurrent-password-${i}`))
		);
		expect(results.filter((r) => r.ok)).toEqual([{ ok: true, userId: 'u1' }]);
		expect(userHash()).toMatch(/^\$argon2id\$/);
		expect(ended).toEqual(['u1']);
		expect(hash()).toBeUndefined();
		expect(
			db.prepare('SELECT invalidated_at FROM set_password_tokens WHERE holder = ?').pluck().get('contact')
		).toBeNull();
		expect(contactLink).not.toBe(token);
	});

	it('dies when the account is deactivated or its address changes; "send me a new link" mails the staff user', () => {
		const token = links.issue('u1', 'bo@staff.test', 1, 'staff');
		db.prepare("UPDATE users SET active = 0 WHERE id = 'u1'").run();
		expect(links.check(token)).toEqual({ ok: false, reason: 'invalid' });
		db.prepare("UPDATE users SET active = 1, email = 'new@staff.test' WHERE id = 'u1'").run();
		expect(links.check(token)).toEqual({ ok: false, reason: 'invalid' });
		db.prepare("UPDATE users SET email = 'bo@staff.test' WHERE id = 'u1'").run();
		now += LINK_TTL_MS;
		expect(links.check(token)).toEqual({ ok: false, reason: 'expired' });
		links.renew(token);
		links.renew(token);
		expect(db.prepare('SELECT kind, to_email, payload FROM outbox').all()).toEqual([
			{ kind: 'staff_password_reset', to_email: 'bo@staff.test', payload: '{"userId":"u1"}' }
		]);
		expect(userHash()).toBe('old-hash');
	});
});
