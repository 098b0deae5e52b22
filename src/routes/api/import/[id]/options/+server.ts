import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import { MAX_OPTIONS_BYTES, chosenFromBody } from '$server/import/run-options';
import type { RequestHandler } from './$types';

/**
 * How an uploaded file is read and mapped, changed before its run (issue #13 item 3, the
 * mapping screen): body { delimiter?: "," | ";" | "tab", encoding?, region?, columns?: one
 * target key per column (src/lib/schema/import-mapping.ts) }. Answered with the detection
 * and the first rows as they will now be stored. Anything the page could not have sent is a
 * 400 naming what; only the uploader's runs (any other id is the same 404), before they run.
 */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > MAX_OPTIONS_BYTES) return json({ error: 'too_large' }, { status: 413 });
	const text = await request.text().catch(() => null);
	if (text === null) return json({ error: 'bad_request' }, { status: 400 });
	if (text.length > MAX_OPTIONS_BYTES) return json({ error: 'too_large' }, { status: 413 });
	const chosen = chosenFromBody(text);
	if (!chosen.ok) return json({ error: 'bad_options', param: chosen.param }, { status: 400 });
	try {
		const done = await getContext().imports.choose(locals.user, params.id, chosen.value);
		if (done.ok) return json(done.inspected, { headers: { 'cache-control': 'no-store' } });
		switch (done.error) {
			case 'not_found':
				return json({ error: 'not_found' }, { status: 404 });
			case 'not_ready':
				return json({ error: 'already_run' }, { status: 409 });
			case 'mapping':
				return json({ error: 'bad_mapping', reason: done.reason, column: done.column }, { status: 400 });
			case 'file':
				return json({ error: done.code, line: done.line }, { status: 422 });
		}
	} catch (e) {
		console.error('import: options failed:', e);
		return json({ error: 'internal' }, { status: 500 });
	}
};
