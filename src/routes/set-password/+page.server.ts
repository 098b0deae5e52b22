import { fail } from '@sveltejs/kit';
import type { FieldError } from '$lib/schema/fields';
import { formToObject } from '$lib/server/form';
import { getContext } from '$server/context';
import type { Actions, PageServerLoad } from './$types';

/**
 * The page a set-password mail links to (SPEC §2, §8): public, in the contact's language,
 * sets the contact's portal password with the staff password rules and hashing. A bad,
 * expired or used link gets one clear page that offers a new link.
 */
type Problem = 'invalid' | 'expired' | 'used';

export const load: PageServerLoad = ({ url, setHeaders }) => {
	// The token is in the URL: never cached, never sent on as a Referer (the hook sets same-origin).
	setHeaders({ 'cache-control': 'no-store' });
	const token = url.searchParams.get('token') ?? '';
	const { mail } = getContext();
	const link = mail.links.check(token);
	const locale = link.ok ? (link.locale ?? mail.templates.defaultLanguage()) : mail.templates.defaultLanguage();
	return link.ok
		? { token, locale, problem: null, firstName: link.firstName }
		: { token, locale, problem: link.reason as Problem, firstName: null };
};

export const actions: Actions = {
	set: async ({ request }) => {
		const form = await request.formData().catch(() => null);
		if (!form)
			return fail(400, { problem: 'invalid' as Problem | null, error: null as FieldError | 'mismatch' | null });
		const input = formToObject(form);
		const { links } = getContext().mail;
		if (input.password !== input.confirm) {
			return fail(400, { problem: null as Problem | null, error: 'mismatch' as FieldError | 'mismatch' });
		}
		const r = await links.use(input.token, input.password);
		if (r.ok) return { done: true as const };
		if (r.reason === 'invalid' || r.reason === 'expired' || r.reason === 'used') {
			return fail(410, { problem: r.reason as Problem | null, error: null as FieldError | 'mismatch' | null });
		}
		return fail(400, { problem: null as Problem | null, error: r.reason as FieldError | 'mismatch' });
	},

	renew: async ({ request }) => {
		const form = await request.formData().catch(() => null);
		if (form) getContext().mail.links.renew(formToObject(form).token);
		getContext().mail.kick();
		return { renewed: true as const };
	}
};
