/**
 * Send requests (SPEC §3.2; issue #12 item 5): the send dialog writes one into the customer
 * document, offline too; the server mails it in the transaction that first stores it, and
 * never again — the request is recorded in `sends` (migration 011), and every mail's
 * idempotency key names the request, so a resent update, a reconnect or a restart finds it
 * decided. The mail goes to ALL selected recipients, flag or not (the dialog says so), but
 * only to live contacts of THIS customer with an e-mail: an id of another customer's contact,
 * or a made-up one, gets nothing (recorded as refused).
 */
import * as Y from 'yjs';
import { sendRecipients } from '../../src/lib/schema/module-doc.ts';
import { SALES_KINDS, SALES_PERMISSION, type SalesKind } from '../../src/lib/schema/modules.ts';
import { PORTAL_MODULES } from '../../src/lib/schema/portal.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import type { MailKind } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';
import { stmt } from './statements.ts';
import { enqueue } from '../outbox.ts';
import { saleName } from './names.ts';
import type { ModulePayload } from './notify.ts';
import { liveContactsAmong } from './recipients.ts';

/** The mail kind of each sales kind (the send dialog preselects by SALES_NOTIFICATION). */
export const SALES_MAIL_KIND: Record<SalesKind, MailKind> = {
	invoice: 'invoice',
	creditNote: 'credit_note',
	estimate: 'estimate',
	proposal: 'proposal'
};

/** What a sent record's mail says about it, from the projection; null when it is gone or trashed. */
export function describeTarget(
	db: Db,
	customerId: string,
	target: unknown,
	recordId: string
): { kind: MailKind; payload: ModulePayload } | null {
	if (target === DOC.sales) {
		const s = stmt(
			db,

			'SELECT kind, number, subject, total, currency, due_date, deleted_at FROM sales WHERE id = ? AND customer_id = ?'
		).get(recordId, customerId) as
			| {
					kind: string;
					number: number | null;
					subject: string | null;
					total: number;
					currency: string | null;
					due_date: string | null;
					deleted_at: number | null;
			  }
			| undefined;
		if (!s || s.deleted_at !== null || !(SALES_KINDS as readonly string[]).includes(s.kind)) return null;
		const kind = s.kind as SalesKind;
		const number = saleName({ kind, number: s.number });
		return {
			kind: SALES_MAIL_KIND[kind],
			payload: {
				documentName: number ?? s.subject ?? '',
				documentNumber: number,
				documentPath: `${PORTAL_MODULES[SALES_PERMISSION[kind]]}/${recordId}`,
				total: s.total,
				currency: s.currency,
				dueDate: s.due_date
			}
		};
	}
	if (target === DOC.contracts) {
		const c = stmt(
			db,
			'SELECT subject, value, currency, deleted_at FROM contracts WHERE id = ? AND customer_id = ?'
		).get(recordId, customerId) as
			{ subject: string | null; value: number | null; currency: string | null; deleted_at: number | null } | undefined;
		if (!c || c.deleted_at !== null) return null;
		return {
			kind: 'contract',
			payload: {
				documentName: c.subject ?? '',
				documentPath: `${PORTAL_MODULES.contracts}/${recordId}`,
				total: c.value,
				currency: c.currency
			}
		};
	}
	return null;
}

/**
 * Decides the send requests among `ids` (all of the document's when null) that the server has
 * not decided yet. Inside the commit's transaction, after the mirror (the target's number and
 * totals are current). Returns how many mails were queued.
 */
export function decideSends(db: Db, customerId: string, doc: Y.Doc, ids: Iterable<string> | null, now: number): number {
	const sends = doc.getMap<unknown>(DOC.sends);
	const seen = stmt(db, 'SELECT 1 FROM sends WHERE customer_id = ? AND id = ?');
	const record = stmt(
		db,
		`INSERT INTO sends (id, customer_id, target, record_id, created_by, created_at, processed_at, queued, refused)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	let queued = 0;
	for (const id of ids ?? sends.keys()) {
		const m = sends.get(id);
		if (!(m instanceof Y.Map) || seen.get(customerId, id)) continue;
		const target = m.get('target');
		const recordId = typeof m.get('recordId') === 'string' ? (m.get('recordId') as string) : '';
		const createdBy = typeof m.get('createdBy') === 'string' ? (m.get('createdBy') as string) : null;
		const asked = sendRecipients(m.get('recipients'));
		const what = recordId ? describeTarget(db, customerId, target, recordId) : null;
		const to = what ? liveContactsAmong(db, customerId, asked) : [];
		let mailed = 0;
		for (const c of to) {
			const row = {
				kind: what!.kind,
				idempotencyKey: `send:${customerId}:${id}:${c.id}`,
				customerId,
				contactId: c.id,
				toEmail: c.email,
				payload: what!.payload,
				createdBy
			};
			if (enqueue(db, row, now)) mailed++;
		}
		const refused = asked.filter((a) => !to.some((c) => c.id === a));
		record.run(
			id,
			customerId,
			String(target ?? ''),
			recordId,
			createdBy,
			num(m.get('createdAt')),
			now,
			mailed,
			refused.join(' ') || null
		);
		queued += mailed;
	}
	return queued;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
