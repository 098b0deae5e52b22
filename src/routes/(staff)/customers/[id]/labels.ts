/** Words for the codes of the customer page (field errors, permissions, access) in the user's language. */
import { fieldErrorText } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import type { Access, Notification, PortalPermission } from '$lib/schema/records';
import type { ContactType } from '$lib/schema/settings';
import type { ContactError } from './customer.svelte';
import type { ValueLabel } from '$lib/schema/import-fields';

export function errorText(code: ContactError | undefined): string | undefined {
	switch (code) {
		case undefined:
			return undefined;
		case 'invalid_url':
			return m.customer_error_invalid_url();
		case 'invalid':
			return m.error_not_text();
		case 'duplicate':
			return m.contact_error_duplicate_email();
		default:
			return fieldErrorText(code);
	}
}

export const PERMISSION_LABELS: Record<PortalPermission, () => string> = {
	invoices: m.perm_invoices,
	estimates: m.perm_estimates,
	contracts: m.perm_contracts,
	proposals: m.perm_proposals,
	support: m.perm_support,
	projects: m.perm_projects
};

export const NOTIFICATION_LABELS: Record<Notification, () => string> = {
	invoice: m.notify_invoice,
	creditNote: m.notify_credit_note,
	estimate: m.notify_estimate,
	tickets: m.notify_tickets,
	project: m.notify_project,
	contract: m.notify_contract,
	task: m.notify_task
};

export const ACCESS_LABELS: Record<Access, () => string> = {
	private: m.customer_access_private,
	'public-read': m.customer_access_public_read,
	'public-write': m.customer_access_public_write
};

/** The built-in default has no stored name: each language names it. */
export const contactTypeName = (t: ContactType): string => t.name ?? m.customer_contact_type_default();

export const formatDate = (locale: string, t: number): string =>
	new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(t);

/** The labels of e-mails and phones (issue #13 item 2) in the user's language. */
export const VALUE_LABEL_TEXT: Record<ValueLabel, () => string> = {
	work: m.rc_value_label_work,
	home: m.rc_value_label_home,
	mobile: m.rc_value_label_mobile,
	fax: m.rc_value_label_fax,
	pager: m.rc_value_label_pager,
	main: m.rc_value_label_main,
	other: m.rc_value_label_other
};
