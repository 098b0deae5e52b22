import { fail } from '@sveltejs/kit';
import { email, type FieldError } from '$lib/schema/fields';
import { readForm } from './form';

/** What a "Forgot password?" form shows after a post. */
type ForgotAnswer = { email: string; error: FieldError | null; sent: boolean; retryMinutes: number | null };

/** Asks for a set-password link to the address; over the request limit, how long to wait. */
export type ForgotRequest = (address: string, client: string) => { ok: true } | { ok: false; retryAfterMs: number };

/**
 * A "Forgot password?" post, staff's and the portal's alike: a malformed address is refused at
 * the field; otherwise the answer is the same whether or not a link was sent, and only an
 * address over the request limit is told to wait.
 */
export async function forgotAction(
	{ request, getClientAddress }: { request: Request; getClientAddress: () => string },
	ask: ForgotRequest
) {
	const input = await readForm(request);
	const typed = typeof input.email === 'string' ? input.email.slice(0, 254) : '';
	const parsed = email(input.email, true);
	if (!parsed.ok)
		return fail(400, { email: typed, error: parsed.error, sent: false, retryMinutes: null } as ForgotAnswer);
	const result = ask(parsed.value, getClientAddress());
	if (!result.ok) {
		const retryMinutes = Math.ceil(result.retryAfterMs / 60_000);
		return fail(429, { email: typed, error: null, sent: false, retryMinutes } as ForgotAnswer);
	}
	return { email: '', error: null, sent: true, retryMinutes: null } as ForgotAnswer;
}
