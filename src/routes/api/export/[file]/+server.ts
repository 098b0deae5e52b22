import { json } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { exportFile, parseExportQuery } from '$lib/schema/export-query';
import { getContext } from '$server/context';
import { exportList } from '$server/export/list-export';
import type { RequestHandler } from './$types';

/**
 * The Persons or Companies list as a file (issue #13 item 5): /api/export/contacts.csv,
 * contacts.vcf, companies.csv, companies.vcf, with the list's filters as query parameters
 * (src/lib/schema/export-query.ts). Only records the signed-in user may read; a parameter
 * the list page could not have sent is a 400.
 */
export const GET: RequestHandler = ({ params, url, locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const file = exportFile(params.file);
	if (!file) return json({ error: 'not_found' }, { status: 404 });
	const query = parseExportQuery(url.searchParams);
	if (!query.ok) return json({ error: 'bad_query', param: query.param }, { status: 400 });
	const { db, access, sync } = getContext();
	const user = locals.user;
	// Countries by name in the user's language (the language cookie, set from the account at sign-in);
	// phones of a record without a country read in the workspace's region.
	const out = exportList(
		db,
		user,
		(customerId) => access.canRead(user, customerId),
		{ ...file, language: getLocale(), region: sync.phoneRegion() },
		query.value
	);
	return new Response(out.body, {
		headers: {
			'content-type': out.contentType,
			'content-disposition': `attachment; filename="${out.filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
