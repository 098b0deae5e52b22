/** The server process itself: configuration, first start, PUBLIC_URL, graceful shutdown. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { ADMIN, runToExit, startServer } from './helpers/server.ts';

describe('configuration', () => {
	it.each([
		[{ PORT: 'abc' }, 'PORT'],
		[{ PORT: '70000' }, 'PORT'],
		[{ PUBLIC_URL: 'crm.example.com' }, 'PUBLIC_URL'],
		[{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
		[{ ADMIN_EMAIL: 'admin@example.com' }, 'ADMIN_PASSWORD'], // the one missing
		[{ ADMIN_PASSWORD: 'admin-password' }, 'ADMIN_EMAIL']
	])('a bad value stops start-up with a message naming the variable (%o)', async (env, name) => {
		const { code, output } = await runToExit({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fb-cfg-')), ...env });
		expect(code).toBe(1);
		expect(output).toContain(`Fieldbook cannot start: ${name}`);
	});
});

describe('first start', () => {
	it('without ADMIN_EMAIL prints a one-time set-up link that creates the first admin once', async () => {
		const server = await startServer({}, { admin: false });
		try {
			const link = /(http:\S+\/setup\?token=[a-z0-9]+)/.exec(server.output())![1];
			expect(server.output()).not.toMatch(/password[:=]/i);
			const c = new Client(server.url);
			const page = await c.request(link);
			expect(await page.text()).toContain('Create the first admin account');
			const token = new URL(link).searchParams.get('token')!;
			const res = await c.postForm(`/setup?token=${token}`, {
				token,
				name: 'Ada Admin',
				email: 'ada@example.com',
				password: 'ada-password'
			});
			expect(res.status).toBe(303);
			expect(c.sessionToken).toBeDefined();
			// Used once: the same link cannot make a second admin.
			const again = await new Client(server.url).postForm(`/setup?token=${token}`, {
				token,
				name: 'Mallory',
				email: 'mallory@example.com',
				password: 'mallory-password'
			});
			expect(again.status).toBe(410);
			expect((await new Client(server.url).login('mallory@example.com', 'mallory-password')).status).toBe(400);
			expect((await new Client(server.url).login('ada@example.com', 'ada-password')).status).toBe(303);
		} finally {
			await server.stop();
		}
	});
});

describe('PUBLIC_URL behind a TLS proxy', () => {
	it('trusts form posts from the public origin, marks the cookie Secure, and checks socket origins against it', async () => {
		const server = await startServer({ PUBLIC_URL: 'https://crm.example.com', LOGIN_MAX_PER_ADDRESS: '1000' });
		try {
			expect(server.origin).toBe('https://crm.example.com');
			const viaProxy = new Client(server.url, server.origin);
			const res = await viaProxy.postForm('/login', { email: ADMIN.email, password: ADMIN.password });
			expect(res.status).toBe(303);
			expect(res.headers.getSetCookie().find((c) => c.startsWith('fieldbook_session='))).toMatch(/Secure/);
			const direct = new Client(server.url, new URL(server.url).origin);
			expect((await direct.postForm('/login', { email: ADMIN.email, password: ADMIN.password })).status).toBe(403);
		} finally {
			await server.stop();
		}
	});
});

describe('graceful shutdown', () => {
	it('on SIGTERM stops accepting, flushes, closes the database, and exits 0', async () => {
		const server = await startServer({}, {});
		const c = new Client(server.url);
		expect((await c.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const dbFile = path.join(server.dataDir, 'fieldbook.sqlite');
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-copy-'));
		const code = await new Promise<number | null>((resolve) => {
			server.proc.once('exit', (c) => resolve(c));
			server.proc.kill('SIGTERM');
		});
		expect(code).toBe(0);
		// A clean close checkpoints the WAL: the main file alone holds every row.
		fs.copyFileSync(dbFile, path.join(dataDir, 'copy.sqlite'));
		const db = new Database(path.join(dataDir, 'copy.sqlite'), { readonly: true });
		expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
		expect((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBeGreaterThan(0);
		db.close();
		await server.stop();
	});
});
