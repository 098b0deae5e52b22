/**
 * The kinds of mail Fieldbook sends (SPEC §2, §3; issue #11) and the merge fields each may use.
 * Defined once: the worker renders with them, the admin view edits and previews with them.
 */
import { LANGUAGES, type Language } from '../records.ts';

/** Mail to customer contacts for a portal document (SPEC §2 "e-mail notifications"). */
export const NOTIFICATION_MAIL_KINDS = [
	'invoice',
	'credit_note',
	'estimate',
	'ticket',
	'project',
	'contract',
	'task',
	// Portal modules (issue #12): a proposal sent (the estimate flag chooses who gets it), an
	// invoice past its due date (the invoice flag).
	'proposal',
	'invoice_overdue'
] as const;

/** Mail to staff about a customer (its managers). */
export const STAFF_MAIL_KINDS = [
	'manager_assigned',
	// A contact opened a ticket or replied in one, in the portal (issue #12): to the customer's managers.
	'ticket_staff'
] as const;

/** Mail to a staff member about their own account: "Forgot password?" on the sign-in page (issue #14 item 9). */
export const ACCOUNT_MAIL_KINDS = ['staff_password_reset'] as const;

export const MAIL_KINDS = [
	'welcome',
	'set_password',
	...STAFF_MAIL_KINDS,
	...ACCOUNT_MAIL_KINDS,
	...NOTIFICATION_MAIL_KINDS
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const isMailKind = (v: unknown): v is MailKind => (MAIL_KINDS as readonly unknown[]).includes(v);

export const MAIL_LOCALES = LANGUAGES;
export type MailLocale = Language;
export const isMailLocale = (v: unknown): v is MailLocale => (MAIL_LOCALES as readonly unknown[]).includes(v);

export const MERGE_FIELDS = [
	'contactName',
	'contactFirstName',
	'customerName',
	'portalUrl',
	'setPasswordLink',
	'staffName',
	'assignedBy',
	'recordUrl',
	'documentName',
	'documentUrl',
	// Portal modules (issue #12): a sales document's number, total and due date, a ticket's,
	// project's or task's status, and the text of a ticket reply.
	'documentNumber',
	'total',
	'dueDate',
	'status',
	'message'
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeValues = Partial<Record<MergeField, string>>;

/** Fields holding a link: rendered as an <a> in the HTML part, only when http(s). */
export const URL_FIELDS: ReadonlySet<MergeField> = new Set([
	'portalUrl',
	'setPasswordLink',
	'recordUrl',
	'documentUrl'
]);

const CONTACT_FIELDS = ['contactName', 'contactFirstName', 'customerName', 'portalUrl'] as const;

const NOTIFICATION_FIELDS: readonly MergeField[] = [...CONTACT_FIELDS, 'documentName', 'documentUrl'];
const SALES_FIELDS: readonly MergeField[] = [...NOTIFICATION_FIELDS, 'documentNumber', 'total', 'dueDate'];
const UPDATE_FIELDS: readonly MergeField[] = [...NOTIFICATION_FIELDS, 'status', 'message'];

/** Which merge fields a template of each kind may use; any other `{{name}}` is refused on save. */
export const FIELDS_OF: Record<MailKind, readonly MergeField[]> = {
	// The welcome carries a set-password link: a new contact has no portal password yet.
	welcome: [...CONTACT_FIELDS, 'setPasswordLink'],
	set_password: [...CONTACT_FIELDS, 'setPasswordLink'],
	manager_assigned: ['staffName', 'assignedBy', 'customerName', 'recordUrl'],
	staff_password_reset: ['staffName', 'setPasswordLink'],
	invoice: SALES_FIELDS,
	credit_note: SALES_FIELDS,
	estimate: SALES_FIELDS,
	proposal: SALES_FIELDS,
	invoice_overdue: SALES_FIELDS,
	contract: [...NOTIFICATION_FIELDS, 'total'],
	ticket: UPDATE_FIELDS,
	project: UPDATE_FIELDS,
	task: UPDATE_FIELDS,
	ticket_staff: ['staffName', 'contactName', 'customerName', 'documentName', 'message', 'recordUrl']
};

/** Who receives each kind: a customer contact or a staff member. */
export const recipientOf = (kind: MailKind): 'contact' | 'staff' =>
	(STAFF_MAIL_KINDS as readonly string[]).includes(kind) || (ACCOUNT_MAIL_KINDS as readonly string[]).includes(kind)
		? 'staff'
		: 'contact';

export const MAX_SUBJECT = 200;
export const MAX_BODY = 20_000;
export const MAX_SIGNATURE = 2_000;
