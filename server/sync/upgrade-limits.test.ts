import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, UpgradeLimits, type UpgradeLimitOptions } from './upgrade-limits.ts';

/** Just what the limiter reads of an upgrade request. */
function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
	return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

function limits(opts: Partial<UpgradeLimitOptions> = {}) {
	let t = 1_000_000;
	const l = new UpgradeLimits({
		perAddress: 5,
		perUser: 3,
		windowMs: 60_000,
		addressHeader: null,
		xffDepth: 1,
		now: () => t,
		...opts
	});
	return { l, advance: (ms: number) => (t += ms) };
}

describe('UpgradeLimits', () => {
	it('[§8] admits `perAddress` upgrades from one address per window, other addresses untouched', () => {
		const { l, advance } = limits();
		for (let i = 0; i < 5; i++) expect(l.admitAddress(request('10.0.0.1'))).toBe(true);
		expect(l.admitAddress(request('10.0.0.1'))).toBe(false);
		expect(l.admitAddress(request('10.0.0.2'))).toBe(true);
		advance(60_000);
		expect(l.admitAddress(request('10.0.0.1'))).toBe(true);
	});

	it('[§8] admits `perUser` upgrades per user per window, whatever the address', () => {
		const { l, advance } = limits();
		for (let i = 0; i < 3; i++) expect(l.admitUser('ana')).toBe(true);
		expect(l.admitUser('ana')).toBe(false);
		expect(l.admitUser('bea')).toBe(true);
		advance(59_999);
		expect(l.admitUser('ana')).toBe(false);
		advance(1);
		expect(l.admitUser('ana')).toBe(true);
	});

	it('does not count refused attempts: a client retrying in a loop gets in when its window ends', () => {
		const { l, advance } = limits({ perUser: 1 });
		expect(l.admitUser('ana')).toBe(true);
		for (let i = 0; i < 100; i++) expect(l.admitUser('ana')).toBe(false);
		advance(60_000);
		expect(l.admitUser('ana')).toBe(true);
	});

	it('counts the address a trusted proxy reports (ADDRESS_HEADER), as sign-in does', () => {
		const { l } = limits({ addressHeader: 'x-forwarded-for', perAddress: 1 });
		const proxy = '127.0.0.1';
		expect(l.admitAddress(request(proxy, { 'x-forwarded-for': '203.0.113.7' }))).toBe(true);
		expect(l.admitAddress(request(proxy, { 'x-forwarded-for': '203.0.113.8' }))).toBe(true);
		expect(l.admitAddress(request(proxy, { 'x-forwarded-for': '203.0.113.7' }))).toBe(false);
	});
});

describe('clientAddress', () => {
	it('is the peer address without a configured header', () => {
		expect(clientAddress(request('10.1.2.3', { 'x-forwarded-for': '1.1.1.1' }), null, 1)).toBe('10.1.2.3');
	});

	it('takes the XFF_DEPTH-th entry from the right of X-Forwarded-For (entries to its left are the client’s say)', () => {
		const req = request('10.0.0.1', { 'x-forwarded-for': 'forged, 203.0.113.7, 10.0.0.9' });
		expect(clientAddress(req, 'x-forwarded-for', 1)).toBe('10.0.0.9');
		expect(clientAddress(req, 'x-forwarded-for', 2)).toBe('203.0.113.7');
		expect(clientAddress(req, 'x-forwarded-for', 4)).toBe('10.0.0.1'); // fewer hops than proxies
	});

	it('takes another header as it stands, and the peer when the header is missing', () => {
		expect(clientAddress(request('10.0.0.1', { 'x-real-ip': '203.0.113.7' }), 'x-real-ip', 1)).toBe('203.0.113.7');
		expect(clientAddress(request('10.0.0.1'), 'x-real-ip', 1)).toBe('10.0.0.1');
	});
});
