import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { newPassword, type FieldError } from '$lib/schema/fields';
import { parseNewStaff, type NewStaff } from '$lib/schema/staff';

type CreateErrors = Partial<Record<keyof NewStaff, FieldError | 'taken'>>;
import { readForm } from '$lib/server/form';
import { getContext } from '$server/context';
import type { Actions, PageServerLoad } from './$types';

/** Form actions are not covered by layout loads: every action checks the role itself. */
function requireAdmin(locals: App.Locals) {
	if (locals.user?.role !== 'admin') error(403, 'Only admins can manage staff');
	return locals.user;
}

export const load: PageServerLoad = ({ locals }) => {
	requireAdmin(locals);
	const staff = getContext()
		.auth.users.list()
		.map(({ id, name, email, role, active }) => ({ id, name, email, role, active }));
	return { staff };
};

async function target(event: RequestEvent) {
	const input = await readForm(event.request);
	const user = typeof input.id === 'string' ? getContext().auth.users.get(input.id) : null;
	if (!user) error(404, 'No such staff member');
	return { input, user };
}

export const actions: Actions = {
	create: async ({ request, locals }) => {
		requireAdmin(locals);
		const input = await readForm(request);
		const parsed = parseNewStaff(input);
		const values = {
			name: String(input.name ?? ''),
			email: String(input.email ?? ''),
			role: String(input.role ?? 'staff')
		};
		if (!parsed.ok) return fail(400, { action: 'create' as const, errors: parsed.errors as CreateErrors, values });
		const created = await getContext().auth.createStaff(parsed.value);
		if (!created.ok)
			return fail(409, { action: 'create' as const, errors: { email: 'taken' } as CreateErrors, values });
		return { action: 'create' as const, done: created.user.name };
	},

	resetPassword: async (event) => {
		requireAdmin(event.locals);
		const { input, user } = await target(event);
		const pw = newPassword(input.password);
		if (!pw.ok) return fail(400, { action: 'resetPassword' as const, id: user.id, error: pw.error });
		await getContext().auth.resetPassword(user.id, pw.value);
		return { action: 'resetPassword' as const, done: user.name };
	},

	deactivate: async (event) => {
		const me = requireAdmin(event.locals);
		const { user } = await target(event);
		const { auth } = getContext();
		if (user.id === me.id || auth.isLastActiveAdmin(user.id)) {
			return fail(409, { action: 'deactivate' as const, id: user.id, error: 'last_admin' as const });
		}
		auth.setActive(user.id, false);
		return { action: 'deactivate' as const, done: user.name };
	},

	reactivate: async (event) => {
		requireAdmin(event.locals);
		const { user } = await target(event);
		getContext().auth.setActive(user.id, true);
		return { action: 'reactivate' as const, done: user.name };
	}
};
