import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/**
 * Undoes a whole import run as one step (issue #13 item 3): what it created to the trash,
 * fields it updated back to their previous values. A second undo changes nothing and says
 * so (409 already_undone). Only the uploader's runs; any other id is the same 404.
 */
export const POST: RequestHandler = async ({ params, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	try {
		const done = await getContext().imports.undo(locals.user, params.id);
		switch (done.result) {
			case 'undone':
				return json({ id: params.id, status: 'undone', notUndone: done.notUndone });
			case 'not_found':
				return json({ error: 'not_found' }, { status: 404 });
			default:
				return json({ error: done.result }, { status: 409 });
		}
	} catch (e) {
		console.error('import: undo failed:', e);
		return json({ error: 'internal' }, { status: 500 });
	}
};
