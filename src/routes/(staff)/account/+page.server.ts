import { error, fail } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/schema/fields';
import { parsePasswordChange } from '$lib/schema/staff';
import { readForm } from '$lib/server/form';
import { getContext } from '$server/context';
import type { Actions } from './$types';

type Errors = FieldErrors<'current' | 'next'>;

/**
 * No load: the page opens offline (the staff app renders in the browser) and says that the
 * change needs a connection. Only the action runs on the server.
 */
export const actions: Actions = {
	/** Issue #14 item 9: the current password is required; every other session of the user ends. */
	password: async ({ request, locals, getClientAddress }) => {
		if (!locals.user || !locals.session) error(401, 'Sign in first');
		const parsed = parsePasswordChange(await readForm(request));
		if (!parsed.ok) return fail(400, { errors: parsed.errors, message: null, retryMinutes: null });
		const result = await getContext().auth.changeOwnPassword(
			locals.user.id,
			locals.session.id,
			parsed.value,
			getClientAddress()
		);
		if (!result.ok) {
			const retryMinutes = result.reason === 'rate_limited' ? Math.ceil(result.retryAfterMs / 60_000) : null;
			return fail(result.reason === 'rate_limited' ? 429 : 400, {
				errors: {} as Errors,
				message: result.reason,
				retryMinutes
			});
		}
		return { done: true };
	}
};
