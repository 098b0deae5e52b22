import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	// hooks.server.ts already sends signed-out requests to /login; this narrows the type.
	if (!locals.user) redirect(303, '/login');
	const { id, name, email, role } = locals.user;
	return { user: { id, name, email, role } };
};
