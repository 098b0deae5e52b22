import { json } from '@sveltejs/kit';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/** Staff accounts for admins (the staff page and scripts); everyone else gets 403. */
export const GET: RequestHandler = ({ locals }) => {
	if (locals.user?.role !== 'admin') return json({ error: 'forbidden' }, { status: 403 });
	const staff = getContext()
		.auth.users.list()
		.map(({ id, name, email, role, active }) => ({ id, name, email, role, active }));
	return json({ staff });
};
