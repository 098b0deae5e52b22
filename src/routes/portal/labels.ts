/** The portal's words and formats in the contact's language (SPEC §7 terms, shared with the staff app). */
import { fieldErrorText } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { FieldError } from '$lib/schema/fields';
import type { PROJECT_STATUSES, SalesKind, SalesStatus, TASK_STATUSES, TicketStatus } from '$lib/schema/modules';
import type { PortalModule } from '$lib/schema/portal';
import { formatMoney } from '$lib/schema/totals';

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

/** What a sales document is, in the contact's language. */
export const KIND_LABEL: Record<SalesKind, () => string> = {
	invoice: () => m.portal_kind_invoice(),
	estimate: () => m.portal_kind_estimate(),
	creditNote: () => m.portal_kind_credit_note(),
	proposal: () => m.portal_kind_proposal()
};

export const SALES_STATUS_LABEL: Record<SalesStatus, () => string> = {
	draft: () => m.portal_status_draft(),
	sent: () => m.portal_status_sent(),
	paid: () => m.portal_status_paid(),
	cancelled: () => m.portal_status_cancelled(),
	accepted: () => m.portal_status_accepted(),
	declined: () => m.portal_status_declined(),
	closed: () => m.portal_status_closed()
};

export const TICKET_STATUS_LABEL: Record<TicketStatus, () => string> = {
	open: () => m.portal_ticket_open(),
	inProgress: () => m.portal_ticket_in_progress(),
	answered: () => m.portal_ticket_answered(),
	onHold: () => m.portal_ticket_on_hold(),
	closed: () => m.portal_ticket_closed()
};

const PROJECT_STATUS_LABEL: Record<(typeof PROJECT_STATUSES)[number], () => string> = {
	notStarted: () => m.portal_project_not_started(),
	inProgress: () => m.portal_project_in_progress(),
	onHold: () => m.portal_project_on_hold(),
	finished: () => m.portal_project_finished(),
	cancelled: () => m.portal_project_cancelled()
};

const TASK_STATUS_LABEL: Record<(typeof TASK_STATUSES)[number], () => string> = {
	notStarted: () => m.portal_task_not_started(),
	inProgress: () => m.portal_task_in_progress(),
	testing: () => m.portal_task_testing(),
	awaitingFeedback: () => m.portal_task_awaiting_feedback(),
	complete: () => m.portal_task_complete()
};

export const projectStatusText = (s: string): string =>
	(PROJECT_STATUS_LABEL as Record<string, () => string>)[s]?.() ?? s;
export const taskStatusText = (s: string): string => (TASK_STATUS_LABEL as Record<string, () => string>)[s]?.() ?? s;

/** "Due date" for an invoice, "Valid until" for an estimate or proposal; a credit note has neither. */
export function dueLabel(kind: SalesKind): string | null {
	if (kind === 'invoice') return m.portal_due_date();
	if (kind === 'estimate' || kind === 'proposal') return m.portal_valid_until();
	return null;
}

/** A field error at a portal form, with the schema's limit when the text is too long. */
export function portalFieldError(code: FieldError | null | undefined, max: number): string | undefined {
	if (!code) return undefined;
	return code === 'too_long' ? m.portal_too_long({ max: formatCount(max) }) : fieldErrorText(code);
}

/** A calendar date ("YYYY-MM-DD", the same day everywhere) in the contact's language. */
export function formatDate(iso: string | null): string {
	if (!iso) return '—';
	const d = new Date(`${iso}T00:00:00Z`);
	if (Number.isNaN(d.getTime())) return '—';
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** A moment (ms since the epoch) in the contact's language. */
export function formatMoment(ms: number | null): string {
	if (ms === null) return '—';
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

export const formatCount = (n: number): string => new Intl.NumberFormat(getLocale()).format(n);

/** Minor units in the document's currency, for the contact's language (totals.ts formatMoney). */
export const money = (minor: number, currency: string): string => formatMoney(minor, currency, getLocale());
