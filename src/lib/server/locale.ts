import type { Cookies } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';

/** The language cookie Paraglide reads on both sides; it is not secret, so not HttpOnly. */
export function setLocaleCookie(cookies: Cookies, locale: string): locale is Locale {
	if (!isLocale(locale)) return false;
	cookies.set(cookieName, locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: cookieMaxAge });
	return true;
}
