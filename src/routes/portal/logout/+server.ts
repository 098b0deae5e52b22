import { redirect } from '@sveltejs/kit';
import { PORTAL_LOGIN_PATH } from '$lib/schema/portal';
import { getContext } from '$server/context';
import { clearPortalCookie } from '$server/portal/cookie';
import type { RequestHandler } from './$types';

/** Portal sign-out is a POST (a form; SvelteKit checks its Origin), so no link or image on another site signs a contact out. */
export const POST: RequestHandler = ({ locals, cookies, url }) => {
	if (locals.portalSession) getContext().portal.logout(locals.portalSession.id);
	clearPortalCookie(cookies, url);
	redirect(303, PORTAL_LOGIN_PATH);
};
