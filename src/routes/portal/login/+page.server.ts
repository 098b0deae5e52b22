import { fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/schema/fields';
import { isPortalPath, PORTAL_LOGIN_PATH, PORTAL_LOGOUT_PATH, PORTAL_PATH } from '$lib/schema/portal';
import { parseCredentials } from '$lib/schema/staff';
import { readForm, safeRedirect } from '$lib/server/form';
import { getContext } from '$server/context';
import { setPortalCookie } from '$server/portal/cookie';
import type { Actions, PageServerLoad } from './$types';

/** Where to go after sign-in: a portal path the contact asked for, else the portal's home. */
function target(url: URL): string {
	const to = safeRedirect(url.searchParams.get('redirectTo'), PORTAL_PATH);
	const path = to.split(/[?#]/, 1)[0];
	return isPortalPath(path) && path !== PORTAL_LOGIN_PATH && path !== PORTAL_LOGOUT_PATH ? to : PORTAL_PATH;
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.contact) redirect(303, target(url));
};

type Failure = {
	email: string;
	errors: FieldErrors<'email' | 'password'>;
	message: 'invalid' | 'rate_limited' | null;
	retryMinutes: number | null;
};

export const actions: Actions = {
	/**
	 * Portal sign-in (issue #12): one generic answer for every refusal, rate limits, and a
	 * fresh session id (a session that came with the request is ended). SvelteKit's CSRF
	 * check has refused a cross-site post before this runs.
	 */
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const input = await readForm(request);
		const email = typeof input.email === 'string' ? input.email.slice(0, 254) : '';
		const parsed = parseCredentials(input);
		if (!parsed.ok) return fail(400, { email, errors: parsed.errors, message: null, retryMinutes: null } as Failure);

		const { portal } = getContext();
		const result = await portal.login(parsed.value, getClientAddress());
		if (!result.ok) {
			const limited = result.reason === 'rate_limited';
			return fail(limited ? 429 : 400, {
				email,
				errors: {},
				message: result.reason,
				retryMinutes: limited ? Math.ceil(result.retryAfterMs / 60_000) : null
			} as Failure);
		}
		if (locals.portalSession) portal.logout(locals.portalSession.id);
		setPortalCookie(cookies, url, result.token, result.session.expiresAt);
		redirect(303, target(url));
	}
};
