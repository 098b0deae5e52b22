/**
 * Rate limits on WebSocket upgrades (/sync and /feed), per client address and per user,
 * checked before a document is looked at (SPEC §8: a flood is slowed, the server and everyone
 * else carry on). Each upgrade costs a session lookup and may load a document; a client that
 * reconnects in a loop, or a script opening sockets, is refused with HTTP 429 until its
 * window ends. The defaults (config.ts) leave a browser with many tabs and flaky networks far
 * below them.
 */
import type { IncomingMessage } from 'node:http';
import { RateLimiter } from '../rate-limit.ts';

export interface UpgradeLimitOptions {
	perAddress: number;
	perUser: number;
	windowMs: number;
	/**
	 * The header a reverse proxy puts the client address in (adapter-node's ADDRESS_HEADER,
	 * so sign-in and upgrades count the same address); null: the socket's peer address.
	 */
	addressHeader: string | null;
	/** With X-Forwarded-For: how many proxies from the right are trusted (adapter-node's XFF_DEPTH). */
	xffDepth: number;
	now?: () => number;
}

export class UpgradeLimits {
	private readonly perAddress: RateLimiter;
	private readonly perUser: RateLimiter;

	constructor(private readonly opts: UpgradeLimitOptions) {
		this.perAddress = new RateLimiter(opts.perAddress, opts.windowMs, opts.now);
		this.perUser = new RateLimiter(opts.perUser, opts.windowMs, opts.now);
	}

	/** Counts an upgrade attempt from the request's address; false when the address is over its limit. */
	admitAddress(req: IncomingMessage): boolean {
		return admit(this.perAddress, clientAddress(req, this.opts.addressHeader, this.opts.xffDepth));
	}

	/** Counts an authenticated upgrade of `userId`; false when the user is over their limit. */
	admitUser(userId: string): boolean {
		return admit(this.perUser, userId);
	}
}

/** A refused attempt is not counted: a client that keeps trying is let in once its window ends. */
function admit(limiter: RateLimiter, key: string): boolean {
	if (limiter.retryAfter(key) > 0) return false;
	limiter.hit(key);
	return true;
}

/**
 * The address an upgrade comes from. Behind a proxy, the proxy's header (X-Forwarded-For:
 * the `depth`-th entry from the right, the last one a trusted proxy appended); a request
 * without it came past the proxy and counts under its peer address.
 */
export function clientAddress(req: IncomingMessage, header: string | null, depth: number): string {
	const peer = req.socket.remoteAddress ?? 'unknown';
	if (header === null) return peer;
	const raw = req.headers[header];
	const value = (Array.isArray(raw) ? raw.join(',') : raw)?.trim();
	if (!value) return peer;
	if (header !== 'x-forwarded-for') return value;
	const hops = value.split(',').map((s) => s.trim());
	return hops.length >= depth ? hops[hops.length - depth] || peer : peer;
}
