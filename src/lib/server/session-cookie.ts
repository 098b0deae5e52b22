import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$server/sessions';

/** HttpOnly, SameSite=Lax; Secure whenever the app is reached over https. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: number): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: new Date(expiresAt)
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}

export function readSessionCookie(cookies: Cookies): string | undefined {
	return cookies.get(SESSION_COOKIE);
}
