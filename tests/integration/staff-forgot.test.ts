/**
 * [§8] "Forgot password?" for staff (issue #14 item 9) on the real server process with a REAL
 * SMTP peer on loopback: the mail's link sets the password once (the old one stops working,
 * every session ends), unknown and deactivated addresses get the same answer and no mail, a
 * newer link, another password change or a deactivation kills a link, an expired link is
 * refused, forged, guessed and malformed tokens all get the one refusal, and requests are
 * rate limited per client address (X-Forwarded-For here, as behind a proxy) and per account.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { startSmtpPeer, type Received, type SmtpPeer } from './helpers/smtp-peer.ts';
import { until } from './helpers/sync.ts';

const PER_ADDRESS = 5;
const SENT = 'If an active staff account uses this address, we sent a link to set a new password.';
const DONE = 'Your password is set, and every session of your account was signed out.';
const INVALID = 'This link does not work.';
const USED = 'This link was used already';
const EXPIRED = 'This link has expired';

let server: TestServer;
let peer: SmtpPeer;
let admin: At;
let nextAddress = 1;

/** A browser at its own client address (the limits count per address). */
class At extends Client {
	readonly ip = `10.20.${Math.floor(nextAddress / 250)}.${nextAddress++ % 250}`;
	override request(p: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		headers.set('x-forwarded-for', this.ip);
		return super.request(p, { ...init, headers });
	}
}

beforeAll(async () => {
	peer = await startSmtpPeer();
	server = await startServer({
		SMTP_URL: peer.url,
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1',
		LOGIN_MAX_PER_ADDRESS: String(PER_ADDRESS)
	});
	admin = new At(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
});
afterAll(async () => {
	await server?.stop();
	await peer?.close();
});

let nextStaff = 0;
/** A new staff account (through the admin's Staff page); its e-mail address. */
async function staff(password = 'old-password-1'): Promise<{ email: string; id: string }> {
	const email = `staff${++nextStaff}.${Date.now()}@forgot.test`;
	const res = await admin.postForm('/admin/staff?/create', {
		name: `Staff ${nextStaff}`,
		email,
		role: 'staff',
		password
	});
	expect(res.status).toBe(200);
	return { email, id: await admin.staffId(email) };
}

async function signIn(email: string, password: string): Promise<{ client: At; status: number }> {
	const client = new At(server.url);
	return { client, status: (await client.login(email, password)).status };
}

async function forgot(email: string, client = new At(server.url)): Promise<{ status: number; text: string }> {
	const res = await client.postForm('/login/forgot', { email });
	return { status: res.status, text: await res.text() };
}

const mailsTo = (email: string): Received[] => peer.received.filter((m) => m.to === email);

async function mail(email: string, count = 1): Promise<Received> {
	await until(() => mailsTo(email).length >= count, 10_000, `mail ${count} to ${email}`);
	return mailsTo(email)[count - 1];
}

function tokenIn(m: Received): string {
	const found = /\/set-password\?token=([A-Za-z0-9_-]{43})/.exec(m.text ?? '');
	if (!found) throw new Error(`no link in: ${m.text}`);
	return found[1];
}

async function setPassword(token: unknown, password: string): Promise<{ status: number; text: string }> {
	const res = await new At(server.url).request('/set-password?/set', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams(
			Array.isArray(token)
				? [...token.map((t: string) => ['token', t]), ['password', password], ['confirm', password]]
				: [
						['token', String(token)],
						['password', password],
						['confirm', password]
					]
		)
	});
	return { status: res.status, text: await res.text() };
}

/** The server's database, for what no request can do (the clock) and to see the outbox. */
function withDb<T>(fn: (db: Database.Database) => T): T {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'));
	try {
		return fn(db);
	} finally {
		db.close();
	}
}

const outboxTo = (email: string) =>
	withDb((db) => db.prepare('SELECT kind, status, rendered FROM outbox WHERE to_email = ?').all(email)) as {
		kind: string;
		status: string;
		rendered: string | null;
	}[];

describe('[§8] staff password reset by e-mail', () => {
	it('sends one mail whose link sets the password: the old one stops working and every session ends', async () => {
		const ann = await staff();
		const phone = await signIn(ann.email, 'old-password-1');
		expect(phone.status).toBe(303);

		const answer = await forgot(ann.email);
		expect(answer.status).toBe(200);
		expect(answer.text).toContain(SENT);
		const m = await mail(ann.email);
		expect(m.subject).toBe('Reset your Fieldbook password');
		const token = tokenIn(m);
		// The outbox keeps the mail as it left, without a working link.
		expect(outboxTo(ann.email)).toEqual([expect.objectContaining({ kind: 'staff_password_reset', status: 'sent' })]);
		expect(outboxTo(ann.email)[0].rendered).not.toContain(token);

		const page = await new At(server.url).request(`/set-password?token=${token}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('choose a new password for your Fieldbook staff account');

		const done = await setPassword(token, 'new-password-1');
		expect(done.status).toBe(200);
		expect(done.text).toContain(DONE);
		expect((await phone.client.request('/api/session', { headers: { accept: 'application/json' } })).status).toBe(401);
		expect((await signIn(ann.email, 'old-password-1')).status).toBe(400);
		expect((await signIn(ann.email, 'new-password-1')).status).toBe(303);
		expect(mailsTo(ann.email)).toHaveLength(1);
	});

	it('unknown and deactivated addresses get the same answer, as quickly, and no mail', async () => {
		const known = await staff();
		const gone = await staff();
		const off = await admin.postForm('/admin/staff?/deactivate', { id: gone.id });
		expect(off.status).toBe(200);
		const unknown = `nobody.${Date.now()}@forgot.test`;

		const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
		const timed = async (email: string) => {
			const t = performance.now();
			const a = await forgot(email);
			return { ...a, ms: performance.now() - t };
		};
		const answers = [await timed(known.email), await timed(unknown), await timed(gone.email)];
		for (const a of answers) {
			expect(a.status).toBe(200);
			expect(main(a.text)).toBe(main(answers[0].text));
		}
		// No argon2, no SMTP on the request's path: all of them a few milliseconds, the same order.
		const slowest = Math.max(...answers.map((a) => a.ms));
		expect(slowest).toBeLessThan(10 * Math.min(...answers.map((a) => a.ms)) + 100);

		await mail(known.email);
		await new Promise((r) => setTimeout(r, 500)); // the worker had time to send anything else
		expect(mailsTo(unknown)).toEqual([]);
		expect(mailsTo(gone.email)).toEqual([]);
		expect(outboxTo(unknown)).toEqual([]);
		expect(outboxTo(gone.email)).toEqual([]);
	});

	it('a link works once', async () => {
		const bea = await staff();
		await forgot(bea.email);
		const token = tokenIn(await mail(bea.email));
		expect((await setPassword(token, 'first-new-password')).status).toBe(200);
		const again = await setPassword(token, 'second-new-password');
		expect(again.status).toBe(410);
		expect(again.text).toContain(USED);
		expect((await signIn(bea.email, 'second-new-password')).status).toBe(400);
		expect((await signIn(bea.email, 'first-new-password')).status).toBe(303);
	});

	it('a second request kills the link of the first', async () => {
		const cem = await staff();
		await forgot(cem.email);
		const first = tokenIn(await mail(cem.email));
		await forgot(cem.email);
		const second = tokenIn(await mail(cem.email, 2));
		const old = await setPassword(first, 'from-the-old-link');
		expect(old.status).toBe(410);
		expect(old.text).toContain(INVALID);
		expect((await setPassword(second, 'from-the-new-link')).status).toBe(200);
		expect((await signIn(cem.email, 'from-the-new-link')).status).toBe(303);
	});

	it('an expired link is refused (48 h: the clock moved on in the database)', async () => {
		const dan = await staff();
		await forgot(dan.email);
		const token = tokenIn(await mail(dan.email));
		const hash = createHash('sha256').update(token).digest('hex');
		withDb((db) =>
			db.prepare('UPDATE set_password_tokens SET expires_at = ? WHERE token_hash = ?').run(Date.now() - 1, hash)
		);
		expect(await (await new At(server.url).request(`/set-password?token=${token}`)).text()).toContain(EXPIRED);
		const r = await setPassword(token, 'too-late-password');
		expect(r.status).toBe(410);
		expect(r.text).toContain(EXPIRED);
		expect((await signIn(dan.email, 'old-password-1')).status).toBe(303);
	});

	it('another password change or a deactivation kills the link (and reactivating does not revive it)', async () => {
		const eve = await staff();
		await forgot(eve.email);
		const byAdmin = tokenIn(await mail(eve.email));
		const reset = await admin.postForm('/admin/staff?/resetPassword', { id: eve.id, password: 'set-by-admin-1' });
		expect(reset.status).toBe(200);
		expect((await setPassword(byAdmin, 'via-old-link-1')).text).toContain(INVALID);

		const own = await signIn(eve.email, 'set-by-admin-1');
		await forgot(eve.email);
		const byOwn = tokenIn(await mail(eve.email, 2));
		const changed = await own.client.postForm('/account?/password', {
			current: 'set-by-admin-1',
			next: 'changed-myself-1'
		});
		expect(changed.status).toBe(200);
		expect((await setPassword(byOwn, 'via-old-link-2')).text).toContain(INVALID);

		await forgot(eve.email);
		const beforeOff = tokenIn(await mail(eve.email, 3));
		expect((await admin.postForm('/admin/staff?/deactivate', { id: eve.id })).status).toBe(200);
		expect((await setPassword(beforeOff, 'via-old-link-3')).text).toContain(INVALID);
		expect((await admin.postForm('/admin/staff?/reactivate', { id: eve.id })).status).toBe(200);
		expect((await setPassword(beforeOff, 'via-old-link-3')).status).toBe(410);
		expect((await signIn(eve.email, 'changed-myself-1')).status).toBe(303);
	});

	it('forged, guessed and malformed tokens get the same clear refusal and never throw', async () => {
		const fay = await staff();
		const other = await staff();
		const otherSession = await signIn(other.email, 'old-password-1');
		await forgot(fay.email);
		const live = tokenIn(await mail(fay.email));
		const stored = createHash('sha256').update(live).digest('hex');
		const bad: unknown[] = [
			'',
			'A'.repeat(4000),
			'!'.repeat(43),
			'%00'.repeat(15),
			'../../etc/passwd',
			stored, // what a copy of the database holds opens nothing
			live.slice(0, 42) + (live.endsWith('A') ? 'B' : 'A'), // one character off
			'Qk5pY2VUcnlCdXROb3RBUmVhbFRva2VuQXRBbGwxMjM', // well formed, never issued
			otherSession.client.sessionToken ?? 'no-session', // another user's session token
			[live, live] // the field twice
		];
		for (const token of bad) {
			const r = await setPassword(token, 'forged-password-1');
			expect(r.status, String(token).slice(0, 50)).toBe(410);
			expect(r.text).toContain(INVALID);
			if (typeof token === 'string' && token.length < 1000) {
				const page = await new At(server.url).request(`/set-password?token=${encodeURIComponent(token)}`);
				expect(page.status).toBe(200);
				expect(await page.text()).toContain(INVALID);
			}
		}
		expect(server.output()).not.toMatch(/unhandled|TypeError|request failed/i);
		// Nothing changed: the live link still works and both passwords are as they were.
		expect((await signIn(other.email, 'old-password-1')).status).toBe(303);
		expect((await setPassword(live, 'the-real-new-one')).status).toBe(200);
	});

	it('a post from another site is refused (CSRF, as every form) and sends nothing', async () => {
		const ida = await staff();
		const res = await new At(server.url).postForm(
			'/login/forgot',
			{ email: ida.email },
			{ origin: 'https://evil.test' }
		);
		expect(res.status).toBe(403);
		await new Promise((r) => setTimeout(r, 500));
		expect(outboxTo(ida.email)).toEqual([]);
	});

	it('is rate limited per client address (told) and per account (silently: no more mail)', async () => {
		const gus = await staff();
		const one = new At(server.url);
		for (let i = 0; i < PER_ADDRESS; i++) {
			expect((await forgot(`who${i}.${Date.now()}@forgot.test`, one)).status).toBe(200);
		}
		const refused = await forgot(gus.email, one);
		expect(refused.status).toBe(429);
		expect(refused.text).toContain('Too many requests. Try again in');
		expect((await forgot(gus.email)).status).toBe(200); // another address is not affected

		for (let i = 0; i < 4; i++) {
			const a = await forgot(gus.email);
			expect(a.status).toBe(200);
			expect(a.text).toContain(SENT);
		}
		await mail(gus.email, 3);
		await new Promise((r) => setTimeout(r, 500));
		expect(mailsTo(gus.email)).toHaveLength(3); // FORGOT_MAILS_PER_ACCOUNT per window
	});

	it("the mail is in the staff member's language, and so is the link's page", async () => {
		const hal = await staff();
		const { client } = await signIn(hal.email, 'old-password-1');
		expect((await client.postForm('/language', { locale: 'de', redirectTo: '/' })).status).toBe(303);
		await forgot(hal.email);
		const m = await mail(hal.email);
		expect(m.subject).toBe('Fieldbook-Passwort zurücksetzen');
		const page = await new At(server.url).request(`/set-password?token=${tokenIn(m)}`);
		expect(await page.text()).toContain('wählen Sie ein neues Passwort für Ihr Fieldbook-Mitarbeiterkonto');
	});
});
