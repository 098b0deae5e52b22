import { fail } from '@sveltejs/kit';
import type { FieldError } from '$lib/schema/fields';
import { readFormOrNull } from '$lib/server/form';
import { getContext } from '$server/context';
import type { Actions, PageServerLoad } from './$types';

/**
 * The page a set-password mail links to (SPEC §2, §8): public, in the holder's language,
 * sets a contact's portal password or — from a staff password-reset mail (issue #14 item 9) —
 * a staff user's password, with the staff password rules and hashing. A bad, expired or used
 * link gets one clear page that offers a new link. A staff user is then asked to sign in
 * again: every session of theirs ended with the reset.
 */
type Problem = 'invalid' | 'expired' | 'used';
type Holder = 'contact' | 'staff';

export const load: PageServerLoad = ({ url, setHeaders }) => {
	// The token is in the URL: never cached, never sent on as a Referer (the hook sets same-origin).
	setHeaders({ 'cache-control': 'no-store' });
	const token = url.searchParams.get('token') ?? '';
	const { mail } = getContext();
	const link = mail.links.check(token);
	const locale = link.ok ? (link.locale ?? mail.templates.defaultLanguage()) : mail.templates.defaultLanguage();
	return link.ok
		? { token, locale, problem: null, firstName: link.firstName, holder: link.holder as Holder }
		: { token, locale, problem: link.reason as Problem, firstName: null, holder: null };
};

export const actions: Actions = {
	set: async ({ request }) => {
		const input = await readFormOrNull(request);
		if (!input)
			return fail(400, { problem: 'invalid' as Problem | null, error: null as FieldError | 'mismatch' | null });
		const { links } = getContext().mail;
		if (input.password !== input.confirm) {
			return fail(400, { problem: null as Problem | null, error: 'mismatch' as FieldError | 'mismatch' });
		}
		const r = await links.use(input.token, input.password);
		if (r.ok) return { done: ('userId' in r ? 'staff' : 'contact') as Holder };
		if (r.reason === 'invalid' || r.reason === 'expired' || r.reason === 'used') {
			return fail(410, { problem: r.reason as Problem | null, error: null as FieldError | 'mismatch' | null });
		}
		return fail(400, { problem: null as Problem | null, error: r.reason as FieldError | 'mismatch' });
	},

	renew: async ({ request }) => {
		const input = await readFormOrNull(request);
		if (input) getContext().mail.links.renew(input.token);
		getContext().mail.kick();
		return { renewed: true as const };
	}
};
