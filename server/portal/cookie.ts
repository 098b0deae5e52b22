/**
 * The portal session cookie: HttpOnly, SameSite=Lax, Secure over https, like the staff one,
 * but under its own name and with Path=/portal, so a browser never even sends it to the staff
 * app, its API or its sockets (the server ignores it there anyway: src/hooks.server.ts).
 */
import type { Cookies } from '@sveltejs/kit';
import { PORTAL_PATH } from '../../src/lib/schema/portal.ts';
import { PORTAL_SESSION_COOKIE } from './sessions.ts';

const options = (url: URL) => ({
	path: PORTAL_PATH,
	httpOnly: true,
	sameSite: 'lax' as const,
	secure: url.protocol === 'https:'
});

export function setPortalCookie(cookies: Cookies, url: URL, token: string, expiresAt: number): void {
	cookies.set(PORTAL_SESSION_COOKIE, token, { ...options(url), expires: new Date(expiresAt) });
}

export function clearPortalCookie(cookies: Cookies, url: URL): void {
	cookies.delete(PORTAL_SESSION_COOKIE, options(url));
}

export function readPortalCookie(cookies: Cookies): string | undefined {
	return cookies.get(PORTAL_SESSION_COOKIE);
}
