/**
 * What a contact does in the portal (issue #12 item 3): accept or decline a sent estimate or
 * proposal, open a ticket, reply to one. Each is the server's own change to the customer
 * document (ServerDocs.change): decided and written in one transaction on the document as the
 * server holds it, answered only once committed, and relayed live to staff devices. The
 * fields only the server may write (MODULE_OWNERSHIP: decidedAt, decidedByContact,
 * openedByContact, byContact) are written here and nowhere else.
 *
 * A record written for a contact carries no createdBy/updatedBy: those name staff users
 * (records.ts "author" fields); the contact is named by the server-owned field instead.
 *
 * A contact's reply to a closed or answered ticket opens it again: the contact is waiting
 * for staff once more (as in Perfex, where a customer reply sets the ticket to Open).
 */
import * as Y from 'yjs';
import { newId } from '../../src/lib/schema/ids.ts';
import { DOC, type FieldValue } from '../../src/lib/schema/records.ts';
import { TICKET_LIMITS, type TicketStatus } from '../../src/lib/schema/modules.ts';
import { isDecidable, moduleMap, readSale } from '../../src/lib/schema/module-doc.ts';
import { text } from '../../src/lib/schema/fields.ts';
import type { ServerDocs } from '../sync/server-docs.ts';
import { saleVisible, type SalesModule } from './documents.ts';

export type Answer = 'accepted' | 'declined';
export const isAnswer = (v: unknown): v is Answer => v === 'accepted' || v === 'declined';

/** Who acts: the session's contact, in their own customer's document. */
export interface Actor {
	contactId: string;
	customerId: string;
}

const REOPENED_BY_REPLY: readonly TicketStatus[] = ['closed', 'answered'];

function newMap(fields: Record<string, FieldValue>): Y.Map<FieldValue> {
	const m = new Y.Map<FieldValue>();
	for (const [k, v] of Object.entries(fields)) m.set(k, v);
	return m;
}

/**
 * Accepts or declines a sales document. `not_found`: not there or not the contact's to see
 * in this module (the portal's one 404); `not_decidable`: not a sent estimate or proposal
 * any more (answered already, withdrawn, …) — nothing changes.
 */
export async function decide(
	docs: ServerDocs,
	who: Actor,
	module: SalesModule,
	saleId: string,
	answer: Answer,
	now = Date.now()
): Promise<'decided' | 'not_found' | 'not_decidable'> {
	return docs.change(who.customerId, (doc) => {
		const sale = readSale(doc, saleId);
		if (!sale || !saleVisible(sale, module)) return 'not_found';
		if (!isDecidable(sale)) return 'not_decidable';
		const m = moduleMap(doc, DOC.sales).get(saleId)!;
		m.set('status', answer);
		m.set('decidedAt', now);
		m.set('decidedByContact', who.contactId);
		m.set('updatedAt', now);
		return 'decided';
	});
}

/** A message's body and a ticket's subject as the schema allows them (required, within TICKET_LIMITS). */
export const checkBody = (v: unknown) => text(v, { required: true, max: TICKET_LIMITS.body });
export const checkSubject = (v: unknown) => text(v, { required: true, max: TICKET_LIMITS.subject });

/** Opens a ticket with its first message; returns the new ticket's id. */
export async function openTicket(
	docs: ServerDocs,
	who: Actor,
	input: { subject: string; body: string },
	now = Date.now()
): Promise<string> {
	const ticketId = newId(now);
	const replyId = newId(now);
	await docs.change(who.customerId, (doc) => {
		moduleMap(doc, DOC.tickets).set(
			ticketId,
			newMap({
				subject: input.subject,
				status: 'open',
				contactId: who.contactId,
				openedByContact: who.contactId,
				createdAt: now,
				updatedAt: now
			})
		);
		moduleMap(doc, DOC.ticketReplies).set(
			replyId,
			newMap({ ticketId, body: input.body, byContact: who.contactId, createdAt: now })
		);
	});
	return ticketId;
}

/** Adds the contact's reply to a ticket of their customer; false when there is no such ticket. */
export async function replyToTicket(
	docs: ServerDocs,
	who: Actor,
	ticketId: string,
	body: string,
	now = Date.now()
): Promise<boolean> {
	const replyId = newId(now);
	return docs.change(who.customerId, (doc) => {
		const ticket = moduleMap(doc, DOC.tickets).get(ticketId);
		if (!(ticket instanceof Y.Map) || ticket.get('deletedAt')) return false;
		moduleMap(doc, DOC.ticketReplies).set(
			replyId,
			newMap({ ticketId, body, byContact: who.contactId, createdAt: now })
		);
		if (REOPENED_BY_REPLY.includes(ticket.get('status') as TicketStatus)) ticket.set('status', 'open');
		ticket.set('updatedAt', now);
		return true;
	});
}
