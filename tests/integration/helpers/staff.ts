/** Staff accounts and feed pushes for tests that act as several users on the real server. */
import { expect } from 'vitest';
import { FeedMsg } from '../../../src/lib/schema/protocol.ts';
import type { FeedMessage } from '../../../src/lib/schema/feed-protocol.ts';
import { FeedClient } from './feed.ts';
import { Client } from './http.ts';
import { ADMIN, startServer, type TestServer } from './server.ts';
import { until } from './sync.ts';

/** Creates a staff account (through the admin's Staff page) and signs it in. */
export async function staffUser(
	server: TestServer,
	admin: Client,
	email: string,
	password = 'staff-password-1'
): Promise<Client> {
	const res = await admin.postForm('/admin/staff?/create', {
		name: email.split('@')[0],
		email,
		role: 'staff',
		password
	});
	expect(res.status).toBe(200);
	const c = new Client(server.url);
	expect((await c.login(email, password)).status).toBe(303);
	return c;
}

/** A server with its admin and two staff users, Alice and Bob, signed in. */
export interface StaffServer {
	server: TestServer;
	admin: Client;
	alice: Client;
	bob: Client;
}

/**
 * Starts the real server (many sign-ins from one address allowed: every test user signs in
 * from here), signs its admin in and adds alice@example.com and bob@example.com as staff.
 */
export async function startWithStaff(env: Record<string, string> = {}): Promise<StaffServer> {
	const server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', ...env });
	try {
		const admin = new Client(server.url);
		expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const alice = await staffUser(server, admin, 'alice@example.com');
		const bob = await staffUser(server, admin, 'bob@example.com');
		return { server, admin, alice, bob };
	} catch (e) {
		await server.stop(); // the caller's afterAll has no server to stop yet
		throw e;
	}
}

/** Pushes one update over a feed; resolves with the refusal, or null when it was acknowledged. */
export async function push(
	feed: FeedClient,
	doc: string,
	update: Uint8Array
): Promise<Extract<FeedMessage, { type: typeof FeedMsg.refused }> | null> {
	const acks = feed.of(FeedMsg.ack).length;
	const refusals = feed.of(FeedMsg.refused).length;
	feed.send({ type: FeedMsg.push, doc, update });
	await until(
		() => feed.of(FeedMsg.ack).length > acks || feed.of(FeedMsg.refused).length > refusals,
		5000,
		`answer to push of ${doc}`
	);
	return feed.of(FeedMsg.refused).slice(refusals)[0] ?? null;
}
