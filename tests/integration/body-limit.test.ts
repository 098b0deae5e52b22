/**
 * [§8] A request body over the server's limit (adapter-node's BODY_SIZE_LIMIT, 512 KB by
 * default; issue #14 item 10) on the real server process: a form post to a page gets 413 and a
 * readable page in the user's language (cookie, else Accept-Language), a JSON API a JSON error,
 * whether the size was declared (Content-Length) or only found while reading (chunked) — and
 * the server goes on serving the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

const OVER = 600 * 1024;
const TEXT = {
	en: 'What was sent is too large for the server.',
	de: 'Das Gesendete ist zu groß für den Server.',
	fr: "L'envoi est trop volumineux pour le serveur."
};

let server: TestServer;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
});
afterAll(async () => {
	await server?.stop();
});

function bigForm(field: string): string {
	return new URLSearchParams({ email: 'someone@example.com', [field]: 'x'.repeat(OVER) }).toString();
}

/** A body sent in chunks with no Content-Length: the limit is only found while reading it. */
function chunked(body: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(body);
	let at = 0;
	return new ReadableStream({
		pull(c) {
			if (at >= bytes.length) return c.close();
			c.enqueue(bytes.subarray(at, at + 64 * 1024));
			at += 64 * 1024;
		}
	});
}

async function send(
	path: string,
	init: { body: string | ReadableStream<Uint8Array>; type: string; headers?: Record<string, string>; client?: Client }
): Promise<{ status: number; type: string; text: string }> {
	const client = init.client ?? new Client(server.url);
	const res = await client.request(path, {
		method: 'POST',
		headers: { 'content-type': init.type, accept: 'text/html', ...init.headers },
		body: init.body,
		...(typeof init.body === 'string' ? {} : { duplex: 'half' })
	} as RequestInit);
	return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const FORM = 'application/x-www-form-urlencoded';

describe('[§8] oversized request bodies', () => {
	it("a form post to a page: 413 and a page in the user's language (Accept-Language, then the cookie)", async () => {
		const de = await send('/login', { body: bigForm('password'), type: FORM, headers: { 'accept-language': 'de' } });
		expect(de.status).toBe(413);
		expect(de.type).toMatch(/^text\/html/);
		expect(de.text).toContain(TEXT.de);
		expect(de.text).toContain('<html lang="de"');

		const fr = await send('/login', {
			body: bigForm('password'),
			type: FORM,
			headers: { 'accept-language': 'de', cookie: 'PARAGLIDE_LOCALE=fr' }
		});
		expect(fr.status).toBe(413);
		expect(fr.text).toContain(TEXT.fr);
		expect(fr.text).not.toContain(TEXT.de);
	});

	it('the same when the size shows only while reading (chunked), on customer-facing forms too', async () => {
		const portal = await send('/portal/login', {
			body: chunked(bigForm('password')),
			type: FORM,
			headers: { 'accept-language': 'en' }
		});
		expect(portal.status).toBe(413);
		expect(portal.type).toMatch(/^text\/html/);
		expect(portal.text).toContain(TEXT.en);

		const multipart = new FormData();
		multipart.set('token', 'x');
		multipart.set('password', 'y'.repeat(OVER));
		const body = new Response(multipart);
		const setPw = await send('/set-password?/set', {
			body: await body.text(),
			type: body.headers.get('content-type')!,
			headers: { 'accept-language': 'fr' }
		});
		expect(setPw.status).toBe(413);
		expect(setPw.text).toContain(TEXT.fr);

		const forgot = await send('/portal/forgot', { body: bigForm('email'), type: FORM });
		expect(forgot.status).toBe(413);
		expect(forgot.text).toContain(TEXT.en);
	});

	it('a JSON API answers a JSON error', async () => {
		const signIn = await send('/api/session', {
			body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(OVER) }),
			type: 'application/json',
			headers: { accept: 'application/json' }
		});
		expect(signIn.status).toBe(413);
		expect(signIn.type).toMatch(/^application\/json/);
		expect(JSON.parse(signIn.text)).toEqual({ message: expect.any(String) });

		const admin = new Client(server.url);
		expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const password = await send('/api/contacts/nobody/password', {
			client: admin,
			body: chunked(JSON.stringify({ password: 'x'.repeat(OVER) })),
			type: 'application/json',
			headers: { accept: 'application/json' }
		});
		expect(password.status).toBe(413);
		expect(password.type).toMatch(/^application\/json/);
	});

	it('never a crash: the server serves the next request, and a normal post still works', async () => {
		for (let i = 0; i < 3; i++) {
			expect((await send('/login', { body: bigForm('email'), type: FORM })).status).toBe(413);
		}
		expect((await new Client(server.url).request('/login')).status).toBe(200);
		expect((await new Client(server.url).login(ADMIN.email, ADMIN.password)).status).toBe(303);
		expect(server.output()).not.toMatch(/unhandled|request failed/i);
	});
});
