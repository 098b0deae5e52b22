import { fail } from '@sveltejs/kit';
import { email, type FieldError } from '$lib/schema/fields';
import { readForm } from '$lib/server/form';
import { getContext } from '$server/context';
import type { Actions } from './$types';

type Answer = { email: string; error: FieldError | null; sent: boolean; retryMinutes: number | null };

export const actions: Actions = {
	/**
	 * "Forgot password?" (issue #12): a set-password link (48 h, one use; issue #11) to the
	 * contact that signs in with the address. The answer is the same whether or not one was
	 * sent; only an address over the request limit is told to wait.
	 */
	default: async ({ request, getClientAddress }) => {
		const input = await readForm(request);
		const typed = typeof input.email === 'string' ? input.email.slice(0, 254) : '';
		const parsed = email(input.email, true);
		if (!parsed.ok) return fail(400, { email: typed, error: parsed.error, sent: false, retryMinutes: null } as Answer);
		const result = getContext().portal.requestReset(parsed.value, getClientAddress());
		if (!result.ok) {
			const retryMinutes = Math.ceil(result.retryAfterMs / 60_000);
			return fail(429, { email: typed, error: null, sent: false, retryMinutes } as Answer);
		}
		return { email: '', error: null, sent: true, retryMinutes: null } as Answer;
	}
};
