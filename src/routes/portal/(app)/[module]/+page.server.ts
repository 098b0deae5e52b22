import { fail, redirect } from '@sveltejs/kit';
import type { FieldError } from '$lib/schema/fields';
import { readForm } from '$lib/server/form';
import { getContext } from '$server/context';
import { checkBody, checkSubject, openTicket } from '$server/portal/actions';
import {
	isSalesModule,
	listContracts,
	listProjects,
	listSales,
	listTickets,
	type ContractView,
	type ProjectView,
	type SaleSummary,
	type TicketView
} from '$server/portal/documents';
import { actor, notFound, openModule, readOwn } from './access.server';
import type { Actions, PageServerLoad } from './$types';

export type ModuleList =
	| { kind: 'sales'; sales: SaleSummary[] }
	| { kind: 'contracts'; contracts: ContractView[] }
	| { kind: 'support'; tickets: TicketView[] }
	| { kind: 'projects'; projects: ProjectView[] };

/**
 * A module's list (SPEC §2, issue #12 item 3): the contact's own customer's documents of this
 * module as the server holds them (server/portal/documents.ts decides what is shown).
 */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { contact, module } = openModule(locals, params.module);
	const list = await readOwn<ModuleList>(contact, (doc) => {
		if (isSalesModule(module)) return { kind: 'sales', sales: listSales(doc, module) };
		if (module === 'contracts') return { kind: 'contracts', contracts: listContracts(doc) };
		if (module === 'support') return { kind: 'support', tickets: listTickets(doc, contact.id) };
		return { kind: 'projects', projects: listProjects(doc) };
	});
	return { module, list };
};

export type NewTicketForm = {
	subject: string;
	body: string;
	errors: Partial<Record<'subject' | 'body', FieldError>>;
	/** The change could not be stored (the server is shutting down, storage failed). */
	unavailable?: boolean;
};

export const actions: Actions = {
	/**
	 * "New ticket" (support only): subject and first message, written as the server's change
	 * once valid; the answer comes after the commit. On an error the text stays in the form.
	 */
	open: async ({ params, locals, request }) => {
		const { contact, module } = openModule(locals, params.module);
		if (module !== 'support') notFound();
		const input = await readForm(request);
		const subject = checkSubject(input.subject);
		const body = checkBody(input.body);
		if (!subject.ok || !body.ok) {
			return fail(400, {
				subject: typeof input.subject === 'string' ? input.subject : '',
				body: typeof input.body === 'string' ? input.body : '',
				errors: { subject: subject.ok ? undefined : subject.error, body: body.ok ? undefined : body.error }
			} as NewTicketForm);
		}
		let id: string;
		try {
			id = await openTicket(getContext().docs, actor(contact), { subject: subject.value, body: body.value });
		} catch (e) {
			console.error('portal: a new ticket was not stored:', e);
			return fail(503, { subject: subject.value, body: body.value, errors: {}, unavailable: true } as NewTicketForm);
		}
		redirect(303, `/portal/support/${id}`);
	}
};
