/**
 * Notifications of the portal modules (SPEC §3.1, §3.3; issue #12 item 4), decided from the
 * projection's rows before and after a commit (mirror.ts) and written to the outbox in that
 * same transaction — so they follow whatever wrote the change: a staff device, a background-
 * sync push, or the portal's own server change. "Updated" means created or its status
 * changed, never every keystroke:
 *   - ticket: a staff reply or a new status → contacts with the tickets flag (one mail per
 *     ticket per commit, with the status and the reply's text);
 *   - ticket: opened or answered by a contact (the portal sets openedByContact / byContact)
 *     → the customer's managers (staff mail);
 *   - project created or its status changed → contacts with the project flag;
 *   - task created or its status changed, only in a project whose tasks the customer sees
 *     (tasksVisible) → contacts with the task flag.
 * Trashed records send nothing. If no contact has the flag on, nothing is sent — also with a
 * single contact. Sending a sales document or a contract is sends.ts; "overdue" is overdue.ts.
 */
import { DOC, type Notification } from '../../src/lib/schema/records.ts';
import type { MailKind } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';
import { stmt } from './statements.ts';
import { enqueue } from '../outbox.ts';
import type { RowChange } from './mirror.ts';
import { flaggedContacts, ticketStaff } from './recipients.ts';
import type { Row } from './tables.ts';

/** The merge data a module mail carries (compose.ts formats it in the recipient's language). */
export interface ModulePayload {
	documentName: string;
	/** Portal path of the record, e.g. /portal/projects/<id>; the worker adds the origin. */
	documentPath: string;
	documentNumber?: string | null;
	/** Minor units of `currency`. */
	total?: number | null;
	currency?: string | null;
	dueDate?: string | null;
	status?: string | null;
	message?: string | null;
	[key: string]: unknown;
}

export const MESSAGE_MAX = 1000;

/** Queues one mail per contact with `flag` on; returns how many were new. */
export function mailFlagged(
	db: Db,
	customerId: string,
	flag: Notification,
	kind: MailKind,
	key: string,
	payload: ModulePayload,
	by: string | null,
	now: number
): number {
	let queued = 0;
	for (const c of flaggedContacts(db, customerId, flag)) {
		const row = {
			kind,
			idempotencyKey: `${key}:${c.id}`,
			customerId,
			contactId: c.id,
			toEmail: c.email,
			payload,
			createdBy: by
		};
		if (enqueue(db, row, now)) queued++;
	}
	return queued;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const live = (r: Row | null): r is Row => r !== null && r.deleted_at === null;

interface TicketNews {
	ticket: Row;
	/** A staff reply's text, or a new status: mail to flagged contacts. */
	staffReply: Row | null;
	statusChanged: boolean;
	/** A contact opened the ticket or wrote in it: mail to the managers. */
	contactWrote: Row | null;
	opened: boolean;
}

/** Decides and queues the mails of one commit's module changes; returns how many rows were queued. */
export function decideModuleMails(
	db: Db,
	customerId: string,
	changes: RowChange[],
	by: string | null,
	now: number
): number {
	let queued = 0;
	const tickets = new Map<string, TicketNews>();
	const ticketRow = (id: string): Row | null =>
		(stmt(db, 'SELECT * FROM tickets WHERE id = ? AND customer_id = ?').get(id, customerId) as Row | undefined) ?? null;
	const news = (ticket: Row): TicketNews => {
		const id = String(ticket.id);
		let n = tickets.get(id);
		if (!n)
			tickets.set(id, (n = { ticket, staffReply: null, statusChanged: false, contactWrote: null, opened: false }));
		return n;
	};

	for (const { root, before, after } of changes) {
		if (root === DOC.tickets && live(after)) {
			if (before === null && str(after.opened_by_contact)) news(after).opened = true;
			else if (before !== null && before.status !== after.status && after.status !== null)
				news(after).statusChanged = true;
		} else if (root === DOC.ticketReplies && before === null && after !== null) {
			const ticket = typeof after.ticket_id === 'string' ? ticketRow(after.ticket_id) : null;
			if (!live(ticket)) continue;
			if (str(after.by_contact)) news(ticket).contactWrote = after;
			else news(ticket).staffReply = after;
		} else if (root === DOC.projects && live(after)) {
			const created = before === null;
			if (!created && (before.status === after.status || after.status === null)) continue;
			const event = created ? `created` : `status:${String(after.status)}:${now}`;
			queued += mailFlagged(
				db,
				customerId,
				'project',
				'project',
				`project:${String(after.id)}:${event}`,
				{
					documentName: str(after.name) ?? '',
					documentPath: `/portal/projects/${String(after.id)}`,
					status: str(after.status)
				},
				by,
				now
			);
		} else if (root === DOC.tasks && live(after)) {
			const created = before === null;
			if (!created && (before.status === after.status || after.status === null)) continue;
			const project = stmt(
				db,
				'SELECT tasks_visible, deleted_at, name FROM projects WHERE id = ? AND customer_id = ?'
			).get(after.project_id, customerId) as
				{ tasks_visible: number | null; deleted_at: number | null; name: string | null } | undefined;
			// Tasks of projects only, and only where the customer sees them.
			if (!project || project.tasks_visible !== 1 || project.deleted_at !== null) continue;
			const event = created ? `created` : `status:${String(after.status)}:${now}`;
			queued += mailFlagged(
				db,
				customerId,
				'task',
				'task',
				`task:${String(after.id)}:${event}`,
				{
					documentName: str(after.name) ?? '',
					documentPath: `/portal/projects/${String(after.project_id)}`,
					status: str(after.status),
					projectName: project.name
				},
				by,
				now
			);
		}
	}

	for (const n of tickets.values()) queued += ticketMails(db, customerId, n, by, now);
	return queued;
}

function ticketMails(db: Db, customerId: string, n: TicketNews, by: string | null, now: number): number {
	const id = String(n.ticket.id);
	const documentName = str(n.ticket.subject) ?? '';
	const documentPath = `/portal/support/${id}`;
	let queued = 0;
	const contactNews = n.opened || n.contactWrote !== null;
	// A status the portal set with a contact's own message is no news to the contacts.
	if (n.staffReply || (n.statusChanged && !contactNews)) {
		const key = n.staffReply
			? `ticket:reply:${String(n.staffReply.id)}`
			: `ticket:${id}:status:${String(n.ticket.status)}:${now}`;
		queued += mailFlagged(
			db,
			customerId,
			'tickets',
			'ticket',
			key,
			{
				documentName,
				documentPath,
				status: str(n.ticket.status),
				message: str(n.staffReply?.body)?.slice(0, MESSAGE_MAX) ?? null
			},
			by,
			now
		);
	}
	if (contactNews) {
		const contactId = str(n.contactWrote?.by_contact) ?? str(n.ticket.opened_by_contact);
		const key = n.contactWrote ? `ticket_staff:reply:${String(n.contactWrote.id)}` : `ticket_staff:open:${id}`;
		for (const staff of ticketStaff(db, customerId)) {
			const row = {
				kind: 'ticket_staff',
				idempotencyKey: `${key}:${staff.id}`,
				customerId,
				toEmail: staff.email,
				payload: {
					userId: staff.id,
					contactId,
					documentName,
					message: str(n.contactWrote?.body)?.slice(0, MESSAGE_MAX) ?? null,
					ticketId: id
				},
				createdBy: by
			};
			if (enqueue(db, row, now)) queued++;
		}
	}
	return queued;
}
