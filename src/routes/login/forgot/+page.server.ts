import { fail } from '@sveltejs/kit';
import { email, type FieldError } from '$lib/schema/fields';
import { readForm } from '$lib/server/form';
import { getContext } from '$server/context';
import type { Actions } from './$types';

type Answer = { email: string; error: FieldError | null; sent: boolean; retryMinutes: number | null };

export const actions: Actions = {
	/**
	 * "Forgot password?" for staff (issue #14 item 9): a set-password link (48 h, one use) to
	 * the active staff account that signs in with the address. The answer is the same for a
	 * known, unknown or deactivated address; only an address over the request limit is told to wait.
	 */
	default: async ({ request, getClientAddress }) => {
		const input = await readForm(request);
		const typed = typeof input.email === 'string' ? input.email.slice(0, 254) : '';
		const parsed = email(input.email, true);
		if (!parsed.ok) return fail(400, { email: typed, error: parsed.error, sent: false, retryMinutes: null } as Answer);
		const { auth, mail } = getContext();
		const result = auth.reset.request(parsed.value, getClientAddress());
		if (!result.ok) {
			const retryMinutes = Math.ceil(result.retryAfterMs / 60_000);
			return fail(429, { email: typed, error: null, sent: false, retryMinutes } as Answer);
		}
		if (result.queued) mail.kick();
		return { email: '', error: null, sent: true, retryMinutes: null } as Answer;
	}
};
