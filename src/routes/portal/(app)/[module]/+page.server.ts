import { error } from '@sveltejs/kit';
import { isPortalModule, PORTAL_NOT_FOUND } from '$lib/schema/portal';
import type { PageServerLoad } from './$types';

/**
 * A module's page (SPEC §2). Its documents arrive with the modules' own step (issue #12 item
 * 3); until then it says honestly that there is nothing yet. The permission was checked by
 * the layout; an unknown module name is the same 404 as any missing page.
 */
export const load: PageServerLoad = async ({ params, parent, locals }) => {
	await parent();
	if (!isPortalModule(params.module) || !locals.contact?.permissions[params.module]) error(404, PORTAL_NOT_FOUND);
	return { module: params.module };
};
