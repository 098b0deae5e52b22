import { error, redirect } from '@sveltejs/kit';
import { mayOpen, PORTAL_LOGIN_PATH, PORTAL_NOT_FOUND } from '$lib/schema/portal';
import type { LayoutServerLoad } from './$types';

/**
 * The permission gate for every portal page behind sign-in (SPEC §2, §6): a path of a module
 * the contact may not open answers the portal's one 404 — the same status and page as a path
 * or id that does not exist — so it tells nothing about what is there. Modules added later
 * under /portal/<module>/… are behind it without naming it; an API or file endpoint
 * (+server.ts, where no layout runs) asks `mayOpen` itself and answers the same 404.
 */
export const load: LayoutServerLoad = ({ locals, url }) => {
	// The hook sends a request without a contact session to sign-in before it gets here.
	if (!locals.contact) redirect(303, PORTAL_LOGIN_PATH);
	if (!mayOpen(locals.contact.permissions, url.pathname)) error(404, PORTAL_NOT_FOUND);
	return {};
};
