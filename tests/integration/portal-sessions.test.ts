/**
 * [§1][§2][§6][§8] The customer portal on the real server (issue #12 items 1 and 2): contacts
 * sign in with e-mail and password into a session of their own kind; that session opens no
 * staff page, API or socket, and a staff session is no portal session; a session ends at the
 * next request after its contact or customer is deleted, its e-mail changes or its password
 * is set again; modules answer by permission, read on every request, with the portal's one 404.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
	addContact,
	trashContact,
	trashCustomer,
	updateContact,
	type ContactData
} from '../../src/lib/schema/customer-doc.ts';
import { upgradeStatus } from './helpers/frames.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until } from './helpers/sync.ts';

const PW = 'portal-password-1';
const GENERIC = 'Incorrect e-mail or password.';

let server: TestServer;
let staff: Client;
let authorId: string;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', LOGIN_MAX_PER_ACCOUNT: '1000' });
	staff = new Client(server.url);
	expect((await staff.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	authorId = await staff.userId();
	await createCustomer(server, staff, 'portal-acme', { fields: { companyName: 'Acme Portal GmbH' } });
	await createCustomer(server, staff, 'portal-other', { fields: { companyName: 'Other Ltd' } });
	await contact('portal-acme', 'ann', { firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.test' }, [
		'invoices',
		'support'
	]);
});
afterAll(async () => {
	await server?.stop();
});

/** Changes a customer document as a staff device does, and waits until it is committed (and projected). */
async function edit(doc: string, change: (d: Y.Doc) => void): Promise<void> {
	const s = connect(server, staff, doc);
	try {
		await until(() => s.provider.synced, 5000, `${doc} synced`);
		change(s.doc);
		await s.acks.whenCommitted();
	} finally {
		s.destroy();
	}
}

async function setPassword(id: string, password = PW): Promise<void> {
	expect((await staff.postJson(`/api/contacts/${id}/password`, { password })).status).toBe(200);
}

/** A contact with the given permissions and a portal password. */
async function contact(doc: string, id: string, fields: ContactData, perms: string[] = [], password = PW) {
	await edit(doc, (d) =>
		addContact(d, {
			id,
			fields,
			authorId,
			now: Date.now(),
			defaultPermissions: Object.fromEntries(perms.map((p) => [p, true]))
		})
	);
	if (password) await setPassword(id, password);
}

async function portalLogin(email: string, password = PW, client = new Client(server.url)) {
	const res = await client.postForm('/portal/login', { email, password });
	return { client, res, body: res.status === 303 ? '' : await res.text() };
}

async function signedIn(email: string, password = PW): Promise<Client> {
	const { client, res } = await portalLogin(email, password);
	expect(res.status).toBe(303);
	expect(res.headers.get('location')).toBe('/portal');
	return client;
}

/** GET as a browser would; the status, where it sends us, and the page. */
async function get(client: Client, p: string, accept = 'text/html') {
	const res = await client.request(p, { headers: { accept } });
	return {
		status: res.status,
		location: res.headers.get('location'),
		cacheControl: res.headers.get('cache-control'),
		body: await res.text()
	};
}

const isSignedOut = async (c: Client) => {
	const r = await get(c, '/portal');
	return r.status === 303 && r.location === '/portal/login';
};

const query = (sql: string, ...args: unknown[]) => {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db.prepare(sql).all(...args);
	} finally {
		db.close();
	}
};

describe('[§1] portal sign-in', () => {
	it('signs a contact in with e-mail and password into a portal cookie of its own (HttpOnly, SameSite, Path=/portal)', async () => {
		const client = new Client(server.url);
		const res = await client.postForm('/portal/login', { email: ' ANN@acme.test ', password: PW });
		expect(res.status).toBe(303);
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fieldbook_portal='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\/portal(;|$)/i);
		expect(client.cookies.has('fieldbook_session')).toBe(false);
		const home = await get(client, '/portal');
		expect(home.status).toBe(200);
		expect(home.cacheControl).toBe('private, no-store');
		expect(home.body).toContain('Ann Lee');
		expect(home.body).toContain('Acme Portal GmbH');
		expect(query('SELECT contact_id, customer_id FROM portal_sessions')).toContainEqual({
			contact_id: 'ann',
			customer_id: 'portal-acme'
		});
		// The token itself is stored nowhere; only its SHA-256.
		expect(JSON.stringify(query('SELECT * FROM portal_sessions'))).not.toContain(
			client.cookies.get('fieldbook_portal')
		);
	});

	it('without a session every portal page sends to sign-in, with the way back', async () => {
		const anon = new Client(server.url);
		expect(await get(anon, '/portal')).toMatchObject({ status: 303, location: '/portal/login' });
		expect(await get(anon, '/portal/invoices')).toMatchObject({
			status: 303,
			location: '/portal/login?redirectTo=%2Fportal%2Finvoices'
		});
		const back = await anon.postForm('/portal/login?redirectTo=%2Fportal%2Fsupport', {
			email: 'ann@acme.test',
			password: PW
		});
		expect(back.headers.get('location')).toBe('/portal/support');
		// A post without a session (a stale sign-out) goes to sign-in without a way back to repeat it.
		const stale = await new Client(server.url).postForm('/portal/logout', {});
		expect(stale.status).toBe(303);
		expect(stale.headers.get('location')).toBe('/portal/login');
	});

	it.each([
		'https://evil.example/',
		'//evil.example',
		'/login',
		'/companies',
		'/portal/login',
		'/portal/logout',
		'javascript:alert(1)'
	])('a redirectTo of %s goes to the portal home instead', async (to) => {
		const c = new Client(server.url);
		const res = await c.postForm(`/portal/login?redirectTo=${encodeURIComponent(to)}`, {
			email: 'ann@acme.test',
			password: PW
		});
		expect(res.headers.get('location')).toBe('/portal');
	});

	it('a fresh session id at every sign-in; the one the request came with ends', async () => {
		const client = await signedIn('ann@acme.test');
		const first = client.cookies.get('fieldbook_portal')!;
		expect((await client.postForm('/portal/login', { email: 'ann@acme.test', password: PW })).status).toBe(303);
		const second = client.cookies.get('fieldbook_portal')!;
		expect(second).not.toBe(first);
		const old = new Client(server.url);
		old.cookies.set('fieldbook_portal', first);
		expect(await isSignedOut(old)).toBe(true);
		expect(await isSignedOut(client)).toBe(false);
	});

	it('sign-out is a POST that ends the session; a GET signs no one out; a foreign Origin is refused', async () => {
		const client = await signedIn('ann@acme.test');
		const token = client.cookies.get('fieldbook_portal')!;
		expect((await client.request('/portal/logout')).status).toBe(405);
		expect(await isSignedOut(client)).toBe(false);
		const forged = await client.postForm('/portal/logout', {}, { origin: 'https://evil.example' });
		expect(forged.status).toBe(403);
		expect(await isSignedOut(client)).toBe(false);
		const out = await client.postForm('/portal/logout', {});
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/portal/login');
		expect(client.cookies.has('fieldbook_portal')).toBe(false);
		const replay = new Client(server.url);
		replay.cookies.set('fieldbook_portal', token);
		expect(await isSignedOut(replay)).toBe(true);
	});

	it('[§8] a wrong password, an unknown address, no password yet, a deleted contact, a deleted customer and a shared address all get the one generic answer', async () => {
		await contact('portal-acme', 'nopw', { firstName: 'No', lastName: 'Password', email: 'nopw@acme.test' }, [], '');
		await contact('portal-acme', 'gone', { firstName: 'Gone', lastName: 'Soon', email: 'gone@acme.test' });
		await edit('portal-acme', (d) => trashContact(d, 'gone', Date.now()));
		await createCustomer(server, staff, 'portal-trashed', { fields: { companyName: 'Trashed Inc' } });
		await contact('portal-trashed', 'orphan', { firstName: 'Or', lastName: 'Phan', email: 'orphan@acme.test' });
		await edit('portal-trashed', (d) => trashCustomer(d, authorId, Date.now()));
		await contact('portal-acme', 'dup1', { firstName: 'Dup', lastName: 'One', email: 'dup@acme.test' });
		await contact('portal-other', 'dup2', { firstName: 'Dup', lastName: 'Two', email: 'DUP@acme.test' });

		const attempts: [string, string][] = [
			['ann@acme.test', 'wrong-password'],
			['nobody@acme.test', PW],
			['nopw@acme.test', PW],
			['gone@acme.test', PW],
			['orphan@acme.test', PW],
			['dup@acme.test', PW]
		];
		const answers = [];
		for (const [email, password] of attempts) {
			const { res, body, client } = await portalLogin(email, password);
			expect(res.status, email).toBe(400);
			expect(body).toContain(GENERIC);
			expect(client.cookies.has('fieldbook_portal')).toBe(false);
			answers.push(body.replaceAll(email, '<typed>'));
		}
		expect(new Set(answers).size).toBe(1);
	});

	it('[§8] garbage bodies never get a 500 and never a session', async () => {
		const c = new Client(server.url);
		const bodies: [string, BodyInit, string][] = [
			['nothing', '', 'application/x-www-form-urlencoded'],
			['arrays', 'email=ann%40acme.test&email=eve%40x.test&password=a&password=b', 'application/x-www-form-urlencoded'],
			['bad percent-encoding', 'email=%E0%A4%A&password=%ZZ', 'application/x-www-form-urlencoded'],
			[
				'a password over 1 KB',
				`email=ann%40acme.test&password=${'x'.repeat(5000)}`,
				'application/x-www-form-urlencoded'
			],
			['an e-mail of 100 KB', `email=${'a'.repeat(100_000)}&password=x`, 'application/x-www-form-urlencoded'],
			[
				'broken multipart',
				'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nann',
				'multipart/form-data; boundary=x'
			],
			['JSON', JSON.stringify({ email: 'ann@acme.test', password: PW }), 'application/json'],
			['binary', new Uint8Array([0, 255, 1, 254]) as unknown as BodyInit, 'application/octet-stream']
		];
		for (const p of ['/portal/login', '/portal/forgot', '/portal/logout']) {
			for (const [what, body, type] of bodies) {
				const res = await c.request(p, {
					method: 'POST',
					headers: { 'content-type': type, accept: 'text/html' },
					body
				});
				expect(res.status, `${what} to ${p}`).toBeLessThan(500);
				await res.arrayBuffer();
			}
		}
		expect(c.cookies.has('fieldbook_portal')).toBe(false);
		expect(server.output()).not.toMatch(/TypeError|RangeError/);
	});

	it('CSRF: a sign-in posted from another origin, or with no Origin, is refused before it is tried', async () => {
		const c = new Client(server.url);
		expect(
			(await c.postForm('/portal/login', { email: 'ann@acme.test', password: PW }, { origin: 'https://evil.example' }))
				.status
		).toBe(403);
		expect((await c.postForm('/portal/login', { email: 'ann@acme.test', password: PW }, { origin: null })).status).toBe(
			403
		);
		expect(c.cookies.has('fieldbook_portal')).toBe(false);
	});
});

describe('[§6] a contact session and a staff session are different kinds', () => {
	const staffPages = [
		'/',
		'/companies',
		'/persons',
		'/customers/portal-acme',
		'/settings',
		'/admin/staff',
		'/admin/email',
		'/device'
	];
	const apiGets = [
		'/api/session',
		'/api/staff',
		'/api/staff/directory',
		'/api/customers/portal-acme',
		'/api/customers/portal-acme/history'
	];

	it('a contact session is refused on every staff page and API exactly as no session is', async () => {
		const contactClient = await signedIn('ann@acme.test');
		const anon = new Client(server.url);
		for (const p of staffPages) {
			const mine = await get(contactClient, p);
			const none = await get(anon, p);
			expect({ p, status: mine.status, location: mine.location }).toEqual({
				p,
				status: none.status,
				location: none.location
			});
			expect(mine.status).toBe(303);
		}
		for (const p of apiGets) {
			const mine = await get(contactClient, p, 'application/json');
			const none = await get(anon, p, 'application/json');
			expect({ p, status: mine.status, body: mine.body }).toEqual({ p, status: none.status, body: none.body });
			expect(mine.status).toBe(401);
		}
		for (const p of ['/api/contacts/ann/password', '/api/contacts/ann/set-password-email']) {
			const res = await contactClient.postJson(p, { password: 'taken-over-1', idempotencyKey: 'portal-forged-0001' });
			expect(res.status, p).toBe(401);
		}
		// Even the token moved into the staff cookie's name opens nothing.
		const moved = new Client(server.url);
		moved.cookies.set('fieldbook_session', contactClient.cookies.get('fieldbook_portal')!);
		expect((await get(moved, '/api/session', 'application/json')).status).toBe(401);
	});

	it('a contact session cannot open /sync or /feed (upgrade 401), nor can its token under the staff cookie name', async () => {
		const contactClient = await signedIn('ann@acme.test');
		expect(await upgradeStatus(server, contactClient, 'portal-acme')).toBe(401);
		expect(await upgradeStatus(server, contactClient, null)).toBe(401);
		const moved = new Client(server.url);
		moved.cookies.set('fieldbook_session', contactClient.cookies.get('fieldbook_portal')!);
		expect(await upgradeStatus(server, moved, 'portal-acme')).toBe(401);
		expect(await upgradeStatus(server, moved, null)).toBe(401);
		// The staff session of the same test opens both: the refusal is about the kind of session.
		expect(await upgradeStatus(server, staff, 'portal-acme')).toBe(101);
	});

	it('a staff session is not signed in to the portal, and the portal never ends it', async () => {
		for (const p of ['/portal', '/portal/invoices', '/portal/support']) {
			expect((await get(staff, p)).status, p).toBe(303);
		}
		expect(await get(staff, '/portal')).toMatchObject({ location: '/portal/login' });
		const moved = new Client(server.url);
		moved.cookies.set('fieldbook_portal', staff.sessionToken!);
		expect(await isSignedOut(moved)).toBe(true);
		expect((await staff.postForm('/portal/logout', {})).status).toBe(303);
		expect((await get(staff, '/api/session', 'application/json')).status).toBe(200);
		// The sign-in page is open to a staff user like to anyone, and signs no one in by the staff cookie.
		expect((await get(staff, '/portal/login')).status).toBe(200);
	});
});

describe('[§2] sessions end when the sign-in no longer holds', () => {
	it('the contact deleted: its session ends at the next request', async () => {
		await contact('portal-acme', 'del', { firstName: 'Del', lastName: 'Eted', email: 'del@acme.test' });
		const c = await signedIn('del@acme.test');
		expect(await isSignedOut(c)).toBe(false);
		await edit('portal-acme', (d) => trashContact(d, 'del', Date.now()));
		expect(await isSignedOut(c)).toBe(true);
		expect(c.cookies.has('fieldbook_portal')).toBe(false);
		expect(query("SELECT 1 FROM portal_sessions WHERE contact_id = 'del'")).toEqual([]);
	});

	it("the contact's customer deleted: its session ends", async () => {
		await createCustomer(server, staff, 'portal-closing', { fields: { companyName: 'Closing AG' } });
		await contact('portal-closing', 'closer', { firstName: 'Clo', lastName: 'Ser', email: 'closer@acme.test' });
		const c = await signedIn('closer@acme.test');
		await edit('portal-closing', (d) => trashCustomer(d, authorId, Date.now()));
		expect(await isSignedOut(c)).toBe(true);
	});

	it("the contact's e-mail changed: its session ends (the new address signs in)", async () => {
		await contact('portal-acme', 'mover', { firstName: 'Mo', lastName: 'Ver', email: 'mover@acme.test' });
		const c = await signedIn('mover@acme.test');
		await edit('portal-acme', (d) => updateContact(d, 'mover', { email: 'moved@acme.test' }, authorId, Date.now()));
		expect(await isSignedOut(c)).toBe(true);
		expect((await portalLogin('mover@acme.test')).res.status).toBe(400);
		await signedIn('moved@acme.test');
	});

	it("the contact's password set again (by staff): every session ends; the new password signs in", async () => {
		await contact('portal-acme', 'pwc', { firstName: 'Pw', lastName: 'Change', email: 'pwc@acme.test' });
		const a = await signedIn('pwc@acme.test');
		const b = await signedIn('pwc@acme.test');
		await setPassword('pwc', 'portal-password-2');
		expect(await isSignedOut(a)).toBe(true);
		expect(await isSignedOut(b)).toBe(true);
		expect((await portalLogin('pwc@acme.test')).res.status).toBe(400);
		await signedIn('pwc@acme.test', 'portal-password-2');
	});

	it('an edit that does not touch the sign-in (a name) keeps the session', async () => {
		await contact('portal-acme', 'keep', { firstName: 'Kee', lastName: 'P', email: 'keep@acme.test' });
		const c = await signedIn('keep@acme.test');
		await edit('portal-acme', (d) => updateContact(d, 'keep', { firstName: 'Kept' }, authorId, Date.now()));
		const home = await get(c, '/portal');
		expect(home.status).toBe(200);
		expect(home.body).toContain('Kept P');
	});
});

describe('[§2] modules by permission, enforced by the server', () => {
	it('the menu shows only permitted modules; each permitted module shows an honest empty state', async () => {
		const c = await signedIn('ann@acme.test');
		const home = await get(c, '/portal');
		expect(home.body).toContain('href="/portal/invoices"');
		expect(home.body).toContain('href="/portal/support"');
		for (const p of ['estimates', 'contracts', 'proposals', 'projects'])
			expect(home.body).not.toContain(`/portal/${p}`);
		const invoices = await get(c, '/portal/invoices');
		expect(invoices.status).toBe(200);
		expect(invoices.body).toContain('No invoices yet.');
		expect((await get(c, '/portal/support')).body).toContain('No tickets yet.');
	});

	it('a module without the permission answers the same 404 as a missing page or id (status and body)', async () => {
		const c = await signedIn('ann@acme.test');
		const missing = await get(c, '/portal/no-such-page');
		expect(missing.status).toBe(404);
		expect(missing.body).toContain('This page does not exist.');
		for (const p of [
			'/portal/estimates',
			'/portal/projects',
			'/portal/estimates/0192f000-0000-7000-8000-000000000000',
			'/portal/contracts/1/print',
			'/portal/invoices/0192f000-0000-7000-8000-000000000000',
			'/portal/no-such-page/deeper'
		]) {
			const r = await get(c, p);
			expect({ p, status: r.status, body: r.body }).toEqual({ p, status: 404, body: missing.body });
		}
		// Not the staff app's error page, and nothing of the path or the error in the page.
		expect(missing.body).not.toContain('no-such-page');
		expect(missing.body).not.toContain('Not Found');
	});

	it('a permission changed by staff takes effect on the next request, both ways', async () => {
		await contact('portal-acme', 'perm', { firstName: 'Per', lastName: 'Mission', email: 'perm@acme.test' }, [
			'invoices'
		]);
		const c = await signedIn('perm@acme.test');
		expect((await get(c, '/portal/invoices')).status).toBe(200);
		expect((await get(c, '/portal/projects')).status).toBe(404);
		await edit('portal-acme', (d) =>
			updateContact(d, 'perm', { 'permissions.invoices': false, 'permissions.projects': true }, authorId, Date.now())
		);
		expect((await get(c, '/portal/invoices')).status).toBe(404);
		const projects = await get(c, '/portal/projects');
		expect(projects.status).toBe(200);
		expect(projects.body).toContain('No projects yet.');
		const home = await get(c, '/portal');
		expect(home.body).toContain('href="/portal/projects"');
		expect(home.body).not.toContain('/portal/invoices');
	});

	it("the portal speaks the contact's language, whatever the browser's language cookie says", async () => {
		await contact(
			'portal-acme',
			'de',
			{ firstName: 'Dora', lastName: 'Deutsch', email: 'dora@acme.test', language: 'de' },
			['invoices']
		);
		const c = await signedIn('dora@acme.test');
		c.cookies.set('PARAGLIDE_LOCALE', 'fr');
		const home = await get(c, '/portal');
		expect(home.body).toMatch(/<html[^>]* lang="de"/);
		expect(home.body).toContain('Willkommen, Dora Deutsch');
		expect(home.body).toContain('>Rechnungen<');
		expect((await get(c, '/portal/invoices')).body).toContain('Noch keine Rechnungen.');
		// A contact without a language gets the installation's default (English here).
		const ann = await signedIn('ann@acme.test');
		ann.cookies.set('PARAGLIDE_LOCALE', 'pl');
		expect((await get(ann, '/portal')).body).toMatch(/<html[^>]* lang="en"/);
	});
});

describe('[§2][§8] forgot password', () => {
	const mails = () =>
		query(
			"SELECT contact_id, to_email FROM outbox WHERE kind = 'set_password' AND idempotency_key LIKE 'set_password:portal:%' ORDER BY id"
		);

	it('queues a set-password mail for the contact, and answers an unknown address identically', async () => {
		const before = mails().length;
		const c = new Client(server.url);
		const known = await c.postForm('/portal/forgot', { email: 'Ann@Acme.test' });
		const knownBody = await known.text();
		expect(known.status).toBe(200);
		expect(knownBody).toContain('a link to set a new password is on its way');
		expect(mails().slice(before)).toEqual([{ contact_id: 'ann', to_email: 'ann@acme.test' }]);

		for (const email of ['nobody@acme.test', 'dup@acme.test', 'gone@acme.test']) {
			const unknown = await c.postForm('/portal/forgot', { email });
			expect(unknown.status).toBe(200);
			expect(await unknown.text()).toBe(knownBody);
		}
		expect(mails().length).toBe(before + 1);
	});

	it('refuses a malformed address at the field, and a foreign Origin outright', async () => {
		const c = new Client(server.url);
		const bad = await c.postForm('/portal/forgot', { email: 'not an address' });
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('Enter a valid e-mail address.');
		expect(
			(await c.postForm('/portal/forgot', { email: 'ann@acme.test' }, { origin: 'https://evil.example' })).status
		).toBe(403);
	});
});
