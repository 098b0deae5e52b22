import { json } from '@sveltejs/kit';
import type { HistoryPage } from '$lib/schema/history';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** A whole number in [min, max] from a query parameter; undefined when absent or not one. */
function intParam(raw: string | null, min: number, max: number): number | undefined {
	if (raw === null || !/^\d{1,16}$/.test(raw)) return undefined;
	return Math.min(max, Math.max(min, Number(raw)));
}

/**
 * The history of a customer: who changed which fields of it and of its contacts, and when,
 * newest first (`?limit=`, `?before=` the `next` of the previous page). Only for staff who may
 * read the record; a record they may not read answers exactly like one that does not exist
 * (SPEC §6), so ids cannot be probed.
 */
export const GET: RequestHandler = ({ params, url, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const { access, history } = getContext();
	// access.get is null for anything that is not a customer (the settings document included).
	if (!access.get(params.id) || !access.canRead(locals.user, params.id)) {
		return json({ error: 'not_found' }, { status: 404 });
	}
	const limit = intParam(url.searchParams.get('limit'), 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
	const before = intParam(url.searchParams.get('before'), 0, Number.MAX_SAFE_INTEGER);
	const page: HistoryPage = history.page(params.id, { limit, before });
	return json(page, { headers: { 'cache-control': 'no-store' } });
};
