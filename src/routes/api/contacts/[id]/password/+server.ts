import { json } from '@sveltejs/kit';
import { newPassword } from '$lib/schema/fields';
import { readJson } from '$lib/server/form';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/** Staff set a contact's portal password: online only, never through a Yjs document (SPEC §5). */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const body = (await readJson(request)) as { password?: unknown } | null | undefined;
	const pw = newPassword(body?.password);
	if (!pw.ok) return json({ error: 'invalid_input', fields: { password: pw.error } }, { status: 400 });
	const r = await getContext().contacts.setPassword(params.id, pw.value, locals.user);
	if (!r.ok) return json({ error: r.reason }, { status: r.reason === 'not_found' ? 404 : 409 });
	return json({ ok: true });
};
