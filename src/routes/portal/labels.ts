/** The portal modules' words in the contact's language (SPEC §7 terms, shared with the staff app). */
import { m } from '$lib/paraglide/messages';
import type { PortalModule } from '$lib/schema/portal';

export const MODULE_LABEL: Record<PortalModule, () => string> = {
	invoices: () => m.perm_invoices(),
	estimates: () => m.perm_estimates(),
	contracts: () => m.perm_contracts(),
	proposals: () => m.perm_proposals(),
	support: () => m.perm_support(),
	projects: () => m.perm_projects()
};

export const MODULE_EMPTY: Record<PortalModule, () => string> = {
	invoices: () => m.portal_empty_invoices(),
	estimates: () => m.portal_empty_estimates(),
	contracts: () => m.portal_empty_contracts(),
	proposals: () => m.portal_empty_proposals(),
	support: () => m.portal_empty_support(),
	projects: () => m.portal_empty_projects()
};
