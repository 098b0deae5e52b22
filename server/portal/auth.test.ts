/**
 * [§1][§2][§8] Portal sign-in and "forgot password": one generic answer for every refusal,
 * rate limits as for staff (per account and address, per address, slowdown), a fresh session
 * each time, and set-password mails queued for the one contact an address signs in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortalAuth, FORGOT_MAILS_PER_ACCOUNT } from './auth.ts';
import { portalFixture, type PortalFixture } from './test-factory.ts';

const WINDOW = 15 * 60_000;
const PW = 'portal-password-1';

let f: PortalFixture;
let t: number;
let queued: number;
let auth: PortalAuth;

function makeAuth(limits: Partial<ConstructorParameters<typeof PortalAuth>[1]['limits']> = {}): PortalAuth {
	return new PortalAuth(f.db, {
		limits: {
			loginMaxPerAccount: 3,
			loginMaxPerAddress: 50,
			loginWindowMs: WINDOW,
			loginSlowdownAfter: 1000,
			loginSlowdownMs: 0,
			...limits
		},
		now: () => t,
		queued: () => queued++
	});
}

beforeEach(async () => {
	f = portalFixture();
	t = Date.UTC(2026, 0, 1);
	queued = 0;
	auth = makeAuth();
	f.customer('c1', 'Acme');
	f.contact('k1', 'c1', 'Ann@Example.com');
	await f.password('k1', PW, 100);
});
afterEach(() => f.close());

const outbox = () =>
	f.db.prepare("SELECT kind, contact_id, customer_id, to_email FROM outbox WHERE kind = 'set_password'").all();

describe('portal sign-in', () => {
	it('signs in with the e-mail (any case, spaces) and password, a fresh session each time', async () => {
		const a = await auth.login({ email: ' ANN@example.com ', password: PW }, '10.0.0.1');
		const b = await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.1');
		expect(a).toMatchObject({ ok: true, contact: { id: 'k1', customerId: 'c1' } });
		expect(b.ok && a.ok && b.session.id !== a.session.id && b.token !== a.token).toBe(true);
		expect(a.ok && auth.sessions.validate(a.token)?.contact.id).toBe('k1');
		auth.logout(a.ok ? a.session.id : '');
		expect(a.ok && auth.sessions.validate(a.token)).toBeNull();
		expect(b.ok && auth.sessions.validate(b.token)).not.toBeNull();
	});

	it.each([
		['a wrong password', 'ann@example.com', 'wrong-password', () => {}],
		['an unknown address', 'nobody@example.com', PW, () => {}],
		['a contact without a password', 'bo@example.com', PW, () => f.contact('k2', 'c1', 'bo@example.com')],
		['a deleted contact', 'ann@example.com', PW, () => f.update('contacts', 'k1', { deleted_at: 5 })],
		['a deleted customer', 'ann@example.com', PW, () => f.update('customers', 'c1', { deleted_at: 5 })],
		['a flagged duplicate', 'ann@example.com', PW, () => f.update('contacts', 'k1', { duplicate_email: 1 })],
		[
			'an address two live contacts share (even unflagged, even in other customers)',
			'ann@example.com',
			PW,
			() => {
				f.customer('c2', 'Other');
				f.contact('k9', 'c2', 'ann@example.com');
			}
		]
	])('refuses %s with the one generic answer', async (_what, email, password, setup) => {
		await setup();
		expect(await auth.login({ email, password }, '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
		expect(f.db.prepare('SELECT count(*) FROM portal_sessions').pluck().get()).toBe(0);
	});

	it('a deleted namesake does not block the live contact', async () => {
		f.contact('k0', 'c1', 'ann@example.com', { deleted_at: 1 });
		expect((await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.1')).ok).toBe(true);
	});

	it('rate limits failures per account and address: that address waits, another does not', async () => {
		for (let i = 0; i < 3; i++) {
			expect(await auth.login({ email: 'ann@example.com', password: 'nope' }, '10.0.0.1')).toMatchObject({
				reason: 'invalid'
			});
		}
		const limited = await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.1');
		expect(limited).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect(!limited.ok && limited.reason === 'rate_limited' && limited.retryAfterMs).toBe(WINDOW);
		expect((await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.2')).ok).toBe(true);
		t += WINDOW;
		expect((await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.1')).ok).toBe(true);
	});

	it('rate limits attempts per address, whatever the account', async () => {
		auth = makeAuth({ loginMaxPerAddress: 5 });
		for (let i = 0; i < 5; i++) await auth.login({ email: `x${i}@example.com`, password: 'nope' }, '10.0.0.1');
		expect(await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.1')).toMatchObject({
			reason: 'rate_limited'
		});
		expect((await auth.login({ email: 'ann@example.com', password: PW }, '10.0.0.3')).ok).toBe(true);
	});

	it('slows an account guessed at from many addresses, never refuses its owner', async () => {
		auth = makeAuth({ loginSlowdownAfter: 2, loginSlowdownMs: 150 });
		for (let i = 0; i < 2; i++) await auth.login({ email: 'ann@example.com', password: 'nope' }, `10.1.0.${i}`);
		const t0 = performance.now();
		expect((await auth.login({ email: 'ann@example.com', password: PW }, '10.9.9.9')).ok).toBe(true);
		expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
	});
});

describe('forgot password', () => {
	it('queues one set-password mail for the contact and wakes the mail worker', () => {
		expect(auth.requestReset('Ann@example.com', '10.0.0.1')).toEqual({ ok: true });
		expect(outbox()).toEqual([
			{ kind: 'set_password', contact_id: 'k1', customer_id: 'c1', to_email: 'Ann@Example.com' }
		]);
		expect(queued).toBe(1);
	});

	it.each([
		['an unknown address', 'nobody@example.com', () => {}],
		['a deleted contact', 'ann@example.com', () => f.update('contacts', 'k1', { deleted_at: 5 })],
		['a deleted customer', 'ann@example.com', () => f.update('customers', 'c1', { deleted_at: 5 })],
		[
			'a shared address',
			'ann@example.com',
			() => {
				f.contact('k2', 'c1', 'ann@example.com');
			}
		]
	])('answers %s exactly the same and queues nothing', (_what, email, setup) => {
		setup();
		expect(auth.requestReset(email, '10.0.0.1')).toEqual({ ok: true });
		expect(outbox()).toEqual([]);
		expect(queued).toBe(0);
	});

	it(`sends at most ${FORGOT_MAILS_PER_ACCOUNT} mails per address per window, answering the same`, () => {
		for (let i = 0; i < FORGOT_MAILS_PER_ACCOUNT + 3; i++) {
			expect(auth.requestReset('ann@example.com', `10.0.0.${i}`)).toEqual({ ok: true });
		}
		expect(outbox()).toHaveLength(FORGOT_MAILS_PER_ACCOUNT);
		t += WINDOW;
		auth.requestReset('ann@example.com', '10.0.0.1');
		expect(outbox()).toHaveLength(FORGOT_MAILS_PER_ACCOUNT + 1);
	});

	it('limits requests per client address', () => {
		auth = makeAuth({ loginMaxPerAddress: 2 });
		auth.requestReset('a@example.com', '10.0.0.1');
		auth.requestReset('b@example.com', '10.0.0.1');
		expect(auth.requestReset('ann@example.com', '10.0.0.1')).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect(outbox()).toEqual([]);
	});
});
