import { getLocale } from '$lib/paraglide/runtime';
import { getContext } from '$server/context';
import { customerDetails, isSalesModule, viewContract, viewSale } from '$server/portal/documents';
import { notFound, openModule, readOwn } from '../../access.server';
import type { PageServerLoad } from './$types';

/**
 * The printable view of a sales document or contract (issue #12): the same document the view
 * shows, with the customer's and the company's details; other modules have none (the one 404).
 */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { contact, module } = openModule(locals, params.module);
	if (!isSalesModule(module) && module !== 'contracts') notFound();
	const found = await readOwn(contact, (doc) => {
		const customer = customerDetails(doc, contact.customerName, getLocale());
		if (isSalesModule(module)) {
			const sale = viewSale(doc, module, params.id);
			return sale && { kind: 'sale' as const, sale, customer };
		}
		const contract = viewContract(doc, params.id);
		return contract && { kind: 'contract' as const, contract, customer };
	});
	// The company's details: the general signature of the installation's mail (admins edit it).
	const company = getContext().mail.templates.signature().trim();
	return { module, doc: found, company: company === '' ? null : company };
};
