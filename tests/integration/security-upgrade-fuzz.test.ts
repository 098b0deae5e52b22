/**
 * Rule (issue #9, README "Security"): nothing a client sends — request target, any header,
 * before or after authentication — can throw out of a request or upgrade handler; that
 * request gets 400 (or another refusal) and everyone else carries on.
 *
 * A seeded fuzz of the upgrade request itself (target, Cookie, Origin, Host, Sec-WebSocket-*
 * headers; over 1,000 requests, the two that used to stop the process among them) sent as
 * raw bytes over TCP to the real server process, while an honest client keeps editing and
 * measuring its edit→acknowledgement time. Afterwards the process is still up, the honest
 * client's edits are all stored, and its p99 stayed under 100 ms. Replay with FUZZ_SEED=<n>.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { honestEditor, loopDelay, resetLoopDelay } from './helpers/honest.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until } from './helpers/sync.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1200);
const PARALLEL = 16;

let server: TestServer;
let admin: Client;

beforeAll(async () => {
	// The fuzz comes from one address: raise the per-address limits so requests reach the
	// code under test rather than the rate limiter (which has its own tests).
	server = await startServer({
		SYNC_UPGRADES_PER_ADDRESS: '100000',
		SYNC_UPGRADES_PER_USER: '100000',
		LOGIN_MAX_PER_ADDRESS: '10000'
	});
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
});
afterAll(async () => {
	if (server && server.proc.exitCode !== null) console.log(`server exited:\n${server.output()}`);
	await server?.stop();
});

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const garbage = (rng: Rng, n: number) =>
	Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256))).toString('latin1');

/** One request as raw bytes (an upgrade, or 1 in 4 a plain request), every part drawn from what a hostile client might send. */
function request(rng: Rng, honest: { cookie: string; origin: string; host: string; doc: string }): Buffer {
	const plain = rng() < 0.25;
	const method = plain ? pick(rng, ['GET', 'POST', 'HEAD', 'PUT', 'OPTIONS']) : 'GET';
	const target = pick(rng, [
		'/',
		'/login',
		'/api/session',
		'//[/x',
		'///',
		'/customers/x?%E0',
		`/sync/${honest.doc}`,
		'/feed',
		`/sync/${honest.doc}?ack=1`,
		'http://[/sync/x',
		'http://[/feed',
		`http://${honest.host}/sync/${honest.doc}`,
		'//evil/sync/x',
		'/sync/%E0%A4%A',
		'/sync/%',
		'/sync/../../etc/passwd',
		'/sync/' + 'a'.repeat(70),
		'/sync/x?ack=%zz&ack=1',
		'*',
		'/sync/\u00e9\u00e8',
		'/feed?x=' + '%'.repeat(30),
		'/sync/' + garbage(rng, 8).replace(/[\s\r\n]/g, 'x'),
		'x'.repeat(9000)
	]);
	const headers: [string, string][] = [];
	const maybe = (p: number, name: string, value: () => string) => {
		if (rng() < p) headers.push([name, value()]);
	};
	maybe(0.95, 'Host', () =>
		rng() < 0.7
			? honest.host
			: pick(rng, ['[', '', 'a'.repeat(300), '[::1', 'evil.example:99999', garbage(rng, 6).replace(/[\r\n]/g, '')])
	);
	if (!plain) {
		maybe(0.95, 'Upgrade', () => pick(rng, ['websocket', 'WebSocket', 'h2c', '']));
		maybe(0.95, 'Connection', () => pick(rng, ['Upgrade', 'upgrade, keep-alive', 'close']));
	} else {
		headers.push(['Connection', 'close']);
		maybe(0.3, 'Accept', () => pick(rng, ['application/json', 'text/html', '*/*', '']));
		maybe(0.3, 'Accept-Language', () => pick(rng, ['de', 'xx-%E0', ',,;q=abc', 'a'.repeat(500)]));
	}
	maybe(0.85, 'Cookie', () =>
		pick(rng, [
			'fieldbook_session=%E0%A4%A',
			'fieldbook_session=%',
			`fieldbook_session=${honest.cookie}`,
			`fieldbook_session="${honest.cookie}"`,
			`a=%E0; fieldbook_session=${honest.cookie}`,
			'fieldbook_session=',
			'=;;;=',
			'fieldbook_session=' + 'z'.repeat(4000),
			'fieldbook_session=' + garbage(rng, 32).replace(/[\r\n;]/g, 'q'),
			`fieldbook_session=${honest.cookie}; fieldbook_session=%E0%A4%A`
		])
	);
	maybe(0.9, 'Origin', () =>
		rng() < 0.6
			? honest.origin
			: pick(rng, [
					'null',
					'http://evil.example',
					'',
					'%E0%A4%A',
					honest.origin + '/',
					garbage(rng, 5).replace(/[\r\n]/g, '')
				])
	);
	maybe(0.95, 'Sec-WebSocket-Key', () =>
		rng() < 0.7 ? 'dGhlIHNhbXBsZSBub25jZQ==' : pick(rng, ['short', '', '!!!!!!!!!!!!!!!!!!!!!!==', 'a'.repeat(200)])
	);
	maybe(0.95, 'Sec-WebSocket-Version', () =>
		rng() < 0.7 ? '13' : pick(rng, ['8', 'abc', '', '13, 8', '99999999999999999999'])
	);
	maybe(0.4, 'Sec-WebSocket-Extensions', () =>
		pick(rng, [
			'permessage-deflate; client_max_window_bits',
			'permessage-deflate; client_max_window_bits=99',
			'permessage-deflate; server_max_window_bits=0',
			';;;,,,',
			'permessage-deflate, permessage-deflate',
			'x-unknown; a="b'
		])
	);
	maybe(0.3, 'Sec-WebSocket-Protocol', () => pick(rng, ['', ',,', 'a b', 'chat, chat', '"quoted"']));
	maybe(0.2, 'X-Forwarded-For', () => pick(rng, ['', ',,,', '1.2.3.4, %E0', garbage(rng, 10).replace(/[\r\n]/g, '')]));
	if (rng() < 0.1) headers.push(['Cookie', 'fieldbook_session=%E0%A4%A']); // a second Cookie header
	const head = `${method} ${target} HTTP/1.1\r\n` + headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
	return Buffer.from(head, 'latin1');
}

/** Sends raw bytes and resolves with the status line (or what happened) once the server answers or closes. */
function send(port: number, bytes: Buffer): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		const done = (what: string) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(what);
		};
		const timer = setTimeout(() => done(answer ? answer.split('\r\n')[0] : 'no answer'), 2000);
		socket.on('error', () => done(answer ? answer.split('\r\n')[0] : 'reset'));
		socket.on('data', (d) => {
			answer += d.toString('latin1');
			// An accepted upgrade stays open: the status line is all we wait for.
			if (answer.includes('\r\n')) done(answer.split('\r\n')[0]);
		});
		socket.on('close', () => done(answer ? answer.split('\r\n')[0] : 'closed'));
		socket.write(bytes);
	});
}

describe('[§8] nothing a client sends can stop the server', () => {
	it('the two requests that used to stop the process get 400 and the process carries on', async () => {
		const port = Number(new URL(server.url).port);
		const upgrade =
			'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';
		const host = `Host: ${new URL(server.url).host}\r\n`;
		const origin = `Origin: ${server.origin}\r\n`;
		const badCookie = await send(
			port,
			Buffer.from(`GET /sync/x HTTP/1.1\r\n${host}${origin}${upgrade}Cookie: fieldbook_session=%E0%A4%A\r\n\r\n`)
		);
		expect(badCookie).toMatch(/^HTTP\/1\.1 401/); // read tolerantly: simply no valid session
		const badTarget = await send(port, Buffer.from(`GET http://[/sync/x HTTP/1.1\r\n${host}${origin}${upgrade}\r\n`));
		expect(badTarget).toMatch(/^HTTP\/1\.1 400/);
		// The same malformed target and cookie on plain HTTP requests.
		const page = await send(
			port,
			Buffer.from(`GET http://[/login HTTP/1.1\r\n${host}Cookie: fieldbook_session=%E0%A4%A\r\n\r\n`)
		);
		expect(page).toMatch(/^HTTP\/1\.1 400/);
		const slashes = await send(
			port,
			Buffer.from(`GET //[/sync/x HTTP/1.1\r\n${host}Cookie: fieldbook_session=%E0%A4%A\r\n\r\n`)
		);
		expect(slashes).toMatch(/^HTTP\/1\.1 400/);
		const badHost = await send(port, Buffer.from(`GET /login HTTP/1.1\r\nHost: [\r\n\r\n`));
		expect(badHost).toMatch(/^HTTP\/1\.1 400/);
		const cookiePage = await send(
			port,
			Buffer.from(`GET /login HTTP/1.1\r\n${host}Cookie: fieldbook_session=%E0%A4%A\r\n\r\n`)
		);
		expect(cookiePage).toMatch(/^HTTP\/1\.1 200/);
		expect(server.proc.exitCode).toBeNull();
		expect(server.output()).not.toContain('unhandled rejection');
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
	});

	it(
		`${REQUESTS.toLocaleString('en')} fuzzed upgrade requests (seed ${SEED}): the server stays up, an honest client keeps syncing, the server's event-loop delay p99 < 100 ms`,
		{ timeout: 240_000 },
		async () => {
			const rec = await createCustomer(server, admin, 'upgrade-fuzz-honest', { access: 'public-write' });
			const honest = await honestEditor(server, admin, rec.name, rec.update);
			await resetLoopDelay(admin);
			const url = new URL(server.url);
			const target = { cookie: admin.sessionToken!, origin: server.origin, host: url.host, doc: rec.name };
			const rng = mulberry32(SEED);
			const requests = Array.from({ length: REQUESTS }, () => request(rng, target));
			const answers = new Map<string, number>();
			let next = 0;
			await Promise.all(
				Array.from({ length: PARALLEL }, async () => {
					while (next < requests.length) {
						const bytes = requests[next++];
						const answer = (await send(Number(url.port), bytes)).replace(/^(HTTP\/1\.1 \d+).*/, '$1');
						if (answer === 'no answer' && process.env.FUZZ_TRACE) console.log(JSON.stringify(bytes.toString('latin1')));
						answers.set(answer, (answers.get(answer) ?? 0) + 1);
					}
				})
			);
			await honest.stop();
			const lag = await loopDelay(admin);
			console.log(
				`upgrade fuzz (seed ${SEED}): ${REQUESTS} requests → ${[...answers].map(([a, n]) => `${a}: ${n}`).join(', ')}; ` +
					`server event-loop delay p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms; ` +
					`honest edits ${honest.acked()}, edit→ack p50 ${honest.percentile(50).toFixed(1)} ms, p99 ${honest.percentile(99).toFixed(1)} ms`
			);
			expect(server.proc.exitCode).toBeNull();
			expect(server.output()).not.toContain('unhandled rejection');
			// Every request got an HTTP answer (or was accepted and closed by us): none hung the server.
			for (const a of answers.keys()) expect(a).toMatch(/^HTTP\/1\.1 [1-4]\d\d$|^(closed|reset)$/);
			expect(answers.get('HTTP/1.1 400') ?? 0).toBeGreaterThan(0);
			expect(honest.acked()).toBeGreaterThan(20);
			// What honest clients wait behind: the server's event loop (their edit→ack times above
			// also hold this test process's own scheduling, busy fuzzing).
			expect(lag.samples).toBeGreaterThan(50);
			expect(lag.p99).toBeLessThan(100);

			// Afterwards a fresh client syncs the honest edits.
			const late = connect(server, admin, rec.name);
			await until(
				() =>
					late.provider.synced && late.doc.getMap('customer').get('city') === honest.doc.getMap('customer').get('city')
			);
			late.destroy();
		}
	);

	it('malformed request bodies on every form and JSON endpoint get a 4xx, never a 500', async () => {
		const paths = [
			'/login',
			'/setup?token=x',
			'/set-password?/set',
			'/set-password?/renew',
			'/language',
			'/api/session',
			'/api/contacts/x/password',
			'/api/contacts/x/set-password-email',
			'/admin/staff?/create',
			'/admin/staff?/resetPassword',
			'/admin/email?/retry',
			'/portal/login',
			'/portal/forgot',
			'/logout' // last: it ends the signed-in client's session
		];
		const bodies: [string, string][] = [
			['multipart/form-data', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--'],
			['multipart/form-data; boundary=x', 'garbage'],
			['application/x-www-form-urlencoded', '%E0%A4%A=%&email=%ZZ&password=%'],
			['application/json', '{"email":'],
			['application/json', '[]'],
			['text/plain', '\u0000\u0001'],
			['application/x-www-form-urlencoded', 'email=' + 'a'.repeat(2_000_000)]
		];
		const signedIn = new Client(server.url);
		expect((await signedIn.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const failures: string[] = [];
		for (const client of [new Client(server.url), signedIn]) {
			for (const path of paths) {
				for (const [type, body] of bodies) {
					const res = await client.request(path, { method: 'POST', headers: { 'content-type': type }, body });
					if (res.status >= 500) failures.push(`${res.status} ${path} ${type}`);
				}
			}
		}
		expect(failures).toEqual([]);
		expect(server.proc.exitCode).toBeNull();
		expect(server.output()).not.toContain('unhandled rejection');
	});
});
