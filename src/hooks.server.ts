/**
 * The single door for identity: one handle reads the session cookie and sets typed
 * `locals.user`, guards staff pages, picks the language and adds security headers. Under
 * /portal only the contact's own cookie counts (`locals.contact`), and nowhere else.
 */
import { building } from '$app/environment';
import { error, redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getServerAsyncLocalStorage, isLocale, type Locale } from '$lib/paraglide/runtime';
import { isPortalPath, isPortalPublicPath, PORTAL_LOGIN_PATH, PORTAL_PATH } from '$lib/schema/portal';
import { getContext } from '$server/context';
import { clearPortalCookie, readPortalCookie, setPortalCookie } from '$server/portal/cookie';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '$lib/server/session-cookie';

/** Paths anyone may open; everything else needs a signed-in staff user. /set-password is a contact's link (e-mail). */
// /shell is the prerendered app shell (no data in it): the service worker caches it.
// /signed-out is where signing out offline lands (it holds no data).
const PUBLIC = ['/login', '/setup', '/set-password', '/language', '/api/session', '/shell', '/signed-out'];
const isPublic = (path: string) => PUBLIC.some((p) => path === p || path.startsWith(p + '/'));

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.contact = null;
	event.locals.portalSession = null;
	if (building) return resolve(event);
	if (isPortalPath(event.url.pathname)) return portal({ event, resolve });

	const token = readSessionCookie(event.cookies);
	if (token) {
		const found = getContext().auth.sessions.validate(token);
		if (found) {
			event.locals.user = found.user;
			event.locals.session = found.session;
			setSessionCookie(event.cookies, event.url, token, found.session.expiresAt); // sliding expiry
		} else {
			clearSessionCookie(event.cookies, event.url);
		}
	}

	if (!event.locals.user && !isPublic(event.url.pathname)) {
		if (event.url.pathname.startsWith('/api/')) error(401, 'Sign in first');
		const back = event.url.pathname + event.url.search;
		redirect(303, back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return resolve(event);
};

/**
 * The customer portal is a door of its own (issue #12): there only the contact's cookie is
 * read — a staff session is not a contact session — and everywhere else it is never read, so
 * a contact's session opens no staff page, API or socket (those get what no session gets).
 * Every request re-validates the session against the projection (server/portal/sessions.ts).
 */
const portal: Handle = async ({ event, resolve }) => {
	const token = readPortalCookie(event.cookies);
	if (token) {
		const found = getContext().portal.sessions.validate(token);
		if (found) {
			event.locals.contact = found.contact;
			event.locals.portalSession = found.session;
			setPortalCookie(event.cookies, event.url, token, found.session.expiresAt); // sliding expiry
		} else {
			clearPortalCookie(event.cookies, event.url);
		}
	}
	if (!event.locals.contact && !isPortalPublicPath(event.url.pathname)) {
		// Only a page is worth coming back to; a post (sign-out) is not repeated after sign-in.
		const back = event.request.method === 'GET' ? event.url.pathname + event.url.search : PORTAL_PATH;
		redirect(
			303,
			back === PORTAL_PATH ? PORTAL_LOGIN_PATH : `${PORTAL_LOGIN_PATH}?redirectTo=${encodeURIComponent(back)}`
		);
	}
	return resolve(event);
};

/** A signed-in contact reads the portal in their language, else the installation's (as their mail). */
function contactLocale(contact: App.Locals['contact']): Locale | null {
	if (!contact) return null;
	return isLocale(contact.language) ? contact.language : getContext().mail.templates.defaultLanguage();
}

/**
 * SvelteKit checks the Origin of form posts; JSON endpoints that change state check it too
 * (defence in depth beyond the CORS preflight, issue #9): a request from another origin, or
 * with no Origin at all, is refused before any handler runs.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const apiOrigin: Handle = async ({ event, resolve }) => {
	if (!SAFE_METHODS.has(event.request.method) && event.url.pathname.startsWith('/api/')) {
		if (event.request.headers.get('origin') !== event.url.origin) error(403, 'Cross-site request refused');
	}
	return resolve(event);
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		const own = contactLocale(event.locals.contact);
		const render = () =>
			resolve(event, {
				transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', own ?? locale)
			});
		const storage = own ? getServerAsyncLocalStorage() : undefined;
		const store = storage?.getStore();
		// The contact's language for every message of this request, whatever the browser asks.
		return storage && store ? storage.run({ ...store, locale: own! }, render) : render();
	});

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'same-origin');
	h.set('X-Frame-Options', 'DENY');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	h.set('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	return response;
};

export const handle = sequence(securityHeaders, apiOrigin, auth, i18n);
