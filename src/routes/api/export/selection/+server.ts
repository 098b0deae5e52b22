import { json } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { parseSelection } from '$lib/schema/export-selection';
import { getContext } from '$server/context';
import { exportSelection } from '$server/export/selection-export';
import type { RequestHandler } from './$types';

/**
 * POST /api/export/selection with `{ "ids": [contactId, …] }`: the contacts selected on the
 * Persons list as one vCard 4.0 file (the rule: src/lib/schema/export-selection.ts). A body
 * the page could not have sent is a 400 with its reason; ids that are no live contact the
 * user may read are left out; `x-export-count` says how many contacts the file holds.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? ''))
		return json({ error: 'bad_selection', reason: 'not_json' }, { status: 400 });
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return json({ error: 'bad_selection', reason: 'not_json' }, { status: 400 });
	}
	const selection = parseSelection(body);
	if (!selection.ok) return json({ error: 'bad_selection', reason: selection.error }, { status: 400 });
	const { db, access, sync } = getContext();
	const user = locals.user;
	const out = exportSelection(db, (customerId) => access.canRead(user, customerId), selection.ids, {
		language: getLocale(),
		region: sync.phoneRegion()
	});
	if (out.count === 0) return json({ error: 'not_found' }, { status: 404 });
	return new Response(out.body, {
		headers: {
			'content-type': out.contentType,
			'content-disposition': `attachment; filename="${out.filename}"`,
			'x-export-count': String(out.count),
			'cache-control': 'private, no-store'
		}
	});
};
