import { error, redirect } from '@sveltejs/kit';
import { readForm, safeRedirect } from '$lib/server/form';
import { setLocaleCookie } from '$lib/server/locale';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/** The language switch: remembered on the account (per user) and in the cookie (this browser). */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const input = await readForm(request);
	const locale = input.locale;
	if (typeof locale !== 'string' || !setLocaleCookie(cookies, locale)) error(400, 'Unknown language');
	if (locals.user) getContext().auth.users.setLocale(locals.user.id, locale);
	redirect(303, safeRedirect(input.redirectTo));
};
