import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/**
 * An import run's progress and report (issue #13 item 3): counts, and the report's rows with
 * line and reason (`?after=<line>` for the next page). Only the uploader's runs; any other id
 * — another user's, guessed, malformed — is the same 404.
 */
export const GET: RequestHandler = ({ params, url, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const raw = url.searchParams.get('after');
	const after = raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
	const report = getContext().imports.report(locals.user, params.id, after);
	if (!report) return json({ error: 'not_found' }, { status: 404 });
	return json(report, { headers: { 'cache-control': 'no-store' } });
};
