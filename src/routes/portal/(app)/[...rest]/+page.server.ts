import { error } from '@sveltejs/kit';
import { PORTAL_NOT_FOUND } from '$lib/schema/portal';
import type { PageServerLoad } from './$types';

/** Any other portal path: the portal's one 404, in the portal's frame (not the staff app's error page). */
export const load: PageServerLoad = () => error(404, PORTAL_NOT_FOUND);
