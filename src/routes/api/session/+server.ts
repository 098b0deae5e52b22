import { json } from '@sveltejs/kit';
import { parseCredentials } from '$lib/schema/staff';
import { readJson } from '$lib/server/form';
import { setLocaleCookie } from '$lib/server/locale';
import { clearSessionCookie, setSessionCookie } from '$lib/server/session-cookie';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/**
 * JSON sign-in for the app's own scripts (signing in again when a session expired while
 * offline, without leaving the page and its unsaved state). Same rules as the form.
 */
export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress, locals }) => {
	const body = await readJson(request);
	if (body === undefined) return json({ error: 'invalid_json' }, { status: 400 });
	const parsed = parseCredentials(body);
	if (!parsed.ok) return json({ error: 'invalid_input', fields: parsed.errors }, { status: 400 });
	const { auth } = getContext();
	const result = await auth.login(parsed.value, getClientAddress());
	if (!result.ok) {
		if (result.reason === 'rate_limited') {
			const seconds = Math.ceil(result.retryAfterMs / 1000);
			return json({ error: 'rate_limited' }, { status: 429, headers: { 'Retry-After': String(seconds) } });
		}
		return json({ error: 'invalid_credentials' }, { status: 401 });
	}
	if (locals.session) auth.logout(locals.session.id);
	setSessionCookie(cookies, url, result.token, result.session.expiresAt);
	if (result.user.locale) setLocaleCookie(cookies, result.user.locale);
	const { id, name, email, role, locale } = result.user;
	return json({ user: { id, name, email, role, locale } });
};

export const GET: RequestHandler = ({ locals }) => {
	if (!locals.user) return json({ user: null }, { status: 401 });
	const { id, name, email, role, locale } = locals.user;
	return json({ user: { id, name, email, role, locale } });
};

export const DELETE: RequestHandler = ({ locals, cookies, url }) => {
	if (locals.session) getContext().auth.logout(locals.session.id);
	clearSessionCookie(cookies, url);
	return new Response(null, { status: 204 });
};
