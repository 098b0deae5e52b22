/**
 * Servers a test starts, stops and starts again on the same data (kill -9 and restart tests),
 * signed-in admins and document sockets on them, all closed after each test.
 */
import { afterEach, expect } from 'vitest';
import { Client } from './http.ts';
import { ADMIN, startServer, type TestServer } from './server.ts';
import { connect, type SyncClient } from './sync.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
	while (cleanup.length) await cleanup.pop()!();
});

/** A server whose data stays when it stops (`dataDir`: the data of an earlier one). */
export async function boot(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
	const server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', ...env }, { dataDir, keepData: true });
	cleanup.push(() => server.stop());
	return server;
}

export async function signIn(server: TestServer): Promise<Client> {
	const c = new Client(server.url);
	expect((await c.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	return c;
}

export function open(server: TestServer, client: Client, room: string): SyncClient {
	const s = connect(server, client, room);
	cleanup.push(() => s.destroy());
	return s;
}
