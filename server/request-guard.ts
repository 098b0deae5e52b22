/**
 * What a request must look like before any handler sees it (issue #9: nothing a client sends
 * may throw out of a handler and stop the process). SvelteKit and adapter-node build URLs
 * from the request target and the Host header; some malformed values made them throw where
 * nothing caught it (an unhandled rejection stops Node). Such requests get 400 here: the
 * target must be origin form (`/path?query`) or a valid absolute form (rewritten to origin
 * form), never `//…`; the Host header, when present, a host name or address with a port.
 */
import type { IncomingMessage } from 'node:http';

const MAX_TARGET = 8192;
const HOST_RE =
	/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** The target's path and query, or null when it does not parse. Never throws. */
export function parseTarget(
	raw: string | undefined
): { pathname: string; params: URLSearchParams; originForm: string } | null {
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_TARGET) return null;
	if (raw.startsWith('//')) return null;
	if (!raw.startsWith('/') && !/^https?:\/\//i.test(raw)) return null;
	try {
		const url = raw.startsWith('/') ? new URL(raw, 'http://x') : new URL(raw);
		if (url.pathname.startsWith('//')) return null;
		decodeURI(url.pathname); // what SvelteKit's router does: an invalid escape throws there
		decodeURIComponent(url.search.replace(/\+/g, ' '));
		return { pathname: url.pathname, params: url.searchParams, originForm: url.pathname + url.search };
	} catch {
		return null;
	}
}

export function isValidHost(host: string | undefined): boolean {
	return host === undefined || (host.length <= 300 && HOST_RE.test(host));
}

/**
 * Checks a request before any handler runs; rewrites an absolute-form target to origin form.
 * Returns null when it may go on, else the status to answer with.
 */
export function screenRequest(req: IncomingMessage): number | null {
	if (!isValidHost(req.headers.host)) return 400;
	const target = parseTarget(req.url);
	if (!target) return req.url && req.url.length > MAX_TARGET ? 414 : 400;
	if (req.url !== target.originForm && !req.url!.startsWith('/')) req.url = target.originForm;
	return null;
}
