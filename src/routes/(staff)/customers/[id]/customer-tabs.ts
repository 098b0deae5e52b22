/**
 * The customer page's tabs (SPEC §7 words) and where the chosen one lives: in the URL
 * (`?tab=invoices&open=<id>`), so Back returns to the previous tab or list and a link opens a
 * tab or a record. Switching is shallow routing (page.state), so no load function runs again.
 */
import { m } from '$lib/paraglide/messages';

export const TABS = [
	'details',
	'contacts',
	'invoices',
	'estimates',
	'proposals',
	'contracts',
	'support',
	'projects',
	'history'
] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABELS: Record<Tab, () => string> = {
	details: m.customer_tab_details,
	contacts: m.customer_tab_contacts,
	invoices: m.module_tab_invoices,
	estimates: m.module_tab_estimates,
	proposals: m.module_tab_proposals,
	contracts: m.module_tab_contracts,
	support: m.module_tab_support,
	projects: m.module_tab_projects,
	history: m.customer_tab_history
};

/** What a shallow history entry of the customer page holds. */
export interface TabState {
	customerTab?: Tab;
	customerOpen?: string | null;
}

const isTab = (v: unknown): v is Tab => (TABS as readonly unknown[]).includes(v);
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The tab and open record: from the shallow entry when there is one, else from the URL loaded. */
export function tabFrom(state: TabState, url: URL): { tab: Tab; open: string | null } {
	if (isTab(state.customerTab)) return { tab: state.customerTab, open: state.customerOpen ?? null };
	const tab = url.searchParams.get('tab');
	const open = url.searchParams.get('open');
	return { tab: isTab(tab) ? tab : 'details', open: open && ID.test(open) ? open : null };
}

/** The query of a tab (and an open record): "", "?tab=invoices" or "?tab=invoices&open=<id>". */
export function tabSearch(tab: Tab, open: string | null): string {
	const q = new URLSearchParams();
	if (tab !== 'details') q.set('tab', tab);
	if (open) q.set('open', open);
	const s = q.toString();
	return s ? `?${s}` : '';
}
