import { fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/schema/fields';
import { parseCredentials, parseFirstAdmin } from '$lib/schema/staff';

type Errors = FieldErrors<'name' | 'email' | 'password'>;
import { readForm } from '$lib/server/form';
import { setSessionCookie } from '$lib/server/session-cookie';
import { getContext } from '$server/context';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	return { token, valid: getContext().auth.isValidSetupToken(token) };
};

export const actions: Actions = {
	default: async ({ request, url, cookies, getClientAddress }) => {
		const input = await readForm(request);
		const token = typeof input.token === 'string' ? input.token : '';
		const { auth } = getContext();
		if (!auth.isValidSetupToken(token)) return fail(410, { invalid: true, errors: {} as Errors, name: '', email: '' });
		const parsed = parseFirstAdmin(input);
		const name = typeof input.name === 'string' ? input.name : '';
		const email = typeof input.email === 'string' ? input.email : '';
		if (!parsed.ok) return fail(400, { invalid: false, errors: parsed.errors, name, email });

		const admin = await auth.completeSetup(token, parsed.value);
		if (!admin) return fail(410, { invalid: true, errors: {} as Errors, name, email });
		const creds = parseCredentials({ email: parsed.value.email, password: parsed.value.password });
		const login = creds.ok ? await auth.login(creds.value, getClientAddress()) : null;
		if (login?.ok) setSessionCookie(cookies, url, login.token, login.session.expiresAt);
		redirect(303, '/');
	}
};
