import { allowedModules } from '$lib/schema/portal';
import type { LayoutServerLoad } from './$types';

/**
 * What every portal page shows of the signed-in contact: names and the menu. Read from the
 * session's contact on each request (src/hooks.server.ts), so a permission changed by staff
 * shows on the contact's next request. Nothing here comes from the request itself.
 */
export const load: LayoutServerLoad = ({ locals, setHeaders }) => {
	// A customer's pages are theirs alone: no shared cache keeps them, no back button after sign-out shows them.
	setHeaders({ 'cache-control': 'private, no-store' });
	const c = locals.contact;
	if (!c) return { contact: null };
	return {
		contact: {
			name: [c.firstName, c.lastName].filter(Boolean).join(' '),
			customerName: c.customerName,
			modules: allowedModules(c.permissions)
		}
	};
};
