import { json } from '@sveltejs/kit';
import type { DirectoryEntry } from '$lib/schema/staff';
import { getContext } from '$server/context';
import type { RequestHandler } from './$types';

/**
 * Names of the staff, for every signed-in staff user: the managers picker and manager names on
 * records (SPEC §2). No e-mails or roles: those stay on the admins' /api/staff. The device keeps
 * the last copy, so the picker works offline (src/lib/data/staff-directory.ts).
 */
export const GET: RequestHandler = ({ locals }) => {
	if (!locals.user) return json({ error: 'unauthorized' }, { status: 401 });
	const staff: DirectoryEntry[] = getContext()
		.auth.users.list()
		.map(({ id, name, active }) => ({ id, name, active }));
	return json({ staff }, { headers: { 'cache-control': 'private, no-store' } });
};
