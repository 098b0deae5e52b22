import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/session-cookie';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/** Sign-out is a POST (a form), so a link or image on another page cannot sign anyone out. */
export const POST: RequestHandler = ({ locals, cookies, url }) => {
	if (locals.session) getContext().auth.logout(locals.session.id);
	clearSessionCookie(cookies, url);
	redirect(303, '/login');
};
