/** Words for the outbox's codes (kinds, statuses, send-time decisions) in the admin's language. */
import { m } from '$lib/paraglide/messages';
import type { MailKind } from '$lib/schema/mail/kinds';

/** Typed as complete: a new kind fails to compile until it has a name. */
const KINDS: Record<MailKind, () => string> = {
	welcome: m.mail_kind_welcome,
	set_password: m.mail_kind_set_password,
	manager_assigned: m.mail_kind_manager_assigned,
	staff_password_reset: m.mail_kind_staff_password_reset,
	invoice: m.mail_kind_invoice,
	credit_note: m.mail_kind_credit_note,
	estimate: m.mail_kind_estimate,
	ticket: m.mail_kind_ticket,
	project: m.mail_kind_project,
	contract: m.mail_kind_contract,
	task: m.mail_kind_task,
	proposal: m.mail_kind_proposal,
	invoice_overdue: m.mail_kind_invoice_overdue,
	ticket_staff: m.mail_kind_ticket_staff
};

const STATUSES: Record<string, () => string> = {
	queued: m.mail_status_queued,
	sending: m.mail_status_sending,
	sent: m.mail_status_sent,
	failed: m.mail_status_failed,
	skipped: m.mail_status_skipped
};

const DECISIONS: Record<string, () => string> = {
	template_disabled: m.mail_decision_template_disabled,
	contact_deleted: m.mail_decision_contact_deleted,
	customer_deleted: m.mail_decision_customer_deleted,
	no_email: m.mail_decision_no_email,
	duplicate_address: m.mail_decision_duplicate_address,
	do_not_email: m.rc_mail_decision_do_not_email,
	staff_inactive: m.mail_decision_staff_inactive
};

export const kindText = (k: string) => (Object.hasOwn(KINDS, k) ? KINDS[k as MailKind]() : k);
export const statusText = (s: string) => STATUSES[s]?.() ?? s;
export const decisionText = (d: string) => DECISIONS[d]?.() ?? d;
