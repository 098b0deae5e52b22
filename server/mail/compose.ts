/**
 * Turns an outbox row into the mail that leaves, or into the reason it does not (issue #11):
 * read at send time, so a template disabled, a contact deleted or an address already welcomed
 * in the meantime is honoured. Used by the worker and, with a placeholder link, by the admin
 * preview, so the preview is the mail as it would leave.
 */
import { EMAIL_RE } from '../../src/lib/schema/fields.ts';
import {
	isMailKind,
	isMailLocale,
	recipientOf,
	type MailKind,
	type MailLocale,
	type MergeValues
} from '../../src/lib/schema/mail/kinds.ts';
import { headerText, renderMail, type RenderedMail } from '../../src/lib/schema/mail/render.ts';
import { mailDate, mailMoney, statusWord } from '../../src/lib/schema/mail/values.ts';
import type { Db } from '../db.ts';
import { contactById, customerName, staffById } from './recipients.ts';
import type { HolderKind } from './link-holders.ts';
import type { MailTemplates } from './templates.ts';

/** An outbox row as the worker and the admin view read it (migrations 004 and 009). */
export interface OutboxRecord {
	id: number;
	kind: string;
	idempotency_key: string;
	customer_id: string | null;
	contact_id: string | null;
	to_email: string | null;
	payload: string;
	status: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
	attempts: number;
	last_error: string | null;
	next_attempt_at: number;
	created_by: string | null;
	created_at: number;
	sent_at: number | null;
	message_id: string;
	domain: string | null;
	rendered: string | null;
	decision: string | null;
	retried_at: number | null;
}

export interface OutgoingMail extends RenderedMail {
	to: { name: string; address: string };
	locale: MailLocale;
}

/** Why a row is not sent. Shown in the admin outbox view. */
export type SkipDecision =
	| 'unknown_kind'
	| 'template_disabled'
	| 'contact_deleted'
	| 'customer_deleted'
	| 'no_email'
	| 'duplicate_address'
	| 'do_not_email'
	| 'staff_inactive';

export type Composed =
	| { send: true; mail: OutgoingMail; contactId: string | null; emailKey: string | null }
	| { send: false; decision: SkipDecision };

export interface ComposeEnv {
	db: Db;
	templates: MailTemplates;
	/** The public origin links point at (PUBLIC_URL, else where the server listens). */
	origin: string;
	/**
	 * The set-password link for this row (a contact's, or a staff user's for staff_password_reset);
	 * the preview passes a placeholder, the worker issues a token.
	 */
	setPasswordLink(holderId: string, emailKey: string, holder?: HolderKind): string;
}

function payloadOf(row: OutboxRecord): Record<string, unknown> {
	try {
		const p = JSON.parse(row.payload) as unknown;
		return typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The assigned user of a manager_assigned row: the payload, or the idempotency key of rows queued before 009. */
function assignedUser(row: OutboxRecord, payload: Record<string, unknown>): string | null {
	return str(payload.userId) ?? row.idempotency_key.split(':')[2] ?? null;
}

function welcomedAlready(db: Db, row: OutboxRecord, address: string): boolean {
	return (
		db
			.prepare(
				`SELECT 1 FROM outbox WHERE kind = 'welcome' AND lower(trim(to_email)) = ? AND id <> ?
				 AND status IN ('sending', 'sent') LIMIT 1`
			)
			.get(address.trim().toLowerCase(), row.id) !== undefined
	);
}

/**
 * A module mail's merge values (issue #12, server/modules/): the document's portal link, and
 * its number, total, due date and status as the recipient reads them.
 */
function moduleValues(values: MergeValues, payload: Record<string, unknown>, origin: string, locale: MailLocale): void {
	values.documentName = str(payload.documentName) ?? '';
	const path = str(payload.documentPath);
	values.documentUrl = path?.startsWith('/portal/')
		? `${origin}${path}`
		: (str(payload.documentUrl) ?? values.portalUrl);
	values.documentNumber = str(payload.documentNumber) ?? '';
	const currency = str(payload.currency);
	values.total = typeof payload.total === 'number' ? mailMoney(payload.total, currency, locale) : '';
	const due = str(payload.dueDate);
	values.dueDate = due ? mailDate(due, locale) : '';
	const status = str(payload.status);
	values.status = status ? statusWord(status, locale) : '';
	values.message = str(payload.message) ?? '';
}

export function compose(env: ComposeEnv, row: OutboxRecord): Composed {
	const kind = row.kind;
	if (!isMailKind(kind)) return { send: false, decision: 'unknown_kind' };
	if (!env.templates.enabled(kind)) return { send: false, decision: 'template_disabled' };
	const payload = payloadOf(row);
	const fallback = env.templates.defaultLanguage();
	const values: MergeValues = {};
	let to: { name: string; address: string };
	let locale: MailLocale;
	let contactId: string | null = null;
	let emailKey: string | null = null;

	if (kind === 'staff_password_reset') {
		// A staff member's own account: no customer; a deactivated account gets no link.
		const staff = staffById(env.db, str(payload.userId));
		if (!staff || !staff.active) return { send: false, decision: 'staff_inactive' };
		values.staffName = staff.name;
		values.setPasswordLink = env.setPasswordLink(staff.id, staff.email, 'staff');
		to = { name: staff.name, address: staff.email };
		locale = isMailLocale(staff.locale) ? staff.locale : fallback;
	} else if (recipientOf(kind) === 'staff') {
		const staff = staffById(env.db, assignedUser(row, payload));
		if (!staff || !staff.active) return { send: false, decision: 'staff_inactive' };
		const customer = row.customer_id
			? env.db.prepare('SELECT deleted_at FROM customers WHERE id = ?').get(row.customer_id)
			: null;
		if (!customer || (customer as { deleted_at: number | null }).deleted_at !== null)
			return { send: false, decision: 'customer_deleted' };
		const by = staffById(env.db, str(payload.assignedBy));
		values.staffName = staff.name;
		values.assignedBy = by?.name ?? 'Fieldbook';
		values.customerName = customerName(env.db, row.customer_id) ?? str(payload.customerName) ?? '';
		values.recordUrl = `${env.origin}/customers/${encodeURIComponent(row.customer_id ?? '')}`;
		if (kind === 'ticket_staff') {
			const writer = contactById(env.db, str(payload.contactId) ?? '');
			values.contactName = writer ? [writer.firstName, writer.lastName].filter(Boolean).join(' ') : '';
			values.documentName = str(payload.documentName) ?? '';
			values.message = str(payload.message) ?? '';
		}
		to = { name: staff.name, address: staff.email };
		locale = isMailLocale(staff.locale) ? staff.locale : fallback;
	} else {
		const contact = row.contact_id ? contactById(env.db, row.contact_id) : null;
		if (!contact || contact.deleted) return { send: false, decision: 'contact_deleted' };
		// "Do not e-mail" (issue #13 item 2), read at send time like the address: only a link
		// the contact asked for themselves ("Forgot password?", "send me a new link") still goes.
		if (contact.doNotEmail && !(kind === 'set_password' && payload.requestedByContact === true))
			return { send: false, decision: 'do_not_email' };
		// The contact's address now: an e-mail changed since the row was queued is where it goes.
		const address = contact.email ?? '';
		if (!EMAIL_RE.test(address)) return { send: false, decision: 'no_email' };
		if (kind === 'welcome' && welcomedAlready(env.db, row, address))
			return { send: false, decision: 'duplicate_address' };
		const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
		values.contactName = name;
		values.contactFirstName = contact.firstName ?? name;
		values.customerName = contact.customerName ?? '';
		values.portalUrl = `${env.origin}/portal`;
		contactId = contact.id;
		emailKey = contact.emailKey;
		if (kind === 'set_password' || kind === 'welcome')
			values.setPasswordLink = env.setPasswordLink(contact.id, contact.emailKey ?? '');
		to = { name, address };
		locale = isMailLocale(contact.language) ? contact.language : fallback;
		if (kind !== 'welcome' && kind !== 'set_password') moduleValues(values, payload, env.origin, locale);
	}
	if (!EMAIL_RE.test(to.address)) return { send: false, decision: 'no_email' };
	const template = env.templates.template(kind as MailKind, locale);
	const rendered = renderMail(template, values, env.templates.signature(), locale);
	return {
		send: true,
		mail: { ...rendered, to: { name: headerText(to.name, 100), address: to.address }, locale },
		contactId,
		emailKey
	};
}
