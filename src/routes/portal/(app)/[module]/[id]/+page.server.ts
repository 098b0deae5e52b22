import { fail, redirect } from '@sveltejs/kit';
import type { FieldError } from '$lib/schema/fields';
import { readForm } from '$lib/server/form';
import { getContext } from '$server/context';
import { checkBody, decide, isAnswer, replyToTicket } from '$server/portal/actions';
import {
	isSalesModule,
	viewContract,
	viewProject,
	viewSale,
	viewTicket,
	type ContractView,
	type ProjectView,
	type SaleView,
	type TicketView
} from '$server/portal/documents';
import { actor, notFound, openModule, readOwn } from '../access.server';
import type { Actions, PageServerLoad } from './$types';

export type ModuleView =
	| { kind: 'sale'; sale: SaleView }
	| { kind: 'contract'; contract: ContractView }
	| { kind: 'ticket'; ticket: TicketView }
	| { kind: 'project'; project: ProjectView };

/**
 * One document of a module, looked up in the contact's own customer document only: an id of
 * another customer's document, a draft, a document of another module, or garbage is simply not
 * found there, and answers the portal's one 404.
 */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	const { contact, module } = openModule(locals, params.module);
	const view = await readOwn<ModuleView>(contact, (doc) => {
		if (isSalesModule(module)) {
			const sale = viewSale(doc, module, params.id);
			return sale && { kind: 'sale', sale };
		}
		if (module === 'contracts') {
			const contract = viewContract(doc, params.id);
			return contract && { kind: 'contract', contract };
		}
		if (module === 'support') {
			const ticket = viewTicket(doc, params.id, contact.id);
			return ticket && { kind: 'ticket', ticket };
		}
		const project = viewProject(doc, params.id);
		return project && { kind: 'project', project };
	});
	// Where a post-redirect-get lands: what was just done, said once.
	const done = url.searchParams.get('done');
	return { module, view, done: done === 'accepted' || done === 'declined' || done === 'replied' ? done : null };
};

export type DecideForm = { decision: 'not_decidable' | 'unavailable' };
export type ReplyForm = { body: string; error: FieldError | null; unavailable?: boolean };

export const actions: Actions = {
	/** Accept or decline a sent estimate or proposal; a second answer changes nothing. */
	decide: async ({ params, locals, request }) => {
		const { contact, module } = openModule(locals, params.module);
		if (!isSalesModule(module)) notFound();
		const input = await readForm(request);
		if (!isAnswer(input.answer)) return fail(400, { decision: 'not_decidable' } as DecideForm);
		let outcome;
		try {
			outcome = await decide(getContext().docs, actor(contact), module, params.id, input.answer);
		} catch (e) {
			console.error('portal: a decision was not stored:', e);
			return fail(503, { decision: 'unavailable' } as DecideForm);
		}
		if (outcome === 'not_found') notFound();
		if (outcome === 'not_decidable') return fail(409, { decision: 'not_decidable' } as DecideForm);
		redirect(303, `/portal/${module}/${params.id}?done=${input.answer}`);
	},

	/** The contact's reply to a ticket (it reopens a closed or answered one). */
	reply: async ({ params, locals, request }) => {
		const { contact, module } = openModule(locals, params.module);
		if (module !== 'support') notFound();
		const input = await readForm(request);
		const body = checkBody(input.body);
		const typed = typeof input.body === 'string' ? input.body : '';
		if (!body.ok) return fail(400, { body: typed, error: body.error } as ReplyForm);
		let replied: boolean;
		try {
			replied = await replyToTicket(getContext().docs, actor(contact), params.id, body.value);
		} catch (e) {
			console.error('portal: a reply was not stored:', e);
			return fail(503, { body: typed, error: null, unavailable: true } as ReplyForm);
		}
		if (!replied) notFound();
		redirect(303, `/portal/support/${params.id}?done=replied`);
	}
};
