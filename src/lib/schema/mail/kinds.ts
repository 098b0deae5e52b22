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
	'task'
] as const;

export const MAIL_KINDS = ['welcome', 'set_password', 'manager_assigned', ...NOTIFICATION_MAIL_KINDS] as const;
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
	'documentUrl'
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

/** Which merge fields a template of each kind may use; any other `{{name}}` is refused on save. */
export const FIELDS_OF: Record<MailKind, readonly MergeField[]> = {
	// The welcome carries a set-password link: a new contact has no portal password yet.
	welcome: [...CONTACT_FIELDS, 'setPasswordLink'],
	set_password: [...CONTACT_FIELDS, 'setPasswordLink'],
	manager_assigned: ['staffName', 'assignedBy', 'customerName', 'recordUrl'],
	invoice: NOTIFICATION_FIELDS,
	credit_note: NOTIFICATION_FIELDS,
	estimate: NOTIFICATION_FIELDS,
	ticket: NOTIFICATION_FIELDS,
	project: NOTIFICATION_FIELDS,
	contract: NOTIFICATION_FIELDS,
	task: NOTIFICATION_FIELDS
};

/** Who receives each kind: a customer contact or a staff member. */
export const recipientOf = (kind: MailKind): 'contact' | 'staff' => (kind === 'manager_assigned' ? 'staff' : 'contact');

export const MAX_SUBJECT = 200;
export const MAX_BODY = 20_000;
export const MAX_SIGNATURE = 2_000;
