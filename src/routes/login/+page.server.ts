import { fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/schema/fields';
import { parseCredentials } from '$lib/schema/staff';
import { readForm, safeRedirect } from '$lib/server/form';
import { setLocaleCookie } from '$lib/server/locale';
import { setSessionCookie } from '$lib/server/session-cookie';
import { getContext } from '$server/context';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const input = await readForm(request);
		const email = typeof input.email === 'string' ? input.email : '';
		const parsed = parseCredentials(input);
		if (!parsed.ok) return fail(400, { email, errors: parsed.errors, message: null });

		const { auth } = getContext();
		const result = await auth.login(parsed.value, getClientAddress());
		if (!result.ok) {
			const retryMinutes = result.reason === 'rate_limited' ? Math.ceil(result.retryAfterMs / 60_000) : null;
			return fail(result.reason === 'rate_limited' ? 429 : 400, {
				email,
				errors: {} as FieldErrors<'email' | 'password'>,
				message: result.reason,
				retryMinutes
			});
		}
		// A fresh session at every sign-in; one that came with the request is ended.
		if (locals.session) auth.logout(locals.session.id);
		setSessionCookie(cookies, url, result.token, result.session.expiresAt);
		if (result.user.locale) setLocaleCookie(cookies, result.user.locale);
		redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
	}
};
