import { json } from '@sveltejs/kit';
import { readJson } from '$lib/server/form';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/**
 * "Send set-password e-mail" (SPEC §2): a command with an idempotency key made on the
 * device, which may queue it offline and send it again after a lost answer.
 */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const body = (await readJson(request)) as { idempotencyKey?: unknown } | null | undefined;
	const key = body?.idempotencyKey;
	if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(key)) {
		return json({ error: 'invalid_input', fields: { idempotencyKey: 'invalid' } }, { status: 400 });
	}
	const r = getContext().contacts.requestSetPasswordEmail(params.id, key, locals.user);
	if (!r.ok) return json({ error: r.reason }, { status: r.reason === 'not_found' ? 404 : 409 });
	return json({ ok: true, queued: r.queued }, { status: 202 });
};
